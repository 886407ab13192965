"""``pakn token create USER NAME [--read-only]`` as the README gives it (it used to crash with
``KeyError: 'args'``): through ``call_command`` and as a real ``pakn`` process on a temporary SQLite file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import COMMUNE
from pakn.org.models import ApiToken


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


@pytest.mark.django_db
def test_create_prints_a_working_write_token_for_a_clerk(clerk: Any) -> None:
    key, _ = run("create", "clerk", "Hệ thống một cửa")
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert (token.user, token.name, token.scope, token.prefix) == (clerk, "Hệ thống một cửa", "write", key[:8])
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["username"] == "clerk"


@pytest.mark.django_db
def test_read_only_by_flag_and_by_default_without_a_handling_role(clerk: Any, supervisor: Any) -> None:
    key, _ = run("create", "clerk", "báo cáo", "--read-only")
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).scope == "read"
    key, warning = run("create", "supervisor", "giám sát")
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).scope == "read"
    assert "read-only" in warning
    listed, _ = run("list")
    assert f"{key[:8]} supervisor giám sát read active" in listed.splitlines()


@pytest.mark.django_db
def test_revoke_by_prefix(clerk: Any) -> None:
    key, _ = run("create", "clerk", "x")
    assert run("revoke", key[:8])[0] == "revoked 1"
    assert run("revoke", key[:8])[0] == "revoked 0"
    assert ApiToken.objects.get(prefix=key[:8]).revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [("create",), ("create", "clerk"), ("create", "clerk", "a", "b"), ("create", "ghost", "x"), ("revoke",)],
)
def test_usage_errors_are_command_errors(args: tuple[str, ...], clerk: Any) -> None:
    with pytest.raises(CommandError):
        run(*args)
    assert not ApiToken.objects.exists()


def _pakn() -> str:
    """The ``pakn`` script of the running virtual environment (``.venv/bin/pakn``)."""
    script = Path(sys.executable).with_name("pakn")
    return str(script) if script.exists() else shutil.which("pakn") or "pakn"


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any, django_db_blocker: Any) -> Path:
    """A migrated SQLite file. When the suite runs on SQLite, a copy of its database taken before any test's
    transaction is open (a connection inside a write transaction cannot be a backup's source), so no
    second migration run is needed; otherwise ``pakn migrate`` and ``pakn loadunits --province 01`` (slower)."""
    from django.db import connection

    path = tmp_path_factory.mktemp("pakn-token") / "template.sqlite3"
    deadline = time.monotonic() + 30

    def give_up_when_locked(status: int, remaining: int, total: int) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError("the test database stayed locked")

    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target, progress=give_up_when_locked)
            finally:
                target.close()
            return path
    subprocess.run([_pakn(), "migrate", "-v0"], env=_env(path), check=True, timeout=300)
    subprocess.run([_pakn(), "loadunits", "--province", "01"], env=_env(path), check=True, timeout=300)
    return path


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{db}", PAKN_DATA_DIR=str(db.parent), DJANGO_SETTINGS_MODULE="pakn.settings")
    return env


@pytest.mark.django_db
def test_the_readme_command_in_a_real_process(tmp_path: Path, migrated_file: Path) -> None:
    db = tmp_path / "pakn.sqlite3"
    shutil.copyfile(migrated_file, db)
    with sqlite3.connect(db) as conn:  # a clerk of Ba Đình, as an administrator would add
        unit_id = conn.execute("SELECT id FROM org_unit WHERE code = ?", (f"UBND-{COMMUNE}",)).fetchone()[0]
        for username, role in (("canbo", "clerk"),):
            cursor = conn.execute(
                "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, first_name,"
                " last_name, email, date_joined) VALUES (?, '!', 0, 0, 1, '', '', '', '2026-01-01 00:00:00')",
                (username,),
            )
            conn.execute(
                "INSERT INTO org_membership (user_id, unit_id, role, include_subunits) VALUES (?, ?, ?, 0)",
                (cursor.lastrowid, unit_id, role),
            )

    def pakn(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_pakn(), "token", *args], env=_env(db), cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    created = pakn("create", "canbo", "Hệ thống một cửa")
    assert created.returncode == 0, created.stderr
    assert "Traceback" not in created.stderr and "KeyError" not in created.stderr
    key = created.stdout.strip()
    assert len(key) >= 40 and "\n" not in key
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT key_hash, scope, name FROM org_apitoken").fetchall()
    assert rows == [(ApiToken.hash_key(key), "write", "Hệ thống một cửa")]
    # (The read-only default, --read-only, revoke, list and the usage errors: through call_command above, to
    # keep this file fast; each real process costs about a second and a half.)
