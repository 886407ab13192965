"""The reception register: each contact, its cases (one per matter), its notice."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases import policy
from pakn.cases import services as case_services
from pakn.cases.models import Case, Channel, Kind
from pakn.core.errors import InvalidInput
from pakn.org.models import Unit
from pakn.reception import follow_up, rules
from pakn.reception import validation as v
from pakn.reception.access import require_writer
from pakn.reception.models import (
    Booking,
    BookingStatus,
    Competence,
    Entry,
    EntryCase,
    EntryKind,
    NoticeOutcome,
    Session,
    TimeRule,
)
from pakn.reception.services.common import MAX_SUMMARY, record_activity, redacted, seal_person, time_rule

# ---------------------------------------------------------------- the register


def seal_phone(phone: str) -> str:
    from pakn.protection.notifier import seal_contact

    return seal_contact("sms", phone) if phone else ""


def notice_deadline(unit: Unit, received_on: date, *, complex: bool) -> tuple[date, str]:
    rule = time_rule(TimeRule.Item.NOTICE, unit_kind=unit.kind, on=received_on)
    days = rule.complex_working_days if complex and rule.complex_working_days else rule.working_days
    return rules.notice_due(policy.working_calendar(), received_on=received_on, working_days=days), rule.citation


@sensitive_variables()
def register_contact(
    *,
    actor: Any,
    unit: Unit,
    received_on: Any,
    name: Any,
    summary: Any,
    kind: Any,
    competence: Any,
    address: Any = "",
    id_number: Any = "",
    phone: Any = "",
    people_count: Any = 1,
    handled_before: Any = "",
    guidance_document: Any = "",
    follow_up: Any = "",
    complex: bool = False,
    session: Session | None = None,
    booking: Booking | None = None,
) -> Entry:
    """Write a contact into the unit's reception register, numbered in sequence within the year, with
    the deadline for telling the citizen whether the matter was accepted, forwarded or refused.

    The person's name, address, ID number and phone are sealed in the vault (docs/protection.md); the
    register shows a pseudonym. Registering a booked citizen with no name given keeps the details sealed
    at booking (the same vault item)."""
    clean = _clean_contact(
        unit,
        session,
        booking,
        received_on=received_on,
        name=name,
        summary=summary,
        kind=kind,
        competence=competence,
        address=address,
        id_number=id_number,
        phone=phone,
        people_count=people_count,
        handled_before=handled_before,
        guidance_document=guidance_document,
        follow_up=follow_up,
    )
    day = clean["received_on"]
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)  # serialises the numbering
        require_writer(actor, locked)
        if booking is not None:
            booking = _attend(booking)
        due, citation = notice_deadline(locked, day, complex=bool(complex))
        last = Entry.objects.filter(unit=locked, year=day.year).aggregate(n=Max("number"))["n"] or 0
        person = {key: clean[key] for key in ("name", "address", "id_number", "phone")}
        item, terms, verifiable, notify_channel, notify_sealed = _sealed_person(
            locked, person, booking, f"Sổ tiếp công dân số {last + 1}/{day.year}"
        )
        entry = Entry.objects.create(
            unit=locked,
            year=day.year,
            number=last + 1,
            received_on=day,
            session=session,
            booking=booking,
            identity=item,
            redaction_terms=terms,
            verifiable=verifiable,
            notify_channel=notify_channel,
            notify_sealed=notify_sealed,
            summary=redacted(clean["summary"], terms),
            kind=clean["kind"],
            people_count=clean["people_count"],
            handled_before=redacted(clean["handled_before"], terms),
            competence=clean["competence"],
            guidance_document=redacted(clean["guidance_document"], terms),
            follow_up=redacted(clean["follow_up"], terms),
            complex=bool(complex),
            notice_due_on=due,
            notice_rule=citation,
            created_by=actor,
        )
        record_activity(
            "registered",
            entry,
            actor=actor,
            unit=locked,
            data={"number": entry.reference, "notice_due_on": due.isoformat()},
        )
        return entry


def _clean_contact(unit: Unit, session: Session | None, booking: Booking | None, **raw: Any) -> dict[str, Any]:
    """Every field of a register line checked at once (InvalidInput names each wrong one)."""
    errors: v.Errors = {}
    today = timezone.localdate()
    day = v.a_date(raw["received_on"], "received_on", errors)
    clean: dict[str, Any] = {
        "received_on": day,
        "name": v.text(raw["name"], "name", errors, required=booking is None, limit=150),
        "summary": v.text(raw["summary"], "summary", errors, required=True, limit=MAX_SUMMARY),
        "kind": v.choice(raw["kind"], "kind", errors, EntryKind.values),
        "competence": v.choice(raw["competence"], "competence", errors, Competence.values),
        "address": v.text(raw["address"], "address", errors, limit=300),
        "id_number": v.id_number(raw["id_number"], "id_number", errors),
        "phone": v.phone(raw["phone"], "phone", errors),
        "people_count": v.whole_number(raw["people_count"], "people_count", errors, low=1, high=10_000),
        "handled_before": v.text(raw["handled_before"], "handled_before", errors, limit=500),
        "guidance_document": v.text(raw["guidance_document"], "guidance_document", errors, limit=300),
        "follow_up": v.text(raw["follow_up"], "follow_up", errors, limit=MAX_SUMMARY),
    }
    if (clean["address"] or clean["id_number"] or clean["phone"]) and not clean["name"] and "name" not in errors:
        errors["name"] = [_("Trường này là bắt buộc.")]
    if day and (day > today or day.year < 2000):
        errors.setdefault("received_on", []).append(_("Ngày tiếp phải từ năm 2000 đến hôm nay."))
    if session is not None and session.unit_id != unit.pk:
        errors.setdefault("session", []).append(_("Buổi tiếp không thuộc đơn vị này."))
    if booking is not None and (session is None or booking.session_id != session.pk):
        errors.setdefault("booking", []).append(_("Đăng ký không thuộc buổi tiếp này."))
    v.raise_if(errors)
    return clean


def _attend(booking: Booking) -> Booking:
    """The booked citizen came: the booking is locked, marked attended, and registered at most once."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if Entry.objects.filter(booking=booking).exists():
        raise InvalidInput(fields={"booking": [_("Lượt đăng ký này đã được vào sổ.")]})
    booking.status = BookingStatus.ATTENDED
    booking.save(update_fields=["status"])
    return booking


