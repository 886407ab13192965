"""A case's deadlines: the obligations its unit owes (accept, answer, resolve, notify, publish…), opened and
closed by the acts, with the earliest open one copied to ``Case.due_on`` for the lists."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from pakn.cases import deadlines, policy
from pakn.cases.models import AuditEvent, Case, Complexity, Kind, Obligation, ObligationKind, Track
from pakn.cases.services.common import STATUTORY_KINDS, open_obligations
from pakn.core.inserts import insert


def rule_track(case: Case) -> deadlines.Track:
    """The rules a case's periods come from: the Party's on the party track, the law's otherwise."""
    return deadlines.Track.PARTY if case.track == Track.PARTY else deadlines.Track.LAW


def rule_level(case: Case) -> str | None:
    return case.unit.level if case.track == Track.PARTY else None


def compute_for_case(case: Case, *, received: date, accepted: date | None = None) -> deadlines.DeadlineResult:
    kind = case.kind if case.track != Track.ANONYMOUS else Kind.REPORT
    party = case.track == Track.PARTY
    return deadlines.compute_deadlines(
        policy.deadline_rules(),
        policy.working_calendar(),
        kind=kind,
        received=received,
        accepted=accepted,
        complaint_round=case.complaint_round or 1,
        complex=case.complexity != Complexity.NORMAL,
        remote=case.remote_area,
        extensions=case.extensions if kind == Kind.DENUNCIATION else 0,
        answer_working_days=case.unit.answer_working_days if kind not in STATUTORY_KINDS and not party else None,
        track=rule_track(case),
        level=rule_level(case),
    )


def open_obligation(case: Case, *, kind: str, opened_on: date, due_on: date, rule: deadlines.Rule) -> Obligation:
    obligation = open_first_obligation(case, kind=kind, opened_on=opened_on, due_on=due_on, rule=rule)
    refresh_due(case)
    return obligation


def open_first_obligation(case: Case, *, kind: str, opened_on: date, due_on: date, rule: deadlines.Rule) -> Obligation:
    """A new case's first obligation: the case was written with this due date, so nothing to refresh."""
    return insert(
        Obligation(
            case=case,
            unit=case.unit,
            kind=kind,
            opened_on=opened_on,
            due_on=due_on,
            rule_code=rule.code,
            citation=rule.citation,
        )
    )


def close_obligations(
    case: Case, *, kinds: tuple[str, ...] | None = None, met: bool = True, on: date | None = None
) -> None:
    queryset = open_obligations(case)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if met:
        queryset.update(met_on=on or timezone.localdate())
    else:
        queryset.update(cancelled=True)
    refresh_due(case)


def refresh_due(case: Case) -> None:
    first = open_obligations(case).order_by("due_on").first()
    case.due_on = first.due_on if first else None
    Case.objects.filter(pk=case.pk).update(due_on=case.due_on)


def first_obligation(case: Case, today: date) -> tuple[str, date, deadlines.Rule]:
    """The obligation a new (or newly forwarded) case starts with, counted from ``today``."""
    if case.reference:
        due, rule = deadlines.period_end(
            policy.deadline_rules(),
            policy.working_calendar(),
            case_kind=case.kind,
            item=deadlines.Item.REFERENCE,
            start=today,
            track=deadlines.Track.PARTY,
            level=rule_level(case),
        )
        return ObligationKind.REFERENCE, due, rule
    result = compute_for_case(case, received=today)
    if case.track == Track.ANONYMOUS:
        assert result.answer_by is not None
        return ObligationKind.TRIAGE, result.answer_by, result.rules[0]
    if result.answer_by is not None:
        return ObligationKind.ANSWER, result.answer_by, result.rules[0]
    assert result.accept_by is not None
    return ObligationKind.ACCEPT, result.accept_by, result.rules[0]


def open_rule_obligation(case: Case, *, kind: str, item: deadlines.Item, start: date) -> Obligation | None:
    """Open the obligation of ``item`` (a rule in the table, counted from ``start``); None when no rule is in
    force for the case's kind (nothing to do)."""
    try:
        due, rule = deadlines.period_end(
            policy.deadline_rules(),
            policy.working_calendar(),
            case_kind=case.kind,
            item=item,
            start=start,
            complaint_round=case.complaint_round,
            complex=case.complexity != Complexity.NORMAL,
            remote=case.remote_area,
            track=rule_track(case),
            level=rule_level(case),
        )
    except deadlines.NoRuleError:
        return None
    return open_obligation(case, kind=kind, opened_on=start, due_on=due, rule=rule)


def pending(case: Case, kind: str) -> bool:
    """An obligation of ``kind`` is open on the case."""
    return bool(open_obligations(case).filter(kind=kind).exists())


def days_paused(case: Case) -> int:
    """Days the case was suspended since its current acceptance: they do not count towards the period."""
    events = AuditEvent.objects.filter(case=case)
    accepted = events.filter(action="accepted").order_by("-seq").values_list("seq", flat=True).first()
    resumed = events.filter(action="resumed", seq__gt=accepted or 0)
    return sum(int(e.data.get("days_paused", 0)) for e in resumed)


def last_arrival(case: Case) -> int:
    """Seq of the event that brought the case to its current unit (0 = submitted there)."""
    last = (
        AuditEvent.objects.filter(case=case, action__in=("forwarded", "escalated"))
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return last or 0
