"""Land clearance (giải phóng mặt bằng): the projects of a People's Committee, the households they affect and the
dialogues held with those households.

Quyết định 99-QĐ/TW asks units to "tăng cường đối thoại với dân … nhất là trong công tác giải phóng mặt bằng, hỗ
trợ tái định cư"; the Law on Complaints requires a dialogue with the complainant when resolving a complaint (Luật
Khiếu nại 2011, Điều 30 for the first resolution where the claim and the facts differ, Điều 39 always at the
second). A dialogue is a reception session of kind dialogue (``services.schedule_session``): here it is linked to
its project and its complaint case, its attendance and signed minutes recorded, and its conclusion may give tasks
about a household, which that household confirms through its own link as a register citizen does
(``follow_up``).

The households' representatives, contacts and land parcels are sealed as the register seals a person: staff see
a pseudonym (``Hộ #…``) and a count. Every act follows the rules of ``services``: keyword-only arguments, input
checked first, one transaction, one ``Activity`` row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases.models import Case, Kind
from pakn.core.errors import InvalidInput, InvalidTransition
from pakn.org.models import Commune, Unit, UnitKind
from pakn.reception import follow_up
from pakn.reception import validation as v
from pakn.reception.access import readable_units, require_writer
from pakn.reception.models import (
    AffectedHousehold,
    ClearanceProject,
    Conclusion,
    DialogueAttendance,
    DialogueMinutes,
    Entry,
    FollowUpTask,
    Session,
    SessionKind,
    SessionStatus,
)

MAX_TEXT = 20_000
NOT_A_DIALOGUE = _("Chỉ áp dụng cho buổi đối thoại với Nhân dân.")
MINUTES_SIGNED = _("Biên bản đối thoại đã ký: không thay đổi được nữa.")


def _log(action: str, obj: Any, *, actor: Any, unit: Unit, data: dict[str, Any] | None = None) -> None:
    from pakn.reception.services.common import write_activity

    write_activity("reception", action, obj, actor=actor, unit=unit, data=data)


def _lock_dialogue(session: Session) -> Session:
    session = Session.objects.select_for_update().select_related("unit").get(pk=session.pk)
    if session.kind != SessionKind.DIALOGUE:
        raise InvalidTransition(NOT_A_DIALOGUE)
    return session


def _has_minutes(session: Session) -> bool:
    return DialogueMinutes.objects.filter(session=session).exists()


def household_terms(project_id: int | None) -> list[str]:
    """The redaction terms of every household of a project: what keeps them out of the minutes."""
    if project_id is None:
        return []
    terms: set[str] = set()
    for row in AffectedHousehold.objects.filter(project_id=project_id).values_list("redaction_terms", flat=True):
        terms.update(row or [])
    return sorted(terms)


# ---------------------------------------------------------------- reading


def readable_projects(user: Any) -> QuerySet[ClearanceProject]:
    """The projects of the units whose reception data ``user`` reads (their staff, the Front of the area)."""
    return ClearanceProject.objects.filter(unit__in=readable_units(user)).select_related("unit", "commune")


def find_complaint(actor: Any, code: Any) -> Case:
    """The complaint case with the tracking code staff typed, among the cases ``actor`` may see; one answer for a
    code that does not exist and for a case they may not see."""
    from pakn.core.tracking import normalise_tracking_code
    from pakn.org.access import visible_cases

    canonical = normalise_tracking_code(code or "") if isinstance(code, str) else None
    case = visible_cases(actor).filter(tracking_code=canonical).first() if canonical else None
    if case is None:
        raise InvalidInput(fields={"complaint": [_("Không tìm thấy hồ sơ với mã này trong các hồ sơ bạn được xem.")]})
    return case


# ---------------------------------------------------------------- projects and households


def _commune(value: Any, unit: Unit, errors: v.Errors) -> Commune | None:
    if value in (None, ""):
        return unit.commune if isinstance(unit, Unit) else None
    commune = value if isinstance(value, Commune) else Commune.objects.filter(code=str(value)).first()
    if commune is None or (isinstance(unit, Unit) and commune.province_id != unit.province_id):
        errors.setdefault("commune", []).append(_("Chọn xã, phường thuộc tỉnh, thành phố của đơn vị."))
        return None
    return commune


def create_project(
    *,
    actor: Any,
    unit: Unit,
    name: Any,
    decision_number: Any,
    decision_date: Any,
    commune: Any = None,
    description: Any = "",
) -> ClearanceProject:
    """Record a land-clearance project of a People's Committee (the body that decides the land recovery), with
    its decision. ``commune`` (a code or a ``Commune``) defaults to the unit's."""
    errors: v.Errors = {}
    name_text = v.text(name, "name", errors, required=True, limit=300)
    number = v.text(decision_number, "decision_number", errors, required=True, limit=60)
    day = v.a_date(decision_date, "decision_date", errors)
    description_text = v.text(description, "description", errors, limit=MAX_TEXT)
    if not isinstance(unit, Unit) or unit.kind != UnitKind.PEOPLES_COMMITTEE:
        errors.setdefault("unit", []).append(
            _("Dự án giải phóng mặt bằng thuộc Ủy ban nhân dân, cơ quan quyết định thu hồi đất.")
        )
    place = _commune(commune, unit, errors)
    if day and (day > timezone.localdate() or day.year < 2000):
        errors.setdefault("decision_date", []).append(_("Ngày quyết định phải từ năm 2000 đến hôm nay."))
    v.raise_if(errors)
    assert day is not None
    from pakn.reception.services.common import redacted

    with transaction.atomic():
        require_writer(actor, unit)
        project = ClearanceProject.objects.create(
            unit=unit,
            name=name_text,
            decision_number=number,
            decision_date=day,
            commune=place,
            description=redacted(description_text, []),  # no household yet: phones, ID numbers, e-mails
            created_by=actor,
        )
        _log("project_created", project, actor=actor, unit=unit, data={"decision": number, "on": day.isoformat()})
        return project


