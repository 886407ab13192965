"""Reminders of reception deadlines (run by ``pakn worker``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import policy
from pakn.org.models import Unit
from pakn.reception.models import (
    Entry,
    FollowUpTask,
)

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
