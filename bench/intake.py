"""Intake throughput: ``POST /api/v1/submissions`` through the production server, beside the same run's ceiling.

    .venv/bin/python bench/intake.py                              # SQLite and PostgreSQL, 400 requests/scenario
    .venv/bin/python bench/intake.py --db postgres --existing 100000
    .venv/bin/python bench/intake.py --db sqlite --n 1000 --profile

For each database (SQLite in a temporary folder with the project's settings: WAL, synchronous=FULL, IMMEDIATE
transactions; PostgreSQL: a fresh database ``pakn_bench_<hex>``, dropped at the end) the bench migrates, loads the
units of every province, optionally ``--existing`` cases (bench/data.py's loader: case rows and their search
documents, multi-row INSERT on SQLite, COPY on PostgreSQL), then starts gunicorn with deploy/gunicorn.conf.py as in
production: PAKN_ENV=production, a 67-character secret, 2 sync workers, PAKN_CACHE_URL on a Redis database nothing
else uses (the throttle counters are shared by the workers, as in production), the submission throttle raised
through PAKN_THROTTLE_RATES only. ``--clients`` threads (http.client; the sync workers close the connection after
each answer, so each request opens a new loopback connection, as nginx does) then POST:

* ceiling  — ``POST /ceiling/``: a bare Django view in the same process (bench/intake_ceiling: PAKN's settings and
             middleware plus one model) that inserts one row of similar size (a title, a text, a date) and
             commits; measured at the start of each round, with the job worker idle;
* unnamed  — an unnamed street-light report (no receipt, no sealed identity);
* named    — a named report with phone, e-mail and e-mail notification (sealed identity, reporter row).

The job worker (``pakn worker --loop 60``, as in production) runs beside gunicorn during the whole load: every
submission's jobs (search index, statistics, routing suggestion, duplicate flags…) run after its commit, on the
worker, competing for the same cores and database. After the load the bench waits until the queue is empty and
prints the job lag (enqueued → finished, p50/p95/max): how long a new case takes to be searchable and counted.
It also prints the sustained rate: the submissions filed divided by the time from the first one until every job
of theirs was done (a burst is answered faster than its jobs run; a province's machine lives on the sustained
rate). And the machine's CPU per request by process (server, job worker, database, Redis, clients) from /proc.

The three loads run in ``--rounds`` rounds (default 3; each: the ceiling, unnamed, named, then the wait until the
queue is empty): the table gives the median of each figure over the rounds and the ratio as the median of each
round's ratio to its own ceiling (the machine drifts between rounds; a ratio of neighbours cancels most of it),
and lists every round's rate.

The goal (issue "One write path, explicit and fast"): each submission scenario at ≥ 50 % of the ceiling's
requests/s and p99 ≤ 150 ms at 8 clients. PASS/FAIL is printed; the exit status does not depend on it.
Results go to bench/results/intake-<date>.json. ``--profile`` adds a cProfile of one unnamed and one named
submission in-process (Django test client, after warm-up), top 15 by cumulative CPU time, with the SQL statements
it sent.

The machine has 2 cores shared by the server's 2 workers, the clients, the database and Redis: the clients are
threads of one process (their CPU time per request is printed) and the figures are pessimistic in absolute terms;
compare them with the ceiling of the same run."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from intake_peer import stop_process_group

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
GOAL_RATIO, GOAL_P99_MS = 0.5, 150.0
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Host": "127.0.0.1",
    "X-Forwarded-Proto": "https",  # what nginx sets: PAKN_PROXY_SSL_HEADER, so no redirect to HTTPS
}
STREETS = ["Phố Huế", "Hàng Bài", "Lê Duẩn", "Kim Mã", "Đội Cấn", "Láng Hạ", "Trần Duy Hưng", "Nguyễn Trãi"]


# ---------------------------------------------------------------------------------------------- payloads


COMMUNES = ["00004"]  # set from the database: Hà Nội's communes (prepare), unless --one-commune


def texts(i: int) -> tuple[str, str]:
    """The title and text of the ``i``-th report (the same for PAKN, the ceiling and the peer)."""
    street = STREETS[i % len(STREETS)]
    title = f"Đèn đường hỏng trên phố {street}, đoạn số {i % 200 + 1}"
    content = (
        f"Từ tuần trước, ba cột đèn đường trước số nhà {i % 300 + 1} phố {street} không sáng. Buổi tối đoạn "
        "đường rất tối, xe máy đi lại nhiều, đã có người ngã. Đề nghị phường cho kiểm tra và sửa sớm. "
        f"(bản {i})"
    )
    return title, content


def body(scenario: str, i: int) -> bytes:
    street = STREETS[i % len(STREETS)]
    title, content = texts(i)
    if scenario == "ceiling":
        return json.dumps({"title": title, "content": content}, ensure_ascii=False).encode()
    data: dict[str, Any] = {
        "kind": "report",
        "title": title,
        "content": content,
        "province_code": "01",
        "commune_code": COMMUNES[i % len(COMMUNES)],
        "address": f"Số {i % 300 + 1} phố {street}",
        "topic_code": None,
    }
    if scenario == "named":
        data["reporter"] = {
            "name": "Nguyễn Thị Lan",
            "phone": f"0912{i % 1_000_000:06d}",
            "email": f"lan{i}@example.vn",
            "address": "Số 12 ngõ 34 phố Huế, Hà Nội",
            "notify_by": "email",
        }
    return json.dumps(data, ensure_ascii=False).encode()


PATHS = {"ceiling": "/ceiling/", "unnamed": "/api/v1/submissions", "named": "/api/v1/submissions"}


# ------------------------------------------------------------------------------------------------- clients


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def load(
    port: int,
    scenario: str,
    n: int,
    clients: int,
    max_seconds: float,
    offset: int = 0,
    *,
    peer: Any = None,
) -> dict[str, Any]:
    """``n`` POSTs (bodies made beforehand) from ``clients`` threads; at most ``max_seconds``. ``peer``
    (bench/intake_peer.Peer): its API, headers and bodies instead of PAKN's."""
    bodies = [peer.body(*texts(offset + i), offset + i) if peer else body(scenario, offset + i) for i in range(n)]
    path = peer.path if peer else PATHS[scenario]
    headers = peer.headers() if peer else HEADERS
    counter = itertools.count()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        start.wait()
        while True:
            i = next(counter)
            if i >= n or time.monotonic() > deadline[0]:
                break
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, bodies[i], headers)
                response = conn.getresponse()
                answer = response.read()
                elapsed = time.perf_counter() - t0
                if response.will_close:
                    conn.close()
                if response.status == 201:
                    mine.append(elapsed)
                else:
                    with lock:
                        errors.append(f"{response.status} {answer[:200]!r}")
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with lock:
                    errors.append(repr(exc))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    deadline[0] = time.monotonic() + max_seconds
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join(max_seconds + 60)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    ordered = sorted(latencies)
    done = len(ordered) + len(errors)
    return {
        "scenario": scenario,
        "requests": done,
        "ok": len(ordered),
        "errors": len(errors),
        "error_samples": errors[:3],
        "seconds": wall,
        "rps": len(ordered) / wall if wall else 0.0,
        "p50_ms": percentile(ordered, 50),
        "p95_ms": percentile(ordered, 95),
        "p99_ms": percentile(ordered, 99),
        "max_ms": ordered[-1] * 1000 if ordered else float("nan"),
        "client_cpu_ms_per_request": cpu * 1000 / max(1, done),
        "stopped_by_deadline": done < n,
    }


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """Every process's CPU seconds so far (user + system, from /proc), with the part of the bench it belongs to:
    the server (gunicorn), the job worker, the database, Redis, the clients (this process) or other."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        pid = int(entry.name)
        if pid == os.getpid():
            group = "clients"
        elif "gunicorn" in command:
            group = "server"
        elif " worker --loop" in command:
            group = "jobs"
        elif name.startswith("postgres") or command.startswith("postgres"):
            group = "database"
        elif name.startswith("redis"):
            group = "redis"
        else:
            group = "other"
        found[pid] = (group, seconds)
    return found


def cpu_spent(before: dict[int, tuple[str, float]], requests: int) -> dict[str, float]:
    """CPU ms per request by part of the bench since ``before`` (a process started since then counts whole)."""
    after = cpu_by_process()
    spent: dict[str, float] = {}
    for pid, (group, seconds) in after.items():
        spent[group] = spent.get(group, 0.0) + seconds - (before.get(pid, (group, 0.0))[1])
    return {group: round(ms * 1000 / max(1, requests), 2) for group, ms in sorted(spent.items())}


# -------------------------------------------------------------------------------------------- environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env(database_url: str, data_dir: Path, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "intake_ceiling.settings",
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT / "src")]),
            "PYTHONUNBUFFERED": "1",
            "PAKN_ENV": "production",
            "PAKN_SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters
            "PAKN_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "PAKN_CACHE_URL": redis_url,
            "PAKN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PAKN_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            # Raised for the bench only (default submit=20/3600 per client): every client here is 127.0.0.1.
            "PAKN_THROTTLE_RATES": "submit=10000000/3600,citizen=10000000/3600",
        }
    )
    return env


def check_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=3)
    foreign = [k for k in client.scan_iter(count=100) if not k.startswith(b"pakn:1:pakn:")]
    if foreign:
        raise SystemExit(f"Redis {url} holds keys that are not PAKN's cache; choose another --redis-db")


def clean_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=3)
    keys = list(client.scan_iter(match="pakn:1:pakn:*", count=500))
    for i in range(0, len(keys), 500):
        client.delete(*keys[i : i + 500])


class Database(contextlib.AbstractContextManager["Database"]):
    """A fresh bench database: SQLite in the temporary folder, or PostgreSQL ``pakn_bench_<hex>``; removed on exit."""

    def __init__(self, vendor: str, folder: Path):
        self.vendor, self.folder, self.name = vendor, folder, ""
        if vendor == "sqlite":
            self.url = f"sqlite:///{folder / 'pakn.sqlite3'}"
        else:
            self.name = f"pakn_bench_{secrets.token_hex(4)}"
            assert re.fullmatch(r"pakn_bench_[0-9a-f]{8}", self.name)
            admin = urlsplit(PG_ADMIN)
            self.url = f"{admin.scheme}://{admin.netloc}/{self.name}"

    def __enter__(self) -> Database:
        if self.name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as pg:
                pg.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        if self.name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Server(contextlib.AbstractContextManager["Server"]):
    """gunicorn -c deploy/gunicorn.conf.py in its own process group; stopped (then killed) on exit."""

    def __init__(self, env: dict[str, str], folder: Path, workers: int):
        self.port = free_port()
        self.folder = folder
        self.env = {
            **env,
            "PAKN_BIND": f"127.0.0.1:{self.port}",
            "PAKN_WEB_WORKERS": str(workers),
            "PAKN_PROC_NAME": "pakn-bench-intake",
            "PAKN_WEB_ACCESS_LOG": str(folder / "access.log"),
            "PAKN_WEB_ERROR_LOG": str(folder / "error.log"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
        with (self.folder / "gunicorn.out").open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz", headers=HEADERS)
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s: {self.log_tail()}")

    def served_ms(self, since: int, path: str) -> tuple[int, dict[str, float]]:
        """Time the workers spent on each answered POST to ``path`` (gunicorn's access log, whole milliseconds)
        since byte ``since``: the service time without the wait in the listen queue."""
        log = self.folder / "access.log"
        with log.open("rb") as f:
            f.seek(since)
            text = f.read().decode("utf-8", "replace")
        pattern = re.compile(r'"POST (\S+) HTTP/1\.[01]" (\d{3}) \S+ (\d+)ms')
        ms = sorted(float(m[3]) for m in pattern.finditer(text) if m[1] == path and m[2] == "201")
        return since + len(text.encode()), {
            "server_p50_ms": percentile([v / 1000 for v in ms], 50),
            "server_p95_ms": percentile([v / 1000 for v in ms], 95),
            "server_mean_ms": sum(ms) / len(ms) if ms else float("nan"),
        }

    def access_size(self) -> int:
        log = self.folder / "access.log"
        return log.stat().st_size if log.exists() else 0

    def log_tail(self) -> str:
        text = ""
        for name in ("gunicorn.out", "error.log"):
            path = self.folder / name
            if path.exists():
                text += path.read_text("utf-8", "replace")[-2000:]
        return text

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def helper(mode: str, env: dict[str, str], *args: str, timeout: float) -> str:
    """Run this file in a fresh process with the bench environment (Django is set up once per database)."""
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, __file__, mode, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


# ------------------------------------------------------------------------------- in-process helper modes


def _django() -> None:
    sys.path[:0] = [str(HERE), str(ROOT / "src")]
    import logging

    import django

    django.setup()
    logging.getLogger("pakn").setLevel(logging.WARNING)
    logging.getLogger("django").setLevel(logging.WARNING)


def prepare(existing: int) -> None:
    """Migrate (PAKN and the ceiling app), load the units, ``existing`` cases, the server keys and the vault."""
    _django()
    from django.core.management import call_command
    from django.db import connection

    from pakn.protection import keys

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrate: {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    import data

    total = data.load(existing, progress=lambda *a: None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite" and existing:
            cursor.execute("INSERT INTO language_fts(language_fts) VALUES ('optimize')")
    print(f"  units + {total:,} existing cases (+ search index, ANALYZE): {time.perf_counter() - t0:.1f} s")
    from pakn.org.models import Commune, Unit

    served = set(Unit.objects.filter(commune__province_id="01").values_list("commune_id", flat=True))
    codes = sorted(c for c in Commune.objects.filter(province_id="01").values_list("code", flat=True) if c in served)
    print("COMMUNES " + json.dumps(codes))
    keys.require_server_keys()  # created once here, not raced by the two workers' first requests
    keys.vault_config()


def job_lag() -> None:
    """After the load: how long the case jobs waited and ran (enqueued → finished), and what is left."""
    _django()
    from django_tasks_db.models import DBTaskResult

    from pakn.core import jobs

    done = DBTaskResult.objects.successful().values_list("enqueued_at", "finished_at")
    lags = sorted((finished - enqueued).total_seconds() for enqueued, finished in done)  # percentile() gives ms
    state = jobs.status()
    print(
        json.dumps(
            {
                "jobs": len(lags),
                "lag_p50_ms": percentile(lags, 50),
                "lag_p95_ms": percentile(lags, 95),
                "lag_max_ms": lags[-1] * 1000 if lags else 0.0,
                "left": state["ready"] + state["running"],
                "failed": state["failed"],
            }
        )
    )


class Worker(contextlib.AbstractContextManager["Worker"]):
    """``pakn worker --loop 60`` beside the server, as in production; stopped on exit."""

    def __init__(self, env: dict[str, str], folder: Path):
        self.env, self.folder = env, folder
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Worker:
        command = [sys.executable, "-c", "from pakn.cli import main; main()", "worker", "--loop", "60"]
        with (self.folder / "worker.out").open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_for_empty_queue(self, timeout: float) -> float:
        """Seconds until no job is ready or running (the worker keeps going meanwhile)."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            answer = helper_json(self.env, "jobs", "--json")
            if not answer.strip():  # `pakn jobs` failed (a busy database): ask again
                time.sleep(1)
                continue
            state = json.loads(answer)
            if state["ready"] + state["running"] == 0:
                break
            time.sleep(1)
        return time.perf_counter() - t0

    def __exit__(self, *exc: object) -> None:
        stop_process_group(self.process)
        kept = Path(tempfile.gettempdir()) / f"pakn-bench-worker-{self.folder.name}.out"
        shutil.copyfile(self.folder / "worker.out", kept)
        print(f"  the job worker's log: {kept}", flush=True)


def helper_json(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", "from pakn.cli import main; main()", *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        print(f"  ({' '.join(command)} failed: {result.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
    return result.stdout


def profile(warm: int, top: int, scenario: str = "unnamed") -> None:
    """cProfile around ``cases.services.submit`` during one ``scenario`` submission through the Django test client
    (``POST /api/v1/submissions``, after ``warm`` submissions), top ``top`` by cumulative time. Times are this
    process's CPU time (``time.process_time``): what the other processes on the shared cores do does not show;
    the SQL statements of the profiled request are counted (round trips to the database)."""
    _django()
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pakn.cases import services

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    submit = services.submit
    inside = [0.0]
    profiler = cProfile.Profile(time.process_time)
    profiling = [False]

    def timed_submit(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        if profiling[0]:
            profiler.enable()
        try:
            return submit(*args, **kwargs)
        finally:
            if profiling[0]:
                profiler.disable()
            inside[0] = time.process_time() - t0

    services.submit = timed_submit  # the API view looks it up on the module at each request

    def post(i: int) -> float:
        t0 = time.process_time()
        response = client.post("/api/v1/submissions", body(scenario, 900_000 + i), content_type="application/json")
        assert response.status_code == 201, response.content[:500]
        return time.process_time() - t0

    plain = [(post(i), inside[0]) for i in range(warm)]
    profiling[0] = True
    with CaptureQueriesContext(connection) as queries:
        total = post(warm)
    stats = pstats.Stats(profiler)
    steady = sorted(plain[warm // 2 :])
    median = steady[len(steady) // 2] if steady else (float("nan"), float("nan"))
    print(
        f"  without profiler (median of the last {len(steady)} of {warm} warm-ups): request {median[0] * 1000:.1f} ms "
        f"CPU, of which inside services.submit {median[1] * 1000:.1f} ms"
    )
    statements = [q["sql"].split(" ", 1)[0] for q in queries.captured_queries]
    print(
        f"  profiled request {total * 1000:.1f} ms CPU (inside services.submit {inside[0] * 1000:.1f} ms); "
        f"{len(statements)} SQL statements: {' '.join(statements)}"
    )
    src = str(ROOT / "src") + "/"
    site = re.compile(r"^.*?/(site-packages|lib/python3[.0-9]*)/")
    entries = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)  # type: ignore[attr-defined]
    print(f"  {'calls':>7} {'own ms':>8} {'cum ms':>8}  function (top {top} by cumulative time, under submit)")
    for (filename, line, name), (_cc, calls, own, cum, _callers) in entries[:top]:
        where = site.sub("", filename.replace(src, "")) if filename != "~" else "builtin"
        print(f"  {calls:>7} {own * 1000:>8.1f} {cum * 1000:>8.1f}  {where}:{line}({name})")


def profile_jobs(n: int, top: int, scenario: str = "unnamed") -> None:
    """The job worker's CPU for ``n`` submissions of ``scenario``, unnamed or named (filed first through the test
    client, their jobs left in the queue, then ``core.jobs.drain`` timed), then a cProfile of the same for ``n``
    more, top ``top``."""
    _django()
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pakn.core import jobs

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    jobs.drain()  # what earlier steps left

    def file(first: int) -> None:
        for i in range(first, first + n):
            response = client.post("/api/v1/submissions", body(scenario, i), content_type="application/json")
            assert response.status_code == 201, response.content[:500]

    file(800_000)
    t0 = time.process_time()
    jobs.drain()
    plain = time.process_time() - t0
    print(
        f"  jobs of {n} {scenario} submissions without profiler: {plain * 1000 / max(n, 1):.1f} ms CPU per submission"
    )
    file(850_000)
    profiler = cProfile.Profile(time.process_time)
    t0 = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        ran = jobs.drain()
        profiler.disable()
    cpu = time.process_time() - t0
    print(
        f"  {ran} jobs for {n} submissions: {cpu * 1000 / max(n, 1):.1f} ms CPU (profiled) and "
        f"{len(queries.captured_queries) / max(n, 1):.1f} SQL statements per submission"
    )
    src = str(ROOT / "src") + "/"
    site = re.compile(r"^.*?/(site-packages|lib/python3[.0-9]*)/")
    stats = pstats.Stats(profiler)
    entries = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)  # type: ignore[attr-defined]
    print(f"  {'calls':>7} {'own ms':>8} {'cum ms':>8}  function (top {top} by cumulative time, per submission)")
    ours = [entry for entry in entries if entry[0][0].startswith(src)]  # PAKN's own functions first
    for (filename, line, name), (_cc, calls, own, cum, _callers) in ours[: top // 2] + entries[: top // 2]:
        where = site.sub("", filename.replace(src, "")) if filename != "~" else "builtin"
        print(f"  {calls:>7} {own * 1000 / n:>8.2f} {cum * 1000 / n:>8.2f}  {where}:{line}({name})")


# ------------------------------------------------------------------------------------------------- main


def measure(server: Server, scenario: str, label: str, args: argparse.Namespace, offset: int) -> dict[str, Any]:
    """One load of ``args.n`` requests of ``scenario``, printed as it ends."""
    since = server.access_size()
    processes = cpu_by_process()
    result = load(server.port, scenario, args.n, args.clients, args.max_seconds, offset)
    result["cpu_ms_per_request"] = cpu_spent(processes, result["requests"])
    time.sleep(0.2)  # the last access-log lines
    result.update(server.served_ms(since, PATHS[scenario])[1])
    print(
        f"  {label:14} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f}  p95 "
        f"{result['p95_ms']:6.1f}  p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}"
        f"  (in the worker: p50 {result['server_p50_ms']:.0f}, mean {result['server_mean_ms']:.0f} ms)"
        f"  (client CPU {result['client_cpu_ms_per_request']:.2f} ms/request)"
        + (f"  first error: {result['error_samples'][0]}" if result["error_samples"] else ""),
        flush=True,
    )
    cpu = result["cpu_ms_per_request"]
    print(
        f"  {'':14} machine CPU per request {sum(cpu.values()):.1f} ms: "
        + ", ".join(f"{group} {ms:.1f}" for group, ms in cpu.items()),
        flush=True,
    )
    return result


def median_result(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one scenario as one row: the median of each figure, errors summed, every round's rate kept."""
    merged = dict(runs[len(runs) // 2])
    for figure in ("rps", "p50_ms", "p95_ms", "p99_ms"):
        merged[figure] = statistics.median(run[figure] for run in runs)
    merged["errors"] = sum(run["errors"] for run in runs)
    merged["ok"] = sum(run["ok"] for run in runs)
    merged["rounds_rps"] = [round(run["rps"], 1) for run in runs]
    merged["rounds_p99_ms"] = [round(run["p99_ms"], 1) for run in runs]
    return merged


def row_of(db: str, existing: int, result: dict[str, Any], ratio: float | None) -> dict[str, Any]:
    verdict = ""
    if result["scenario"] not in ("ceiling", "peer"):
        verdict = "PASS" if ratio is not None and ratio >= GOAL_RATIO and result["p99_ms"] <= GOAL_P99_MS else "FAIL"
    return {"db": db, "existing": existing, **result, "ratio": ratio, "goal": verdict}


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        f"\n| db | existing cases | scenario | req/s | p50 ms | p95 ms | p99 ms | errors | vs ceiling | "
        f"goal (≥ {GOAL_RATIO:.0%}, p99 ≤ {GOAL_P99_MS:.0f} ms) | each round req/s (p99 ms) |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|")
    for r in rows:
        if r["scenario"] == "jobs":
            continue
        ratio = f"{r['ratio']:.0%}" if r["ratio"] is not None else "–"
        print(
            f"| {r['db']} | {r['existing']:,} | {r['scenario']} | {r['rps']:,.1f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {ratio} | {r['goal'] or '–'} | "
            + (
                ", ".join(
                    f"{rps:.0f} ({p99:.0f})" for rps, p99 in zip(r["rounds_rps"], r["rounds_p99_ms"], strict=True)
                )
                if "rounds_rps" in r
                else "–"
            )
            + " |"
        )
    print(
        "\n| db | existing cases | jobs run | queue empty after (s) | job lag p50 / p95 / max ms | left | failed "
        "| sustained submissions/s |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    for r in rows:
        if r["scenario"] == "jobs":
            print(
                f"| {r['db']} | {r['existing']:,} | {r['jobs']} | {r['drained_s']:.1f} | "
                f"{r['lag_p50_ms']:.0f} / {r['lag_p95_ms']:.0f} / {r['lag_max_ms']:.0f} | {r['left']} | {r['failed']} "
                f"| {r.get('sustained_rps', 0.0):.1f} |"
            )


def bench_database(vendor: str, args: argparse.Namespace, redis_url: str) -> tuple[list[dict[str, Any]], str]:
    folder = Path(tempfile.mkdtemp(prefix="pakn-bench-intake-"))
    rows: list[dict[str, Any]] = []
    profile_text = ""
    try:
        with Database(vendor, folder) as database:
            label = database.name or str(folder / "pakn.sqlite3")
            print(f"\n=== {vendor} ({label}), {args.existing:,} existing cases", flush=True)
            env = base_env(database.url, folder / "data", redis_url)
            t0 = time.perf_counter()
            prepared = helper("prepare", env, str(args.existing), timeout=args.prepare_timeout)
            for line in prepared.splitlines():
                if line.startswith("COMMUNES "):
                    if not args.one_commune:
                        COMMUNES[:] = json.loads(line.removeprefix("COMMUNES "))
                else:
                    print(line, flush=True)
            print(
                f"  submissions spread over {len(COMMUNES)} commune(s) of Hà Nội"
                + (
                    " (--one-commune: the duplicate check's pool grows with every submission)"
                    if args.one_commune
                    else ""
                )
            )
            print(f"  prepared in {time.perf_counter() - t0:.1f} s", flush=True)
            jobs: contextlib.AbstractContextManager[Worker | None] = (
                contextlib.nullcontext()
                if args.no_worker
                else Worker(env | ({"PAKN_WORKER_NICE": args.worker_nice} if args.worker_nice else {}), folder)
            )
            rounds: list[dict[str, Any]] = []
            with Server(env, folder, args.workers) as server, jobs as worker:
                print(f"  gunicorn on 127.0.0.1:{server.port}, {args.workers} sync workers, PAKN_ENV=production")
                offset = 0
                for scenario in ("ceiling", "unnamed", "named"):  # warm every worker and path
                    load(server.port, scenario, args.warm, args.clients, 60, offset)
                    offset += args.warm
                for number in range(1, args.rounds + 1):
                    # Each round: the ceiling with an idle job worker, then the submissions with their jobs
                    # running beside them, then the wait until every job is done (what the jobs cost counts
                    # against the submissions, never against the ceiling).
                    if worker:
                        worker.wait_for_empty_queue(timeout=600)
                    measured: dict[str, Any] = {}
                    first_submission = 0.0
                    for scenario in ("ceiling", "unnamed", "named"):
                        if scenario == "unnamed":
                            first_submission = time.perf_counter()
                        label = f"{scenario} #{number}" if args.rounds > 1 else scenario
                        measured[scenario] = measure(server, scenario, label, args, offset)
                        offset += args.n
                    if worker:
                        measured["drained_s"] = worker.wait_for_empty_queue(timeout=600)
                        filed = measured["unnamed"]["ok"] + measured["named"]["ok"]
                        # Every submission filed and every one of its jobs done: what the machine sustains,
                        # not only what it answers in a burst.
                        measured["sustained_rps"] = filed / (time.perf_counter() - first_submission)
                        print(
                            f"  {'':14} sustained: {filed} submissions filed and all their jobs done at "
                            f"{measured['sustained_rps']:.1f} submissions/s; queue empty "
                            f"{measured['drained_s']:.1f} s after the last request",
                            flush=True,
                        )
                    rounds.append(measured)
            results = {
                scenario: median_result([r[scenario] for r in rounds]) for scenario in ("ceiling", "unnamed", "named")
            }
            ratios = {
                scenario: statistics.median(r[scenario]["rps"] / r["ceiling"]["rps"] for r in rounds)
                for scenario in ("unnamed", "named")
            }
            if args.peer:
                results["peer"] = run_peer(vendor, folder, args, offset)
                ratios["peer"] = results["peer"]["rps"] / results["ceiling"]["rps"]
            rows.append(row_of(vendor, args.existing, results["ceiling"], None))
            for scenario in ("unnamed", "named", "peer"):
                if scenario in results:
                    rows.append(row_of(vendor, args.existing, results[scenario], ratios[scenario]))
            if not args.no_worker:
                lag = json.loads(helper("joblag", env, timeout=300).strip().splitlines()[-1])
                lag["sustained_rps"] = statistics.median(r["sustained_rps"] for r in rounds)
                lag["sustained_runs"] = [round(r["sustained_rps"], 1) for r in rounds]
                drained = statistics.median(r["drained_s"] for r in rounds)
                print(
                    f"  jobs: {lag['jobs']} ran; queue empty {drained:.1f} s after the last request (median); lag "
                    f"enqueued → finished p50 {lag['lag_p50_ms']:.0f}, p95 {lag['lag_p95_ms']:.0f}, max "
                    f"{lag['lag_max_ms']:.0f} ms; left {lag['left']}, failed {lag['failed']}",
                    flush=True,
                )
                rows.append({"db": vendor, "existing": args.existing, "scenario": "jobs", **lag, "drained_s": drained})
            if args.profile:
                for scenario in ("unnamed", "named"):
                    print(f"  profile of one {scenario} submission (in-process, Django test client):", flush=True)
                    text = helper("profile", env, "20", "15", scenario, timeout=300)
                    print(text, end="", flush=True)
                    profile_text += f"{scenario}:\n{text}"
                for scenario in ("unnamed", "named"):
                    print(f"  profile of the job worker (in-process, 40 {scenario} submissions' jobs):", flush=True)
                    text = helper("profile-jobs", env, "40", "60", scenario, timeout=600)
                    print(text, end="", flush=True)
                    profile_text += f"jobs ({scenario}):\n{text}"
    finally:
        clean_redis(redis_url)
        shutil.rmtree(folder, ignore_errors=True)
    return rows, profile_text


def run_peer(vendor: str, folder: Path, args: argparse.Namespace, offset: int) -> dict[str, Any]:
    """django-helpdesk filing the same reports in a fresh database of the same server (bench/intake_peer.py),
    after PAKN's server stopped and its job queue emptied."""
    import intake_peer

    (folder / "peer").mkdir(exist_ok=True)
    with (
        Database(vendor, folder / "peer") as database,
        intake_peer.Peer(database.url, folder, free_port(), args.workers) as peer,
    ):
        load(peer.port, "peer", args.warm, args.clients, 60, offset, peer=peer)
        processes = cpu_by_process()
        result = load(peer.port, "peer", args.n, args.clients, args.max_seconds, offset + args.warm, peer=peer)
        cpu = cpu_spent(processes, result["requests"])
    result["cpu_ms_per_request"] = cpu
    print(
        f"  {'peer':14} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f}  p95 {result['p95_ms']:6.1f}  p99 "
        f"{result['p99_ms']:6.1f} ms  errors {result['errors']}  ({intake_peer.NAME}, POST {peer.path})"
        + (f"  first error: {result['error_samples'][0]}" if result["error_samples"] else ""),
        flush=True,
    )
    print(
        f"  {'':14} machine CPU per request {sum(cpu.values()):.1f} ms: "
        + ", ".join(f"{group} {ms:.1f}" for group, ms in cpu.items()),
        flush=True,
    )
    return result


def main() -> int:
    global PG_ADMIN
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        prepare(int(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "joblag":
        job_lag()
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "profile":
        profile(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "unnamed")
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "profile-jobs":
        profile_jobs(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "unnamed")
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400, help="requests per scenario (default 400)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent loopback clients (default 8)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--existing", type=int, default=0, help="cases loaded before the measure (default 0)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of ceiling, unnamed, named (default 3)")
    parser.add_argument("--warm", type=int, default=24, help="warm-up requests per scenario (default 24)")
    parser.add_argument("--max-seconds", type=float, default=120, help="time limit per scenario (default 120)")
    parser.add_argument("--prepare-timeout", type=float, default=3600, help="limit for migrate + load (s)")
    parser.add_argument("--pg-admin", default=PG_ADMIN, help=f"where pakn_bench_<hex> is created (default {PG_ADMIN})")
    parser.add_argument("--redis-db", type=int, default=11, help="a Redis database nothing else uses (default 11)")
    parser.add_argument(
        "--one-commune",
        action="store_true",
        help="every submission in commune 00004 (default: spread over Hà Nội's communes, as a city's load is)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one unnamed and one named submission in-process"
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="no job worker beside the server (a diagnosis: what the jobs cost the submissions; not the goal's run)",
    )
    parser.add_argument(
        "--worker-nice", default=None, help="PAKN_WORKER_NICE for the job worker (default: the setting's default)"
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also file the same reports into django-helpdesk, a plain Django ticketing system (bench/intake_peer.py)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not write bench/results/intake-<date>.json")
    args = parser.parse_args()
    PG_ADMIN = args.pg_admin
    if urlsplit(PG_ADMIN).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--pg-admin: a loopback server only")

    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    check_redis(redis_url)
    vendors = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(
        f"# PAKN intake bench: {args.n} requests per scenario, {args.clients} clients (threads, loopback), "
        f"gunicorn {args.workers} sync workers; {os.cpu_count()} cores shared by server, clients, database, Redis"
    )
    rows: list[dict[str, Any]] = []
    profiles: dict[str, str] = {}
    for vendor in vendors:
        found, profile_text = bench_database(vendor, args, redis_url)
        rows.extend(found)
        if profile_text:
            profiles[vendor] = profile_text
    print_table(rows)
    if not args.no_record:
        RESULTS.mkdir(exist_ok=True)
        now = datetime.now(UTC)
        path = RESULTS / f"intake-{now:%Y-%m-%d}.json"
        runs = json.loads(path.read_text()) if path.exists() else []
        runs.append(
            {
                "at": now.isoformat(timespec="seconds"),
                "options": {k: v for k, v in vars(args).items() if k not in ("no_record",)},
                "cores": os.cpu_count(),
                "load_average": os.getloadavg(),
                "goal": {"ratio_to_ceiling": GOAL_RATIO, "p99_ms": GOAL_P99_MS},
                "rows": rows,
                "profiles": profiles,
            }
        )
        path.write_text(json.dumps(runs, indent=1, ensure_ascii=False, default=str) + "\n")
        print(f"\nrecorded in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