def _sealed_person(
    unit: Unit, person: dict[str, str], booking: Booking | None, label: str
) -> tuple[Any, list[str], bool, str, str]:
    """The vault item of the person registered, the terms to redact, whether they can be told the outcome, and how
    (sealed). A booked citizen registered with no details given keeps those sealed at booking."""
    if booking is not None and not any(person.values()):
        item = booking.identity
        return (
            item,
            list(booking.redaction_terms),
            item is not None,
            booking.notify_channel or "sms",
            booking.notify_sealed,
        )
    item, terms = seal_person(unit, person, label)
    verifiable = bool(person["name"] and (person["address"] or person["id_number"] or person["phone"]))
    return item, terms, verifiable, "sms", seal_phone(person["phone"])


def update_entry(
    *, actor: Any, entry: Entry, guidance_document: Any, follow_up: Any, handled_before: Any = None
) -> Entry:
    """Fill in the later columns of a register line: the guidance or forwarding document, follow-up."""
    errors: v.Errors = {}
    guidance = v.text(guidance_document, "guidance_document", errors, limit=300)
    follow = v.text(follow_up, "follow_up", errors, limit=MAX_SUMMARY)
    before = v.text(handled_before, "handled_before", errors, limit=500) if handled_before is not None else None
    v.raise_if(errors)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        require_writer(actor, entry.unit_id)
        terms = list(entry.redaction_terms)
        entry.guidance_document, entry.follow_up = redacted(guidance, terms), redacted(follow, terms)
        fields = ["guidance_document", "follow_up", "updated_at"]
        if before is not None:
            entry.handled_before = redacted(before, terms)
            fields.append("handled_before")
        entry.save(update_fields=fields)
        record_activity(
            "updated", entry, actor=actor, unit=entry.unit, data={"guidance_document": entry.guidance_document}
        )
        return entry


