"""The statistics' job after a case change (settings.CASE_JOBS)."""

from typing import Any

from django.db import transaction

from pakn.public.facts import refresh_case, refresh_cases
from pakn.public.snapshots import mark_stale


def refresh_statistics(*, case: Any, event: Any) -> None:
    """The case's facts and the month buckets they fall in (idempotent: recomputed from the case); the portal's
    snapshots that count them are marked stale (the worker computes them again, ``snapshots.refresh_portal``)."""
    with transaction.atomic():
        mark_stale(refresh_case(case.pk))


TOGETHER = 10  # cases per transaction: on SQLite the transaction holds the one write lock citizens wait for


def refresh_statistics_together(pairs: list[tuple[Any, Any]]) -> None:
    """The same for several cases at once (``cases.jobs``: the jobs of many new cases run together), ``TOGETHER``
    cases per transaction: each bucket and snapshot they touch is recomputed or marked once per transaction."""
    ids = sorted({case.pk for case, _event in pairs})
    for start in range(0, len(ids), TOGETHER):
        with transaction.atomic():
            mark_stale(refresh_cases(ids[start : start + TOGETHER]))


refresh_statistics.together = refresh_statistics_together  # type: ignore[attr-defined]
