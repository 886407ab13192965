"""``pakn worker``: delivers the outbox exactly once, reminds of deadlines due soon, escalates overdue
ones to the heads of the unit and of the unit above (once), and retries a failing channel."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from conftest import outbox_to
from pakn.cases import services
from pakn.cases.models import AuditEvent, Case, Obligation
from pakn.cases.presenters import is_overdue
from pakn.cases.queries import CaseFilter, apply_filter
from pakn.notify import channels
from pakn.notify.channels import LogSmsBackend
from pakn.notify.models import Outbox
from pakn.notify.services import MAX_ATTEMPTS

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D0 = date(2026, 3, 2)  # a report received on D0 is to be answered by 03-16 (10 working days)
DUE = date(2026, 3, 16)
REPORTER_EMAIL = "an.nguyen@example.vn"
PHONE = "0912345678"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(at(D0), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _clean_channels() -> Iterator[None]:
    LogSmsBackend.sent.clear()
    with translation.override("vi"):  # an earlier API test may have left English active in this thread
        yield
    LogSmsBackend.sent.clear()


def worker() -> str:
    out = io.StringIO()
    call_command("worker", stdout=out)
    return out.getvalue()


def mails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if address in m.to]


def subjects_to(address: str) -> list[str]:
    return [m.subject for m in mails_to(address)]


# ---------------------------------------------------------------- delivery


@pytest.mark.django_db
def test_worker_delivers_email_once(make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case()
    assert Outbox.objects.filter(status="pending").count() == 2  # the reporter and the unit's clerk
    assert mail.outbox == []  # nothing is sent inside the request
    output = worker()
    assert "sent=2" in output and "failed=0" in output
    assert len(mail.outbox) == 2
    [receipt] = mails_to(REPORTER_EMAIL)
    assert case.tracking_code in receipt.subject and case.tracking_code in receipt.body
    assert [case.tracking_code in s for s in subjects_to(clerk.email)] == [True]
    assert Outbox.objects.filter(status="sent", sent_at__isnull=False).count() == 2
    assert "sent=0" in worker()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_worker_delivers_sms_once(make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case(reporter={"name": "Lê Văn Cường", "phone": PHONE})
    assert case.reporter.notify_by == "sms"
    services.resolve_case(actor=clerk, case=case, body="Đã xử lý.")
    worker()
    assert [recipient for recipient, _ in LogSmsBackend.sent] == [PHONE, PHONE]
    assert case.tracking_code in LogSmsBackend.sent[0][1]
    worker()
    assert len(LogSmsBackend.sent) == 2
    assert mails_to(PHONE) == []


@pytest.mark.django_db
def test_queuing_the_same_notification_twice_sends_it_once(db: Any) -> None:
    from pakn.notify.services import queue

    for _ in range(3):
        queue(channel="email", recipient="x@example.vn", subject="S", body="B", key="same-key")
    worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reporter_who_wants_no_notifications_gets_none(make_case: Callable[..., Case]) -> None:
    make_case(reporter={"name": "Phạm Thị Dung", "email": "dung@example.vn", "notify_by": "none"})
    worker()
    assert mails_to("dung@example.vn") == []


# ---------------------------------------------------------------- deadlines


@pytest.mark.django_db
def test_overdue_case_escalates_once_to_heads_of_the_unit_and_above(
    clock: Any, make_case: Callable[..., Case], clerk: Any, head: Any, province_head: Any, other_clerk: Any
) -> None:
    case = make_case()
    [obligation] = Obligation.objects.filter(case=case)
    assert obligation.due_on == DUE
    worker()
    mail.outbox.clear()

    clock.move_to(at(DUE, 23, 59))  # due today: not overdue yet
    assert "escalated=0" in worker()
    clock.move_to(at(DUE + timedelta(days=1), 0, 5))
    output = worker()
    assert "escalated=1" in output
    overdue = [m for m in mail.outbox if m.subject.startswith("Quá hạn")]
    assert sorted(address for m in overdue for address in m.to) == sorted([head.email, province_head.email])
    assert all(case.tracking_code in m.subject for m in overdue)
    assert not any(m.subject.startswith("Quá hạn") for m in mails_to(clerk.email) + mails_to(other_clerk.email))
    assert AuditEvent.objects.filter(case=case, action="overdue").count() == 1
    obligation.refresh_from_db()
    assert obligation.escalated_at is not None

    count = len(mail.outbox)
    for days in (1, 2, 30):
        clock.move_to(at(DUE + timedelta(days=days)))
        assert "escalated=0" in worker()
    assert len(mail.outbox) == count
    assert AuditEvent.objects.filter(case=case, action="overdue").count() == 1
    from pakn.cases.audit_check import verify_all

    assert verify_all()[1] == []


@pytest.mark.django_db
def test_due_soon_reminder_once(
    clock: Any, make_case: Callable[..., Case], clerk: Any, head: Any, province_head: Any
) -> None:
    case = make_case()
    worker()
    mail.outbox.clear()
    clock.move_to(at(date(2026, 3, 10)))  # 03-16 is 4 working days away: not yet
    assert "reminded=0" in worker()
    clock.move_to(at(date(2026, 3, 11)))  # 3 working days away
    assert "reminded=1" in worker()
    reminders = [m for m in mail.outbox if case.tracking_code in m.subject]
    assert sorted(a for m in reminders for a in m.to) == sorted([clerk.email, head.email])
    assert mails_to(province_head.email) == []
    clock.move_to(at(date(2026, 3, 12)))
    assert "reminded=0" in worker()
    assert len(mail.outbox) == len(reminders)


@pytest.mark.django_db
def test_met_obligations_are_neither_reminded_nor_escalated(
    clock: Any, make_case: Callable[..., Case], clerk: Any, head: Any
) -> None:
    answered = make_case()
    withdrawn = make_case()
    services.resolve_case(actor=clerk, case=answered, body="Đã sửa.")
    services.withdraw_case(case=withdrawn)
    worker()
    mail.outbox.clear()
    for day in (date(2026, 3, 11), date(2026, 3, 20)):
        clock.move_to(at(day))
        assert "reminded=0 escalated=0" in worker()
    assert mail.outbox == []


@pytest.mark.django_db
def test_suspended_case_is_not_escalated_while_suspended(
    clock: Any, make_case: Callable[..., Case], clerk: Any, head: Any
) -> None:
    case = services.accept_case(actor=clerk, case=make_case(kind="complaint"))
    [resolve] = Obligation.objects.filter(case=case, kind="resolve")
    assert resolve.due_on == date(2026, 4, 1)
    case = services.suspend_case(actor=clerk, case=case, reason="Chờ giám định")
    clock.move_to(at(date(2026, 4, 10)))
    assert "reminded=0 escalated=0" in worker()
    assert not is_overdue(Case.objects.get(pk=case.pk))
    assert not apply_filter(Case.objects.all(), CaseFilter(due="overdue")).exists()
    case = services.resume_case(actor=clerk, case=case)  # 39 days paused: due 2026-05-11 (10th is a Sunday)
    resolve.refresh_from_db()
    assert resolve.due_on == date(2026, 5, 11)
    assert "escalated=0" in worker()
    clock.move_to(at(date(2026, 5, 12)))
    assert "escalated=1" in worker()
    assert is_overdue(Case.objects.get(pk=case.pk))
    assert list(apply_filter(Case.objects.all(), CaseFilter(due="overdue"))) == [case]


@pytest.mark.django_db
def test_forwarded_case_escalates_at_the_receiving_unit(
    clock: Any, make_case: Callable[..., Case], clerk: Any, province_head: Any
) -> None:
    from pakn.org.models import Unit

    case = make_case()
    services.forward_case(actor=clerk, case=case, to_unit=Unit.objects.get(code="UBND-01"), reason="Thẩm quyền tỉnh")
    [forward] = Obligation.objects.filter(case=case, kind="forward_response")
    worker()
    mail.outbox.clear()
    clock.move_to(at(forward.due_on + timedelta(days=1)))
    assert "escalated=1" in worker()
    # UBND-01 has no unit above: its own heads hear of it.
    assert [m.subject.startswith("Quá hạn") for m in mails_to(province_head.email)] == [True]


# ---------------------------------------------------------------- failures


@pytest.mark.django_db
def test_failing_channel_is_retried_and_not_lost(
    clock: Any, make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(reporter={"name": "Hoàng Văn Em", "email": "em@example.vn"})
    real_send = channels.EmailChannel.send
    calls = {"n": 0}

    def flaky(self: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("SMTP server unreachable")
        real_send(self, **kwargs)

    monkeypatch.setattr(channels.EmailChannel, "send", flaky)
    assert "sent=0 failed=1" in worker()
    [item] = outbox_to("em@example.vn")
    assert not item.recipient  # the reporter's address is only stored sealed
    assert (item.status, item.attempts) == ("pending", 1)
    assert "unreachable" in item.last_error
    assert mail.outbox == []
    assert "sent=0 failed=0" in worker()  # backing off: not retried at once
    clock.shift(timedelta(minutes=3))
    assert "sent=1 failed=0" in worker()
    item.refresh_from_db()
    assert (item.status, item.attempts, item.last_error) == ("sent", 2, "")
    assert [m.to for m in mail.outbox] == [["em@example.vn"]]
    clock.shift(timedelta(days=1))
    worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failing_sms_backend_is_retried(
    clock: Any, make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(reporter={"name": "Hoàng Văn Em", "phone": PHONE})
    real_send = LogSmsBackend.send
    state = {"fail": True}

    def flaky(self: Any, **kwargs: Any) -> None:
        if state.pop("fail", False):
            raise TimeoutError("gateway timeout")
        real_send(self, **kwargs)

    monkeypatch.setattr(LogSmsBackend, "send", flaky)
    worker()
    assert LogSmsBackend.sent == []
    clock.shift(timedelta(minutes=3))
    worker()
    assert [r for r, _ in LogSmsBackend.sent] == [PHONE]


@pytest.mark.django_db
def test_channel_that_keeps_failing_is_parked_not_dropped(
    clock: Any, make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(reporter={"name": "Hoàng Văn Em", "email": "em@example.vn"})

    def broken(self: Any, **kwargs: Any) -> None:
        raise ConnectionError("down")

    monkeypatch.setattr(channels.EmailChannel, "send", broken)
    for _ in range(MAX_ATTEMPTS + 2):
        worker()
        clock.shift(timedelta(days=2))
    [item] = outbox_to("em@example.vn")
    assert (item.status, item.attempts) == ("failed", MAX_ATTEMPTS)
    assert item.last_error == "down"