@sensitive_variables()
def add_household(
    *,
    actor: Any,
    project: ClearanceProject,
    name: Any,
    parcel: Any,
    address: Any = "",
    id_number: Any = "",
    phone: Any = "",
) -> AffectedHousehold:
    """Add a household the project affects. The representative's name, address, ID number and phone and the land
    parcel are sealed to the unit's protection officers at once; the phone, sealed to the notifier key, is where
    the household is told of the conclusion and asked about the tasks concerning it."""
    from pakn.protection import keys, redact
    from pakn.reception.services.common import seal_person
    from pakn.reception.services.register import seal_phone

    errors: v.Errors = {}
    name_text = v.text(name, "name", errors, required=True, limit=150)
    parcel_text = v.text(parcel, "parcel", errors, required=True, limit=500)
    address_text = v.text(address, "address", errors, limit=300)
    id_text = v.id_number(id_number, "id_number", errors)
    phone_text = v.phone(phone, "phone", errors)
    v.raise_if(errors)
    with transaction.atomic():
        project = ClearanceProject.objects.select_for_update().select_related("unit").get(pk=project.pk)
        require_writer(actor, project.unit)
        identity = {
            "name": name_text,
            "address": address_text,
            "id_number": id_text,
            "phone": phone_text,
            "parcel": parcel_text,
        }
        item, terms = seal_person(project.unit, identity, f"Hộ bị ảnh hưởng, dự án giải phóng mặt bằng #{project.pk}")
        # The parcel ("thửa 45, tờ bản đồ 12") identifies the household as well as an address does.
        terms = sorted(set(terms) | set(redact.identity_terms({"address": parcel_text}, keys.redaction_key())))
        household = AffectedHousehold.objects.create(
            project=project,
            identity=item,
            redaction_terms=terms,
            notify_channel="sms",
            notify_sealed=seal_phone(phone_text),
            created_by=actor,
        )
        _log("household_added", household, actor=actor, unit=project.unit, data={"project": project.pk})
        return household


# ---------------------------------------------------------------- dialogues


