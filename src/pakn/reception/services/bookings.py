"""Citizens book a slot of a published session (no login) and may cancel it with their code."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import InvalidTransition, NotFound, PaknError
from pakn.core.tracking import format_tracking_code, new_tracking_code, normalise_tracking_code
from pakn.reception import validation as v
from pakn.reception.models import (
    Booking,
    BookingStatus,
    Session,
    SessionMode,
    SessionStatus,
)
from pakn.reception.services.common import record_activity, redacted, seal_person
from pakn.reception.services.sessions import lock_session, notify_booking

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
        session = lock_session(session)
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
        item, terms = seal_person(session.unit, identity, f"Đăng ký tiếp lượt {free}, ngày {session.date:%d/%m/%Y}")
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
                        summary=redacted(summary_text, terms),
                    )
                break
            except IntegrityError:  # a code collision (2^-50): try another code
                continue
        else:  # pragma: no cover
            raise PaknError(code="server_busy")
        _confirm_booking(booking, session, free)
        record_activity("booked", booking, actor=None, unit=session.unit, data={"session": session.pk, "slot": free})
        return booking


def _confirm_booking(booking: Booking, session: Session, slot: int) -> None:
    """The confirmation the citizen gets (queued with the booking, sent by the worker): slot, time, place, code."""
    where = session.video_url if session.mode == SessionMode.ONLINE else session.place
    notify_booking(
        booking,
        f"reception-booked:{booking.pk}",
        str(_("Đăng ký tiếp công dân %(code)s") % {"code": format_tracking_code(booking.code)}),
        str(
            _(
                "Bạn đã đăng ký lượt %(slot)s, khoảng %(time)s ngày %(date)s, %(unit)s. "
                "Địa điểm: %(where)s. Mã đăng ký: %(code)s."
            )
            % {
                "slot": slot,
                "time": slot_time(session, slot),
                "date": session.date.strftime("%d/%m/%Y"),
                "unit": session.unit.name,
                "where": where,
                "code": format_tracking_code(booking.code),
            }
        ),
    )


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
        record_activity("booking_cancelled", booking, actor=None, unit=booking.session.unit)
        return booking
