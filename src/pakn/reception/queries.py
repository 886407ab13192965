"""Read side: the head's compliance over a period (reception days held against the required
frequency, the register's notices due, open follow-ups), computed for many units with a few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from pakn.cases import policy
from pakn.org.models import Unit
from pakn.reception import rules
from pakn.reception.models import (
    BookingStatus,
    Entry,
    EntryCase,
    FollowUpTask,
    ReceptionRequirement,
    Session,
    SessionKind,
    SessionStatus,
)


@dataclass(frozen=True)
class UnitCompliance:
    unit: Unit
    head_title: str
    requirement: str  # "1 ngày/tuần"
    citation: str
    result: rules.Compliance
    sessions_held: int  # every held session of the unit in the period (any kind, any presider)
    head_days: int  # distinct reception days (regular or ad hoc, not dialogues) the head presided
    dialogues: int
    entries: int
    cases_opened: int
    notices_pending: int
    notices_overdue: int
    notices_late: int
    tasks_open: int
    tasks_overdue: int

    @property
    def rate_percent(self) -> int | None:
        rate = self.result.rate
        return None if rate is None else round(rate * 100)


def _requirements_by_kind() -> dict[tuple[str, str], list[ReceptionRequirement]]:
    table: dict[tuple[str, str], list[ReceptionRequirement]] = defaultdict(list)
    for r in ReceptionRequirement.objects.all():
        table[(r.unit_kind, r.level)].append(r)
    return table


def as_rules(rows: list[ReceptionRequirement]) -> list[rules.Requirement]:
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


def compliance_for(units: QuerySet[Unit] | list[Unit], *, start: date, end: date, today: date) -> list[UnitCompliance]:
    """One row per unit, in the order given."""
    units = list(units)
    ids = [u.pk for u in units]
    calendar = policy.working_calendar()
    table = _requirements_by_kind()
    # A week or month that overlaps the period is counted whole, so fetch a little around it.
    wide_start = min(rules.period_bounds(start, rules.WEEK)[0], start.replace(day=1))
    wide_end = max(rules.period_bounds(end, rules.MONTH)[1], rules.period_bounds(end, rules.WEEK)[1])
    head_days: dict[int, set[date]] = defaultdict(set)
    held_counts: dict[int, int] = defaultdict(int)
    dialogues: dict[int, int] = defaultdict(int)
    held = Session.objects.filter(unit_id__in=ids, status=SessionStatus.HELD, date__gte=wide_start, date__lte=wide_end)
    for unit_id, day, kind, by_head in held.values_list("unit_id", "date", "kind", "presided_by_head"):
        if kind != SessionKind.DIALOGUE and by_head:  # regular and ad hoc reception days, not dialogues
            head_days[unit_id].add(day)
        if start <= day <= end:
            held_counts[unit_id] += 1
            if kind == SessionKind.DIALOGUE:
                dialogues[unit_id] += 1
    entries = {
        row["unit_id"]: row
        for row in Entry.objects.filter(unit_id__in=ids, received_on__gte=start, received_on__lte=end)
        .values("unit_id")
        .annotate(
            n=Count("pk"),
            pending=Count("pk", filter=Q(notified_on__isnull=True)),
            overdue=Count("pk", filter=Q(notified_on__isnull=True, notice_due_on__lt=today)),
        )
    }
    late = dict(
        Entry.objects.filter(
            unit_id__in=ids, received_on__gte=start, received_on__lte=end, notified_on__gt=F("notice_due_on")
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    cases = dict(
        EntryCase.objects.filter(entry__unit_id__in=ids, entry__received_on__gte=start, entry__received_on__lte=end)
        .values("entry__unit_id")
        .annotate(n=Count("pk"))
        .values_list("entry__unit_id", "n")
    )
    tasks = {
        row["conclusion__session__unit_id"]: row
        for row in FollowUpTask.objects.filter(conclusion__session__unit_id__in=ids, done_on__isnull=True)
        .values("conclusion__session__unit_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    }
    rows: list[UnitCompliance] = []
    for unit in units:
        reqs = table.get((unit.kind, unit.level), []) + table.get((unit.kind, ""), [])
        current = max(reqs, key=lambda r: r.effective_from, default=None)
        result = rules.compliance(
            as_rules(reqs), calendar, held_days=head_days[unit.pk], start=start, end=end, today=today
        )
        e: dict[str, Any] = dict(entries.get(unit.pk) or {})
        t: dict[str, Any] = dict(tasks.get(unit.pk) or {})
        rows.append(
            UnitCompliance(
                unit=unit,
                head_title=current.head_title if current else "",
                requirement=f"{current.days} ngày/{current.get_period_display()}" if current else "",
                citation=current.citation if current else "",
                result=result,
                sessions_held=held_counts[unit.pk],
                head_days=len([d for d in head_days[unit.pk] if start <= d <= end]),
                dialogues=dialogues[unit.pk],
                entries=e.get("n", 0),
                cases_opened=cases.get(unit.pk, 0),
                notices_pending=e.get("pending", 0),
                notices_overdue=e.get("overdue", 0),
                notices_late=late.get(unit.pk, 0),
                tasks_open=t.get("n", 0),
                tasks_overdue=t.get("overdue", 0),
            )
        )
    return rows


def open_tasks(unit_ids: list[int], *, today: date) -> QuerySet[FollowUpTask]:
    """Open follow-ups of the given units' conclusions, or owned by the given units."""
    return (
        FollowUpTask.objects.filter(done_on__isnull=True)
        .filter(Q(conclusion__session__unit_id__in=unit_ids) | Q(owner_unit_id__in=unit_ids))
        .select_related("conclusion__session__unit", "owner_unit", "entry")
        .order_by("due_on")
    )


def upcoming_sessions(today: date) -> QuerySet[Session]:
    """Published reception days from ``today`` on, with the number of slots booked (``booked``)."""
    return (
        Session.objects.filter(status=SessionStatus.PUBLISHED, date__gte=today)
        .select_related("unit", "unit__province", "unit__commune")
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("date", "start_time", "pk")
    )
