"""The statistics' job after a case change (settings.CASE_JOBS)."""

from typing import Any

from django.db import transaction

from pakn.public import facts
from pakn.public.snapshots import mark_stale

TOGETHER = 10  # cases per transaction: on SQLite the transaction holds the one write lock citizens wait for


def refresh_statistics_together(pairs: list[tuple[Any, Any]]) -> None:
    """The facts of the cases and the month buckets they fall in (idempotent: recomputed from the cases); the
    portal's snapshots that count them are marked stale (the worker computes them again,
    ``snapshots.refresh_portal``). ``cases.jobs`` runs the jobs of many changes together: ``TOGETHER`` cases per
    transaction, each bucket and snapshot they touch recomputed or marked once per transaction."""
    ids = sorted({case.pk for case, _event in pairs})
    for start in range(0, len(ids), TOGETHER):
        with transaction.atomic():
            mark_stale(facts.refresh_cases(ids[start : start + TOGETHER]))


def refresh_statistics(*, case: Any, event: Any) -> None:
    refresh_statistics_together([(case, event)])


refresh_statistics.together = refresh_statistics_together  # type: ignore[attr-defined]
