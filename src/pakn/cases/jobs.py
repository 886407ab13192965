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


@task()
def run_case_jobs(event_id: int, only: list[str] | None = None, attempt: int = 1) -> dict[str, Any]:
    event = AuditEvent.objects.filter(pk=event_id).first()
    case = Case.objects.select_related("unit").filter(pk=event.case_id).first() if event else None
    if event is None or case is None:  # erased since (retention): nothing left to follow up
        return {"ran": [], "skipped": "gone"}
    ran, failed = [], []
    for path in only or case_jobs():
        try:
            # No transaction around the whole job: each job reads first and writes in a short transaction of
            # its own, so a slow read (the duplicate check) never holds SQLite's write lock while citizens file.
            _job(path)(case=case, event=event)
            ran.append(path)
        except Exception:
            logger.exception("job %s failed for case %s (event %s, attempt %s)", path, case.pk, event.seq, attempt)
            failed.append(path)
    if not failed:
        return {"ran": ran}
    if attempt >= settings.JOB_ATTEMPTS:
        raise CaseJobsFailed(", ".join(failed))
    retry = run_case_jobs
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + FIRST_RETRY * 2 ** (attempt - 1))
    retry.enqueue(event_id, only=failed, attempt=attempt + 1)
    return {"ran": ran, "retrying": failed}


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
