"""Case list filters shared by the staff pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from pakn.cases import policy
from pakn.cases.models import Case
from pakn.cases.workflow import OPEN, Status


@dataclass
class CaseFilter:
    status: str = ""
    kind: str = ""
    unit: str = ""
    due: str = ""  # "overdue" | "soon" | ""
    q: str = ""
    received_from: date | None = None
    received_to: date | None = None


def due_soon_horizon(today: date) -> date:
    return policy.working_calendar().add_working_days(today, settings.DUE_SOON_WORKING_DAYS)


def overdue_q(today: date) -> Q:
    """Past its due date; never a suspended case (the clock stops, resuming moves the date)."""
    return Q(due_on__lt=today) & ~Q(status=Status.SUSPENDED)


def due_soon_q(today: date, horizon: date | None = None) -> Q:
    return Q(due_on__gte=today, due_on__lte=horizon or due_soon_horizon(today)) & ~Q(status=Status.SUSPENDED)


def apply_filter(queryset: QuerySet[Case], f: CaseFilter, *, today: date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    if f.status == "open":
        queryset = queryset.filter(status__in=[s.value for s in OPEN])
    elif f.status:
        queryset = queryset.filter(status=f.status)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.unit:
        queryset = queryset.filter(unit__code=f.unit)
    if f.due == "overdue":
        queryset = queryset.filter(overdue_q(today))
    elif f.due == "soon":
        queryset = queryset.filter(due_soon_q(today))
    if f.received_from:
        queryset = queryset.filter(received_on__gte=f.received_from)
    if f.received_to:
        queryset = queryset.filter(received_on__lte=f.received_to)
    queryset = queryset.select_related("unit", "topic")
    if f.q.strip():
        from pakn.language.search import filter_cases

        queryset = filter_cases(queryset, f.q)
    return queryset
