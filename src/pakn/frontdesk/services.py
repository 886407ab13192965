"""The one write path for the Front's forwarding: record a batch of opinions, each a new case (through
``cases.services.submit``, channel ``front``) or joined to a case that exists; and the receiver that tells
the forwarding Front committee when the competent unit answers. Keyword-only arguments, the acting user
explicit, everything checked before anything is written, one transaction, one activity row per change
(``core.activity.log_activity``), notifications queued in the outbox inside the transaction.

What the Front reads back (``opinion_rows``) never names a resident: titles and answers are redacted with
the case reporter's keyed terms and masked for generic identifiers, as on the supervisors' pages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import services as case_services
from pakn.cases.models import Answer, Case, Channel
from pakn.cases.workflow import Status
from pakn.core import validate
from pakn.core.activity import log_activity
from pakn.core.errors import InvalidInput, NotFound
from pakn.core.tracking import normalise_tracking_code
from pakn.frontdesk.models import BatchSource, FrontBatch, FrontOpinion
from pakn.org.models import Membership, Role, Unit, UnitKind

logger = logging.getLogger("pakn.frontdesk")
MAX_OPINIONS = 100
ANSWER_ACTIONS = ("resolved", "refused", "complaint_terminated", "merged_answered")
OPINION_FIELDS = ("kind", "title", "content", "topic_code", "address", "join")


def _log(action: str, obj: Any, *, actor: Any, unit: Unit, data: dict[str, Any] | None = None) -> None:
    log_activity("frontdesk", action, obj, actor=actor, unit=unit, data=data)


# ---------------------------------------------------------------- access


def front_units(user: Any) -> QuerySet[Unit]:
    """The Fatherland Front committees ``user`` supervises for (role supervisor at a Front committee)."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    ids = Membership.objects.filter(user=user, role=Role.SUPERVISOR, unit__kind=UnitKind.FRONT_COMMITTEE).values(
        "unit_id"
    )
    return Unit.objects.filter(pk__in=ids, is_active=True)


def is_front_member(user: Any) -> bool:
    return front_units(user).exists()


