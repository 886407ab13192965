"""kill -9 in the middle of a load: a process files cases (printing each tracking code once ``submit`` has
returned, i.e. once the citizen would see it) while the worker runs their jobs; both are killed with SIGKILL.
A new worker hands back what the dead one held and finishes: every acknowledged case is there, every job ran to
completion once, and its effects are there once (one search document, one routing suggestion per case)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL semantics")]

SUBMITTER = """
import django
django.setup()
from pakn.org.loader import load_units
load_units(provinces=["01"])
print("ready", flush=True)
from pakn.cases import services
for i in range(20000):  # killed long before the end
    case = services.submit(actor=None, kind="report", title=f"Đèn đường hỏng số {i}",
                           content=f"Đèn đường trước nhà số {i} phố Đội Cấn hỏng đã hai tuần.",
                           province_code="01", commune_code="00004")
    print(case.tracking_code, flush=True)
"""

VERIFY = """
import json
import django
django.setup()
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from pakn.cases.models import AuditEvent, Case
from pakn.language.models import CaseSearchDocument, Suggestion
from pakn.public.models import HandlingFact
print(json.dumps({
    "codes": list(Case.objects.values_list("tracking_code", flat=True)),
    "events": AuditEvent.objects.count(),
    "tasks": dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk"))),
    "task_events": len({json.dumps(a, sort_keys=True)
                        for a in DBTaskResult.objects.values_list("args_kwargs", flat=True)}),
    "documents_per_case": sorted(set(CaseSearchDocument.objects.values("case_id").annotate(n=Count("pk"))
                                     .values_list("n", flat=True))),
    "cases_with_documents": CaseSearchDocument.objects.values("case_id").distinct().count(),
    "suggestions_per_case": sorted(set(Suggestion.objects.values("case_id").annotate(n=Count("pk"))
                                       .values_list("n", flat=True))),
    "cases_with_facts": HandlingFact.objects.values("case_id").distinct().count(),
}))
"""


def _jobs_done(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as db:
            row = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'")
            return int(row.fetchone()[0])
    except sqlite3.OperationalError:  # busy: ask again
        return 0


def test_kill_9_during_a_load_loses_nothing_and_runs_each_job_once(tmp_path: Path) -> None:
    # PAKN_WORKER_NICE=0: the worker must be well under way while the submitter runs, on a machine the rest of the
    # suite keeps busy (a lowered priority would let the submitter finish first).
    env = {
        **os.environ,
        "PAKN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "pakn.settings",
        "PAKN_WORKER_NICE": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("PAKN_JOBS_BACKEND", None)
    subprocess.run([sys.executable, "-m", "pakn.cli", "migrate", "-v0"], env=env, check=True)
    out = (tmp_path / "submitted.txt").open("w")
    submitter = subprocess.Popen([sys.executable, "-c", SUBMITTER], env=env, stdout=out, stderr=subprocess.DEVNULL)
    worker_log = (tmp_path / "worker.txt").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "pakn.cli", "worker", "--loop", "60", "--poll", "0.2"],
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            lines = (tmp_path / "submitted.txt").read_text().split()
            if len(lines) > 60 and _jobs_done(tmp_path / "pakn.sqlite3") > 20:  # both well under way
                break
            assert submitter.poll() is None, "the submitter stopped early"
            time.sleep(0.2)
        submitter.send_signal(signal.SIGKILL)
        worker.send_signal(signal.SIGKILL)
    finally:
        for process in (submitter, worker):
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
        out.close()
        worker_log.close()
    assert submitter.returncode == -9 and worker.returncode == -9
    acknowledged = [c for c in (tmp_path / "submitted.txt").read_text().split() if c != "ready"]
    assert len(acknowledged) > 50

    # A new worker: hands back what the dead one held (its process is gone) and runs everything left.
    finish = subprocess.run(
        [sys.executable, "-m", "pakn.cli", "worker"], env=env, capture_output=True, text=True, check=True
    )
    assert "jobs=" in finish.stdout

    verify = subprocess.run([sys.executable, "-c", VERIFY], env=env, capture_output=True, text=True, check=False)
    assert verify.returncode == 0, verify.stderr[-2000:]
    state = json.loads(verify.stdout)
    assert set(acknowledged) <= set(state["codes"])  # nothing acknowledged is lost
    cases = len(state["codes"])
    assert state["tasks"] == {"SUCCESSFUL": state["events"]}  # every job finished, none left or failed
    assert state["task_events"] == state["events"]  # one job per event: none ran as two
    assert state["documents_per_case"] == [1] and state["cases_with_documents"] == cases  # one search document each
    assert state["suggestions_per_case"] == [1]
    assert state["cases_with_facts"] == cases
