"""The restore drill (docs/operations.md, "Backups"), run as an operator would: ``.venv/bin/pakn`` in
subprocesses, on a fresh SQLite data folder and, when a PostgreSQL server answers, on databases of its own
(created and dropped here).

migrate → loadunits (Hà Nội only) → cases with identities, an attachment and a message, through the
services → ``pakn backup`` → ``pakn restore`` into another fresh data folder and database → ``pakn audit
verify`` → the identity opened with the escrow key and the clean file read, byte for byte the same as on the
original. Refused before anything is written: the keys of another instance, a damaged member, a target
that is not empty."""

from __future__ import annotations

import base64
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from conftest import REPORTER

pytestmark = pytest.mark.slow
PAKN = str(Path(sys.executable).with_name("pakn"))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"

FILE_CASES = """
import io, json
from PIL import Image
from pakn.cases import services
out = io.BytesIO()
Image.new("RGB", (32, 24), "red").save(out, "PNG")
reporter = json.loads({reporter!r})
for number in range({count}):
    case = services.submit(
        actor=None, kind="denunciation", title=f"Tố cáo thu tiền sai quy định {{number}}",
        content=f"Tôi là {{reporter['name']}}, điện thoại {{reporter['phone']}}. Phường thu tiền không biên lai.",
        province_code="01", commune_code="00004", reporter=dict(reporter),
        attachments=[("anh.png", out.getvalue())] if number == 0 else (),
    )
    services.add_information(case=case, body=f"{{reporter['name']}} xin bổ sung: vẫn tiếp tục thu tiền.")
"""

READ_BACK = """
import base64, json
from pathlib import Path
from pakn.cases.models import Case
from pakn.core.health import readiness
from pakn.protection import keys, vault
from pakn.protection.models import Attachment, VaultItem
escrow_private = keys.read_key_file(Path({escrow!r}))
found = {{}}
for case in Case.objects.order_by("tracking_code"):
    item = VaultItem.objects.filter(case=case, kind="identity").order_by("pk").first()
    found[case.tracking_code] = {{
        "identity": base64.b64encode(vault.open_item(item, keys.escrow_key(), escrow_private)).decode(),
        "files": [
            base64.b64encode(vault.read_clean(a.clean_blob)).decode()
            for a in Attachment.objects.filter(case=case).exclude(clean_blob="").order_by("number")
        ],
        "messages": list(case.messages.order_by("pk").values_list("body", flat=True)),
    }}
print("DRILL" + json.dumps({{"cases": found, "ready": readiness()[0]}}))
"""


class Instance:
    """One PAKN installation: its data folder, its database, its environment."""

    def __init__(self, root: Path, name: str, database_url: str | None, timings: dict[str, float]) -> None:
        self.data = root / name
        self.data.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DATABASE_URL"))}
        self.env.update(PAKN_DATA_DIR=str(self.data), PAKN_ARGON2_PROFILE="min", DJANGO_SETTINGS_MODULE="pakn.settings")
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.name, self.timings = name, timings

    def run(self, *args: str, ok: bool = True, step: str = "") -> subprocess.CompletedProcess[str]:
        started = time.perf_counter()
        result = subprocess.run([PAKN, *args], env=self.env, capture_output=True, text=True, timeout=600, check=False)
        label = step or f"{self.name}: pakn {args[0]}"
        self.timings[label] = self.timings.get(label, 0.0) + time.perf_counter() - started
        if ok:
            assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
        return result

    def script(self, code: str, step: str) -> dict[str, Any]:
        output = self.run("shell", "-c", code, step=step).stdout
        [line] = [line for line in output.splitlines() if line.startswith("DRILL")] or [""]
        return json.loads(line[5:]) if line else {}

    def written(self) -> list[str]:
        """What is in the data folder besides ``static/`` (which importing the settings creates)."""
        return sorted(str(p.relative_to(self.data)) for p in self.data.rglob("*") if p.parts[-1] != "static")


def archives(folder: Path) -> tuple[Path, Path]:
    [data] = sorted(folder.glob("pakn-data-*.tar.gz"))
    [keys] = sorted(folder.glob("pakn-keys-*.tar.gz"))
    return data, keys


