"""The statistics' job after a case change (settings.CASE_JOBS)."""

from typing import Any

from django.db import transaction

from pakn.public.facts import refresh_case
from pakn.public.snapshots import mark_stale


def refresh_statistics(*, case: Any, event: Any) -> None:
    """The case's facts and the month buckets they fall in (idempotent: recomputed from the case); the portal's
    snapshots that count them are marked stale (the worker computes them again, ``snapshots.refresh_portal``)."""
    with transaction.atomic():
        mark_stale(refresh_case(case.pk))
