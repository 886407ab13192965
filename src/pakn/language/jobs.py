"""The language package's jobs after a case change (settings.CASE_JOBS): each idempotent; the services they call
read first and write in one short transaction (SQLite's write lock is held only for the write)."""

from typing import Any

from django.db import transaction

from pakn.language import services
from pakn.language.models import Suggestion


def index_case(*, case: Any, event: Any) -> None:
    """Staff search sees the case as it is now."""
    with transaction.atomic():
        services.index_case(case=case)


def suggest_routing(*, case: Any, event: Any) -> None:
    """A new case: the topic and the competent unit suggested to the clerk (once)."""
    if event.action == "submitted" and not Suggestion.objects.filter(case_id=case.pk).exists():
        services.record_suggestion(case=case)


def suggest_routing_together(pairs: list[tuple[Any, Any]]) -> None:
    """The same for several new cases at once: the models are asked once for all."""
    new = {case.pk: case for case, event in pairs if event.action == "submitted"}
    done = set(Suggestion.objects.filter(case_id__in=list(new)).values_list("case_id", flat=True))
    if new.keys() - done:
        services.record_suggestions([case for pk, case in new.items() if pk not in done])


suggest_routing.together = suggest_routing_together  # type: ignore[attr-defined]


def flag_duplicates(*, case: Any, event: Any) -> None:
    """A new case: open cases of the same place that look like the same matter (flags are unique per pair)."""
    if event.action == "submitted":
        services.flag_duplicates(case=case)


def index_cases(pairs: list[tuple[Any, Any]]) -> None:
    """The same for several cases at once (``cases.jobs`` runs the jobs of many new cases together)."""
    services.index_cases([case for case, _event in pairs])


index_case.together = index_cases  # type: ignore[attr-defined]