def link_dialogue(
    *, actor: Any, session: Session, project: ClearanceProject | None = None, complaint: Case | None = None
) -> Session:
    """Say which project a dialogue is about and which complaint case required it (``None`` clears a link). The
    project must be the session's unit's; the complaint a complaint case ``actor`` may see. Fixed once the
    minutes are signed; the project is fixed once attendance is recorded."""
    from pakn.org.access import visible_cases

    errors: v.Errors = {}
    if project is not None and not isinstance(project, ClearanceProject):
        errors["project"] = [_("Lựa chọn không hợp lệ.")]
    if complaint is not None and not isinstance(complaint, Case):
        errors["complaint"] = [_("Lựa chọn không hợp lệ.")]
    v.raise_if(errors)
    with transaction.atomic():
        session = _lock_dialogue(session)
        require_writer(actor, session.unit)
        if session.status == SessionStatus.CANCELLED:
            raise InvalidTransition(_("Buổi đối thoại đã hủy."))
        if _has_minutes(session):
            raise InvalidTransition(MINUTES_SIGNED)
        new_project = project.pk if project is not None else None
        if new_project != session.project_id and session.attendances.exists():
            errors["project"] = [_("Đã ghi danh sách hộ tham dự: không đổi được dự án của buổi đối thoại.")]
        if project is not None and project.unit_id != session.unit_id:
            errors.setdefault("project", []).append(_("Dự án không thuộc đơn vị tổ chức buổi đối thoại."))
        if complaint is not None:
            # Existence first, kind second: a case the actor may not see says nothing about itself.
            if not visible_cases(actor).filter(pk=complaint.pk).exists():
                errors["complaint"] = [_("Không tìm thấy hồ sơ với mã này trong các hồ sơ bạn được xem.")]
            elif complaint.kind != Kind.COMPLAINT:
                errors["complaint"] = [_("Hồ sơ này không phải là đơn khiếu nại.")]
        v.raise_if(errors)
        session.project_id = new_project
        session.complaint_id = complaint.pk if complaint is not None else None
        session.save(update_fields=["project", "complaint", "updated_at"])
        _log(
            "dialogue_linked",
            session,
            actor=actor,
            unit=session.unit,
            data={"project": session.project_id, "complaint": session.complaint_id},
        )
        return session


