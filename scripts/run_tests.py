"""`make test`: run the whole suite on SQLite, then again on PostgreSQL.

PostgreSQL comes from PAKN_TEST_DATABASE_URL (default: postgres://postgres@127.0.0.1:5432/test, the
machine's server). When it cannot be reached, the PostgreSQL run is skipped and that is printed loudly,
never silently; set PAKN_REQUIRE_POSTGRES=1 to make that a failure instead."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


def postgres_reachable(url: str) -> str | None:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return f"psycopg missing: {exc}"
    from urllib.parse import urlparse

    parts = urlparse(url)
    try:
        psycopg.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
            password=parts.password, dbname=(parts.path or "/postgres").lstrip("/") or "postgres", connect_timeout=3,
        ).close()
    except Exception as exc:
        return str(exc).strip().splitlines()[0]
    return None


def run(label: str, env: dict[str, str], args: list[str]) -> int:
    print(f"\n===== PAKN test suite on {label} =====", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    # Two workers: the suite is I/O- and database-bound and the reference machine has two cores.
    # `make test` leaves out the slow drills (servers, backups, the deployment): `make test-slow` runs them,
    # and CI runs both.
    default = not sys.argv[1:]
    args = sys.argv[1:] or [
        "-n", os.environ.get("PAKN_TEST_WORKERS", "2"), "--durations=15", "-m", "not slow and not deploy"
    ]
    # The slow drills run PostgreSQL themselves where they need it: once, on the SQLite pass.
    sqlite_only = "--sqlite-only" in args
    args = [a for a in args if a != "--sqlite-only"]
    base = dict(os.environ)
    base.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="pakn-test-") as data_dir:
        base["PAKN_DATA_DIR"] = data_dir
        status = run("SQLite", base, args)
        if sqlite_only:
            return status
        url = os.environ.get("PAKN_TEST_DATABASE_URL", DEFAULT_PG)
        problem = postgres_reachable(url)
        if problem:
            print(f"\n***** PostgreSQL run SKIPPED: cannot reach {url}: {problem} *****", flush=True)
            if os.environ.get("PAKN_REQUIRE_POSTGRES") == "1":
                return 1
            return status
        pg_args = args
        if default:
            # The browser journeys walk pages, not SQL: they run once, on the SQLite pass, which keeps
            # `make test` near ten minutes on two cores. Everything else runs on both databases.
            print("\n(browser journeys ran on the SQLite pass; the PostgreSQL pass runs the rest)", flush=True)
            pg_args = [*args[:-1], "not slow and not deploy and not browser"]
        pg_status = run(f"PostgreSQL ({url})", {**base, "DATABASE_URL": url}, pg_args)
    return status or pg_status


if __name__ == "__main__":
    sys.exit(main())
