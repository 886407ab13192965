"""The language package's jobs after a case change (settings.CASE_JOBS): each idempotent; the services they call
read first and write in one short transaction (SQLite's write lock is held only for the write). Each has a
``together`` form that ``cases.jobs`` uses for the jobs of many changes at once."""

from typing import Any

from pakn.language import services
from pakn.language.models import Suggestion


def index_cases(pairs: list[tuple[Any, Any]]) -> None:
    """Staff search sees the cases as they are now."""
    services.index_cases([case for case, _event in pairs])


def index_case(*, case: Any, event: Any) -> None:
    index_cases([(case, event)])


def suggest_routing_together(pairs: list[tuple[Any, Any]]) -> None:
    """New cases: the topic and the competent unit suggested to the clerk (once per case; the models asked once
    for all)."""
    new = {case.pk: case for case, event in pairs if event.action == "submitted"}
    done = set(Suggestion.objects.filter(case_id__in=list(new)).values_list("case_id", flat=True))
    if new.keys() - done:
        services.record_suggestions([case for pk, case in new.items() if pk not in done])


def suggest_routing(*, case: Any, event: Any) -> None:
    suggest_routing_together([(case, event)])


def flag_duplicates(*, case: Any, event: Any) -> None:
    """A new case: open cases of the same place that look like the same matter (flags are unique per pair)."""
    if event.action == "submitted":
        services.flag_duplicates(case=case)


index_case.together = index_cases  # type: ignore[attr-defined]
suggest_routing.together = suggest_routing_together  # type: ignore[attr-defined]
