"""A submission acknowledged to a citizen survives a crash: a separate process files a case on a real
SQLite file, prints the tracking code, and is killed with SIGKILL at once; the case must be there when
the file is opened again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SUBMIT_AND_DIE = """
import os, sys
import django
django.setup()
from pakn.org.loader import load_units
load_units(provinces=["01"])
from pakn.cases import services
case = services.submit(actor=None, kind="report", title="Kiểm tra độ bền", content="Nội dung",
                       province_code="01", commune_code="00004")
print(case.tracking_code, flush=True)
os.kill(os.getpid(), 9)
"""


@pytest.mark.slow  # a subprocess migrates a new SQLite file (15–30 s): `make test-slow`, and CI
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL semantics")
def test_acknowledged_submission_survives_sigkill(tmp_path: Path) -> None:
    env = {**os.environ, "PAKN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "pakn.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "pakn.cli", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-c", SUBMIT_AND_DIE], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == -9, result.stderr
    code = result.stdout.strip()
    assert len(code) == 11
    database = tmp_path / "pakn.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        row = db.execute("SELECT title, status FROM cases_case WHERE tracking_code = ?", (code,)).fetchone()
    assert row == ("Kiểm tra độ bền", "received")