def open_cases(*, actor: Any, entry: Entry, matters: list[dict[str, Any]]) -> list[Case]:
    """Open one case per matter of a register entry, through ``cases.services.submit`` with the
    reception channel and the real reception date. A letter with several matters (a complaint and a
    denunciation, say) becomes several cases. All or nothing: if one matter is invalid, no case is
    opened. Each matter: ``kind``, ``title``, ``content`` and optionally ``subject``,
    ``complaint_round``, ``topic_code``, ``province_code``, ``commune_code``, ``address``."""
    if not isinstance(matters, list) or not matters:
        raise InvalidInput(fields={"matters": [_("Cần ít nhất một nội dung để mở hồ sơ.")]})
    if len(matters) > 20:
        raise InvalidInput(fields={"matters": [_("Tối đa 20 nội dung cho một lần tiếp.")]})
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
        require_writer(actor, entry.unit)
        reporter = (
            case_services.SealedReporter(
                item=entry.identity,
                terms=list(entry.redaction_terms),
                verifiable=entry.verifiable,
                notify_by=entry.notify_channel,
                notify_sealed=entry.notify_sealed,
            )
            if entry.identity_id
            else None
        )
        cases: list[Case] = []
        for index, matter in enumerate(matters):
            if not isinstance(matter, dict):
                raise InvalidInput(fields={f"matters.{index}": [_("Nội dung không hợp lệ.")]})
            kind = matter.get("kind")
            try:
                case = case_services.submit(
                    actor=actor,
                    channel=Channel.RECEPTION,
                    received_on=entry.received_on,
                    kind=kind,
                    title=matter.get("title"),
                    content=matter.get("content"),
                    subject=matter.get("subject") or "",
                    complaint_round=matter.get("complaint_round") if kind == Kind.COMPLAINT else None,
                    topic_code=matter.get("topic_code") or None,
                    province_code=matter.get("province_code") or entry.unit.province_id,
                    commune_code=matter.get("commune_code") or entry.unit.commune_id,
                    address=matter.get("address") or "",
                    sealed_reporter=reporter,
                )
            except InvalidInput as error:
                fields = {f"matters.{index}.{name}": msgs for name, msgs in error.fields.items()}
                raise InvalidInput(error.message, fields=fields) from None
            EntryCase.objects.create(entry=entry, case=case)
            cases.append(case)
        record_activity(
            "cases_opened", entry, actor=actor, unit=entry.unit, data={"cases": [c.tracking_code for c in cases]}
        )
        return cases


def record_notice(*, actor: Any, entry: Entry, outcome: Any, notified_on: Any, document: Any = "") -> Entry:
    """The citizen was told whether the matter was accepted, forwarded, refused (or where to take it)."""
    errors: v.Errors = {}
    outcome = v.choice(outcome, "outcome", errors, NoticeOutcome.values)
    day = v.a_date(notified_on, "notified_on", errors)
    document_text = v.text(document, "document", errors, limit=300)
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
        require_writer(actor, entry.unit)
        if day < entry.received_on or day > timezone.localdate():
            raise InvalidInput(fields={"notified_on": [_("Ngày thông báo phải từ ngày tiếp đến hôm nay.")]})
        entry.notice_outcome, entry.notified_on = outcome, day
        entry.notice_document = redacted(document_text, list(entry.redaction_terms))
        follow_up.ask_rating(entry)  # how was the citizen received? (Quyết định 99-QĐ/TW)
        entry.save(update_fields=["notice_outcome", "notified_on", "notice_document", "rating_digest", "updated_at"])
        record_activity(
            "notified",
            entry,
            actor=actor,
            unit=entry.unit,
            data={"outcome": outcome, "on": day.isoformat(), "late": day > entry.notice_due_on},
        )
        return entry
