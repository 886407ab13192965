"""Reads off the primary (pakn.core.dbrouting): the rule as plain values, then a real PostgreSQL streaming replica.

The slow test starts a hot standby of the test cluster with ``pg_basebackup -R -X stream`` on a free loopback
port, migrates a fresh database on the primary, and runs the app in a subprocess with both URLs set. There it
counts, with Django's test client, the queries each page sends to each connection: the portal, statistics, open
data and search go to the replica; a submission, the citizen's status page and the staff case page go to the
primary. Replay is paused on the replica around the submission, so the new row is on the primary and reaches the
replica only once replay resumes.

When the test cluster does not allow replication connections (pg_hba.conf has no ``replication`` line for
127.0.0.1), a private primary is created with ``initdb`` in the same temporary folder instead: the system
configuration is never edited. Without PostgreSQL's binaries or server the test is skipped, with the reason."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse

from pakn.core.dbrouting import (
    READ_ONLY_PREFIXES,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    is_read_only_request,
    read_alias,
    read_from_replica,
)

ROOT = Path(__file__).resolve().parents[2]
PRIMARY_HOST, PRIMARY_PORT = "127.0.0.1", 5432
BUDGET_SECONDS = 85


# ---------------------------------------------------------------------------------------------- the rule


def _alias(**overrides: Any) -> str:
    values = {"app_label": "cases", "model_name": "case", "replica": True, "reading": True, "in_transaction": False}
    return read_alias(**{**values, **overrides})


def test_reads_go_to_the_replica_only_when_configured_and_in_a_read_only_request() -> None:
    assert _alias() == "replica"
    assert _alias(replica=False) == "default"
    assert _alias(reading=False) == "default"
    assert _alias(in_transaction=True) == "default"  # a transaction on the primary sees its own writes


@pytest.mark.parametrize(
    ("app_label", "model_name"),
    [
        ("sessions", "session"),
        ("auth", "user"),
        ("otp_totp", "totpdevice"),
        ("django_cache", "cacheentry"),
        ("org", "membership"),
        ("org", "apitoken"),
    ],
)
def test_identity_access_and_counters_are_always_read_from_the_primary(app_label: str, model_name: str) -> None:
    assert _alias(app_label=app_label, model_name=model_name) == "default"


class _Replica:
    def __init__(self, *, up: bool) -> None:
        self.up = up

    def ensure_connection(self) -> None:
        from django.db import OperationalError

        if not self.up:
            raise OperationalError("connection refused")


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> _Replica:
    from pakn.core import dbrouting

    fake = _Replica(up=True)
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouting, "connections", {"replica": fake})
    monkeypatch.setattr(dbrouting, "_down_until", [0.0])
    return fake


def test_a_replica_that_does_not_answer_is_left_alone_for_a_while(replica: _Replica) -> None:
    from pakn.core import dbrouting

    assert dbrouting.replica_usable()
    replica.up = False
    assert not dbrouting.replica_usable()
    replica.up = True
    assert not dbrouting.replica_usable()  # still within REPLICA_RETRY_SECONDS: not tried again
    dbrouting._down_until[0] = 0.0
    assert dbrouting.replica_usable()


def test_a_read_only_page_reads_from_the_primary_while_the_replica_is_down(replica: _Replica) -> None:
    from django.db import OperationalError
    from django.test import RequestFactory

    from pakn.core import dbrouting

    seen: list[bool] = []

    def view(request: Any) -> Any:
        seen.append(dbrouting._reading.get())
        return HttpResponse("ok")

    middleware = ReplicaReadsMiddleware(view)
    request = RequestFactory().get("/public/statistics/?province=01")
    middleware(request)
    replica.up = False
    middleware(request)
    assert seen == [True, False]
    # A replica lost during a request: the same GET again (it will read from the primary), never a 500.
    dbrouting._down_until[0] = 0.0
    replica.up = True
    with read_from_replica():
        answer = middleware.process_exception(request, OperationalError("server closed the connection"))
    assert answer is not None and answer.status_code == 302 and answer["Location"] == "/public/statistics/?province=01"
    assert not dbrouting.replica_usable()
    assert middleware.process_exception(request, OperationalError("locked")) is None  # not in a replica read


def test_only_get_and_head_of_the_listed_pages_are_read_only() -> None:
    for path in (
        "/public/",
        "/public/statistics/",
        "/public/data/units.csv",
        "/language/search/",
        "/api/v1/language/search",
        "/api/v1/language/public/search",
        "/language/api/search",
    ):
        assert is_read_only_request("GET", path), path
        assert is_read_only_request("HEAD", path), path
        assert not is_read_only_request("POST", path), path
    for path in (
        "/track/ABCDE12345K/",
        "/staff/cases/1/",
        "/api/v1/submissions",
        "/api/v1/cases/1",
        "/",
        "/dropbox/case/",
        "/account/",
        "/language/similar/",
        "/publicity/",
    ):
        assert not is_read_only_request("GET", path), path
    assert len(set(READ_ONLY_PREFIXES)) == len(READ_ONLY_PREFIXES)


def test_writes_and_migrations_stay_on_the_primary(monkeypatch: pytest.MonkeyPatch) -> None:
    from pakn.cases.models import Case
    from pakn.core import dbrouting

    router = ReplicaRouter()
    with read_from_replica():
        assert router.db_for_read(Case) == "default"  # no replica configured: as without a router
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    with read_from_replica():
        assert router.db_for_write(Case) == "default"
    assert router.db_for_read(Case) == "default"  # outside a read-only page
    assert router.allow_migrate("default", "cases") is True
    assert router.allow_migrate("replica", "cases") is False


def test_the_middleware_marks_only_read_only_requests(replica: _Replica) -> None:
    from django.test import RequestFactory

    from pakn.core import dbrouting

    seen: list[bool] = []
    middleware = ReplicaReadsMiddleware(lambda request: seen.append(dbrouting._reading.get()))  # type: ignore[arg-type,func-returns-value]
    factory = RequestFactory()
    middleware(factory.get("/public/statistics/"))
    middleware(factory.post("/public/statistics/"))
    middleware(factory.get("/track/ABCDE12345K/"))
    assert seen == [True, False, False]
    assert dbrouting._reading.get() is False  # reset after the request


# ---------------------------------------------------------------------------------------------- the replica


APP_SCRIPT = textwrap.dedent(
    '''
    """Runs inside the app (DATABASE_URL = the primary, PAKN_REPLICA_DATABASE_URL = the replica)."""
    import json, os, sys, time

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakn.settings")
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    PRIMARY_TABLES = ("django_session", "auth_user", "org_membership", "org_apitoken", "otp_")


    def setup():
        from django.contrib.auth import get_user_model

        from pakn.cases import services
        from pakn.org.loader import load_units

        load_units(provinces=("01",))
        get_user_model().objects.create_superuser("replica-admin", "admin@example.vn", "mat-khau-thu-nghiem-2026")
        case = services.submit(
            actor=None, kind="report", title="Đèn đường hỏng trên phố Đội Cấn",
            content="Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, buổi tối rất tối.",
            province_code="01", commune_code="00004",
        )
        return {"case_id": case.pk, "code": case.tracking_code}


    def one(alias, sql, params=()):
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


    def wait_for_replay(timeout=20.0):
        target = one("default", "SELECT pg_current_wal_lsn()::text")[0]
        start = time.monotonic()
        while not one("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0]:
            if time.monotonic() - start > timeout:
                raise SystemExit(f"replica did not replay {target} in {timeout} s")
            time.sleep(0.05)
        return round(time.monotonic() - start, 3)


    def request(client, method, path, **extra):
        with CaptureQueriesContext(connections["default"]) as primary, \\
                CaptureQueriesContext(connections["replica"]) as replica:
            response = getattr(client, method)(path, **extra)
        other = [q["sql"][:160] for q in primary.captured_queries if not any(t in q["sql"] for t in PRIMARY_TABLES)]
        return {"status": response.status_code, "primary": len(primary.captured_queries),
                "replica": len(replica.captured_queries), "primary_content": other,
                "body": response.json() if response.get("Content-Type", "").startswith("application/json") else None}


    def requests(case_id, code):
        from django.contrib.auth import get_user_model

        out = {"replay_before": wait_for_replay()}
        recovery = one("replica", "SELECT pg_is_in_recovery()")[0]
        out["settings"] = {"aliases": sorted(connections.settings), "recovery": recovery}
        public, staff = Client(), Client()
        staff.force_login(get_user_model().objects.get(username="replica-admin"))
        out["replica_pages"] = {
            path: request(client, "get", path)
            for client, path in [
                (public, "/public/"), (public, "/public/statistics/"), (public, "/public/answers/"),
                (public, "/public/data/"), (public, "/public/data/units.csv"), (public, "/public/data/answers.json"),
                (public, "/api/v1/language/public/search?q=den"),
                (staff, "/language/search/?q=den+duong"), (staff, f"/api/v1/language/search?q={code}"),
            ]
        }
        out["primary_pages"] = {
            path: request(client, "get", path)
            for client, path in [(public, f"/track/{code}/"), (staff, f"/staff/cases/{case_id}/")]
        }
        # A write while the replica's replay is paused: on the primary at once, on the replica only after replay.
        one("replica", "SELECT pg_wal_replay_pause()")
        try:
            post = request(public, "post", "/api/v1/submissions", content_type="application/json", data=json.dumps({
                "kind": "report", "title": "Ổ gà giữa đường Kim Mã", "province_code": "01", "commune_code": "00004",
                "content": "Ổ gà lớn giữa đường Kim Mã trước số 30, xe máy đã ngã hai lần trong tuần.",
                "reporter": None}))
            new_code = post.pop("body")["tracking_code"]
            out["write"] = post
            sql = "SELECT count(*) FROM cases_case WHERE tracking_code = %s"
            out["paused"] = {
                "on_primary": one("default", sql, [new_code])[0], "on_replica": one("replica", sql, [new_code])[0],
                "new_case_id": one("default", "SELECT id FROM cases_case WHERE tracking_code = %s", [new_code])[0],
            }
            new_id = out["paused"]["new_case_id"]
            out["paused"]["search"] = request(staff, "get", f"/api/v1/language/search?q={new_code}")
            out["paused"]["track"] = request(public, "get", f"/track/{new_code}/")
            out["paused"]["staff_case"] = request(staff, "get", f"/staff/cases/{new_id}/")
        finally:
            one("replica", "SELECT pg_wal_replay_resume()")
        out["replay_after"] = wait_for_replay()
        out["resumed"] = {"on_replica": one("replica", sql, [new_code])[0],
                          "search": request(staff, "get", f"/api/v1/language/search?q={new_code}")}
        return out


    if sys.argv[1] == "setup":
        result = setup()
    else:
        result = requests(int(sys.argv[2]), sys.argv[3])
    print("RESULT " + json.dumps(result, default=str))
    '''
)


def _bin_dir() -> Path | None:
    import glob

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_basebackup")
    return Path(on_path).parent if on_path else None


def _connect(port: int, dbname: str = "postgres", **kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(
        host=PRIMARY_HOST, port=port, user="postgres", dbname=dbname, connect_timeout=3, autocommit=True, **kwargs
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Clusters:
    """The primary (the test cluster, or a private one) and its replica, in one temporary folder owned by
    postgres; everything started here is stopped and removed by ``close()``."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="pakn-replica-"))
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_pg:
            shutil.chown(self.root, "postgres", "postgres")
        self.started: list[Path] = []
        self.database = f"pakn_replica_{uuid.uuid4().hex[:12]}"
        self.primary_port = PRIMARY_PORT
        self.created_on_system = False
        self.timings: dict[str, float] = {}

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([*self.as_pg, *args], capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode:
            raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def start(self, data: Path, port: int) -> None:
        opts = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.started.append(data)
        log = self.root / f"{data.name}.log"
        self.run(str(self.bin / "pg_ctl"), *f"-D {data} -l {log} -w -t 30".split(), "-o", opts, "start")

    def private_primary(self) -> None:
        data = self.root / "primary"
        self.run(str(self.bin / "initdb"), *f"-D {data} -U postgres --auth=trust --no-sync --no-locale -E UTF8".split())
        self.primary_port = _free_port()
        self.start(data, self.primary_port)

    def replica(self, settings_from: Any) -> int:
        data = self.root / "replica"
        source = f"-h {PRIMARY_HOST} -p {self.primary_port} -U postgres"
        self.run(str(self.bin / "pg_basebackup"), *f"{source} -D {data} -R -X stream -c fast".split())
        # A Debian cluster keeps its configuration in /etc, outside the copied data folder: give the standby its own
        # (a hot standby needs these limits at least as high as the primary's).
        limits = (
            "max_connections",
            "max_worker_processes",
            "max_wal_senders",
            "max_prepared_transactions",
            "max_locks_per_transaction",
        )
        conf = "".join(f"{name} = {settings_from.execute(f'SHOW {name}').fetchone()[0]}\n" for name in limits)
        for name, text in (
            ("postgresql.conf", conf + "hot_standby = on\n"),
            ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
            ("pg_ident.conf", ""),
        ):
            if name == "postgresql.conf" or not (data / name).exists():
                self.append(data / name, text)
        port = _free_port()
        self.start(data, port)
        return port

    def append(self, path: Path, text: str) -> None:
        subprocess.run(
            [*self.as_pg, "sh", "-c", 'cat >> "$0"', str(path)], input=text, text=True, check=True, timeout=10
        )

    def close(self) -> None:
        for data in reversed(self.started):
            subprocess.run(
                [*self.as_pg, str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=30,
                check=False,
            )
        if self.created_on_system:
            try:
                with _connect(PRIMARY_PORT) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001 - cleanup reports, it does not hide the test's own failure
                print(f"could not drop {self.database}: {error}")
        shutil.rmtree(self.root, ignore_errors=True)


def _replication_refused() -> str | None:
    """Why the test cluster refuses a replication connection from 127.0.0.1 as postgres, or None."""
    import psycopg

    try:
        _connect(PRIMARY_PORT, replication="true").close()
    except psycopg.OperationalError as error:
        return str(error).strip().splitlines()[-1]
    return None


@pytest.fixture
def clusters() -> Iterator[Clusters]:
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        pytest.skip("PostgreSQL binaries (pg_basebackup, pg_ctl, initdb) not found in /usr/lib/postgresql/*/bin")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed")
    try:
        _connect(PRIMARY_PORT).close()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"no PostgreSQL server on {PRIMARY_HOST}:{PRIMARY_PORT} as postgres: {error}")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: cannot start a server as postgres")
    found = Clusters(bin_dir)
    try:
        yield found
    finally:
        found.close()


@pytest.mark.slow
def test_portal_statistics_open_data_and_search_read_from_a_streaming_replica(
    clusters: Clusters, tmp_path: Path
) -> None:
    started = time.monotonic()
    timings = clusters.timings

    def lap(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = round(now - since, 2)
        assert now - started < BUDGET_SECONDS, f"over {BUDGET_SECONDS} s: {timings}"
        return now

    t = time.monotonic()
    refused = _replication_refused()
    if refused:
        # The test cluster's pg_hba.conf has no "host replication postgres 127.0.0.1/32" line. Rather than edit
        # the system's configuration, replicate a private primary made here (same binaries, same checks).
        print(f"test cluster refuses replication ({refused}); using a private primary made with initdb")
        clusters.private_primary()
    else:
        clusters.created_on_system = True
    with _connect(clusters.primary_port) as conn:
        conn.execute(f'CREATE DATABASE "{clusters.database}"')
        t = lap("primary and database", t)
        replica_port = clusters.replica(conn)
    t = lap("pg_basebackup and replica start", t)

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DATABASE_URL", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "pakn.settings",
        "DATABASE_URL": f"postgres://postgres@{PRIMARY_HOST}:{clusters.primary_port}/{clusters.database}",
        "PAKN_REPLICA_DATABASE_URL": f"postgres://postgres@{PRIMARY_HOST}:{replica_port}/{clusters.database}",
        "PAKN_DATA_DIR": str(tmp_path / "data"),
        "PAKN_ARGON2_PROFILE": "min",
        "PAKN_OTP_REQUIRED_ROLES": "",
        "PAKN_PUBLIC_CACHE_SECONDS": "0",
    }
    script = tmp_path / "replica_app.py"
    script.write_text(APP_SCRIPT)

    def app(*args: str, timeout: float = 60) -> Any:
        result = subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT, check=False
        )
        assert result.returncode == 0, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
        return json.loads(lines[-1][len("RESULT ") :]) if lines else None

    app("-m", "pakn.cli", "migrate", "-v0")  # on the primary only; the replica receives the schema by replication
    t = lap("migrate", t)
    seed = app(str(script), "setup")
    t = lap("units, an account, a case", t)
    out = app(str(script), "requests", str(seed["case_id"]), seed["code"])
    lap("requests", t)
    timings["total"] = round(time.monotonic() - started, 2)
    pages = {**out["replica_pages"], **out["primary_pages"], "POST /api/v1/submissions": out["write"]}
    print(
        json.dumps(
            {
                "timings": timings,
                "replay_seconds": [out["replay_before"], out["replay_after"]],
                "queries (status, primary, replica)": {
                    path: [p["status"], p["primary"], p["replica"]] for path, p in pages.items()
                },
            },
            indent=1,
        )
    )

    assert out["settings"] == {"aliases": ["default", "replica"], "recovery": True}
    for path, page in out["replica_pages"].items():
        assert page["status"] == 200, (path, page)
        assert page["replica"] > 0, (path, page)
        assert page["primary_content"] == [], (path, page)  # on the primary: sessions and accounts only
    for path, page in out["primary_pages"].items():
        assert page["status"] == 200, (path, page)
        assert page["replica"] == 0 and page["primary"] > 0, (path, page)
    assert out["write"]["status"] == 201 and out["write"]["replica"] == 0, out["write"]
    paused = out["paused"]
    assert (paused["on_primary"], paused["on_replica"]) == (1, 0), paused
    assert paused["search"]["body"]["results"] == [], paused["search"]  # the search reads the replica: not there yet
    for name in ("track", "staff_case"):  # the citizen's and the staff's pages read the primary: there at once
        assert paused[name]["status"] == 200 and paused[name]["replica"] == 0, paused[name]
    assert out["resumed"]["on_replica"] == 1
    assert len(out["resumed"]["search"]["body"]["results"]) == 1, out["resumed"]["search"]
