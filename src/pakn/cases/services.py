"""The one write path for cases. Every function here is a business act: keyword-only arguments, the
acting user explicit, one transaction, one audit event per change, notifications queued in the same
transaction (the outbox) and delivered by ``pakn worker`` after commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases import deadlines, policy
from pakn.cases.models import (
    Answer,
    AnswerKind,
    AuditEvent,
    Case,
    Channel,
    Complexity,
    Forward,
    Kind,
    Message,
    NotifyChannel,
    Obligation,
    ObligationKind,
    Rating,
    Reporter,
    Topic,
    Track,
)
from pakn.cases.routing import choose_rule, unit_code_for
from pakn.cases.signals import case_changed
from pakn.cases.workflow import OPEN, Action, Status, next_status
from pakn.core import validate
from pakn.core.audit import GENESIS, chain_hash
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound, PaknError
from pakn.core.tracking import new_tracking_code
from pakn.org.access import require_handler
from pakn.org.models import Role, Unit
from pakn.org.places import resolve_place

MAX_TITLE = 200
MAX_CONTENT = validate.MAX_CONTENT
MAX_MESSAGE = 10_000
PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")
ID_RE = re.compile(r"^([0-9]{9}|[0-9]{12})$")
STATUTORY_KINDS = {Kind.COMPLAINT, Kind.DENUNCIATION}

REFUSAL_REASONS: dict[str, Any] = {
    "not_signed": _("Đơn không có chữ ký hoặc điểm chỉ của người gửi (Luật Khiếu nại 2011, Điều 11)."),
    "time_limit_passed": _("Đã hết thời hiệu khiếu nại (Luật Khiếu nại 2011, Điều 9, Điều 11)."),
    "already_decided": _("Đã có quyết định giải quyết khiếu nại lần hai (Luật Khiếu nại 2011, Điều 11)."),
    "court_accepted": _("Tòa án đã thụ lý hoặc đã giải quyết (Luật Khiếu nại 2011, Điều 11)."),
    "not_competent": _("Không thuộc thẩm quyền giải quyết (Luật Tố cáo 2018, Điều 24; cần chuyển đơn)."),
    "unidentified": _("Tố cáo mạo danh hoặc không xác định được người tố cáo (Luật Tố cáo 2018, Điều 29)."),
    "repeated": _("Tố cáo tiếp nội dung đã được giải quyết mà không có tình tiết mới (Luật Tố cáo 2018, Điều 29)."),
    "other": _("Lý do khác (ghi rõ trong văn bản)."),
}


# ---------------------------------------------------------------- validation


@dataclass(frozen=True)
class ReporterInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""
    notify_by: str = NotifyChannel.EMAIL

    @property
    def verifiable(self) -> bool:
        """A name and some way to find the person: the statutory track needs an identifiable sender."""
        return bool(self.name and (self.phone or self.email or self.id_number or self.address))

    @property
    def given(self) -> bool:
        return any((self.name, self.phone, self.email, self.id_number, self.address))

    def identity(self) -> dict[str, str]:
        return {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "id_number": self.id_number,
            "address": self.address,
        }

    def contact(self) -> tuple[str, str] | None:
        """The one contact the reporter chose for notifications, or None."""
        if self.notify_by == NotifyChannel.EMAIL and self.email:
            return "email", self.email
        if self.notify_by == NotifyChannel.SMS and self.phone:
            return "sms", self.phone
        return None


@dataclass(frozen=True)
class SealedReporter:
    """A reporter whose identity is already in the vault (a person in the reception register): the case
    gets a copy of the sealed item, never the plaintext. ``terms`` are the keyed redaction hashes;
    ``notify_sealed`` a contact already sealed to the notifier key (``notify_by`` says which channel)."""

    item: Any
    terms: list[str]
    verifiable: bool
    notify_by: str = "none"
    notify_sealed: str = ""


def _text(value: Any, field: str, errors: dict[str, list[Any]], *, required: bool, limit: int) -> str:
    return validate.text(value, field, errors, required=required, limit=limit)


@sensitive_variables()
def clean_reporter(raw: Any, errors: dict[str, list[Any]]) -> ReporterInput:
    if raw in (None, ""):
        return ReporterInput()
    if not isinstance(raw, dict):
        errors.setdefault("reporter", []).append(_("Thông tin người gửi không hợp lệ."))
        return ReporterInput()
    name = _text(raw.get("name"), "reporter.name", errors, required=False, limit=150)
    phone = (
        _text(raw.get("phone"), "reporter.phone", errors, required=False, limit=20).replace(" ", "").replace(".", "")
    )
    email = _text(raw.get("email"), "reporter.email", errors, required=False, limit=254)
    id_number = _text(raw.get("id_number"), "reporter.id_number", errors, required=False, limit=12)
    address = _text(raw.get("address"), "reporter.address", errors, required=False, limit=300)
    notify_by = raw.get("notify_by") or (NotifyChannel.EMAIL if email else NotifyChannel.SMS if phone else "none")
    if phone and not PHONE_RE.match(phone):
        errors.setdefault("reporter.phone", []).append(_("Số điện thoại không hợp lệ."))
    if email:
        try:
            validate_email(email)
        except Exception:
            errors.setdefault("reporter.email", []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    if id_number and not ID_RE.match(id_number):
        errors.setdefault("reporter.id_number", []).append(
            _("Số định danh cá nhân / CCCD gồm 12 chữ số (CMND cũ 9 chữ số).")
        )
    if notify_by not in NotifyChannel.values:
        errors.setdefault("reporter.notify_by", []).append(_("Kênh nhận thông báo không hợp lệ."))
    return ReporterInput(name=name, phone=phone, email=email, id_number=id_number, address=address, notify_by=notify_by)


def _track_for(kind: str, verifiable: bool) -> str:
    if kind not in STATUTORY_KINDS:
        return Track.FEEDBACK
    return Track.STATUTORY if verifiable else Track.ANONYMOUS


# ---------------------------------------------------------------- audit and outbox


def record_event(
    case: Case,
    action: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> AuditEvent:
    """Append one event to the case's hash chain. Call inside the transaction that made the change."""
    now = timezone.now()
    seq = case.audit_count + 1
    prev = case.audit_head or GENESIS
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (f"staff:{user.pk}" if user else "citizen")
    payload = {
        "case": case.tracking_code,
        "seq": seq,
        "action": action,
        "actor": label,
        "unit": case.unit_id,
        "public": public,
        "data": data or {},
        "created_at": now.isoformat(),
    }
    event = AuditEvent.objects.create(
        case=case,
        seq=seq,
        action=action,
        actor=user,
        actor_label=label,
        unit_id=case.unit_id,
        public=public,
        data=data or {},
        created_at=now,
        prev_hash=prev,
        hash=chain_hash(prev, payload),
    )
    Case.objects.filter(pk=case.pk).update(audit_head=event.hash, audit_count=seq)
    case.audit_head, case.audit_count = event.hash, seq
    case_changed.send(sender=Case, case=case, event=event)
    return event