def access_batch(user: Any, batch_id: Any) -> FrontBatch:
    """The batch if ``user`` is on the committee that forwarded it; "not found" otherwise."""
    try:
        pk = int(batch_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    batch = FrontBatch.objects.select_related("front_unit").filter(pk=pk, front_unit__in=front_units(user)).first()
    if batch is None:
        raise NotFound()
    return batch


def batches_for(user: Any) -> QuerySet[FrontBatch]:
    return FrontBatch.objects.filter(front_unit__in=front_units(user)).select_related("front_unit")


def _joinable_case(user: Any, code: str) -> Case | None:
    """A case of the Front's area (what its supervisors read), found by its tracking code."""
    from pakn.oversight.access import area_cases

    canonical = normalise_tracking_code(code or "")
    if canonical is None:
        return None
    return area_cases(user).filter(tracking_code=canonical).select_related("unit").first()


# ---------------------------------------------------------------- recording a batch


@dataclass(frozen=True)
class _Opinion:
    index: int
    join: Case | None
    fields: dict[str, Any]
    resident: dict[str, str] | None


def _clean_opinions(actor: Any, opinions: Any, errors: dict[str, list[Any]]) -> list[_Opinion]:
    if not isinstance(opinions, list | tuple) or not opinions:
        errors["opinions"] = [_("Ghi ít nhất một ý kiến.")]
        return []
    if len(opinions) > MAX_OPINIONS:
        errors["opinions"] = [_("Một đợt tối đa 100 ý kiến; hãy tách thành nhiều đợt.")]
        return []
    cleaned = []
    for index, raw in enumerate(opinions):
        if not isinstance(raw, dict):
            errors[f"opinions.{index}"] = [_("Nội dung không hợp lệ.")]
            continue
        join = None
        code = raw.get("join") or ""
        if code:
            join = _joinable_case(actor, str(code))
            if join is None:
                errors[f"opinions.{index}.join"] = [_("Không tìm thấy hồ sơ với mã này trên địa bàn của Ủy ban MTTQ.")]
        resident = raw.get("resident") or None
        if resident is not None and not isinstance(resident, dict):
            errors[f"opinions.{index}.resident"] = [_("Thông tin người dân không hợp lệ.")]
            resident = None
        if resident is not None:
            resident = {k: v for k, v in resident.items() if k in ("name", "phone", "address") and v}
        if join is not None:
            title = validate.text(raw.get("title"), f"opinions.{index}.title", errors, required=True, limit=200)
            if resident:
                errors[f"opinions.{index}.resident"] = [
                    _("Ý kiến gộp vào hồ sơ đã có không ghi thông tin người dân; ghi thành ý kiến riêng nếu cần.")
                ]
            cleaned.append(_Opinion(index=index, join=join, fields={"title": title}, resident=None))
        else:
            fields = {name: raw.get(name) for name in ("kind", "title", "content", "topic_code", "address")}
            cleaned.append(_Opinion(index=index, join=None, fields=fields, resident=resident or None))
    return cleaned


def record_batch(
    *,
    actor: Any,
    source: Any,
    meeting: Any,
    held_on: Any,
    place: Any,
    document_number: Any,
    opinions: Any,
    forwarded_on: Any = None,
    front_unit: Unit | None = None,
) -> FrontBatch:
    """Record a forwarded batch and its opinions, all or nothing. Each opinion is a dict: ``kind``, ``title``,
    ``content``, ``topic_code``, ``address`` and, when a resident gave it, ``resident`` (``name``, ``phone``,
    ``address``: the case's reporter, sealed) — it becomes a case routed to the competent unit as usual,
    received on ``forwarded_on``; or ``join`` (a tracking code of a case of the Front's area) and ``title``:
    it is linked to that case, never duplicated, and the case's unit is told."""
    front_unit = _front_unit_of(actor, front_unit)
    errors: dict[str, list[Any]] = {}
    if source not in BatchSource.values:
        errors["source"] = [_("Chọn nguồn ý kiến.")]
    meeting_text = validate.text(meeting, "meeting", errors, required=True, limit=300)
    place_text = validate.text(place, "place", errors, required=True, limit=300)
    number_text = validate.text(document_number, "document_number", errors, required=True, limit=60)
    forwarded_on = forwarded_on or timezone.localdate()
    _check_dates(held_on, forwarded_on, errors)
    cleaned = _clean_opinions(actor, opinions, errors)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        batch = FrontBatch.objects.create(
            front_unit=front_unit,
            source=source,
            meeting=meeting_text,
            held_on=held_on,
            place=place_text,
            document_number=number_text,
            forwarded_on=forwarded_on,
            created_by=actor,
        )
        created, joined = [], []
        for number, opinion in enumerate(cleaned, start=1):
            if opinion.join is not None:
                case = opinion.join
                title = opinion.fields["title"]
                joined.append(case.tracking_code)
            else:
                case = _opinion_case(actor, opinion, front_unit, forwarded_on)
                title = case.title
                created.append(case.tracking_code)
            item = FrontOpinion.objects.create(
                batch=batch, number=number, title=title[:200], case=case, joined=opinion.join is not None
            )
            if opinion.join is not None:
                _tell_unit_of_join(item, case)
        _log(
            "front_batch_recorded",
            batch,
            actor=actor,
            unit=front_unit,
            data={"document_number": number_text, "cases": created, "joined": joined},
        )
    return batch


def _front_unit_of(actor: Any, front_unit: Unit | None) -> Unit:
    """The Front committee the batch is recorded for: one of the actor's (the first when none is named)."""
    units = front_units(actor)
    if front_unit is None:
        front_unit = units.order_by("pk").first()
    elif not units.filter(pk=front_unit.pk).exists():
        raise NotFound()
    if front_unit is None:
        raise NotFound()
    return front_unit


def _check_dates(held_on: Any, forwarded_on: Any, errors: dict[str, list[Any]]) -> None:
    today = timezone.localdate()
    for value, field in ((held_on, "held_on"), (forwarded_on, "forwarded_on")):
        if not isinstance(value, date):
            errors[field] = [_("Ngày không hợp lệ.")]
        elif value > today:
            errors[field] = [_("Ngày không được ở tương lai.")]
    if isinstance(held_on, date) and isinstance(forwarded_on, date) and held_on > forwarded_on:
        errors["forwarded_on"] = [_("Ngày chuyển không được trước ngày tổ chức.")]


def _opinion_case(actor: Any, opinion: _Opinion, front_unit: Unit, forwarded_on: date) -> Case:
    """A resident's opinion becomes a case routed as usual; its refusals name the opinion's fields."""
    try:
        return case_services.submit(
            actor=actor,
            channel=Channel.FRONT,
            received_on=forwarded_on,
            province_code=front_unit.province_id,
            commune_code=front_unit.commune_id,
            reporter=opinion.resident,
            kind=opinion.fields.get("kind"),
            title=opinion.fields.get("title"),
            content=opinion.fields.get("content"),
            topic_code=opinion.fields.get("topic_code") or None,
            address=opinion.fields.get("address") or "",
        )
    except InvalidInput as error:
        fields = {f"opinions.{opinion.index}.{_resident_field(name)}": msgs for name, msgs in error.fields.items()}
        raise InvalidInput(error.message, fields=fields) from None


def _resident_field(name: str) -> str:
    return name.replace("reporter.", "resident.")


def _tell_unit_of_join(opinion: FrontOpinion, case: Case) -> None:
    from pakn.notify.services import queue_to_staff

    batch = opinion.batch
    queue_to_staff(
        unit=case.unit,
        roles=(Role.CLERK, Role.HEAD),
        key=f"front-joined:{opinion.pk}",
        subject=str(_("MTTQ chuyển thêm ý kiến về hồ sơ %(code)s") % {"code": case.tracking_code}),
        body=str(
            _("%(front)s chuyển ý kiến của Nhân dân (văn bản số %(number)s) trùng nội dung hồ sơ %(code)s.")
            % {"front": batch.front_unit.name, "number": batch.document_number, "code": case.tracking_code}
        ),
        case=case,
    )


# ---------------------------------------------------------------- reading back, for the Front


def _for_front(case: Case, text: str) -> str:
    """Text shown to the Front: the reporter's identity and generic identifiers removed."""
    from pakn.protection.services import redact_for_case
    from pakn.public.presenters import mask

    if not text:
        return text
    return mask(redact_for_case(case, text).text)


def opinion_rows(batch: FrontBatch) -> list[dict[str, Any]]:
    """Each opinion with where it is: the unit handling it now, the status, and the answer once there is one
    (of the case it was merged into, when it was)."""
    rows = []
    for opinion in batch.opinions.select_related("case", "case__unit").order_by("number"):
        survivor = opinion.case.merge_survivor()
        answer = Answer.objects.filter(case=survivor).order_by("-created_at", "-id").first()
        answered = survivor.status in (Status.RESOLVED, Status.CLOSED, Status.REFUSED) and answer is not None
        rows.append(
            {
                "opinion": opinion,
                "title": _for_front(opinion.case, opinion.title),
                "case": survivor,
                "tracking_code": opinion.case.tracking_code,
                "unit": survivor.unit,
                "status": survivor.status,
                "status_label": survivor.status_label,
                "answered": answered,
                "answer": _for_front(survivor, answer.body) if answered and answer else "",
                "answered_on": timezone.localdate(answer.created_at) if answered and answer else None,
            }
        )
    return rows


# ---------------------------------------------------------------- the competent unit answers


def tell_front(case: Case, event: Any) -> None:
    """When a case carrying a forwarded opinion is answered (resolved, refused, a complaint terminated, or
    answered through the case it was merged into), notify the forwarding Front committee's supervisors
    (keyed by event and opinion: running twice notifies once)."""
    from pakn.notify.services import queue_to_staff

    for opinion in FrontOpinion.objects.filter(case_id=case.pk).select_related("batch__front_unit"):
        batch = opinion.batch
        queue_to_staff(
            unit=batch.front_unit,
            roles=(Role.SUPERVISOR,),
            key=f"front-answer:{event.hash[:32]}:{opinion.pk}",
            subject=str(
                _("Đã có trả lời ý kiến số %(n)s, văn bản %(number)s")
                % {"n": opinion.number, "number": batch.document_number}
            ),
            body=str(
                _(
                    "%(unit)s đã trả lời ý kiến số %(n)s (hồ sơ %(code)s) trong đợt chuyển theo văn bản %(number)s. "
                    "Xem nội dung trả lời trên trang đợt chuyển để thông tin lại cho Nhân dân."
                )
                % {
                    "unit": case.unit.name,
                    "n": opinion.number,
                    "code": case.tracking_code,
                    "number": batch.document_number,
                }
            ),
            case=case,
        )
