"""The one write path for citizen reception. Each function is a business act: keyword-only
arguments, the acting user explicit (``None`` for a citizen on the public site), all input checked
before anything is written, one transaction, one activity row per change, notifications queued in
the outbox inside the same transaction (delivered by ``pakn worker`` after commit).

Cases are never created here: a register entry opens cases through ``pakn.cases.services.submit``
(one call per matter, so a letter with several matters becomes several cases).

The acts live in modules by what they act on (``sessions``, ``bookings``, ``register``, ``conclusions``,
``reminders``; what they share in ``common``); callers import them from here."""

from pakn.reception.services.bookings import book_slot, cancel_booking, get_booking, repeated_contacts, slot_time
from pakn.reception.services.common import MAX_BODY, MAX_SUMMARY, requirements_for, time_rule, write_activity
from pakn.reception.services.conclusions import add_follow_up_task, complete_follow_up_task, issue_conclusion
from pakn.reception.services.register import notice_deadline, open_cases, record_notice, register_contact, update_entry
from pakn.reception.services.reminders import check_reception_deadlines
from pakn.reception.services.sessions import cancel_session, publish_session, record_session_held, schedule_session

__all__ = [
    "MAX_BODY",
    "MAX_SUMMARY",
    "add_follow_up_task",
    "book_slot",
    "cancel_booking",
    "cancel_session",
    "check_reception_deadlines",
    "complete_follow_up_task",
    "get_booking",
    "issue_conclusion",
    "notice_deadline",
    "open_cases",
    "publish_session",
    "record_notice",
    "record_session_held",
    "register_contact",
    "repeated_contacts",
    "requirements_for",
    "schedule_session",
    "slot_time",
    "time_rule",
    "update_entry",
    "write_activity",
]
