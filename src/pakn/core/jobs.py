"""The job queue, for the operators: run what is waiting, take back what a dead worker held, and say how far
behind the queue is (``pakn jobs``, ``/readyz``, the worker).

Jobs are django-tasks tasks (settings.TASKS). With the database backend a job is a row written in the
transaction that enqueued it; the worker claims a row, runs it and marks it done. A worker killed mid-job leaves
its row "running": ``requeue_stale`` hands it back (jobs are idempotent, so running one twice is harmless) once
its worker is known dead on this machine or its lease has run out.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)
LAG_WARNING = timedelta(minutes=2)  # a job waiting longer than this: the worker is not keeping up, or not running
# Jobs a worker claims at once (those of one task that runs jobs together run as one call). SQLite: fewer, since
# claiming them and writing their results holds the one write lock the citizens' requests wait for.
CLAIM = {"postgresql": 50, "sqlite": 10}

# task path -> ``runner(calls)``: runs several jobs of that task at once (``calls`` are their (args, kwargs)) and
# returns, for each, its return value or the exception it failed with.
_together: dict[str, Callable[[list[tuple[list[Any], dict[str, Any]]]], list[Any]]] = {}


def run_together(task_path: str, runner: Callable[[list[tuple[list[Any], dict[str, Any]]]], list[Any]]) -> None:
    """Register ``runner`` for the jobs of ``task_path`` claimed together (``cases.jobs``: the jobs after each
    case change, whose statistics and search index are cheaper refreshed for many cases at once)."""
    _together[task_path] = runner


def uses_database() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def worker_id() -> str:
    """``host:pid:random`` — ``requeue_stale`` reads the host and pid back to find a dead worker's jobs."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{get_random_string(8)}"


def _dead_here(ids: list[str]) -> bool:
    if not ids:
        return False
    host, _, rest = ids[-1].partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:30] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def requeue_stale(*, now: Any = None) -> int:
    """Hand back the jobs of workers that died holding them: at once when the worker ran on this machine and
    its process is gone, otherwise when the lease (``PAKN_JOB_LEASE_SECONDS``) has run out."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    expired = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    stale = [
        pk
        for pk, started, ids in DBTaskResult.objects.running().values_list("pk", "started_at", "worker_ids")
        if (started and started < expired) or _dead_here(ids)
    ]
    if not stale:
        return 0
    return DBTaskResult.objects.filter(pk__in=stale, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def drain(*, max_jobs: int | None = None, worker: str | None = None) -> int:
    """Run the jobs that are ready until none is left (or ``max_jobs``); returns how many ran. Up to ``CLAIM``
    are claimed at once (in queue order); those of a task registered with ``run_together`` run as one call,
    the others one after another. Claiming, running and recording are the library's (``DBTaskResult.claim``,
    its worker's ``run_task``, ``set_successful``/``set_failed``); the loop is ours because the library's also
    closes the database connection between jobs, which a caller inside a transaction (``pakn demo``, a test)
    cannot have — ``pakn worker`` closes old connections itself."""
    if not uses_database():
        return 0
    from django.db import OperationalError, connections
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

    me = worker or worker_id()
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_jobs,
        worker_id=me,
        excluded_queue_names=[],
    )
    ready = DBTaskResult.objects.ready().filter(backend_name="default")
    ran = 0
    while max_jobs is None or ran < max_jobs:
        claim = CLAIM.get(connections[ready.db].vendor, 10)
        size = claim if max_jobs is None else min(claim, max_jobs - ran)
        try:
            with exclusive_transaction(ready.db):
                claimed = list(ready.select_for_update(skip_locked=True)[:size])
                _claim(claimed, me)
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                break  # SQLite busy: the next look takes it
            raise
        if not claimed:
            break
        groups: dict[str, list[Any]] = {}
        for job in claimed:
            if job.task_path in _together:
                groups.setdefault(job.task_path, []).append(job)
            else:
                runner.run_task(job)
        for task_path, group in groups.items():
            if len(group) == 1:
                runner.run_task(group[0])
            else:
                _run_together(task_path, group, runner)
        ran += len(claimed)
    return ran


def _claim(jobs: list[Any], worker: str) -> None:
    """``DBTaskResult.claim`` for all of ``jobs`` in one UPDATE: the claim runs inside the write lock (SQLite)
    or the rows' locks (PostgreSQL), so one statement rather than one per job."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    for job in jobs:
        job.status, job.started_at, job.worker_ids = TaskResultStatus.RUNNING, now, [*job.worker_ids, worker]
    if jobs:
        DBTaskResult.objects.bulk_update(jobs, ["status", "started_at", "worker_ids"])


