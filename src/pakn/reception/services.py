"""The one write path for citizen reception. Each function is a business act: keyword-only
arguments, the acting user explicit (``None`` for a citizen on the public site), all input checked
before anything is written, one transaction, one activity row per change, notifications queued in
the outbox inside the same transaction (delivered by ``pakn worker`` after commit).

Cases are never created here: a register entry opens cases through ``pakn.cases.services.submit``
(one call per matter, so a letter with several matters becomes several cases)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases import policy
from pakn.cases import services as case_services
from pakn.cases.models import Case, Channel, Kind
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound, PaknError
from pakn.core.tracking import format_tracking_code, new_tracking_code, normalise_tracking_code
from pakn.org.models import Unit
from pakn.reception import follow_up, rules
from pakn.reception import validation as v
from pakn.reception.access import can_write, require_writer
from pakn.reception.models import (
    Activity,
    Booking,
    BookingStatus,
    Competence,
    Conclusion,
    Entry,
    EntryCase,
    EntryKind,
    FollowUpTask,
    NoticeOutcome,
    ReceptionRequirement,
    Session,
    SessionKind,
    SessionMode,
    SessionStatus,
    TimeRule,
)

MAX_SUMMARY = 5_000
MAX_BODY = 20_000


# ---------------------------------------------------------------- personal data (docs/protection.md)


@sensitive_variables()
def _seal_person(unit: Unit, identity: dict[str, str], label: str) -> tuple[Any, list[str]]:
    """Seal a person's details to the unit's protection officers; return the vault item and the keyed
    hashes that keep those details out of the text staff see."""
    from pakn.protection import keys, redact, vault

    item = vault.seal_for_unit(unit=unit, data=identity, label=label)
    return item, redact.identity_terms(identity, keys.redaction_key())


def _redacted(text: str, terms: list[str]) -> str:
    from pakn.protection import keys, redact

    return redact.redact(text, terms, keys.redaction_key()).text


# ---------------------------------------------------------------- activity log and rules


def write_activity(
    app: str, action: str, obj: Any, *, actor: Any, unit: Unit | None, data: dict[str, Any] | None = None
) -> Activity:
    """The writer of the shared activity log (``core.activity.log_activity``, registered at start-up)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Activity.objects.create(
        app=app,
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.pk,
        unit=unit,
        actor=user,
        actor_label=f"staff:{user.pk}" if user else "citizen",
        data=data or {},
    )


def _log(action: str, obj: Any, *, actor: Any, unit: Unit | None, data: dict[str, Any] | None = None) -> Activity:
    return write_activity("reception", action, obj, actor=actor, unit=unit, data=data)


def time_rule(item: str, *, unit_kind: str, on: date) -> TimeRule:
    """The rule in force on ``on`` for ``unit_kind`` (a kind-specific rule wins over a general one)."""
    in_force = (
        TimeRule.objects.filter(item=item, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(unit_kind=unit_kind) | Q(unit_kind=""))
    )
    rule = in_force.order_by("-unit_kind", "-effective_from").first()
    if rule is None:
        raise PaknError(_("Chưa có quy định thời hạn cho việc này; quản trị viên cần bổ sung."), code="missing_rule")
    return rule


def requirements_for(unit: Unit) -> list[rules.Requirement]:
    rows = ReceptionRequirement.objects.filter(unit_kind=unit.kind).filter(Q(level=unit.level) | Q(level=""))
    return [
        rules.Requirement(
            days=r.days,
            period=r.period,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            citation=r.citation,
            head_title=r.head_title,
        )
        for r in rows
    ]


# ---------------------------------------------------------------- sessions


