"""Reads the rule tables (deadline rules, calendar overrides, routing rules) into the plain values the
pure functions take, kept per process and dropped when an administrator edits a table (``core.tables``:
at once here, within seconds in the other processes)."""

from __future__ import annotations

from datetime import date

from pakn.cases import deadlines
from pakn.cases.models import CalendarOverride, DeadlineRule, RoutingRule
from pakn.cases.routing import RouteRule
from pakn.core.calendar import WorkingCalendar, vietnam_calendar
from pakn.core.tables import clear_all, reference_table


@reference_table("deadline_rules", DeadlineRule)
def deadline_rules() -> tuple[deadlines.Rule, ...]:
    return tuple(
        deadlines.Rule(
            code=r.code,
            case_kind=r.case_kind,
            item=deadlines.Item(r.item),
            amount=r.amount,
            unit=deadlines.Unit(r.unit),
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            citation=r.citation,
            complaint_round=r.complaint_round,
            complex=r.complex,
            remote=r.remote,
            max_count=r.max_count,
            confirmed=r.confirmed,
            track=deadlines.Track(r.track or ""),
            level=r.level or None,
            counted_from=deadlines.CountedFrom(r.counted_from or ""),
        )
        for r in DeadlineRule.objects.all()
    )


def unconfirmed_codes() -> frozenset[str]:
    """Codes of the rules whose citation is not confirmed: every page and API response that shows the
    citation of one of them marks it "chưa xác nhận căn cứ pháp lý"."""
    return frozenset(r.code for r in deadline_rules() if not r.confirmed)


def citation_confirmed(rule_code: str) -> bool:
    return rule_code not in unconfirmed_codes()


@reference_table("working_calendar", CalendarOverride)
def working_calendar() -> WorkingCalendar:
    overrides = list(CalendarOverride.objects.all())
    this_year = date.today().year  # noqa: DTZ011 - a span of years, not a moment
    years = range(2012, this_year + 3)
    return vietnam_calendar(
        years,
        extra_days_off=[o.date for o in overrides if not o.is_working_day],
        extra_working_days=[o.date for o in overrides if o.is_working_day],
    )


@reference_table("route_rules", RoutingRule)
def route_rules() -> tuple[RouteRule, ...]:
    return tuple(
        RouteRule(
            id=r.pk,
            target=r.target,
            unit_id=r.unit_id,
            province_code=r.province_id,
            commune_code=r.commune_id,
            kind=r.kind,
            topic_code=r.topic.code if r.topic else None,
            priority=r.priority,
        )
        for r in RoutingRule.objects.select_related("topic")
    )


def clear_caches(**_: object) -> None:
    """Drop every reference table kept by this process (rules, calendar, places, units)."""
    clear_all()