def event_payload(event: AuditEvent, tracking_code: str) -> dict[str, Any]:
    return {
        "case": tracking_code,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_label,
        "unit": event.unit_id,
        "public": event.public,
        "data": event.data,
        "created_at": event.created_at.isoformat(),
    }


def notify_reporter(case: Case, event: AuditEvent, subject: str, body: str) -> None:
    """Queue a notification to the reporter's sealed contact (the worker opens it at send time). Subjects
    and bodies carry the tracking code and the unit, never the identity."""
    from pakn.notify.services import queue

    reporter = Reporter.objects.filter(case_id=case.pk).first()
    if reporter is None or reporter.notify_by == NotifyChannel.NONE or not reporter.notify_sealed:
        return
    queue(
        channel=reporter.notify_by,
        sealed_recipient=reporter.notify_sealed,
        subject=subject,
        body=body,
        key=f"{event.hash}:{reporter.notify_by}",
        case=case,
    )


def notify_unit_staff(
    case: Case, unit: Unit, event_key: str, subject: str, body: str, *, roles: tuple[str, ...]
) -> None:
    from pakn.notify.services import queue_to_staff

    queue_to_staff(unit=unit, roles=roles, key=event_key, subject=subject, body=body, case=case)


# ---------------------------------------------------------------- deadlines


def _unit_days(unit: Unit) -> int | None:
    return unit.answer_working_days


def compute_for_case(case: Case, *, received: date, accepted: date | None = None) -> deadlines.DeadlineResult:
    kind = case.kind if case.track != Track.ANONYMOUS else Kind.REPORT
    return deadlines.compute_deadlines(
        policy.deadline_rules(),
        policy.working_calendar(),
        kind=kind,
        received=received,
        accepted=accepted,
        complaint_round=case.complaint_round or 1,
        complex=case.complexity != Complexity.NORMAL,
        remote=case.remote_area,
        extensions=case.extensions if kind == Kind.DENUNCIATION else 0,
        answer_working_days=_unit_days(case.unit) if kind not in STATUTORY_KINDS else None,
    )


def _open_obligation(case: Case, *, kind: str, opened_on: date, due_on: date, rule: deadlines.Rule) -> Obligation:
    obligation = Obligation.objects.create(
        case=case,
        unit=case.unit,
        kind=kind,
        opened_on=opened_on,
        due_on=due_on,
        rule_code=rule.code,
        citation=rule.citation,
    )
    _refresh_due(case)
    return obligation


def _close_obligations(
    case: Case, *, kinds: tuple[str, ...] | None = None, met: bool = True, on: date | None = None
) -> None:
    queryset = Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if met:
        queryset.update(met_on=on or timezone.localdate())
    else:
        queryset.update(cancelled=True)
    _refresh_due(case)


def _refresh_due(case: Case) -> None:
    first = Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).order_by("due_on").first()
    case.due_on = first.due_on if first else None
    Case.objects.filter(pk=case.pk).update(due_on=case.due_on)


def _first_obligation(case: Case, today: date) -> tuple[str, date, deadlines.Rule]:
    """The obligation a new (or newly forwarded) case starts with, counted from ``today``."""
    result = compute_for_case(case, received=today)
    if case.track == Track.ANONYMOUS:
        assert result.answer_by is not None
        return ObligationKind.TRIAGE, result.answer_by, result.rules[0]
    if result.answer_by is not None:
        return ObligationKind.ANSWER, result.answer_by, result.rules[0]
    assert result.accept_by is not None
    return ObligationKind.ACCEPT, result.accept_by, result.rules[0]


# ---------------------------------------------------------------- routing


def route(*, province_code: str, commune_code: str | None, kind: str, topic_code: str | None) -> Unit:
    rule = choose_rule(
        policy.route_rules(), province_code=province_code, commune_code=commune_code, kind=kind, topic_code=topic_code
    )
    candidates: list[str] = []
    if rule is not None and rule.unit_id:
        unit = Unit.objects.filter(pk=rule.unit_id, is_active=True).first()
        if unit:
            return unit
    if rule is not None:
        code = unit_code_for(rule.target, province_code=province_code, commune_code=commune_code)
        if code:
            candidates.append(code)
    candidates += [f"UBND-{commune_code}" if commune_code else "", f"UBND-{province_code}"]
    for code in filter(None, candidates):
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit:
            return unit
    raise InvalidInput(
        _("Chưa có đơn vị tiếp nhận cho địa bàn này."), fields={"province_code": [_("Chưa có đơn vị tiếp nhận.")]}
    )


