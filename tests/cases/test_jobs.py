"""A case's jobs (cases.jobs, core.jobs) on the database queue, as production runs them: written in the
transaction of the change, run after it by the worker, retried alone, taken back from a dead worker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from conftest import DATABASE_JOBS
from pakn.cases.models import AuditEvent, Case
from pakn.core import jobs
from pakn.language.models import CaseSearchDocument, Suggestion
from pakn.public.models import HandlingFact


def flaky_job(*, case: Any, event: Any) -> None:
    """Fails while the cache says so (the worker imports this module by its path: a module global could be
    another copy's)."""
    from django.core.cache import cache

    if cache.get("flaky-job-fails"):
        raise RuntimeError("the search server is down")


def picky_job(*, case: Any, event: Any) -> None:
    """Fails for the case the cache names, alone or among others."""
    from django.core.cache import cache

    if case.pk == cache.get("picky-job-fails-for"):
        raise RuntimeError("this case's text breaks the job")
    cache.incr("picky-job-alone")


def picky_job_together(pairs: list[tuple[Any, Any]]) -> None:
    from django.core.cache import cache

    if cache.get("picky-job-fails-for") in {case.pk for case, _event in pairs}:
        raise RuntimeError("one case's text breaks the job")
    cache.incr("picky-job-together")


picky_job.together = picky_job_together  # type: ignore[attr-defined]


@pytest.fixture
def queue(settings: Any) -> Any:
    settings.TASKS = DATABASE_JOBS
    return settings


def test_jobs_wait_for_the_worker_and_then_take_effect(queue: Any, make_case: Callable[..., Case]) -> None:
    case = make_case()
    events = AuditEvent.objects.filter(case=case).count()
    assert DBTaskResult.objects.ready().count() == events >= 1
    # Nothing slow ran in the citizen's request.
    assert not CaseSearchDocument.objects.filter(case_id=case.pk).exists()
    assert not HandlingFact.objects.filter(case_id=case.pk).exists()
    assert not Suggestion.objects.filter(case_id=case.pk).exists()

    assert jobs.drain() == events
    assert CaseSearchDocument.objects.filter(case_id=case.pk).count() == 1
    assert HandlingFact.objects.filter(case_id=case.pk).exists()
    assert Suggestion.objects.filter(case_id=case.pk).count() == 1
    assert DBTaskResult.objects.successful().count() == events
    assert jobs.status()["ready"] == 0


def test_a_change_rolled_back_leaves_no_job(queue: Any, make_case: Callable[..., Case]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        assert DBTaskResult.objects.exists()
        raise RuntimeError("the request failed after the case was written")
    assert not DBTaskResult.objects.exists()
    assert not Case.objects.exists()


def test_running_a_case_job_twice_changes_nothing(queue: Any, make_case: Callable[..., Case]) -> None:
    case = make_case()
    jobs.drain()
    before = (
        CaseSearchDocument.objects.count(),
        Suggestion.objects.count(),
        list(HandlingFact.objects.values_list("unit_id", "received_on", "outcome")),
    )
    assert jobs.retry_failed() == 0
    DBTaskResult.objects.update(status="READY")  # as if every job were handed back after a crash
    jobs.drain()
    assert (
        CaseSearchDocument.objects.count(),
        Suggestion.objects.count(),
        list(HandlingFact.objects.values_list("unit_id", "received_on", "outcome")),
    ) == before
    assert CaseSearchDocument.objects.filter(case_id=case.pk).count() == 1


def test_a_failing_job_is_retried_alone_then_reported(queue: Any, make_case: Callable[..., Case]) -> None:
    queue.CASE_JOBS = ["pakn.language.jobs.index_case", "cases.test_jobs.flaky_job"]
    queue.JOB_ATTEMPTS = 3
    cache.set("flaky-job-fails", True)
    case = make_case(kind="petition")
    jobs.drain()
    # The index job ran; the failing one waits for its retry, alone, later.
    assert CaseSearchDocument.objects.filter(case_id=case.pk).exists()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"] == {"only": ["cases.test_jobs.flaky_job"], "attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=20)
    assert jobs.status()["waiting"] == 1 and jobs.status()["ready"] == 0

    for _ in range(2):  # the retries fall due
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        jobs.drain()
    failed = DBTaskResult.objects.failed().get()
    assert "flaky_job" in failed.traceback
    state = jobs.status()
    assert state["failed"] == 1 and state["recent_failures"][0]["error"] == "CaseJobsFailed"
    assert jobs.readiness()["ok"] is False
    out = StringIO()
    call_command("jobs", stdout=out)
    assert "failed=1" in out.getvalue() and "run_case_jobs" in out.getvalue()

    # The cause is fixed; the operator retries.
    cache.set("flaky-job-fails", False)
    call_command("jobs", "retry", stdout=StringIO())
    jobs.drain()
    assert jobs.status()["failed"] == 0 and jobs.readiness()["ok"] is True


def test_a_dead_workers_job_is_handed_back(queue: Any, make_case: Callable[..., Case]) -> None:
    make_case()
    make_case(kind="petition")
    task = DBTaskResult.objects.ready().first()
    assert task is not None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    host = jobs.worker_id().split(":")[0]
    task.claim(f"{host}:{dead.stdout.strip()}:abcdefgh")
    alive = DBTaskResult.objects.ready().first()
    assert alive is not None
    alive.claim(f"{host}:{os.getpid()}:abcdefgh")  # this process: alive, within its lease

    assert jobs.requeue_stale() == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=alive.pk).status == "RUNNING"
    # On another machine nobody can tell: the lease decides.
    assert jobs.requeue_stale(now=timezone.now() + timedelta(seconds=queue.JOB_LEASE_SECONDS + 1)) == 1
    assert DBTaskResult.objects.get(pk=alive.pk).status == "READY"


