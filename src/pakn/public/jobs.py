"""The statistics' job after a case change (settings.CASE_JOBS)."""

from typing import Any

from django.db import transaction

from pakn.public.facts import refresh_case


def refresh_statistics(*, case: Any, event: Any) -> None:
    """The case's facts and the month buckets they fall in (idempotent: recomputed from the case)."""
    with transaction.atomic():
        refresh_case(case.pk)
