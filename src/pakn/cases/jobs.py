"""What follows a case change, after its commit: the jobs listed in ``settings.CASE_JOBS``.

``services.record_event`` enqueues ``run_case_jobs`` for every audit event, in the transaction of the change
(the database backend writes the job in that transaction): the change and its jobs commit together or not at
all, and nothing slow holds the database's write lock while a citizen waits. Each job is a function
``(case, event)`` that may run more than once (after a crash, or a retry), so each is idempotent; it does its
reading first and its writing in one short transaction of its own, and a failing one is retried alone, later
(``JOB_ATTEMPTS`` in all, back-off doubling from 30 s). A job that fails its last attempt fails the task:
``pakn jobs`` lists it and ``/readyz`` reports it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from pakn.cases.models import AuditEvent, Case

logger = logging.getLogger(__name__)

CaseJob = Callable[..., Any]
FIRST_RETRY = timedelta(seconds=30)


class CaseJobsFailed(Exception):
    """Some of a case's jobs failed their last attempt (their names are the message)."""


@cache
def _job(path: str) -> CaseJob:
    job = import_string(path)
    if not callable(job):
        raise ImproperlyConfigured(f"CASE_JOBS: {path} is not a function")
    return job  # type: ignore[no-any-return]


def case_jobs() -> list[str]:
    return list(settings.CASE_JOBS)


def enqueue_case_jobs(event: AuditEvent) -> None:
    """Call in the transaction that recorded ``event``."""
    run_case_jobs.enqueue(event.pk)


@dataclass
class _Run:
    """One ``run_case_jobs`` job: its arguments, then what it found and what ran."""

    event_id: int
    only: list[str] | None = None
    attempt: int = 1
    event: AuditEvent | None = None
    case: Case | None = None
    ran: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _run(runs: list[_Run]) -> None:
    """Each listed job for each run, in the listed order. A job with a ``together`` function (``(case, event)``
    pairs) runs once for all the runs that need it; if that fails, it runs for each alone, so one bad case
    does not fail the others."""
    events = AuditEvent.objects.in_bulk([run.event_id for run in runs])
    cases = Case.objects.select_related("unit").in_bulk({event.case_id for event in events.values()})
    for run in runs:
        run.event = events.get(run.event_id)
        run.case = cases.get(run.event.case_id) if run.event else None
    live = [run for run in runs if run.case is not None]  # the others were erased since (retention)
    for path in case_jobs():
        members = [run for run in live if run.only is None or path in run.only]
        job = _job(path)
        together = getattr(job, "together", None)
        if together is not None and len(members) > 1:
            try:
                together([(run.case, run.event) for run in members])
            except Exception:
                logger.exception("job %s failed for %s cases together: each is run alone", path, len(members))
            else:
                for run in members:
                    run.ran.append(path)
                continue
        for run in members:
            try:
                # No transaction around the whole job: each job reads first and writes in a short transaction of
                # its own, so a slow read (the duplicate check) never holds SQLite's write lock while citizens file.
                job(case=run.case, event=run.event)
                run.ran.append(path)
            except Exception:
                case_id = run.case.pk if run.case else None
                logger.exception(
                    "job %s failed for case %s (event %s, attempt %s)", path, case_id, run.event_id, run.attempt
                )
                run.failed.append(path)


def _settle(run: _Run) -> dict[str, Any]:
    """The job's result; the jobs that failed are queued again alone, later, until the last attempt fails."""
    if run.case is None:
        return {"ran": [], "skipped": "gone"}
    if not run.failed:
        return {"ran": run.ran}
    if run.attempt >= settings.JOB_ATTEMPTS:
        raise CaseJobsFailed(", ".join(run.failed))
    retry = run_case_jobs
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + FIRST_RETRY * 2 ** (run.attempt - 1))
    retry.enqueue(run.event_id, only=run.failed, attempt=run.attempt + 1)
    return {"ran": run.ran, "retrying": run.failed}


@task()
def run_case_jobs(event_id: int, only: list[str] | None = None, attempt: int = 1) -> dict[str, Any]:
    run = _Run(event_id, only, attempt)
    _run([run])
    return _settle(run)


def run_case_jobs_together(calls: list[tuple[list[Any], dict[str, Any]]]) -> list[Any]:
    """Several ``run_case_jobs`` jobs at once (``core.jobs.drain`` hands over the ones it claimed together):
    for each, its result or the exception it fails with."""
    runs = [_Run(*args, **kwargs) for args, kwargs in calls]
    _run(runs)
    outcomes: list[Any] = []
    for run in runs:
        try:
            outcomes.append(_settle(run))
        except CaseJobsFailed as failure:
            outcomes.append(failure)
    return outcomes


def check_case_jobs(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """``manage.py check``: every listed job can be imported."""
    from django.core import checks

    errors = []
    for path in case_jobs():
        try:
            _job(path)
        except (ImportError, ImproperlyConfigured) as exc:
            errors.append(checks.Error(f"CASE_JOBS: {path} cannot be used: {exc}", id="pakn.E010"))
    return errors