def test_the_worker_runs_the_jobs_and_reports(queue: Any, make_case: Callable[..., Case]) -> None:
    case = make_case()
    out = StringIO()
    call_command("worker", stdout=out)
    assert "jobs=" in out.getvalue() and "jobs=0" not in out.getvalue()
    assert CaseSearchDocument.objects.filter(case_id=case.pk).exists()


def test_an_unknown_job_fails_the_system_check(settings: Any) -> None:
    from pakn.cases.jobs import _job, check_case_jobs

    settings.CASE_JOBS = ["pakn.language.jobs.no_such_job"]
    _job.cache_clear()
    errors = check_case_jobs()
    assert [e.id for e in errors] == ["pakn.E010"]


def test_readyz_reports_the_queue(queue: Any, client: Any, make_case: Callable[..., Case]) -> None:
    make_case()
    body = client.get("/readyz").json()
    assert body["checks"]["jobs"]["ready"] >= 1


def test_administrators_see_the_queue_in_the_admin(queue: Any, admin_user: Any, make_case: Callable[..., Case]) -> None:
    from django.test import Client

    make_case()
    client = Client()
    client.force_login(admin_user)
    page = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=READY")
    assert page.status_code == 200
    assert "run_case_jobs" in page.content.decode()


def test_the_jobs_of_many_changes_run_together(queue: Any, make_case: Callable[..., Case]) -> None:
    """The worker claims up to ``jobs.CLAIM`` jobs at once; the case jobs among them run as one call, so the
    statistics and the search index are refreshed once for the lot: fewer queries than one case at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_case()
    with CaptureQueriesContext(connection) as alone:
        assert jobs.drain() == 1
    cases = [make_case(title=f"Đèn đường hỏng số {i}") for i in range(8)]
    with CaptureQueriesContext(connection) as together:
        assert jobs.drain() == 8
    assert len(together) < 8 * len(alone) * 0.7, (len(together), len(alone))
    for case in cases:
        assert CaseSearchDocument.objects.filter(case_id=case.pk).count() == 1
        assert HandlingFact.objects.filter(case_id=case.pk).exists()
        assert Suggestion.objects.filter(case_id=case.pk).count() == 1
    done = DBTaskResult.objects.successful()
    assert done.count() == 9 and all("pakn.language.jobs.index_case" in job.return_value["ran"] for job in done)
    # The public figures count every case, as if each had been refreshed alone.
    from pakn.public.facts import rebuild
    from pakn.public.models import UnitMonthStat

    counted = sorted(UnitMonthStat.objects.values_list("unit_id", "month", "received"))
    rebuild()
    assert sorted(UnitMonthStat.objects.values_list("unit_id", "month", "received")) == counted


def test_one_bad_case_among_many_fails_alone(queue: Any, make_case: Callable[..., Case]) -> None:
    queue.CASE_JOBS = ["pakn.language.jobs.index_case", "cases.test_jobs.picky_job"]
    cases = [make_case(kind="petition", title=f"Kiến nghị số {i}") for i in range(4)]
    cache.set("picky-job-alone", 0)
    cache.set("picky-job-together", 0)
    cache.set("picky-job-fails-for", cases[2].pk)
    assert jobs.drain() == 4
    # Together it failed, so each ran alone: three passed, the bad one waits for its retry, alone.
    assert cache.get("picky-job-together") == 0 and cache.get("picky-job-alone") == 3
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"] == {"only": ["cases.test_jobs.picky_job"], "attempt": 2}
    assert DBTaskResult.objects.successful().count() == 4  # the retry is a job of its own
    assert all(CaseSearchDocument.objects.filter(case_id=c.pk).exists() for c in cases)

    cache.set("picky-job-fails-for", None)
    for case in cases:
        make_case(kind="petition", title=f"Kiến nghị mới {case.pk}")
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    jobs.drain()
    assert cache.get("picky-job-together") == 1  # the four new ones (and the retry) in one call
    assert DBTaskResult.objects.filter(status="READY").count() == 0 and not DBTaskResult.objects.failed().exists()


@task()
def echo(value: Any) -> Any:
    return value


@pytest.mark.django_db
def test_a_batch_is_claimed_and_recorded_in_one_statement_each(queue: Any, monkeypatch: Any) -> None:
    """Claiming holds SQLite's one write lock (and PostgreSQL's row locks): one UPDATE for the batch, one more to
    record the results of jobs run together; a result that cannot be stored fails that job alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unstorable = object()
    monkeypatch.setitem(
        jobs._together, echo.module_path, lambda calls: [unstorable if a == [2] else a[0] for a, _kw in calls]
    )
    with transaction.atomic():
        for value in (1, 3, 5, 7):
            echo.enqueue(value)
    with CaptureQueriesContext(connection) as sent:
        assert jobs.drain() == 4
    updates = [q["sql"] for q in sent.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 2, updates
    assert sorted(job.return_value for job in DBTaskResult.objects.successful()) == [1, 3, 5, 7]
    assert all(job.worker_ids and job.started_at for job in DBTaskResult.objects.all())

    with transaction.atomic():
        for value in (1, 2, 3):
            echo.enqueue(value)
    assert jobs.drain() == 3
    failed = DBTaskResult.objects.failed().get()
    assert failed.args_kwargs["args"] == [2] and "TypeError" in failed.exception_class_path
    assert DBTaskResult.objects.successful().count() == 6