def _record(jobs: list[Any], outcomes: list[Any]) -> None:
    """Record what the jobs run together returned, as the library records a job it ran: an exception (or a return
    value that cannot be stored as JSON) fails its job alone; the successes are marked in one UPDATE (retried as
    the library retries its own)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import retry

    encoder = DBTaskResult._meta.get_field("return_value").encoder  # type: ignore[union-attr]
    now, done = timezone.now(), []
    for job, outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            job.set_failed(outcome)
            continue
        try:
            json.dumps(outcome, cls=encoder)
        except (TypeError, ValueError) as exc:
            job.set_failed(exc)
            continue
        job.status, job.finished_at, job.return_value = TaskResultStatus.SUCCESSFUL, now, outcome
        job.exception_class_path = job.traceback = ""
        done.append(job)
    if done:
        fields = ["status", "return_value", "finished_at", "exception_class_path", "traceback"]
        retry()(DBTaskResult.objects.bulk_update)(done, fields)


def _run_together(task_path: str, group: list[Any], runner: Any) -> None:
    """The claimed jobs of one task as one call; each is recorded as the library records a job it ran. If the
    call itself fails, each job is run alone."""
    from django_tasks.signals import task_finished, task_started

    results = [job.task_result for job in group]
    sender = type(group[0].task.get_backend())
    for result in results:
        task_started.send(sender=sender, task_result=result)
    try:
        outcomes = _together[task_path]([(list(r.args), dict(r.kwargs)) for r in results])
        if len(outcomes) != len(group):
            raise RuntimeError(f"{task_path}: {len(outcomes)} results for {len(group)} jobs")
    except Exception:
        logger.exception("%s jobs of %s failed together: each is run alone", len(group), task_path)
        for job in group:
            runner.run_task(job)
        return
    _record(group, outcomes)
    for job in group:
        task_finished.send(sender=sender, task_result=job.task_result)


def status(*, now: Any = None) -> dict[str, Any]:
    """Counts by state, the age of the oldest job waiting to run, and the latest failures."""
    if not uses_database():
        return {"backend": "immediate", "ready": 0, "running": 0, "failed": 0, "oldest_ready_seconds": 0}
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    ready_count = ready.count()
    failed = DBTaskResult.objects.failed()
    return {
        "backend": "database",
        "ready": ready_count,
        "waiting": DBTaskResult.objects.filter(status="READY").count() - ready_count,  # retries not yet due
        "running": DBTaskResult.objects.running().count(),
        "failed": failed.count(),
        "oldest_ready_seconds": _oldest_ready_seconds(now),
        "recent_failures": [
            {
                "id": str(row.pk),
                "task": row.task_path.rsplit(".", 1)[-1],
                "args": row.args_kwargs,
                "finished_at": row.finished_at.isoformat() if row.finished_at else None,
                "error": row.exception_class_path.rsplit(".", 1)[-1],
            }
            for row in failed.order_by("-finished_at")[:10]
        ],
    }


def retry_failed() -> int:
    """Put every failed job back in the queue (after the cause is fixed)."""
    if not uses_database():
        return 0
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.failed().update(
        status=TaskResultStatus.READY, started_at=None, finished_at=None, run_after=timezone.now()
    )


def prune(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete the rows of jobs that succeeded more than ``older_than`` ago (failures stay until retried)."""
    if not uses_database():
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.successful().filter(finished_at__lt=timezone.now() - older_than).delete()[0]


def _oldest_ready_seconds(now: Any) -> int:
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return int((now - oldest).total_seconds()) if oldest else 0


def readiness() -> dict[str, Any]:
    """``/readyz`` (reported, never "not ready"): the queue's lag, its length and whether any job failed — three
    small queries, since the probe runs every few seconds (``status`` is for ``pakn jobs``)."""
    if not uses_database():
        return {"ok": True, "ready": 0, "failed": False, "oldest_ready_seconds": 0}
    from django_tasks_db.models import DBTaskResult

    lag = _oldest_ready_seconds(timezone.now())
    failed = DBTaskResult.objects.failed().exists()
    return {
        "ok": timedelta(seconds=lag) <= LAG_WARNING and not failed,
        "ready": DBTaskResult.objects.ready().count(),
        "failed": failed,
        "oldest_ready_seconds": lag,
    }
