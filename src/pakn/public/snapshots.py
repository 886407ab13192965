"""The figures of the public statistics pages, computed ahead: one ``PortalSnapshot`` per scope (the country,
each province, each unit a visitor chose) for the default period (the last twelve months), so a visitor reads
them with one indexed query and never waits for them to be computed.

- ``compute``: the figures a statistics page shows, as plain numbers and codes (JSON, no text in any language);
  ``context`` turns them into the page's rows and charts, with names, in the active language.
- ``figures``: what a request reads. The stored snapshot, stale or not (stale-while-revalidate: the page says
  when its figures were computed); a missing one (a new installation, a unit nobody chose before) is computed in
  the request and stored; a period other than the default is computed from the month tables and not stored (a
  visitor can choose any dates; the view's cache keeps it for ``PAKN_PUBLIC_CACHE_SECONDS``).
- ``mark_stale``: after a case change (the statistics job, ``public.jobs``): the snapshots of the country, of the
  provinces and of the units (and the units above them) whose figures changed.
- ``refresh_portal``: the worker's duty. Every stale snapshot and every snapshot of an earlier day is computed
  again, at most every ``PAKN_PORTAL_REFRESH_SECONDS`` each, the country first, then the provinces, then the
  units, within a time budget per run; the country's and the provinces' are created when missing.
- ``rebuild``: ``pakn stats_rebuild``: the country's, every province's and every stored snapshot again.

``PAKN_PUBLIC_CACHE_SECONDS=0`` turns the snapshots off with the cache: every request computes (tests, debugging).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.org.models import Province, Unit
from pakn.public import stats
from pakn.public.facts import STORED_MEASURES, month_of
from pakn.public.models import PortalSnapshot, SnapshotScope

FORMAT = 1  # the layout of ``PortalSnapshot.data``; a snapshot of another layout is computed again
COLUMNS = (*STORED_MEASURES, "overdue_open", "median_days")
REFRESH_BUDGET_SECONDS = 10.0  # per run of the worker's duty: the other duties (notifications) wait meanwhile


# ---------------------------------------------------------------- scopes and keys


def scope_kind(scope: stats.Scope) -> str:
    if scope.unit_ids is not None:
        return SnapshotScope.UNIT
    return SnapshotScope.PROVINCE if scope.province_id else SnapshotScope.NATION


def snapshot_key(scope: stats.Scope, period: stats.Period) -> str:
    """ "nation|last12", "province:01|last12", "unit:<id>|last12" (a unit scope's first id is its root unit)."""
    kind = scope_kind(scope)
    if kind == SnapshotScope.UNIT:
        assert scope.unit_ids is not None
        return f"unit:{scope.unit_ids[0]}|{period.kind}"
    if kind == SnapshotScope.PROVINCE:
        return f"province:{scope.province_id}|{period.kind}"
    return f"nation|{period.kind}"


def _scope_of(snapshot: PortalSnapshot) -> stats.Scope | None:
    """The scope a stored snapshot was computed for (None: its unit or province is gone)."""
    if snapshot.scope == SnapshotScope.NATION:
        return stats.Scope.nation()
    if snapshot.scope == SnapshotScope.PROVINCE:
        province = Province.objects.filter(code=snapshot.province_id).first()
        return stats.Scope.province(province.code, province.name) if province else None
    unit = Unit.objects.filter(pk=snapshot.unit_id).first() if snapshot.unit_id else None
    return stats.Scope.units(unit) if unit else None


# ---------------------------------------------------------------- figures as data, and back


def _values(measures: stats.Measures) -> list[Any]:
    return [measures[k] for k in COLUMNS]


def _measures(values: list[Any]) -> stats.Measures:
    return stats.Measures(zip(COLUMNS, values, strict=True))


def compute(scope: stats.Scope, period: stats.Period, *, today: date | None = None) -> dict[str, Any]:
    """Everything a statistics page shows for ``scope`` and ``period``, as numbers and codes: the totals (with
    the median), each month, each topic, and each province (the country) or unit (a province or a unit)."""
    measures = stats.page_measures(scope, period, today=today)
    return {
        "format": FORMAT,
        "columns": list(COLUMNS),
        "total": _values(measures["total"]),
        "months": [[month.isoformat(), _values(m)] for month, m in sorted(measures["months"].items())],
        "topics": [[topic, _values(m)] for topic, m in measures["topics"].items()],
        "units_by": measures["place"],
        "units": [[key, _values(m)] for key, m in measures["places"].items()],
    }


def context_total(data: dict[str, Any]) -> stats.Measures:
    """The totals of ``compute``'s figures (the home page shows only those)."""
    return _measures(data["total"])


def context(data: dict[str, Any], scope: stats.Scope, period: stats.Period) -> dict[str, Any]:
    """The rows of the statistics page from ``compute``'s figures, with the names of topics, provinces and
    units read now, in the active language: the same rows, in the same order, as computing them directly."""
    from pakn.cases.models import Topic

    months = {date.fromisoformat(month): _measures(values) for month, values in data["months"]}
    month_rows = [stats.Row(m, f"{m:%m/%Y}", months.get(m, stats.Measures.empty())) for m in period.months()]
    names = dict(Topic.objects.values_list("pk", "name"))
    topic_rows = sorted(
        (
            stats.Row(pk, names.get(pk, str(pk)) if pk else _("Chưa phân loại"), _measures(values))
            for pk, values in data["topics"]
        ),
        key=lambda r: (-r.measures["received"], r.label),
    )
    if data["units_by"] == "province":
        provinces = dict(Province.objects.values_list("code", "name"))
        units = sorted(
            (stats.Row(code, provinces.get(code, code), _measures(values)) for code, values in data["units"]),
            key=lambda r: r.key,
        )
        heading = _("Theo tỉnh, thành phố")
    else:
        found = Unit.objects.only("id", "code", "name", "province_id").in_bulk([pk for pk, _v in data["units"]])
        units = sorted(
            (
                stats.Row(pk, found[pk].name if pk in found else str(pk), _measures(values), found.get(pk))
                for pk, values in data["units"]
            ),
            key=lambda r: (-r.measures["received"], r.label),
        )
        heading = _("Theo đơn vị")
    return {
        "scope": scope,
        "period": period,
        "total": context_total(data),
        "months": month_rows,
        "topics": topic_rows,
        "units": units,
        "unit_heading": heading,
    }


# ---------------------------------------------------------------- what a request reads


@dataclass(frozen=True)
class Figures:
    data: dict[str, Any]
    computed_at: datetime
    period: stats.Period  # the period the figures are for: a stored snapshot's may be yesterday's default

    @property
    def version(self) -> str:
        return f"{self.period.start}:{self.period.end}:{self.computed_at.isoformat()}"


def enabled() -> bool:
    return settings.PUBLIC_CACHE_SECONDS > 0


def figures(scope: stats.Scope, period: stats.Period) -> Figures:
    """The figures of a statistics page: the stored snapshot of the scope for the default period (the same dates
    chosen in the form count as the default), as it is (stale or not: the worker computes it again, and the page
    shows the dates and time it was computed for); computed and stored when missing; computed, not stored, for
    any other period."""
    default = stats.Period.default()
    if (period.start, period.end) != (default.start, default.end) or not enabled():
        return Figures(compute(scope, period), timezone.now(), period)
    row = (
        PortalSnapshot.objects.filter(key=snapshot_key(scope, default))
        .values_list("data", "computed_at", "period_start", "period_end")
        .first()
    )
    if row is not None and row[0].get("format") == FORMAT:
        data, computed_at, start, end = row
        return Figures(data, computed_at, stats.Period(start, end, period.kind))
    stored = store(scope, default)
    return Figures(stored.data, stored.computed_at, period)


# ---------------------------------------------------------------- writing


def store(scope: stats.Scope, period: stats.Period) -> Figures:
    """Compute the snapshot of ``scope`` for ``period`` (the default) and store it. A case change that arrives
    while it is computed leaves it stale, so the next refresh includes it."""
    started = timezone.now()
    data = compute(scope, period)
    kind = scope_kind(scope)
    fields = {
        "scope": kind,
        "province_id": scope.province_id or "",
        "unit_id": scope.unit_ids[0] if kind == SnapshotScope.UNIT and scope.unit_ids else None,
        "period_kind": period.kind,
        "period_start": period.start,
        "period_end": period.end,
        "data": data,
        "computed_at": started,
    }
    key = snapshot_key(scope, period)
    current = PortalSnapshot.objects.filter(key=key)
    if not current.filter(Q(stale_since__isnull=True) | Q(stale_since__lt=started)).update(
        **fields, stale=False, stale_since=None
    ) and not current.update(**fields):
        try:
            with transaction.atomic():
                PortalSnapshot.objects.create(key=key, **fields)
        except IntegrityError:  # stored meanwhile by another process: theirs is as good
            pass
    return Figures(data, started, period)


def _with_ancestors(unit_ids: set[int]) -> tuple[set[int], set[str]]:
    """The units, every unit above them, and their provinces."""
    found, provinces, frontier = set(unit_ids), set(), set(unit_ids)
    while frontier:
        rows = list(Unit.objects.filter(pk__in=frontier).values_list("parent_id", "province_id"))
        provinces |= {p for _parent, p in rows if p}
        frontier = {parent for parent, _p in rows if parent is not None} - found
        found |= frontier
    return found, provinces


def mark_stale(touched: Iterable[tuple[int, date]], *, today: date | None = None) -> int:
    """After a case change: ``touched`` are the (unit, month) buckets it changed (``facts.refresh_cases``). The
    snapshots that count them are marked stale: the country's, the provinces', and those of the units and of
    every unit above them. Months before the default period change no snapshot. Returns how many were marked."""
    first = month_of(stats.Period.default(today).start)
    unit_ids = {unit for unit, month in touched if month >= first}
    if not unit_ids:
        return 0
    units, provinces = _with_ancestors(unit_ids)
    return PortalSnapshot.objects.filter(
        Q(scope=SnapshotScope.NATION)
        | Q(scope=SnapshotScope.PROVINCE, province_id__in=provinces)
        | Q(scope=SnapshotScope.UNIT, unit_id__in=units)
    ).update(stale=True, stale_since=timezone.now())


PRIORITY = SqlCase(
    When(scope=SnapshotScope.NATION, then=0),
    When(scope=SnapshotScope.PROVINCE, then=1),
    default=2,
)


def due(*, now: datetime | None = None) -> Any:
    """Snapshots to compute again: stale ones, and those of an earlier day (the default period has moved on and
    "overdue" is counted to today), each at most every ``PAKN_PORTAL_REFRESH_SECONDS``; the country first."""
    now = now or timezone.now()
    default = stats.Period.default(timezone.localdate(now))
    outdated = Q(stale=True) | ~Q(period_start=default.start) | ~Q(period_end=default.end)
    return (
        PortalSnapshot.objects.filter(outdated, period_kind=default.kind)
        .filter(computed_at__lte=now - timedelta(seconds=settings.PORTAL_REFRESH_SECONDS))
        .order_by(PRIORITY, "computed_at", "pk")
    )


def _missing_scopes() -> list[stats.Scope]:
    """The country and the provinces without a snapshot of the default period (a new installation)."""
    default = stats.Period.default()
    have = set(
        PortalSnapshot.objects.filter(period_kind=default.kind)
        .exclude(scope=SnapshotScope.UNIT)
        .values_list("key", flat=True)
    )
    provinces = [stats.Scope.province(c, n) for c, n in Province.objects.values_list("code", "name")]
    return [s for s in [stats.Scope.nation(), *provinces] if snapshot_key(s, default) not in have]


Job = stats.Scope | PortalSnapshot  # a scope without a snapshot yet, or a stored snapshot
ORDER: list[str] = [SnapshotScope.NATION, SnapshotScope.PROVINCE, SnapshotScope.UNIT]


def _kind(job: Job) -> str:
    return scope_kind(job) if isinstance(job, stats.Scope) else job.scope


def _recompute(jobs: Iterable[Job], budget: float | None) -> int:
    """Compute and store each snapshot (a stored one whose unit or province is gone is deleted), the country
    first, then the provinces, then the units; stop once ``budget`` seconds have passed (None: never)."""
    started, done = time.monotonic(), 0
    for job in sorted(jobs, key=lambda j: ORDER.index(_kind(j))):  # stable: oldest first within a kind
        scope = job if isinstance(job, stats.Scope) else _scope_of(job)
        if scope is None:
            assert isinstance(job, PortalSnapshot)
            PortalSnapshot.objects.filter(pk=job.pk).delete()
            continue
        store(scope, stats.Period.default())
        done += 1
        if budget is not None and time.monotonic() - started >= budget:
            break
    return done


FIELDS = ("id", "key", "scope", "province_id", "unit_id")


def refresh_portal(*, budget: float = REFRESH_BUDGET_SECONDS) -> int:
    """The worker's duty: the country's and the provinces' snapshots created when missing, and the due ones
    (``due``) computed again, until ``budget`` seconds have passed (at least one is done). Returns how many."""
    if not enabled():
        return 0
    return _recompute([*_missing_scopes(), *due().only(*FIELDS)[:500]], budget)


def rebuild() -> int:
    """``pakn stats_rebuild``: the country's and each province's snapshot and every other stored one, computed
    again. Returns how many."""
    PortalSnapshot.objects.exclude(period_kind=stats.Period.default().kind).delete()
    stored = list(PortalSnapshot.objects.order_by(PRIORITY, "pk").only(*FIELDS))
    return _recompute([*_missing_scopes(), *stored], None)