def damaged_copy(archive: Path, target: Path) -> Path:
    """The same archive with one encrypted file's last byte changed and the manifest left as it was."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        changed = False
        for info in source.getmembers():
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if not changed and info.name.startswith("data/files/"):
                data, changed = data[:-1] + bytes([data[-1] ^ 1]), True
            out.addfile(info, io.BytesIO(data))
    assert changed
    return target


def drill(tmp_path: Path, urls: dict[str, str | None], empty_target: Any, clone: Any) -> dict[str, float]:
    """``clone()`` copies the source's migrated database with its units to the other instance (faster than
    migrating twice)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    source = Instance(tmp_path, "source", urls["source"], timings)
    other = Instance(tmp_path, "other", urls["other"], timings)
    target = Instance(tmp_path, "target", urls["target"], timings)
    backups, other_backups = tmp_path / "backups", tmp_path / "other-backups"

    source.run("migrate", "--noinput", "-v0")
    source.run("loadunits", "--province", "01")
    started_clone = time.perf_counter()
    clone()
    timings["other: copy of the migrated database"] = time.perf_counter() - started_clone
    source.script(FILE_CASES.format(reporter=json.dumps(REPORTER), count=3), "source: file 3 cases")
    escrow = str(source.data / "keys" / "escrow.key")  # the escrow holder's copy, kept offline in production
    original = source.script(READ_BACK.format(escrow=escrow), "source: read back")
    assert len(original["cases"]) == 3 and original["ready"] == 200
    source.run("backup", "--out", str(backups))
    data_archive, keys_archive = archives(backups)
    assert keys_archive.stat().st_mode & 0o777 == 0o600 and data_archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(keys_archive) as keys_tar:
        assert sorted(keys_tar.getnames()) == ["keys/escrow.key", "keys/notify.key", "keys/server.key", "manifest.json"]
    with tarfile.open(data_archive) as data_tar:
        names = data_tar.getnames()
        manifest = json.loads(data_tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert not [n for n in names if n.startswith("keys/")] and any(n.startswith("data/files/") for n in names)
    assert any(n.startswith("data/vault/") for n in names) and set(manifest["members"]) == set(names) - {
        "manifest.json"
    }
    assert set(manifest["fingerprints"]) == {"server", "notify", "escrow"} and manifest["database"]["migrations"]

    # Another instance with its own keys (one case, so its keys exist and are recorded).
    other.script(FILE_CASES.format(reporter=json.dumps(REPORTER), count=1), "other: file 1 case")
    other.run("backup", "--out", str(other_backups))
    _, other_keys = archives(other_backups)

    # Refused before anything is written: another instance's keys; a damaged member.
    refused = target.run("restore", str(data_archive), str(other_keys), ok=False, step="target: refused restores")
    assert refused.returncode != 0 and "does not belong to this data archive" in refused.stderr, refused.stderr
    damaged = damaged_copy(data_archive, tmp_path / "damaged.tar.gz")
    refused = target.run("restore", str(damaged), str(keys_archive), ok=False, step="target: refused restores")
    assert refused.returncode != 0 and "damaged (SHA-256 differs" in refused.stderr, refused.stderr
    assert target.written() == [] and empty_target()

    target.run("restore", str(data_archive), str(keys_archive))
    verified = target.run("audit", "verify")
    assert "OK: audit chains of 3 case(s) verified." in verified.stdout
    restored = target.script(READ_BACK.format(escrow=escrow), "target: read back")
    assert restored == original  # identities, clean files and messages, byte for byte; and ready
    for case in restored["cases"].values():
        identity = json.loads(base64.b64decode(case["identity"]))
        assert identity["name"] == REPORTER["name"] and identity["id_number"] == REPORTER["id_number"]
        assert all(REPORTER["name"] not in body for body in case["messages"])
    assert sum(len(case["files"]) for case in restored["cases"].values()) == 1
    target.run("check", "--database", "default", step="target: pakn check --database default")

    again = target.run("restore", str(data_archive), str(keys_archive), ok=False, step="target: refused restores")
    assert again.returncode != 0 and "not empty" in again.stderr
    timings["total"] = time.perf_counter() - started
    return timings


def report(label: str, timings: dict[str, float]) -> None:
    print(f"\nrestore drill on {label}:")
    for step, seconds in timings.items():
        print(f"  {seconds:6.1f} s  {step}")


def test_restore_drill_on_sqlite(tmp_path: Path) -> None:
    def empty() -> bool:
        return not (tmp_path / "target" / "pakn.sqlite3").exists()

    def clone() -> None:
        source = sqlite3.connect(tmp_path / "source" / "pakn.sqlite3")
        copy = sqlite3.connect(tmp_path / "other" / "pakn.sqlite3")
        source.backup(copy)
        copy.close()
        source.close()

    report("SQLite", drill(tmp_path, {"source": None, "other": None, "target": None}, empty, clone))


def _postgres() -> str:
    """A server to create the drill's own databases on, or a skip with the reason."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("PostgreSQL drill skipped: pg_dump/pg_restore not installed")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("PAKN_TEST_DATABASE_URL", DEFAULT_PG)
    try:
        import psycopg

        with psycopg.connect(_conninfo(url, "postgres"), connect_timeout=3):
            pass
    except Exception as exc:
        pytest.skip(f"PostgreSQL drill skipped: cannot reach {urlparse(url).hostname}: {exc}")
    return url


def _conninfo(url: str, database: str) -> str:
    parts = urlparse(url)
    auth = parts.username or "postgres"
    if parts.password:
        auth += f":{parts.password}"
    return f"postgresql://{auth}@{parts.hostname or '127.0.0.1'}:{parts.port or 5432}/{database}"


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    import psycopg

    url = _postgres()
    prefix = f"pakn_drill_{secrets.token_hex(4)}"
    names = {role: f"{prefix}_{role}" for role in ("source", "other", "target")}
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
        for name in names.values():
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url, {role: _conninfo(url, name) for role, name in names.items()}, names
    finally:
        with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
            for name in names.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_restore_drill_on_postgresql(
    tmp_path: Path, postgres_databases: tuple[str, dict[str, str], dict[str, str]]
) -> None:
    import psycopg

    url, urls, names = postgres_databases

    def clone() -> None:
        with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{names["other"]}"')
            admin.execute(f'CREATE DATABASE "{names["other"]}" TEMPLATE "{names["source"]}"')

    def empty() -> bool:
        with psycopg.connect(urls["target"]) as target:
            return not target.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]  # type: ignore[index]

    report("PostgreSQL", drill(tmp_path, dict(urls), empty, clone))
