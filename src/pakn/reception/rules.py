"""Pure rules of citizen reception: plain values in, plain values out, no database.

* the publication rule: a schedule is published at least N working days before the session;
* the notice deadline: the citizen is told within N working days whether the matter was accepted,
  forwarded or refused (Law on Citizen Reception 2013, Art. 28(1));
* compliance: the reception days a head held in each week or month against the required frequency.

Weeks are ISO weeks (Monday–Sunday); months are calendar months. A period with no working day at all
(a whole week of Tết) requires nothing. A period that has not ended yet is "in progress": it counts
as met once enough days are held, and never as missed.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from pakn.core.calendar import WorkingCalendar

WEEK = "week"
MONTH = "month"


@dataclass(frozen=True)
class Requirement:
    days: int
    period: str  # "week" | "month"
    effective_from: date
    effective_to: date | None
    citation: str
    head_title: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def publication_shortfall(
    calendar: WorkingCalendar, *, published_on: date, session_on: date, min_working_days: int
) -> int:
    """How many working days short of the rule a publication on ``published_on`` is (0 = allowed).

    "Published at least N working days ahead": the session day must be on or after the N-th working
    day after the publication day, i.e. ``working_days_between(published_on, session_on) >= N``."""
    if session_on <= published_on:
        return min_working_days
    return max(min_working_days - calendar.working_days_between(published_on, session_on), 0)


def earliest_session_day(calendar: WorkingCalendar, *, published_on: date, min_working_days: int) -> date:
    """The first day a session published on ``published_on`` may take place."""
    return calendar.add_working_days(published_on, min_working_days)


def notice_due(calendar: WorkingCalendar, *, received_on: date, working_days: int) -> date:
    """The last day to tell the citizen the outcome: the N-th working day after the reception day."""
    return calendar.add_working_days(received_on, working_days)


def period_bounds(day: date, period: str) -> tuple[date, date]:
    if period == WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == MONTH:
        last = _calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    raise ValueError(f"unknown period {period!r}")


def periods_between(start: date, end: date, period: str) -> list[tuple[date, date]]:
    """The weeks or months that overlap ``[start, end]``, whole."""
    result: list[tuple[date, date]] = []
    day = start
    while day <= end:
        bounds = period_bounds(day, period)
        result.append(bounds)
        day = bounds[1] + timedelta(days=1)
    return result


@dataclass(frozen=True)
class PeriodResult:
    start: date
    end: date
    required: int
    held: int
    finished: bool
    citation: str

    @property
    def met(self) -> bool:
        return self.held >= self.required

    @property
    def missed(self) -> bool:
        return self.finished and not self.met


@dataclass(frozen=True)
class Compliance:
    periods: Sequence[PeriodResult] = field(default_factory=tuple)

    @property
    def required_days(self) -> int:
        return sum(p.required for p in self.periods if p.finished)

    @property
    def held_days(self) -> int:
        return sum(p.held for p in self.periods)

    @property
    def periods_due(self) -> int:
        return sum(1 for p in self.periods if p.finished and p.required)

    @property
    def periods_met(self) -> int:
        return sum(1 for p in self.periods if p.finished and p.required and p.met)

    @property
    def periods_missed(self) -> int:
        return sum(1 for p in self.periods if p.missed)

    @property
    def rate(self) -> float | None:
        """Share of finished periods in which the head met the requirement (None if none finished)."""
        return self.periods_met / self.periods_due if self.periods_due else None

    @property
    def has_requirement(self) -> bool:
        return any(p.required for p in self.periods)


def compliance(
    requirements: Iterable[Requirement],
    calendar: WorkingCalendar,
    *,
    held_days: Iterable[date],
    start: date,
    end: date,
    today: date,
) -> Compliance:
    """Reception days held against the required frequency, period by period.

    ``requirements``: the rules for this kind of unit (several, with effective dates); the rule in
    force on the first day of a period applies to the whole period (for a week, its Monday). A
    period is counted with every distinct day held in it, and is finished once its last day is
    before ``today``."""
    rules = sorted(requirements, key=lambda r: r.effective_from)
    days = sorted(set(held_days))
    results: list[PeriodResult] = []
    if not rules:
        return Compliance(())
    period = rules[-1].period
    for p_start, p_end in periods_between(start, end, period):
        rule = next((r for r in reversed(rules) if r.in_force(p_start) and r.period == period), None)
        if rule is None:
            rule = next((r for r in reversed(rules) if r.in_force(p_end) and r.period == period), None)
        working = calendar.working_days_between(p_start - timedelta(days=1), p_end)
        required = min(rule.days, working) if rule else 0
        held = sum(1 for d in days if p_start <= d <= p_end)
        results.append(
            PeriodResult(
                start=p_start,
                end=p_end,
                required=required,
                held=held,
                finished=p_end < today,
                citation=rule.citation if rule else "",
            )
        )
    return Compliance(tuple(results))
