"""Every benchmark in one go, then a summary of what each printed (see bench/README.md).

    .venv/bin/python bench/run.py                        # 20,000 cases on SQLite (`make bench`, a few minutes)
    .venv/bin/python bench/run.py --n 1000000            # the real measure on SQLite
    .venv/bin/python bench/run.py --n 1000000 --database postgres://postgres@127.0.0.1:5432/bench1m

search.py and duplicates.py share one generated corpus (duplicates runs with ``--reuse``); stats.py
generates its own cases (with deadlines, answers, ratings and forwards) in a separate database: on
PostgreSQL ``<name>_stats`` (dropped and created by stats.py), on SQLite a temporary folder.
classify.py trains on generated texts, at most ``--classify-n`` of them (default 20,000): training on a
million texts measures nothing more. Every figure is printed beside a baseline measured in the same run."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
BENCHES = ("search", "duplicates", "classify", "stats", "intake")


def stats_database(url: str | None) -> str | None:
    if not url or not url.startswith("postgres"):
        return None  # SQLite: stats.py makes its own temporary database
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    return urlunparse(parts._replace(path=f"/{name}_stats"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000, help="cases (default 20,000)")
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--only", nargs="+", choices=BENCHES, default=list(BENCHES))
    parser.add_argument("--reuse", action="store_true", help="keep a corpus an earlier run left (search)")
    parser.add_argument("--classify-n", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=300, help="duplicate-check probes (default 300)")
    args = parser.parse_args()

    db = ["--database", args.database] if args.database else []
    stats_db = stats_database(args.database)
    commands = {
        "search": ["search.py", "--n", str(args.n), *db, *(["--reuse"] if args.reuse else [])],
        "duplicates": ["duplicates.py", "--n", str(args.n), "--probes", str(args.probes), *db, "--reuse"],
        "classify": ["classify.py", "--n", str(min(args.n, args.classify_n))],
        "stats": ["stats.py", "--n", str(args.n), *(["--database", stats_db] if stats_db else [])],
        # Its own databases (a temporary SQLite file, or pakn_bench_<hex> on the server of PAKN's PostgreSQL).
        "intake": ["intake.py", "--db", "postgres" if stats_db else "sqlite", "--existing", str(args.n)],
    }
    outputs: dict[str, tuple[float, int, str]] = {}
    for name in BENCHES:
        if name not in args.only:
            continue
        command = [sys.executable, str(HERE / commands[name][0]), *commands[name][1:]]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        lines = []
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1, env=env) as process:  # noqa: S603
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                lines.append(line)
        outputs[name] = (time.perf_counter() - started, process.returncode, "".join(lines))

    print("\n\n==================== summary ====================")
    for name, (seconds, code, text) in outputs.items():
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"\n--- {name}: {status}, {seconds:,.0f} s")
        keep = [
            line
            for line in text.splitlines()
            if not line.startswith("  loaded ") and not line.startswith("  generated ") and line.strip()
        ]
        if name == "stats":  # the Markdown table and the consistency check
            keep = [line for line in keep if line.startswith(("|", "check:", "#", "generated", "pre-aggregation"))]
        if name == "intake":  # the table and where it was recorded
            keep = [line for line in keep if line.startswith(("|", "#", "recorded"))]
        print("\n".join(keep))
    return 0 if all(code == 0 for _, code, _ in outputs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