def _check_publication(session: Session, today: date) -> None:
    if session.kind == SessionKind.AD_HOC:
        if session.date < today:
            raise InvalidInput(fields={"date": [_("Ngày tiếp đã qua.")]})
        return
    rule = time_rule(TimeRule.Item.PUBLISH_AHEAD, unit_kind=session.unit.kind, on=today)
    calendar = policy.working_calendar()
    shortfall = rules.publication_shortfall(
        calendar, published_on=today, session_on=session.date, min_working_days=rule.working_days
    )
    if shortfall:
        earliest = rules.earliest_session_day(calendar, published_on=today, min_working_days=rule.working_days)
        message = _(
            "Lịch tiếp phải được công bố trước ít nhất %(n)s ngày làm việc. Nếu công bố hôm nay (%(today)s), "
            "ngày tiếp sớm nhất là %(earliest)s. Căn cứ: %(citation)s."
        ) % {
            "n": rule.working_days,
            "today": today.strftime("%d/%m/%Y"),
            "earliest": earliest.strftime("%d/%m/%Y"),
            "citation": rule.citation,
        }
        raise InvalidInput(message, fields={"date": [message]}, code="too_late_to_publish")


def schedule_session(
    *,
    actor: Any,
    unit: Unit,
    date: Any,
    start_time: Any,
    end_time: Any,
    presider_name: Any,
    kind: str = SessionKind.REGULAR,
    mode: str = SessionMode.IN_PERSON,
    place: Any = "",
    video_url: Any = "",
    presided_by_head: bool = True,
    slot_minutes: Any = 20,
    topic: Any = "",
    publish: bool = False,
) -> Session:
    """Put a reception day or a dialogue on the unit's calendar; with ``publish`` it is published at
    once (and refused if that is fewer working days ahead than the rule requires)."""
    errors: v.Errors = {}
    today = timezone.localdate()
    kind = v.choice(kind, "kind", errors, SessionKind.values)
    mode = v.choice(mode, "mode", errors, SessionMode.values)
    day = v.a_date(date, "date", errors)
    start = v.a_time(start_time, "start_time", errors)
    end = v.a_time(end_time, "end_time", errors)
    presider = v.text(presider_name, "presider_name", errors, required=True, limit=200)
    place_text = v.text(place, "place", errors, limit=300)
    url = v.https_url(video_url, "video_url", errors)
    minutes = v.whole_number(slot_minutes, "slot_minutes", errors, low=5, high=240)
    topic_text = v.text(topic, "topic", errors, limit=300)
    if day and day < today:
        errors.setdefault("date", []).append(_("Ngày tiếp đã qua."))
    if day and kind == SessionKind.REGULAR and not policy.working_calendar().is_working_day(day):
        errors.setdefault("date", []).append(_("Ngày tiếp định kỳ phải là ngày làm việc."))
    if start and end and end <= start:
        errors.setdefault("end_time", []).append(_("Giờ kết thúc phải sau giờ bắt đầu."))
    if mode == SessionMode.ONLINE and not url:
        errors.setdefault("video_url", []).append(_("Tiếp trực tuyến cần đường dẫn phòng họp."))
    if mode == SessionMode.IN_PERSON and not place_text:
        errors.setdefault("place", []).append(_("Tiếp trực tiếp cần ghi địa điểm."))
    v.raise_if(errors)
    assert day and start and end
    with transaction.atomic():
        require_writer(actor, unit)
        session = Session.objects.create(
            unit=unit,
            kind=kind,
            mode=mode,
            date=day,
            start_time=start,
            end_time=end,
            place=place_text,
            video_url=url,
            presider_name=presider,
            presided_by_head=bool(presided_by_head),
            slot_minutes=minutes,
            topic=topic_text,
            created_by=actor,
        )
        _log("scheduled", session, actor=actor, unit=unit, data={"date": day.isoformat(), "kind": kind, "mode": mode})
        if publish:
            _check_publication(session, today)
            session.status, session.published_on = SessionStatus.PUBLISHED, today
            session.save(update_fields=["status", "published_on", "updated_at"])
            _log("published", session, actor=actor, unit=unit)
        return session


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("unit").get(pk=session.pk)