def record_attendance(
    *, actor: Any, session: Session, households: list[AffectedHousehold], attended_ids: list[Any]
) -> list[DialogueAttendance]:
    """Which of ``households`` (of the dialogue's project) came to a held dialogue: those in ``attended_ids``; the
    others did not. Recorded again until the minutes are signed."""
    errors: v.Errors = {}
    if not isinstance(households, list | tuple) or not households:
        errors["households"] = [_("Chưa có hộ nào để ghi danh sách tham dự.")]
        households = []
    ids = {h.pk for h in households if isinstance(h, AffectedHousehold)}
    if len(ids) != len(households):
        errors.setdefault("households", []).append(_("Lựa chọn không hợp lệ."))
    attended: set[int] = set()
    for value in attended_ids or []:
        key = int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdecimal()) else None
        if key is None or key not in ids:
            errors.setdefault("attended", []).append(_("Hộ không thuộc danh sách của dự án."))
            break
        attended.add(key)
    v.raise_if(errors)
    with transaction.atomic():
        session = _lock_dialogue(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.HELD:
            raise InvalidTransition(_("Chỉ ghi danh sách tham dự cho buổi đối thoại đã diễn ra."))
        if session.project_id is None:
            raise InvalidTransition(_("Buổi đối thoại chưa gắn với dự án giải phóng mặt bằng."))
        if _has_minutes(session):
            raise InvalidTransition(MINUTES_SIGNED)
        rows = list(AffectedHousehold.objects.filter(pk__in=ids, project_id=session.project_id))
        if len(rows) != len(ids):
            raise InvalidInput(fields={"households": [_("Hộ không thuộc dự án của buổi đối thoại.")]})
        result = [
            DialogueAttendance.objects.update_or_create(
                session=session, household=h, defaults={"attended": h.pk in attended}
            )[0]
            for h in rows
        ]
        _log(
            "attendance_recorded",
            session,
            actor=actor,
            unit=session.unit,
            data={"attended": sorted(attended), "absent": sorted(ids - attended)},
        )
        return result


def record_minutes(*, actor: Any, session: Session, text: Any, signed_by: Any, signed_on: Any) -> DialogueMinutes:
    """The signed minutes of a held dialogue, with the households' details removed. A dialogue linked to a
    complaint puts "dialogue_held" on the case's audit chain, in the same transaction."""
    from pakn.cases import services as case_services
    from pakn.cases.services.common import lock as lock_case
    from pakn.reception.services.common import redacted

    errors: v.Errors = {}
    text_value = v.text(text, "text", errors, required=True, limit=MAX_TEXT)
    signed = v.text(signed_by, "signed_by", errors, required=True, limit=500)
    day = v.a_date(signed_on, "signed_on", errors)
    if day and (day < session.date or day > timezone.localdate()):
        errors.setdefault("signed_on", []).append(_("Ngày ký phải từ ngày đối thoại đến hôm nay."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        session = _lock_dialogue(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.HELD:
            raise InvalidTransition(_("Chỉ lập biên bản cho buổi đối thoại đã diễn ra."))
        if _has_minutes(session):
            raise InvalidTransition(_("Buổi đối thoại đã có biên bản."))
        terms = household_terms(session.project_id)
        minutes = DialogueMinutes.objects.create(
            session=session,
            text=redacted(text_value, terms),
            signed_by=redacted(signed, terms),
            signed_on=day,
            created_by=actor,
        )
        _log(
            "minutes_recorded",
            minutes,
            actor=actor,
            unit=session.unit,
            data={"session": session.pk, "signed_on": day.isoformat()},
        )
        if session.complaint is not None:
            case = lock_case(session.complaint)
            case_services.record_event(
                case,
                "dialogue_held",
                actor=actor,
                data={"on": session.date.isoformat(), "session": session.pk},
            )
        return minutes


def _household_task(raw: dict[str, Any], prefix: str, errors: v.Errors) -> AffectedHousehold | None:
    household = raw.get("household")
    if household is not None and not isinstance(household, AffectedHousehold):
        errors.setdefault(f"{prefix}household", []).append(_("Lựa chọn không hợp lệ."))
        return None
    return household


def conclude_dialogue(
    *, actor: Any, session: Session, number: Any, issued_on: Any, body: Any, tasks: list[dict[str, Any]] | None = None
) -> Conclusion:
    """``services.issue_conclusion`` for a dialogue about a project: a task may concern a household of the project
    (``household``) as well as a register entry. The households are told with the register's citizens
    (``follow_up.tell_citizens_of_conclusion``), each of the tasks about it only."""
    from pakn.reception.services.common import MAX_BODY, redacted
    from pakn.reception.services.conclusions import clean_task

    errors: v.Errors = {}
    number_text = v.text(number, "number", errors, required=True, limit=60)
    day = v.a_date(issued_on, "issued_on", errors)
    body_text = v.text(body, "body", errors, required=True, limit=MAX_BODY)
    values = []
    for i, raw in enumerate(tasks or []):
        task = clean_task(raw, f"tasks.{i}.", errors, issued_on=day)
        task["household"] = _household_task(raw, f"tasks.{i}.", errors)
        values.append(task)
    if day and (day < session.date or day > timezone.localdate()):
        errors.setdefault("issued_on", []).append(_("Ngày ban hành phải từ ngày tiếp đến hôm nay."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        session = _lock_dialogue(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.HELD:
            raise InvalidTransition(_("Chỉ ban hành kết luận cho buổi tiếp đã diễn ra."))
        for i, task in enumerate(values):
            entry: Entry | None = task["entry"]
            household: AffectedHousehold | None = task["household"]
            if entry is not None and entry.unit_id != session.unit_id:
                errors[f"tasks.{i}.entry"] = [_("Vụ việc không thuộc sổ tiếp công dân của đơn vị.")]
            if household is not None and (session.project_id is None or household.project_id != session.project_id):
                errors[f"tasks.{i}.household"] = [_("Hộ không thuộc dự án của buổi đối thoại.")]
        v.raise_if(errors)
        # Unlike a register session's conclusion, shown on the project page too: the households' details go.
        terms = household_terms(session.project_id)
        conclusion = Conclusion.objects.create(
            session=session, number=number_text, issued_on=day, body=redacted(body_text, terms), created_by=actor
        )
        _log(
            "concluded", conclusion, actor=actor, unit=session.unit, data={"session": session.pk, "number": number_text}
        )
        for task in values:
            task["title"] = redacted(task["title"], terms)
            _create_task(actor=actor, conclusion=conclusion, session=session, **task)
        follow_up.tell_citizens_of_conclusion(conclusion)
        return conclusion


def _create_task(
    *,
    actor: Any,
    conclusion: Conclusion,
    session: Session,
    title: str,
    owner_unit: Unit,
    owner_name: str,
    due_on: date,
    entry: Entry | None,
    household: AffectedHousehold | None,
) -> FollowUpTask:
    task = FollowUpTask.objects.create(
        conclusion=conclusion,
        entry=entry,
        household=household,
        title=title,
        owner_unit=owner_unit,
        owner_name=owner_name,
        due_on=due_on,
    )
    _log(
        "task_assigned",
        task,
        actor=actor,
        unit=session.unit,
        data={
            "owner_unit": owner_unit.code,
            "due_on": due_on.isoformat(),
            "household": household.pk if household else None,
        },
    )
    return task
