"""Data migration reception.0004: reminders start with this version, so the register entries whose notice is
already overdue and the follow-up tasks already past their date when it is installed are marked as reminded
and as alerted (``reminded_at`` = ``overdue_at`` = the moment of the migration): the first ``pakn worker`` run
then sends no alert per old row. Rows due today or later, notified entries and finished tasks are left for the
worker. Backwards is a no-op (the columns go with the schema step).

The rows are inserted with the historical models of 0004 on the shared test database, which is not migrated
backwards (see tests/cases/test_migration_0004.py); the migration's function gets the same ``apps``."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

from pakn.org.models import Unit
from pakn.reception.models import Entry, FollowUpTask

migration = importlib.import_module("pakn.reception.migrations.0004_reminder_marks")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 16, 0, 30, tzinfo=TZ)  # just after midnight in Hà Nội: still 15 March in UTC
TODAY = date(2026, 3, 16)


def historical_apps() -> Any:
    return MigrationLoader(connection).project_state(("reception", "0004_reminder_marks"), at_end=True).apps


@pytest.mark.django_db
def test_forwards_marks_only_what_is_already_overdue(clerk: Any) -> None:
    apps = historical_apps()
    OldSession, OldConclusion, OldEntry, OldTask = (
        apps.get_model("reception", name) for name in ("Session", "Conclusion", "Entry", "FollowUpTask")
    )
    unit = Unit.objects.get(code="UBND-00004")
    session = OldSession.objects.create(
        unit_id=unit.pk, date=date(2026, 3, 2), start_time=time(8), end_time=time(11), presider_name="Chủ tịch",
        status="held", created_by_id=clerk.pk,
    )  # fmt: skip
    conclusion = OldConclusion.objects.create(
        session_id=session.pk, number="12/TB-UBND", issued_on=date(2026, 3, 3), body="Giao phòng Tài nguyên.",
        created_by_id=clerk.pk,
    )  # fmt: skip

    def entry(number: int, due: date, notified: date | None = None) -> int:
        return OldEntry.objects.create(
            unit_id=unit.pk, year=2026, number=number, received_on=date(2026, 3, 2), summary="Tranh chấp đất.",
            kind="complaint", competence="yes", notice_due_on=due, notice_rule="Luật Khiếu nại 2011, Điều 27",
            notified_on=notified, created_by_id=clerk.pk,
        ).pk  # fmt: skip

    def task(title: str, due: date, done: date | None = None) -> int:
        return OldTask.objects.create(
            conclusion_id=conclusion.pk, title=title, owner_unit_id=unit.pk, due_on=due, done_on=done
        ).pk

    overdue_entry = entry(1, date(2026, 3, 13))
    waiting = {
        entry(2, TODAY),  # due today: the worker reminds it as usual
        entry(3, date(2026, 3, 20)),
        entry(4, date(2026, 3, 10), notified=date(2026, 3, 9)),  # notified in time
    }
    overdue_task = task("Đo đạc lại thửa đất", date(2026, 3, 15))
    waiting_tasks = {
        task("Họp các hộ liền kề", TODAY),
        task("Trả lời công dân", date(2026, 4, 1)),
        task("Kiểm tra hiện trạng", date(2026, 3, 5), done=date(2026, 3, 4)),
    }

    with time_machine.travel(NOW, tick=False):
        migration.mark_past_items(apps, None)

    marked = Entry.objects.get(pk=overdue_entry)
    assert marked.reminded_at == marked.overdue_at == NOW
    assert not Entry.objects.filter(pk__in=waiting).exclude(reminded_at=None, overdue_at=None).exists()
    done_task = FollowUpTask.objects.get(pk=overdue_task)
    assert done_task.reminded_at == done_task.overdue_at == NOW
    assert not FollowUpTask.objects.filter(pk__in=waiting_tasks).exclude(reminded_at=None, overdue_at=None).exists()


def test_backwards_is_a_no_op_after_the_schema_step() -> None:
    data = migration.Migration.operations[-1]
    assert isinstance(data, RunPython) and data.reverse_code is RunPython.noop