def publish_session(*, actor: Any, session: Session) -> Session:
    """Publish a scheduled session on the public portal: at least N working days ahead (the rule in
    force today), except an ad hoc session for urgent, mass or complex matters."""
    with transaction.atomic():
        session = _lock_session(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.DRAFT:
            raise InvalidTransition(_("Chỉ công bố được buổi tiếp chưa công bố."))
        today = timezone.localdate()
        _check_publication(session, today)
        session.status, session.published_on = SessionStatus.PUBLISHED, today
        session.save(update_fields=["status", "published_on", "updated_at"])
        _log("published", session, actor=actor, unit=session.unit)
        return session


def _notify_booking(booking: Booking, key: str, subject: str, body: str) -> None:
    from pakn.notify.services import queue

    if booking.notify_sealed:
        queue(
            channel=booking.notify_channel,
            sealed_recipient=booking.notify_sealed,
            subject=subject,
            body=body,
            key=f"{key}:{booking.notify_channel}",
        )


def cancel_session(*, actor: Any, session: Session, reason: Any) -> Session:
    errors: v.Errors = {}
    reason_text = v.text(reason, "reason", errors, required=True, limit=500)
    v.raise_if(errors)
    with transaction.atomic():
        session = _lock_session(session)
        require_writer(actor, session.unit)
        if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            raise InvalidTransition(_("Buổi tiếp đã diễn ra hoặc đã hủy."))
        session.status, session.cancel_reason = SessionStatus.CANCELLED, reason_text
        session.save(update_fields=["status", "cancel_reason", "updated_at"])
        for booking in session.bookings.filter(status=BookingStatus.BOOKED):
            booking.status = BookingStatus.CANCELLED
            booking.save(update_fields=["status"])
            _notify_booking(
                booking,
                f"reception-cancel:{booking.pk}",
                str(_("Hủy buổi tiếp công dân ngày %(date)s") % {"date": session.date.strftime("%d/%m/%Y")}),
                str(
                    _(
                        "%(unit)s thông báo hủy buổi tiếp ngày %(date)s. Lý do: %(reason)s. "
                        "Mã đăng ký của bạn: %(code)s."
                    )
                    % {
                        "unit": session.unit.name,
                        "date": session.date.strftime("%d/%m/%Y"),
                        "reason": reason_text,
                        "code": format_tracking_code(booking.code),
                    }
                ),
            )
        _log("cancelled", session, actor=actor, unit=session.unit, data={"reason": reason_text})
        return session


def record_session_held(
    *,
    actor: Any,
    session: Session,
    presider_name: Any,
    presided_by_head: bool,
    summary: Any = "",
    recording_ref: Any = "",
) -> Session:
    """The session took place. Who actually presided decides whether it counts for the head's
    required frequency; an online session must keep its recording."""
    errors: v.Errors = {}
    presider = v.text(presider_name, "presider_name", errors, required=True, limit=200)
    summary_text = v.text(summary, "summary", errors, limit=MAX_SUMMARY)
    recording = v.text(recording_ref, "recording_ref", errors, limit=300)
    v.raise_if(errors)
    with transaction.atomic():
        session = _lock_session(session)
        require_writer(actor, session.unit)
        allowed = (
            (SessionStatus.PUBLISHED, SessionStatus.DRAFT)
            if session.kind == SessionKind.AD_HOC
            else (SessionStatus.PUBLISHED,)
        )
        if session.status not in allowed:
            raise InvalidTransition(
                _("Chỉ ghi nhận được buổi tiếp đã công bố (buổi tiếp đột xuất: cả khi chưa công bố).")
            )
        if session.date > timezone.localdate():
            raise InvalidInput(fields={"presider_name": [_("Buổi tiếp chưa diễn ra.")]})
        if session.mode == SessionMode.ONLINE and not recording:
            raise InvalidInput(
                fields={"recording_ref": [_("Buổi tiếp trực tuyến phải được ghi hình: ghi nơi lưu trữ bản ghi.")]}
            )
        session.status = SessionStatus.HELD
        session.presider_name, session.presided_by_head = presider, bool(presided_by_head)
        session.held_summary, session.recording_ref = summary_text, recording
        session.save(
            update_fields=["status", "presider_name", "presided_by_head", "held_summary", "recording_ref", "updated_at"]
        )
        _log("held", session, actor=actor, unit=session.unit, data={"presided_by_head": session.presided_by_head})
        return session


# ---------------------------------------------------------------- bookings (citizens, no login)


def slot_time(session: Session, slot: int) -> str:
    minutes = session.start_time.hour * 60 + session.start_time.minute + (slot - 1) * session.slot_minutes
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@sensitive_variables()
def book_slot(
    *,
    session: Session,
    name: Any,
    summary: Any,
    phone: Any = "",
    email: Any = "",
    address: Any = "",
    people_count: Any = 1,
) -> Booking:
    """A citizen books the next free slot of a published session, with a short summary of the matter.
    The name and contacts are sealed in the vault for the unit's protection officers; the contact for
    notices is sealed to the notifier key; the summary is stored with the person's details removed."""
    errors: v.Errors = {}
    name_text = v.text(name, "name", errors, required=True, limit=150)
    summary_text = v.text(summary, "summary", errors, required=True, limit=2000)
    phone_text = v.phone(phone, "phone", errors)
    email_text = v.email(email, "email", errors)
    address_text = v.text(address, "address", errors, limit=300)
    people = v.whole_number(people_count, "people_count", errors, low=1, high=500)
    if not phone_text and not email_text and "phone" not in errors and "email" not in errors:
        errors.setdefault("phone", []).append(_("Cần số điện thoại hoặc thư điện tử để cơ quan liên hệ."))
    v.raise_if(errors)
    from pakn.protection.keys import contact_digest
    from pakn.protection.notifier import seal_contact

    digests = [contact_digest(c, t) for c, t in (("sms", phone_text), ("email", email_text)) if t]
    notify_channel, notify_to = ("email", email_text) if email_text else ("sms", phone_text)
    identity = {"name": name_text, "phone": phone_text, "email": email_text, "address": address_text}
    with transaction.atomic():
        session = _lock_session(session)
        if session.status != SessionStatus.PUBLISHED or session.date < timezone.localdate():
            raise InvalidTransition(_("Buổi tiếp này không còn nhận đăng ký."))
        # A contact that already booked this session is not refused: refusing would tell anybody who typed
        # someone's phone number whether that person booked. The confirmation goes to the contact itself,
        # and staff see the repeat on the session page (``repeated_contacts``); the form is throttled.
        booked = session.bookings.filter(status=BookingStatus.BOOKED)
        taken = set(booked.values_list("slot", flat=True))
        free = next((n for n in range(1, session.capacity + 1) if n not in taken), None)
        if free is None:
            raise InvalidTransition(_("Buổi tiếp đã hết lượt đăng ký. Vui lòng chọn buổi khác."), code="full")
        item, terms = _seal_person(session.unit, identity, f"Đăng ký tiếp lượt {free}, ngày {session.date:%d/%m/%Y}")
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    booking = Booking.objects.create(
                        session=session,
                        code=new_tracking_code(),
                        slot=free,
                        identity=item,
                        notify_channel=notify_channel,
                        notify_sealed=seal_contact(notify_channel, notify_to),
                        contact_digests=digests,
                        redaction_terms=terms,
                        people_count=people,
                        summary=_redacted(summary_text, terms),
                    )
                break
            except IntegrityError:  # a code collision (2^-50): try another code
                continue
        else:  # pragma: no cover
            raise PaknError(code="server_busy")
        where = session.video_url if session.mode == SessionMode.ONLINE else session.place
        _notify_booking(
            booking,
            f"reception-booked:{booking.pk}",
            str(_("Đăng ký tiếp công dân %(code)s") % {"code": format_tracking_code(booking.code)}),
            str(
                _(
                    "Bạn đã đăng ký lượt %(slot)s, khoảng %(time)s ngày %(date)s, %(unit)s. "
                    "Địa điểm: %(where)s. Mã đăng ký: %(code)s."
                )
                % {
                    "slot": free,
                    "time": slot_time(session, free),
                    "date": session.date.strftime("%d/%m/%Y"),
                    "unit": session.unit.name,
                    "where": where,
                    "code": format_tracking_code(booking.code),
                }
            ),
        )
        _log("booked", booking, actor=None, unit=session.unit, data={"session": session.pk, "slot": free})
        return booking


def repeated_contacts(bookings: Any) -> dict[int, int]:
    """{booking id: slot of an earlier booking with the same phone or e-mail} among ``bookings``."""
    first_slot: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for booking in sorted(bookings, key=lambda b: (b.slot, b.pk)):
        earlier = next((first_slot[d] for d in booking.contact_digests or [] if d in first_slot), None)
        if earlier is not None:
            repeats[booking.pk] = earlier
        for digest in booking.contact_digests or []:
            first_slot.setdefault(digest, booking.slot)
    return repeats


def get_booking(code: str) -> Booking:
    canonical = normalise_tracking_code(code or "")
    booking = (
        Booking.objects.select_related("session", "session__unit").filter(code=canonical).first() if canonical else None
    )
    if booking is None:
        raise NotFound(_("Không tìm thấy đăng ký với mã này."))
    return booking


def cancel_booking(*, booking: Booking) -> Booking:
    """The citizen (holding the booking code) cancels their slot."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("session__unit").get(pk=booking.pk)
        if booking.status != BookingStatus.BOOKED or booking.session.date < timezone.localdate():
            raise InvalidTransition(_("Đăng ký này không thể hủy."))
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        _log("booking_cancelled", booking, actor=None, unit=booking.session.unit)
        return booking


# ---------------------------------------------------------------- the register


def _seal_phone(phone: str) -> str:
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
    errors: v.Errors = {}
    today = timezone.localdate()
    day = v.a_date(received_on, "received_on", errors)
    name_text = v.text(name, "name", errors, required=booking is None, limit=150)
    summary_text = v.text(summary, "summary", errors, required=True, limit=MAX_SUMMARY)
    kind = v.choice(kind, "kind", errors, EntryKind.values)
    competence = v.choice(competence, "competence", errors, Competence.values)
    address_text = v.text(address, "address", errors, limit=300)
    id_text = v.id_number(id_number, "id_number", errors)
    phone_text = v.phone(phone, "phone", errors)
    people = v.whole_number(people_count, "people_count", errors, low=1, high=10_000)
    before = v.text(handled_before, "handled_before", errors, limit=500)
    guidance = v.text(guidance_document, "guidance_document", errors, limit=300)
    follow = v.text(follow_up, "follow_up", errors, limit=MAX_SUMMARY)
    if (address_text or id_text or phone_text) and not name_text and "name" not in errors:
        errors["name"] = [_("Trường này là bắt buộc.")]
    if day and (day > today or day.year < 2000):
        errors.setdefault("received_on", []).append(_("Ngày tiếp phải từ năm 2000 đến hôm nay."))
    if session is not None and session.unit_id != unit.pk:
        errors.setdefault("session", []).append(_("Buổi tiếp không thuộc đơn vị này."))
    if booking is not None and (session is None or booking.session_id != session.pk):
        errors.setdefault("booking", []).append(_("Đăng ký không thuộc buổi tiếp này."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)  # serialises the numbering
        require_writer(actor, locked)
        if booking is not None:
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            if Entry.objects.filter(booking=booking).exists():
                raise InvalidInput(fields={"booking": [_("Lượt đăng ký này đã được vào sổ.")]})
            booking.status = BookingStatus.ATTENDED
            booking.save(update_fields=["status"])
        due, citation = notice_deadline(locked, day, complex=bool(complex))
        last = Entry.objects.filter(unit=locked, year=day.year).aggregate(n=Max("number"))["n"] or 0
        if booking is not None and not (name_text or address_text or id_text or phone_text):
            item, terms = booking.identity, list(booking.redaction_terms)
            verifiable = item is not None
            notify_channel, notify_sealed = booking.notify_channel or "sms", booking.notify_sealed
        else:
            identity = {"name": name_text, "address": address_text, "id_number": id_text, "phone": phone_text}
            item, terms = _seal_person(locked, identity, f"Sổ tiếp công dân số {last + 1}/{day.year}")
            verifiable = bool(name_text and (address_text or id_text or phone_text))
            notify_channel, notify_sealed = "sms", _seal_phone(phone_text)
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
            summary=_redacted(summary_text, terms),
            kind=kind,
            people_count=people,
            handled_before=_redacted(before, terms),
            competence=competence,
            guidance_document=_redacted(guidance, terms),
            follow_up=_redacted(follow, terms),
            complex=bool(complex),
            notice_due_on=due,
            notice_rule=citation,
            created_by=actor,
        )
        _log(
            "registered",
            entry,
            actor=actor,
            unit=locked,
            data={"number": entry.reference, "notice_due_on": due.isoformat()},
        )
        return entry


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
        entry.guidance_document, entry.follow_up = _redacted(guidance, terms), _redacted(follow, terms)
        fields = ["guidance_document", "follow_up", "updated_at"]
        if before is not None:
            entry.handled_before = _redacted(before, terms)
            fields.append("handled_before")
        entry.save(update_fields=fields)
        _log("updated", entry, actor=actor, unit=entry.unit, data={"guidance_document": entry.guidance_document})
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
        _log("cases_opened", entry, actor=actor, unit=entry.unit, data={"cases": [c.tracking_code for c in cases]})
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
        entry.notice_document = _redacted(document_text, list(entry.redaction_terms))
        follow_up.ask_rating(entry)  # how was the citizen received? (Quyết định 99-QĐ/TW)
        entry.save(update_fields=["notice_outcome", "notified_on", "notice_document", "rating_digest", "updated_at"])
        _log(
            "notified",
            entry,
            actor=actor,
            unit=entry.unit,
            data={"outcome": outcome, "on": day.isoformat(), "late": day > entry.notice_due_on},
        )
        return entry


# ---------------------------------------------------------------- conclusions and follow-up


def _task_values(raw: dict[str, Any], prefix: str, errors: v.Errors, *, issued_on: date | None) -> dict[str, Any]:
    title = v.text(raw.get("title"), f"{prefix}title", errors, required=True, limit=500)
    owner_name = v.text(raw.get("owner_name"), f"{prefix}owner_name", errors, limit=150)
    due = v.a_date(raw.get("due_on"), f"{prefix}due_on", errors)
    owner = raw.get("owner_unit")
    if not isinstance(owner, Unit) or not owner.is_active:
        errors.setdefault(f"{prefix}owner_unit", []).append(_("Chọn một đơn vị đang hoạt động."))
    if due and issued_on and due < issued_on:
        errors.setdefault(f"{prefix}due_on", []).append(_("Hạn hoàn thành không được trước ngày kết luận."))
    return {"title": title, "owner_name": owner_name, "due_on": due, "owner_unit": owner, "entry": raw.get("entry")}


def issue_conclusion(
    *, actor: Any, session: Session, number: Any, issued_on: Any, body: Any, tasks: list[dict[str, Any]] | None = None
) -> Conclusion:
    """Record the head's written conclusion of a session or dialogue, with the tasks it assigns
    (each with an owner unit and a deadline)."""
    errors: v.Errors = {}
    number_text = v.text(number, "number", errors, required=True, limit=60)
    day = v.a_date(issued_on, "issued_on", errors)
    body_text = v.text(body, "body", errors, required=True, limit=MAX_BODY)
    task_values = [_task_values(t, f"tasks.{i}.", errors, issued_on=day) for i, t in enumerate(tasks or [])]
    if day and (day < session.date or day > timezone.localdate()):
        errors.setdefault("issued_on", []).append(_("Ngày ban hành phải từ ngày tiếp đến hôm nay."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        session = _lock_session(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.HELD:
            raise InvalidTransition(_("Chỉ ban hành kết luận cho buổi tiếp đã diễn ra."))
        conclusion = Conclusion.objects.create(
            session=session, number=number_text, issued_on=day, body=body_text, created_by=actor
        )
        _log(
            "concluded", conclusion, actor=actor, unit=session.unit, data={"session": session.pk, "number": number_text}
        )
        for values in task_values:
            _create_task(actor=actor, conclusion=conclusion, **values)
        follow_up.tell_citizens_of_conclusion(conclusion)
        return conclusion


def _create_task(
    *,
    actor: Any,
    conclusion: Conclusion,
    title: str,
    owner_unit: Unit,
    owner_name: str,
    due_on: date,
    entry: Entry | None,
) -> FollowUpTask:
    if entry is not None and entry.unit_id != conclusion.session.unit_id:
        raise InvalidInput(fields={"entry": [_("Vụ việc không thuộc sổ tiếp công dân của đơn vị.")]})
    task = FollowUpTask.objects.create(
        conclusion=conclusion, entry=entry, title=title, owner_unit=owner_unit, owner_name=owner_name, due_on=due_on
    )
    _log(
        "task_assigned",
        task,
        actor=actor,
        unit=conclusion.session.unit,
        data={"owner_unit": owner_unit.code, "due_on": due_on.isoformat()},
    )
    return task


def add_follow_up_task(
    *,
    actor: Any,
    conclusion: Conclusion,
    title: Any,
    owner_unit: Any,
    due_on: Any,
    owner_name: Any = "",
    entry: Entry | None = None,
) -> FollowUpTask:
    errors: v.Errors = {}
    values = _task_values(
        {"title": title, "owner_unit": owner_unit, "due_on": due_on, "owner_name": owner_name, "entry": entry},
        "",
        errors,
        issued_on=conclusion.issued_on,
    )
    v.raise_if(errors)
    with transaction.atomic():
        conclusion = Conclusion.objects.select_related("session__unit").get(pk=conclusion.pk)
        require_writer(actor, conclusion.session.unit)
        return _create_task(actor=actor, conclusion=conclusion, **values)


def complete_follow_up_task(*, actor: Any, task: FollowUpTask, result: Any, done_on: Any) -> FollowUpTask:
    """Report a follow-up task done: by the unit that owns it or the unit whose head concluded it."""
    errors: v.Errors = {}
    result_text = v.text(result, "result", errors, required=True, limit=MAX_BODY)
    day = v.a_date(done_on, "done_on", errors)
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        task = (
            FollowUpTask.objects.select_for_update()
            .select_related("conclusion__session__unit", "owner_unit")
            .get(pk=task.pk)
        )
        session_unit = task.conclusion.session.unit
        if not (can_write(actor, session_unit) or can_write(actor, task.owner_unit)):
            require_writer(actor, session_unit)
        if task.done_on is not None:
            raise InvalidTransition(_("Việc này đã được báo cáo hoàn thành."))
        if day < task.conclusion.issued_on or day > timezone.localdate():
            raise InvalidInput(fields={"done_on": [_("Ngày hoàn thành phải từ ngày kết luận đến hôm nay.")]})
        task.done_on, task.result = day, result_text
        follow_up.reported_now(task)  # the citizen is asked whether it was really done
        task.save(update_fields=["done_on", "result", "reported_at", "review_digest"])
        _log(
            "task_done",
            task,
            actor=actor,
            unit=session_unit,
            data={"done_on": day.isoformat(), "late": day > task.due_on},
        )
        return task


# ---------------------------------------------------------------- reminders (run by `pakn worker`)


def _tell_unit(unit: Unit | None, roles: tuple[str, ...], key: str, subject: str, body: str) -> int:
    from pakn.notify.services import queue_to_staff

    return queue_to_staff(unit=unit, roles=roles, key=key, subject=subject, body=body)


def _claim(model: Any, pk: int, field: str) -> bool:
    """Mark a reminder as sent (once, even with two workers)."""
    return bool(model.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}))


def check_reception_deadlines(*, today: date | None = None, due_soon_days: int | None = None) -> dict[str, int]:
    """Remind the unit of citizens still waiting to be told the outcome of their visit, and of follow-up
    tasks from the head's conclusions, when due soon; when overdue, tell the head and the head of the unit
    above. Each reminder and alert is sent once (``reminded_at``, ``overdue_at``); nothing identifies the
    citizen."""
    from django.conf import settings

    from pakn.org.models import Role

    today = today or timezone.localdate()
    horizon = policy.working_calendar().add_working_days(
        today, due_soon_days if due_soon_days is not None else settings.DUE_SOON_WORKING_DAYS
    )
    counts = {"reminded": 0, "overdue": 0}
    staff, heads = (Role.CLERK, Role.HEAD), (Role.HEAD,)
    waiting = Entry.objects.filter(notified_on__isnull=True).select_related("unit", "unit__parent")
    for entry in waiting.filter(reminded_at__isnull=True, notice_due_on__gte=today, notice_due_on__lte=horizon):
        with transaction.atomic():
            if not _claim(Entry, entry.pk, "reminded_at"):
                continue
            subject = str(_("Sắp đến hạn thông báo cho công dân: sổ tiếp %(ref)s") % {"ref": entry.reference})
            body = str(
                _("%(unit)s: lượt tiếp số %(ref)s (%(who)s) cần thông báo kết quả xử lý cho công dân trước %(date)s.")
                % {
                    "unit": entry.unit.name,
                    "ref": entry.reference,
                    "who": entry.pseudonym,
                    "date": entry.notice_due_on.strftime("%d/%m/%Y"),
                }
            )
            _tell_unit(entry.unit, staff, f"reception-remind:{entry.pk}", subject, body)
            counts["reminded"] += 1
    for entry in waiting.filter(overdue_at__isnull=True, notice_due_on__lt=today):
        with transaction.atomic():
            if not _claim(Entry, entry.pk, "overdue_at"):
                continue
            subject = str(_("Quá hạn thông báo cho công dân: sổ tiếp %(ref)s") % {"ref": entry.reference})
            body = str(
                _("%(unit)s chưa thông báo kết quả xử lý cho công dân (lượt tiếp số %(ref)s), hạn %(date)s.")
                % {"unit": entry.unit.name, "ref": entry.reference, "date": entry.notice_due_on.strftime("%d/%m/%Y")}
            )
            _tell_unit(entry.unit, heads, f"reception-overdue:{entry.pk}", subject, body)
            _tell_unit(entry.unit.parent, heads, f"reception-overdue-up:{entry.pk}", subject, body)
            counts["overdue"] += 1
    open_tasks = FollowUpTask.objects.filter(done_on__isnull=True).select_related(
        "owner_unit", "owner_unit__parent", "conclusion"
    )
    for task in open_tasks.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon):
        with transaction.atomic():
            if not _claim(FollowUpTask, task.pk, "reminded_at"):
                continue
            subject = str(_("Sắp đến hạn việc sau tiếp công dân: %(title)s") % {"title": task.title[:80]})
            body = str(
                _("Việc theo Kết luận %(number)s: %(title)s. Hạn %(date)s.")
                % {"number": task.conclusion.number, "title": task.title, "date": task.due_on.strftime("%d/%m/%Y")}
            )
            _tell_unit(task.owner_unit, staff, f"reception-task-remind:{task.pk}", subject, body)
            counts["reminded"] += 1
    for task in open_tasks.filter(overdue_at__isnull=True, due_on__lt=today):
        with transaction.atomic():
            if not _claim(FollowUpTask, task.pk, "overdue_at"):
                continue
            subject = str(_("Quá hạn việc sau tiếp công dân: %(title)s") % {"title": task.title[:80]})
            body = str(
                _("%(unit)s chưa hoàn thành việc theo Kết luận %(number)s: %(title)s, hạn %(date)s.")
                % {
                    "unit": task.owner_unit.name,
                    "number": task.conclusion.number,
                    "title": task.title,
                    "date": task.due_on.strftime("%d/%m/%Y"),
                }
            )
            _tell_unit(task.owner_unit, heads, f"reception-task-overdue:{task.pk}", subject, body)
            _tell_unit(task.owner_unit.parent, heads, f"reception-task-overdue-up:{task.pk}", subject, body)
            counts["overdue"] += 1
    return counts
