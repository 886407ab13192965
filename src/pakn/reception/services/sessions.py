"""Reception sessions: scheduled, published, cancelled, held."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import policy
from pakn.core.errors import InvalidInput, InvalidTransition
from pakn.core.tracking import format_tracking_code
from pakn.org.models import Unit
from pakn.reception import rules
from pakn.reception import validation as v
from pakn.reception.access import require_writer
from pakn.reception.models import (
    Booking,
    BookingStatus,
    Session,
    SessionKind,
    SessionMode,
    SessionStatus,
    TimeRule,
)
from pakn.reception.services.common import MAX_SUMMARY, record_activity, time_rule

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
        record_activity(
            "scheduled", session, actor=actor, unit=unit, data={"date": day.isoformat(), "kind": kind, "mode": mode}
        )
        if publish:
            _check_publication(session, today)
            session.status, session.published_on = SessionStatus.PUBLISHED, today
            session.save(update_fields=["status", "published_on", "updated_at"])
            record_activity("published", session, actor=actor, unit=unit)
        return session


def lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("unit").get(pk=session.pk)


def publish_session(*, actor: Any, session: Session) -> Session:
    """Publish a scheduled session on the public portal: at least N working days ahead (the rule in
    force today), except an ad hoc session for urgent, mass or complex matters."""
    with transaction.atomic():
        session = lock_session(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.DRAFT:
            raise InvalidTransition(_("Chỉ công bố được buổi tiếp chưa công bố."))
        today = timezone.localdate()
        _check_publication(session, today)
        session.status, session.published_on = SessionStatus.PUBLISHED, today
        session.save(update_fields=["status", "published_on", "updated_at"])
        record_activity("published", session, actor=actor, unit=session.unit)
        return session


def notify_booking(booking: Booking, key: str, subject: str, body: str) -> None:
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
        session = lock_session(session)
        require_writer(actor, session.unit)
        if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            raise InvalidTransition(_("Buổi tiếp đã diễn ra hoặc đã hủy."))
        session.status, session.cancel_reason = SessionStatus.CANCELLED, reason_text
        session.save(update_fields=["status", "cancel_reason", "updated_at"])
        for booking in session.bookings.filter(status=BookingStatus.BOOKED):
            booking.status = BookingStatus.CANCELLED
            booking.save(update_fields=["status"])
            notify_booking(
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
        record_activity("cancelled", session, actor=actor, unit=session.unit, data={"reason": reason_text})
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
        session = lock_session(session)
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
        record_activity(
            "held", session, actor=actor, unit=session.unit, data={"presided_by_head": session.presided_by_head}
        )
        return session