# ---------------------------------------------------------------- submit


@sensitive_variables()
def submit(
    *,
    actor: Any,
    kind: Any,
    title: Any,
    content: Any,
    province_code: Any = None,
    commune_code: Any = None,
    address: Any = "",
    subject: Any = "",
    reporter: Any = None,
    complaint_round: Any = None,
    publish: Any = False,
    topic_code: Any = None,
    channel: str = Channel.WEB,
    received_on: Any = None,
    citizen: Any = None,
    attachments: Any = (),
    original_letter: Any = None,
    sealed_reporter: SealedReporter | None = None,
) -> Case:
    """File a submission. Validates everything first, so nothing is stored half-way.

    Identity protection (docs/protection.md): the title, content, address and subject are stored redacted;
    the reporter's details, the original text and the files are sealed in the vault; the notification
    contact is sealed to the notifier key. A submission without any name gets a drop-box receipt, set on
    the returned case as ``case.new_receipt`` (shown once, stored only as a slow hash); what was removed
    from each file is ``case.attachment_report``."""
    from pakn.protection import keys as vault_keys
    from pakn.protection import redact
    from pakn.protection import services as protection
    from pakn.protection.models import Attachment as StoredFile
    from pakn.protection.models import Receipt, VaultItem
    from pakn.protection.notifier import seal_contact
    from pakn.protection.vault import files_guard, seal_json, share_with_case

    errors: dict[str, list[Any]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Loại đơn không hợp lệ: chọn phản ánh, kiến nghị, khiếu nại, tố cáo hoặc góp ý.")]
    title_text = _text(title, "title", errors, required=True, limit=MAX_TITLE)
    content_text = _text(content, "content", errors, required=True, limit=MAX_CONTENT)
    address_text = _text(address, "address", errors, required=False, limit=300)
    subject_text = _text(subject, "subject", errors, required=False, limit=300)
    reporter_input = clean_reporter(reporter, errors)
    if sealed_reporter is not None and reporter_input.given:
        raise ValueError("a submission has a plaintext reporter or a sealed one, not both")
    if kind == Kind.COMPLAINT:
        if complaint_round in (None, ""):
            complaint_round = 1
        if isinstance(complaint_round, bool) or str(complaint_round) not in {"1", "2"}:
            errors["complaint_round"] = [_("Lần khiếu nại phải là 1 hoặc 2.")]
        else:
            complaint_round = int(complaint_round)
    else:
        complaint_round = None
    if not isinstance(publish, bool):
        errors["publish"] = [_("Giá trị phải là đúng hoặc sai.")]
    topic = None
    if topic_code:
        topic = Topic.objects.filter(code=str(topic_code)).first()
        if topic is None:
            errors["topic_code"] = [_("Lĩnh vực không hợp lệ.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    today = timezone.localdate()
    received = today
    if received_on not in (None, ""):
        try:
            received = received_on if isinstance(received_on, date) else date.fromisoformat(str(received_on))
        except ValueError:
            errors["received_on"] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
        else:
            if received > today:
                errors["received_on"] = [_("Ngày nhận không được ở tương lai.")]
            elif received.year < 2000:
                errors["received_on"] = [_("Ngày nhận không hợp lệ.")]
    for value, field in ((province_code, "province_code"), (commune_code, "commune_code")):
        if value is not None and not isinstance(value, str):
            errors[field] = [_("Mã đơn vị hành chính không hợp lệ.")]
    place = None
    if "province_code" not in errors and "commune_code" not in errors:
        try:
            place = resolve_place(
                province_code=province_code or None, commune_code=commune_code or None, address=address_text
            )
        except InvalidInput as exc:
            errors.update(exc.fields)
    uploads: list[Any] = []
    letter: list[Any] = []
    try:
        uploads = protection.check_uploads(list(attachments or ()))
    except InvalidInput as exc:
        errors.update(exc.fields)
    if original_letter:
        try:
            letter = protection.check_uploads([original_letter], field="original_letter", max_files=1)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors or place is None:
        raise InvalidInput(fields=errors)

    # Redaction: the reporter's own details and generic identifiers leave the text staff and search see.
    redaction_key = vault_keys.redaction_key()
    terms = (
        list(sealed_reporter.terms)
        if sealed_reporter is not None
        else redact.identity_terms(reporter_input.identity(), redaction_key)
    )
    redacted = {
        name: redact.redact(value, terms, redaction_key)
        for name, value in (
            ("title", title_text),
            ("content", content_text),
            ("address", address_text),
            ("subject", subject_text),
        )
    }
    originals_changed = any(r.count for r in redacted.values())
    contact = reporter_input.contact()
    sealed_contact = seal_contact(*contact) if contact else ""
    notify_by = reporter_input.notify_by if contact else NotifyChannel.NONE
    verifiable = reporter_input.verifiable
    if sealed_reporter is not None:
        sealed_contact, verifiable = sealed_reporter.notify_sealed, sealed_reporter.verifiable
        notify_by = sealed_reporter.notify_by if sealed_contact else NotifyChannel.NONE
    receipt, receipt_digest = ("", "")
    if not reporter_input.name and sealed_reporter is None and channel in (Channel.WEB, Channel.API):
        receipt, receipt_digest = protection.new_receipt()

    unit = route(
        province_code=place.province_code,
        commune_code=place.commune_code,
        kind=kind,
        topic_code=topic.code if topic else None,
    )
    for _attempt in range(5):
        try:
            with files_guard(), transaction.atomic():
                case = Case(
                    tracking_code=new_tracking_code(),
                    kind=kind,
                    complaint_round=complaint_round,
                    track=_track_for(kind, verifiable),
                    title=redacted["title"].text[:MAX_TITLE],
                    content=redacted["content"].text,
                    topic=topic,
                    province_id=place.province_code,
                    commune_id=place.commune_code,
                    address=redacted["address"].text[:300],
                    subject=redacted["subject"].text[:300],
                    unit=unit,
                    status=Status.RECEIVED,
                    channel=channel,
                    received_on=received,
                    remote_area=unit.remote_area,
                    publish=bool(publish),
                    # A denunciation is never linked to the citizen's account: the account (e-mail, name) would
                    # name the denouncer in plaintext (Law on Denunciations Art. 8, 9).
                    citizen=citizen
                    if getattr(citizen, "is_authenticated", False) and kind != Kind.DENUNCIATION
                    else None,
                )
                case.save()
                if sealed_reporter is not None:
                    share_with_case(sealed_reporter.item, case=case)
                    if originals_changed:
                        seal_json(
                            case=case,
                            kind=VaultItem.Kind.ORIGINAL_MESSAGE,
                            data={
                                "title": title_text,
                                "content": content_text,
                                "case_address": address_text,
                                "subject": subject_text,
                            },
                        )
                elif reporter_input.given or originals_changed:
                    seal_json(
                        case=case,
                        kind=VaultItem.Kind.IDENTITY,
                        data={
                            **reporter_input.identity(),
                            "notify_by": reporter_input.notify_by,
                            "title": title_text,
                            "content": content_text,
                            "case_address": address_text,
                            "subject": subject_text,
                        },
                    )
                if reporter_input.given or sealed_reporter is not None:
                    Reporter.objects.create(
                        case=case,
                        notify_by=notify_by,
                        notify_sealed=sealed_contact,
                        redaction_terms=terms,
                    )
                if receipt_digest:
                    Receipt.objects.create(case=case, digest=receipt_digest)
                stored = protection.store_uploads(
                    case=case,
                    uploads=uploads,
                    source=(
                        StoredFile.Source.CITIZEN if channel in (Channel.WEB, Channel.API) else StoredFile.Source.STAFF
                    ),
                )
                if letter:
                    protection.store_uploads(
                        case=case, uploads=letter, source=StoredFile.Source.STAFF, kind=StoredFile.Kind.ORIGINAL_LETTER
                    )
                kind_, due, rule = _first_obligation(case, received)
                _open_obligation(case, kind=kind_, opened_on=received, due_on=due, rule=rule)
                event = record_event(
                    case,
                    "submitted",
                    actor=actor,
                    actor_label="" if getattr(actor, "is_authenticated", False) else "citizen",
                    data={
                        "channel": channel,
                        "unit": unit.name,
                        "track": case.track,
                        "due_on": due.isoformat(),
                        "converted_from": redacted["address"].text if place.converted_from else None,
                        "attachments": len(stored) + len(letter),
                    },
                )
                notify_reporter(
                    case,
                    event,
                    str(_("Đã tiếp nhận đơn %(code)s") % {"code": case.tracking_code}),
                    str(
                        _("Đơn của bạn đã được %(unit)s tiếp nhận. Mã tra cứu: %(code)s. Hạn xử lý: %(due)s.")
                        % {"unit": unit.name, "code": case.tracking_code, "due": due.strftime("%d/%m/%Y")}
                    ),
                )
                notify_unit_staff(
                    case,
                    unit,
                    f"{event.hash}:new",
                    str(_("Đơn mới %(code)s") % {"code": case.tracking_code}),
                    case.title,
                    roles=(Role.CLERK,),
                )
            case.new_receipt = receipt  # type: ignore[attr-defined]
            case.attachment_report = protection.removal_report(stored)  # type: ignore[attr-defined]
            return case
        except IntegrityError:  # a tracking-code collision (2^-50): try another code
            continue
    raise PaknError(code="server_busy")


# ---------------------------------------------------------------- staff acts


def _transition(case: Case, action: Action) -> Status:
    target = next_status(action, case.status)
    if target is None:
        raise InvalidTransition()
    return target


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


def accept_case(
    *, actor: Any, case: Case, accepted_on: date | None = None, complexity: str = Complexity.NORMAL
) -> Case:
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        target = _transition(case, Action.ACCEPT)
        if complexity not in Complexity.values:
            raise InvalidInput(fields={"complexity": [_("Mức độ không hợp lệ.")]})
        accepted = accepted_on or timezone.localdate()
        if accepted < case.received_on or accepted > timezone.localdate():
            raise InvalidInput(fields={"accepted_on": [_("Ngày thụ lý phải từ ngày nhận đơn đến hôm nay.")]})
        case.status, case.accepted_on, case.complexity = target, accepted, complexity
        case.remote_area = case.unit.remote_area
        case.extensions = 0  # an acceptance starts a new resolution period (e.g. at the unit above)
        case.save(update_fields=["status", "accepted_on", "complexity", "remote_area", "extensions", "updated_at"])
        data: dict[str, Any] = {"accepted_on": accepted.isoformat(), "complexity": complexity}
        if case.track == Track.FEEDBACK:
            # The answer period of a report, petition or opinion runs from receipt (or from the forward
            # that brought it here): accepting it does not restart the clock.
            data["answer_by"] = case.due_on.isoformat() if case.due_on else None
        else:
            _close_obligations(case, on=accepted)
        if case.kind in STATUTORY_KINDS and case.track == Track.STATUTORY:
            result = compute_for_case(case, received=case.received_on, accepted=accepted)
            assert result.resolve_by is not None
            _open_obligation(
                case, kind=ObligationKind.RESOLVE, opened_on=accepted, due_on=result.resolve_by, rule=result.rules[1]
            )
            data["resolve_by"] = result.resolve_by.isoformat()
        elif case.track == Track.ANONYMOUS:
            result = compute_for_case(case, received=accepted)
            assert result.answer_by is not None
            _open_obligation(
                case, kind=ObligationKind.ANSWER, opened_on=accepted, due_on=result.answer_by, rule=result.rules[0]
            )
            data["answer_by"] = result.answer_by.isoformat()
        merged_statutory = _open_merged_obligations(case, accepted)
        if merged_statutory:
            data["merged_statutory"] = merged_statutory
        event = record_event(case, "accepted", actor=actor, data=data)
        notify_reporter(
            case,
            event,
            str(_("Đơn %(code)s đã được thụ lý") % {"code": case.tracking_code}),
            str(
                _("%(unit)s đã thụ lý đơn của bạn ngày %(date)s.")
                % {"unit": case.unit.name, "date": accepted.strftime("%d/%m/%Y")}
            ),
        )
        return case


def _open_merged_obligations(case: Case, accepted: date) -> list[str]:
    """Complaints and denunciations merged into this case keep their statutory track: accepting the
    surviving case meets their acceptance obligations and opens their own resolution deadlines."""
    merged = list(
        Case.objects.filter(merged_into=case, kind__in=list(STATUTORY_KINDS), track=Track.STATUTORY).select_related(
            "unit"
        )
    )
    if not merged:
        return []
    Obligation.objects.filter(case=case, kind=ObligationKind.ACCEPT, met_on__isnull=True, cancelled=False).update(
        met_on=accepted
    )
    for other in merged:
        result = compute_for_case(other, received=other.received_on, accepted=accepted)
        assert result.resolve_by is not None
        _open_obligation(
            case, kind=ObligationKind.RESOLVE, opened_on=accepted, due_on=result.resolve_by, rule=result.rules[1]
        )
    return [other.tracking_code for other in merged]


def refuse_case(*, actor: Any, case: Case, reason_code: str, explanation: str = "") -> Case:
    if reason_code not in REFUSAL_REASONS:
        raise InvalidInput(fields={"reason_code": [_("Chọn căn cứ pháp lý của việc không thụ lý.")]})
    errors: dict[str, list[Any]] = {}
    explanation = _text(explanation, "explanation", errors, required=reason_code == "other", limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.REFUSE)
        case.save(update_fields=["status", "updated_at"])
        body = f"{REFUSAL_REASONS[reason_code]}\n{explanation}".strip()
        Answer.objects.create(case=case, unit=case.unit, kind=AnswerKind.REFUSAL, body=body, author=actor)
        _close_obligations(case)
        event = record_event(
            case, "refused", actor=actor, data={"reason_code": reason_code, "explanation": explanation}
        )
        notify_reporter(case, event, str(_("Đơn %(code)s không được thụ lý") % {"code": case.tracking_code}), body)
        return case


def forward_case(*, actor: Any, case: Case, to_unit: Unit, reason: str, escalation: bool = False) -> Case:
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        if not escalation:
            require_handler(actor, case)
        if to_unit.pk == case.unit_id or not to_unit.is_active:
            raise InvalidInput(fields={"to_unit": [_("Chọn một đơn vị khác đang hoạt động.")]})
        target = _transition(case, Action.ESCALATE if escalation else Action.FORWARD)
        from_unit = case.unit
        today = timezone.localdate()
        _close_obligations(case, on=today, met=not escalation)
        case.status, case.unit = target, to_unit
        if escalation:
            case.escalated = True
            if case.kind == Kind.COMPLAINT:
                case.complaint_round = 2
            case.accepted_on = None
        case.save(update_fields=["status", "unit", "escalated", "complaint_round", "accepted_on", "updated_at"])
        kind_, due, rule = _first_obligation(case, today)
        _open_obligation(case, kind=ObligationKind.FORWARD_RESPONSE, opened_on=today, due_on=due, rule=rule)
        Forward.objects.create(
            case=case,
            from_unit=from_unit,
            to_unit=to_unit,
            escalation=escalation,
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            respond_by=due,
        )
        event = record_event(
            case,
            "escalated" if escalation else "forwarded",
            actor=actor,
            actor_label="" if getattr(actor, "is_authenticated", False) else "citizen",
            data={"from": from_unit.name, "to": to_unit.name, "reason": reason, "respond_by": due.isoformat()},
        )
        notify_unit_staff(
            case,
            to_unit,
            f"{event.hash}:fwd",
            str(_("Đơn chuyển đến %(code)s") % {"code": case.tracking_code}),
            reason,
            roles=(Role.CLERK, Role.HEAD),
        )
        if not escalation:
            notify_reporter(
                case,
                event,
                str(_("Đơn %(code)s đã được chuyển") % {"code": case.tracking_code}),
                str(
                    _("Đơn của bạn đã được chuyển đến %(unit)s. Lý do: %(reason)s")
                    % {"unit": to_unit.name, "reason": reason}
                ),
            )
        return case


def start_case(*, actor: Any, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.START)
        case.save(update_fields=["status", "updated_at"])
        record_event(case, "started", actor=actor)
        return case


def _days_paused(case: Case) -> int:
    """Days the case was suspended since its current acceptance: they do not count towards the period."""
    events = AuditEvent.objects.filter(case=case)
    accepted = events.filter(action="accepted").order_by("-seq").values_list("seq", flat=True).first()
    resumed = events.filter(action="resumed", seq__gt=accepted or 0)
    return sum(int(e.data.get("days_paused", 0)) for e in resumed)


def extend_deadline(*, actor: Any, case: Case, complexity: str, reason: str) -> Case:
    """Denunciations only (Law on Denunciations Art. 30): complex → one 30-day extension, especially
    complex → two."""
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if complexity not in (Complexity.COMPLEX, Complexity.ESPECIALLY_COMPLEX):
        errors["complexity"] = [_("Gia hạn cần xác định vụ việc phức tạp hoặc đặc biệt phức tạp.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if (
            case.kind != Kind.DENUNCIATION
            or case.track != Track.STATUTORY
            or case.status not in (Status.ACCEPTED, Status.IN_PROGRESS)
        ):
            raise InvalidTransition(_("Chỉ gia hạn được tố cáo đã thụ lý, đang giải quyết."))
        allowed = 2 if complexity == Complexity.ESPECIALLY_COMPLEX else 1
        if case.extensions + 1 > allowed:
            raise InvalidTransition(_("Đã hết số lần gia hạn cho phép (Luật Tố cáo 2018, Điều 30)."))
        case.extensions += 1
        case.complexity = complexity
        assert case.accepted_on is not None
        try:
            result = compute_for_case(case, received=case.received_on, accepted=case.accepted_on)
        except ValueError as exc:
            raise InvalidTransition(str(exc)) from None
        case.save(update_fields=["extensions", "complexity", "updated_at"])
        obligation = Obligation.objects.filter(
            case=case, kind=ObligationKind.RESOLVE, met_on__isnull=True, cancelled=False
        ).first()
        old_due = obligation.due_on if obligation else None
        assert result.resolve_by is not None
        paused = _days_paused(case)
        new_due = policy.working_calendar().add_days(result.resolve_by, paused) if paused else result.resolve_by
        if obligation:
            obligation.due_on, obligation.rule_code = new_due, result.rules[-1].code
            obligation.citation, obligation.escalated_at, obligation.reminded_at = result.rules[-1].citation, None, None
            obligation.save()
            _refresh_due(case)
        event = record_event(
            case,
            "extended",
            actor=actor,
            data={
                "extensions": case.extensions,
                "from": old_due.isoformat() if old_due else None,
                "to": new_due.isoformat(),
                "reason": reason,
            },
        )
        notify_reporter(
            case,
            event,
            str(_("Gia hạn giải quyết đơn %(code)s") % {"code": case.tracking_code}),
            str(_("Thời hạn giải quyết được gia hạn đến %(date)s.") % {"date": new_due.strftime("%d/%m/%Y")}),
        )
        return case


def resolve_case(*, actor: Any, case: Case, body: str, kind: str = AnswerKind.ANSWER) -> Case:
    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_CONTENT)
    if kind not in (AnswerKind.ANSWER, AnswerKind.CONCLUSION):
        errors["kind"] = [_("Loại văn bản không hợp lệ.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if case.track == Track.STATUTORY and case.status == Status.RECEIVED:
            raise InvalidTransition(_("Cần thụ lý trước khi giải quyết."))
        if case.status in (Status.RECEIVED, Status.FORWARDED) and case.track != Track.STATUTORY:
            # Reports, petitions and anonymous tips can be answered straight away.
            case.status, case.accepted_on = Status.ACCEPTED, case.accepted_on or timezone.localdate()
        case.status = _transition(case, Action.RESOLVE)
        case.save(update_fields=["status", "accepted_on", "updated_at"])
        Answer.objects.create(case=case, unit=case.unit, kind=kind, body=body, author=actor)
        _close_obligations(case)
        event = record_event(case, "resolved", actor=actor, data={"answer_kind": kind})
        notify_reporter(
            case,
            event,
            str(_("Đơn %(code)s đã có kết quả") % {"code": case.tracking_code}),
            str(
                _("%(unit)s đã trả lời đơn của bạn. Xem và đánh giá mức độ hài lòng tại: %(url)s")
                % {"unit": case.unit.name, "url": public_url(case)}
            ),
        )
        _tell_merged_reporters(case)
        return case


def _tell_merged_reporters(case: Case) -> None:
    """The reporters of cases merged into ``case`` learn that the matter was answered, by their chosen
    contact; their status page shows the answer redacted of every reporter's details
    (``presenters.joint_answers``), since it was written to another reporter."""
    for merged in case.merged_family():  # in primary-key order, after the survivor: one lock order
        merged = _lock(merged)
        event = record_event(merged, "merged_answered", actor_label="system", data={"to": case.unit.name})
        notify_reporter(
            merged,
            event,
            str(_("Đơn %(code)s: vụ việc đã có kết quả") % {"code": merged.tracking_code}),
            str(
                _(
                    "Đơn của bạn đã được gộp với các đơn cùng nội dung; %(unit)s đã có kết quả giải quyết chung. "
                    "Xem tại: %(url)s"
                )
                % {"unit": case.unit.name, "url": public_url(merged)}
            ),
        )


def close_case(*, actor: Any, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.CLOSE)
        case.save(update_fields=["status", "updated_at"])
        record_event(case, "closed", actor=actor)
        return case


def suspend_case(*, actor: Any, case: Case, reason: str) -> Case:
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.SUSPEND)
        case.save(update_fields=["status", "updated_at"])
        record_event(case, "suspended", actor=actor, data={"reason": reason, "on": timezone.localdate().isoformat()})
        return case


def resume_case(*, actor: Any, case: Case) -> Case:
    """The time a case was suspended does not count: open deadlines move by the days suspended."""
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.RESUME)
        case.save(update_fields=["status", "updated_at"])
        last = AuditEvent.objects.filter(case=case, action="suspended").order_by("-seq").first()
        today = timezone.localdate()
        paused = (today - date.fromisoformat(last.data["on"])).days if last else 0
        calendar = policy.working_calendar()
        for obligation in Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False):
            if paused:
                obligation.due_on = calendar.add_days(obligation.due_on, paused)
                obligation.reminded_at = obligation.escalated_at = None
                obligation.save(update_fields=["due_on", "reminded_at", "escalated_at"])
        _refresh_due(case)
        record_event(case, "resumed", actor=actor, data={"days_paused": paused})
        return case


def merge_case(*, actor: Any, case: Case, into: Case) -> Case:
    """The merged case keeps its reporter and messages; its open deadline obligations move to the
    surviving case, so a statutory obligation is never dropped by merging."""
    with transaction.atomic():
        # Lock in primary-key order, the order resolve_case uses for a survivor and its merged cases, so two
        # acts on the same pair wait for each other instead of deadlocking.
        locked = {c.pk: _lock(c) for c in sorted((case, into), key=lambda c: c.pk)}
        case, into = locked[case.pk], locked[into.pk]
        require_handler(actor, case)
        require_handler(actor, into)
        if case.pk == into.pk or into.status not in OPEN:
            raise InvalidInput(fields={"into": [_("Chọn một hồ sơ khác đang mở.")]})
        case.status, case.merged_into = _transition(case, Action.MERGE), into
        case.save(update_fields=["status", "merged_into", "updated_at"])
        Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).update(case=into, unit=into.unit)
        _refresh_due(case)
        _refresh_due(into)
        record_event(case, "merged", actor=actor, data={"into": into.tracking_code})
        record_event(into, "merge_received", actor=actor, data={"from": case.tracking_code}, public=False)
        return case


# ---------------------------------------------------------------- citizen acts (by tracking code)


@sensitive_variables()
def add_information(*, case: Case, body: str, uploads: Any = (), return_attachments: bool = False) -> Any:
    """The citizen adds information (and checked ``uploads`` from ``protection.check_uploads``). The text
    is redacted like the submission; its original, if anything was removed, is sealed in the vault."""
    from pakn.protection import services as protection
    from pakn.protection.models import VaultItem
    from pakn.protection.vault import files_guard, seal_json

    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with files_guard(), transaction.atomic():
        case = _lock(case)
        if case.status in (Status.CLOSED, Status.WITHDRAWN, Status.MERGED):
            raise InvalidTransition(_("Hồ sơ đã kết thúc, không thể bổ sung."))
        redacted = protection.redact_for_case(case, body)
        message = Message.objects.create(case=case, body=redacted.text, from_citizen=True)
        if redacted.count:
            seal_json(case=case, kind=VaultItem.Kind.ORIGINAL_MESSAGE, data={"message": message.pk, "body": body})
        attachments = protection.store_uploads(
            case=case, uploads=list(uploads or ()), source="citizen", message=message
        )
        event = record_event(
            case,
            "information_added",
            actor_label="citizen",
            data={"message": message.pk, "attachments": len(attachments)},
        )
        notify_unit_staff(
            case,
            case.unit,
            f"{event.hash}:info",
            str(_("Bổ sung thông tin %(code)s") % {"code": case.tracking_code}),
            redacted.text[:500],
            roles=(Role.CLERK,),
        )
        if return_attachments:
            return message, attachments
        return message


def ask_reporter(*, actor: Any, case: Case, body: str) -> Message:
    """The handler asks the reporter a question. The reporter reads it on their status page (tracking
    code) or in the drop box (receipt) and answers with ``add_information``; a reporter who chose
    notifications is told that there is a question, not what it says."""
    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if case.status in (Status.CLOSED, Status.WITHDRAWN, Status.MERGED):
            raise InvalidTransition(_("Hồ sơ đã kết thúc."))
        # Staff may quote the reporter back to them: stored redacted like everything else on the case.
        message = Message.objects.create(case=case, body=_redacted(case, body), from_citizen=False)
        event = record_event(case, "question_asked", actor=actor, data={"message": message.pk})
        notify_reporter(
            case,
            event,
            str(_("Câu hỏi về đơn %(code)s") % {"code": case.tracking_code}),
            str(
                _("%(unit)s có câu hỏi về đơn của bạn. Xem và trả lời tại: %(url)s")
                % {"unit": case.unit.name, "url": public_url(case)}
            ),
        )
        return message


def withdraw_case(*, case: Case, reason: str = "") -> Case:
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=False, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        case.status = _transition(case, Action.WITHDRAW)
        case.save(update_fields=["status", "updated_at"])
        _close_obligations(case, met=False)
        record_event(case, "withdrawn", actor_label="citizen", data={"reason": _redacted(case, reason)})
        return case


def _redacted(case: Case, text: str) -> str:
    """Free text from the citizen, with their identity and generic identifiers removed (docs/protection.md)."""
    from pakn.protection.services import redact_for_case

    return redact_for_case(case, text).text if text else text


def rate_case(*, case: Case, level: Any, comment: str = "") -> Rating:
    errors: dict[str, list[Any]] = {}
    comment = _text(comment, "comment", errors, required=False, limit=2000)
    if isinstance(level, str) and level.strip().isdecimal():
        level = int(level)
    if isinstance(level, bool) or not isinstance(level, int) or level not in range(1, 6):
        errors["level"] = [_("Chọn một mức độ hài lòng.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        if case.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidTransition(_("Chỉ đánh giá được khi đã có kết quả."))
        if Rating.objects.filter(case=case, unit=case.unit).exists():
            raise InvalidTransition(_("Bạn đã đánh giá kết quả này."))
        rating = Rating.objects.create(case=case, unit=case.unit, level=level, comment=_redacted(case, comment))
        record_event(case, "rated", actor_label="citizen", data={"level": level})
        return rating


def escalation_ends(case: Case) -> date | None:
    """Last day the citizen may take the answered case to the unit above; None when there is no limit
    (a denunciation: Luật Tố cáo 2018, Điều 37 sets none) or no answer yet."""
    answered = AuditEvent.objects.filter(case=case, action="resolved").order_by("-seq").first()
    if answered is None or case.kind == Kind.DENUNCIATION:
        return None
    return deadlines.escalation_ends(
        policy.working_calendar(), timezone.localdate(answered.created_at), remote_area=case.remote_area
    )


def can_escalate(case: Case, *, today: date | None = None) -> bool:
    """Once, after an unsatisfied rating (1–2 of 5), to the unit above — also after the unit closed the
    case — within the escalation period (complaints: the second-time complaint period)."""
    if case.status not in (Status.RESOLVED, Status.CLOSED) or case.escalated or not case.unit.parent_id:
        return False
    last = Rating.objects.filter(case=case, unit=case.unit).first()
    if last is None or last.level > 2:
        return False
    ends = escalation_ends(case)
    return ends is None or (today or timezone.localdate()) <= ends


def escalate_case(*, case: Case, reason: str) -> Case:
    """An unsatisfied citizen may take the case once to the unit above (for a complaint: the second time)."""
    if not can_escalate(case):
        raise InvalidTransition(
            _(
                "Chỉ đề nghị cấp trên một lần, sau khi đã đánh giá không hài lòng, trong %(days)s ngày kể từ khi có "
                "kết quả (%(remote)s ngày ở vùng khó khăn; tố cáo không giới hạn)."
            )
            % {"days": deadlines.ESCALATION_DAYS, "remote": deadlines.ESCALATION_DAYS_REMOTE}
        )
    assert case.unit.parent is not None
    reason = _redacted(case, reason) if isinstance(reason, str) else reason
    return forward_case(actor=None, case=case, to_unit=case.unit.parent, reason=reason, escalation=True)


# ---------------------------------------------------------------- deadlines job


def check_deadlines(*, today: date | None = None, due_soon_days: int | None = None) -> dict[str, int]:
    """Remind units of deadlines due soon and escalate overdue ones to the heads of the unit above.
    Idempotent: each obligation is reminded and escalated at most once."""
    from django.conf import settings

    today = today or timezone.localdate()
    calendar = policy.working_calendar()
    horizon = calendar.add_working_days(
        today, due_soon_days if due_soon_days is not None else settings.DUE_SOON_WORKING_DAYS
    )
    counts = {"reminded": 0, "escalated": 0}
    open_obligations = (
        Obligation.objects.filter(met_on__isnull=True, cancelled=False)
        .exclude(case__status=Status.SUSPENDED)  # suspended time does not count (resume moves the dates)
        .select_related("case", "unit")
    )
    for obligation in open_obligations.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon):
        with transaction.atomic():
            if Obligation.objects.filter(pk=obligation.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                notify_unit_staff(
                    obligation.case,
                    obligation.unit,
                    f"remind:{obligation.pk}",
                    str(_("Sắp đến hạn: %(code)s") % {"code": obligation.case.tracking_code}),
                    str(
                        _("Hạn %(kind)s: %(date)s.")
                        % {"kind": obligation.get_kind_display(), "date": obligation.due_on.strftime("%d/%m/%Y")}
                    ),
                    roles=(Role.CLERK, Role.HEAD),
                )
                counts["reminded"] += 1
    for obligation in open_obligations.filter(escalated_at__isnull=True, due_on__lt=today):
        with transaction.atomic():
            if not Obligation.objects.filter(pk=obligation.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue
            case = _lock(obligation.case)
            event = record_event(
                case,
                "overdue",
                actor_label="system",
                data={
                    "obligation": obligation.kind,
                    "due_on": obligation.due_on.isoformat(),
                    "unit": obligation.unit.name,
                },
            )
            subject = str(_("Quá hạn: %(code)s") % {"code": case.tracking_code})
            body = str(
                _("%(unit)s chưa hoàn thành việc %(kind)s, hạn %(date)s.")
                % {
                    "unit": obligation.unit.name,
                    "kind": obligation.get_kind_display(),
                    "date": obligation.due_on.strftime("%d/%m/%Y"),
                }
            )
            notify_unit_staff(case, obligation.unit, f"{event.hash}:own", subject, body, roles=(Role.HEAD,))
            if obligation.unit.parent_id:
                notify_unit_staff(case, obligation.unit.parent, f"{event.hash}:up", subject, body, roles=(Role.HEAD,))  # type: ignore[arg-type]
            counts["escalated"] += 1
    return counts


def public_url(case: Case) -> str:
    from django.conf import settings

    return f"{settings.PUBLIC_URL}/track/{case.tracking_code}/"


def as_local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def get_case_by_code(code: str) -> Case:
    from pakn.core.tracking import normalise_tracking_code

    canonical = normalise_tracking_code(code or "")
    if canonical is None:
        raise NotFound(
            _("Mã tra cứu không đúng. Vui lòng kiểm tra lại (mã có ký tự kiểm tra)."), code="bad_tracking_code"
        )
    case = Case.objects.select_related("unit", "province", "commune").filter(tracking_code=canonical).first()
    if case is None:
        raise NotFound(_("Không tìm thấy hồ sơ với mã này."))
    return case


def set_topic(*, actor: Any, case: Case, topic_code: str) -> Case:
    """A clerk confirms or corrects the topic (e.g. from the classifier's suggestion)."""
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None:
        raise InvalidInput(fields={"topic_code": [_("Lĩnh vực không hợp lệ.")]})
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        old = case.topic.code if case.topic else None
        if old == topic.code:
            return case
        case.topic = topic
        case.save(update_fields=["topic", "updated_at"])
        record_event(case, "topic_set", actor=actor, data={"from": old, "to": topic.code}, public=False)
        return case
