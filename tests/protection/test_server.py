"""Protection checks that need a whole instance: the real development server's log after anonymous
submissions from a known client address, and the data migration that moves plaintext reporters into the
vault. Both run `pakn` in a subprocess on a fresh SQLite data folder (the reception register's migration also on
a new PostgreSQL database, where one is reachable). Slow drills (20–80 s each): `make test-slow` runs them, and CI."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow

CLIENT = "127.0.0.23"  # a loopback address the server itself never prints
ROOT = Path(__file__).resolve().parents[2]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {"PAKN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "pakn.settings", "PAKN_ARGON2_PROFILE": "min"}
    )
    return env


def _pakn(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "pakn.cli", *args], env=env, check=True, capture_output=True, cwd=ROOT, timeout=300
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """A tiny HTTP client that connects *from* ``CLIENT`` and keeps the cookies."""

    def __init__(self, port: int):
        self.port, self.cookies = port, dict[str, str]()

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, *, csrf: bool = True
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(CLIENT, 0))
        headers = {"User-Agent": "Mozilla/5.0 (Server-Log-Probe)", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            body = {**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "") if csrf else "forged"}
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text


@pytest.mark.skipif(sys.platform != "linux", reason="needs the whole 127.0.0.0/8 loopback network")
def test_server_log_has_no_client_address_after_anonymous_submissions(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _pakn(env, "migrate", "--noinput")
    _pakn(env, "loadunits", "--province", "01")
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "pakn.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        browser = Browser(port)
        for _attempt in range(100):
            try:
                status, _page = browser.request("GET", "/dropbox/")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        tip = {
            "kind": "denunciation",
            "title": "Thu tiền trông xe",
            "content": "Tổ trông xe thu tiền không có vé.",
            "province_code": "01",
            "commune_code": "00004",
        }
        status, page = browser.request("POST", "/dropbox/", tip)
        assert status == 201 and re.search(r'id="receipt">[0-9 ]{19}<', page), page[:2000]
        assert browser.request("POST", "/dropbox/open/", {"receipt": "1234 5678 9012 3456"})[0] == 400
        assert browser.request("POST", "/submit/", {"kind": "report", "title": "", "content": ""})[0] == 400
        assert browser.request("GET", "/no-such-page/")[0] == 404
        assert browser.request("POST", "/dropbox/", tip, csrf=False)[0] == 403
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    text = (tmp_path / "server.log").read_text("utf-8")
    assert "Not Found: /no-such-page/" in text or "404" in text
    assert CLIENT not in text and "Server-Log-Probe" not in text
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "server.log":
            data = path.read_bytes()
            assert CLIENT.encode() not in data and b"Server-Log-Probe" not in data, path


def _variants(text: str) -> set[bytes]:
    """How a secret could sit in a file: NFC, NFD, without diacritics (the search index), UTF-16 (a Windows
    tool's export)."""
    import unicodedata

    from pakn.core.text import fold

    forms = {text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text), fold(text)}
    return {f.encode("utf-8") for f in forms if f} | {f.encode("utf-16-le") for f in forms if len(f) > 5}


def _secrets_of_demo_reporters() -> dict[str, set[bytes]]:
    from pakn.cases.demo import REPORTERS

    found: dict[str, set[bytes]] = {}
    for reporter in REPORTERS:
        for field in ("name", "phone", "id_number", "email"):
            if reporter.get(field):
                found[reporter[field]] = _variants(reporter[field])
                if field == "phone":  # as staff often type it: "0912 345 678", "+84912345678"
                    phone = reporter[field]
                    found[reporter[field]] |= _variants(f"{phone[:4]} {phone[4:7]} {phone[7:]}")
                    found[reporter[field]] |= _variants("+84" + phone[1:])
    return found


def test_demo_instance_holds_no_demo_reporter_identity(tmp_path: Path) -> None:
    """The issue's check: a working instance with the demo data (cases from every channel, drop box,
    reception register and bookings, plans, delivered notifications), its database and every file under its
    data folder and its logs, searched for every demo reporter's name, phone, ID number and e-mail."""
    env = _env(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, args in (
        ("migrate", ("migrate", "--noinput")),
        ("loadunits", ("loadunits",)),
        ("demo", ("demo",)),
        ("worker", ("worker",)),
        ("audit", ("audit", "verify")),
    ):
        result = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "pakn.cli", *args], env=env, capture_output=True, cwd=ROOT, timeout=600
        )
        (logs / f"{name}.log").write_bytes(result.stdout + result.stderr)
        assert result.returncode == 0, (name, result.stderr[-3000:])
    # The data is really there (not an empty instance that trivially holds nothing).
    check = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", DEMO_COUNTS_SCRIPT], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert "COUNTS" in check.stdout, check.stderr[-3000:]
    counts = dict(item.split("=") for item in check.stdout.split("COUNTS", 1)[1].split())
    assert int(counts["identities"]) >= 10 and int(counts["entries"]) >= 2 and int(counts["bookings"]) >= 1, counts
    assert int(counts["sent"]) >= 1 and counts["escrow_opens"] == "ok", counts
    secrets = _secrets_of_demo_reporters()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" or p.name.endswith(".db") or "sqlite" in p.name for p in files), files
    # The search reads what is stored: the demo's non-secret text is found the same way.
    assert any("Đội Cấn".encode() in path.read_bytes() for path in files)
    leaks = [
        (secret, str(path.relative_to(tmp_path)))
        for path in files
        for secret, forms in secrets.items()
        if any(form in path.read_bytes() for form in forms)
    ]
    assert not leaks, leaks


DEMO_COUNTS_SCRIPT = r"""
import django
django.setup()
from pakn.cases.demo import REPORTERS
from pakn.notify.models import Outbox
from pakn.protection import keys, vault
from pakn.protection.models import VaultItem
from pakn.reception.models import Booking, Entry

private = keys.read_key_file(keys.key_path("ESCROW_KEY_FILE", "escrow.key"))
names = {vault.open_json(item, keys.escrow_key(), private).get("name")
         for item in VaultItem.objects.filter(kind__in=["identity", "person"])}
opens = "ok" if {r["name"] for r in REPORTERS} <= names else f"missing:{names}"
print("COUNTS", f"identities={VaultItem.objects.filter(kind__in=['identity', 'person']).count()}",
      f"entries={Entry.objects.count()}", f"bookings={Booking.objects.count()}",
      f"sent={Outbox.objects.filter(status='sent').count()}", f"escrow_opens={opens}")
"""


MIGRATION_SCRIPT = r"""
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
executor.migrate([("cases", "0001_initial"), ("protection", "0001_initial"), ("org", "0001_initial")])
cursor = connection.cursor()
cursor.execute("insert into org_province(code, name, short_name) values ('01', 'Hà Nội', 'Hà Nội')")
cursor.execute("insert into org_unit(code, name, kind, level, province_id, remote_area, email, is_active) "
               "values ('UBND-01', 'UBND', 'peoples_committee', 'province', '01', 0, '', 1)")
cursor.execute(
    "insert into cases_case(tracking_code, kind, track, title, content, province_id, address, subject, unit_id, "
    "status, channel, received_on, complexity, remote_area, extensions, publish, escalated, created_at, updated_at, "
    "audit_head, audit_count) values ('ABCDEFGH', 'complaint', 'statutory', 'Khiếu nại của Nguyễn Văn An', "
    "'Tôi là Nguyễn Văn An, điện thoại 0912345678', '01', '', '', 1, 'received', 'web', '2026-01-01', 'normal', 0, 0, "
    "0, 0, '2026-01-01', '2026-01-01', '', 0)")
cursor.execute("insert into cases_reporter(case_id, name, phone, email, id_number, address, notify_by) "
               "values (1, 'Nguyễn Văn An', '0912345678', 'an@example.vn', '001085012345', '12 Đội Cấn', 'email')")
executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from pakn.cases.models import Case, Reporter
from pakn.protection import keys, vault
from pakn.protection.models import VaultItem
from pakn.protection.notifier import open_contact

case = Case.objects.get()
assert "Nguyễn" not in case.title + case.content and "0912345678" not in case.content, case.content
opened = vault.open_json(VaultItem.objects.get(), keys.escrow_key(),
                         keys.read_key_file(keys.key_path("ESCROW_KEY_FILE", "escrow.key")))
assert opened["name"] == "Nguyễn Văn An" and opened["id_number"] == "001085012345"
assert open_contact(Reporter.objects.get().notify_sealed) == "an@example.vn"
columns = [c.name for c in connection.introspection.get_table_description(connection.cursor(), "cases_reporter")]
assert "name" not in columns and "phone" not in columns, columns
print("MIGRATED")
"""


def test_migration_seals_plaintext_reporters(tmp_path: Path) -> None:
    env = _env(tmp_path)
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", MIGRATION_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert "MIGRATED" in result.stdout, result.stderr[-3000:]
    _pakn(env, "protection", "scrub")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in ("Nguyễn Văn An", "0912345678", "001085012345", "an@example.vn"):
                assert secret.encode() not in data, (secret, path)


DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_database(request: pytest.FixtureRequest) -> Any:
    """Where the migration test runs: a new SQLite file, or a new PostgreSQL database on the suite's server
    (DATABASE_URL, else PAKN_TEST_DATABASE_URL, else the machine's), dropped afterwards — deployments upgrade
    on PostgreSQL. Skipped, with the reason, where no PostgreSQL answers."""
    if request.param == "sqlite":
        yield None
        return
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("PAKN_TEST_DATABASE_URL", DEFAULT_PG)
    parts = urlsplit(url)
    name = f"pakn_migration_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL migration drill skipped: cannot reach {parts.hostname}: {exc}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migration_seals_the_reception_register(tmp_path: Path, migration_database: str | None) -> None:
    env = _env(tmp_path)
    if migration_database:
        env["DATABASE_URL"] = migration_database
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", RECEPTION_MIGRATION_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert "MIGRATED" in result.stdout, result.stderr[-3000:]
    if migration_database:
        assert "postgresql" in result.stdout, result.stdout  # it really ran on PostgreSQL
        return  # the freed-pages check below is about the SQLite file
    _pakn(env, "protection", "scrub")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in ("Lê Thị Sổ", "0913000111", "001185077777", "so.le@example.vn", "Đặng Văn Hẹn"):
                assert secret.encode() not in data, (secret, path)


RECEPTION_MIGRATION_SCRIPT = r"""
import datetime
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
target = [("reception", "0001_initial"), ("protection", "0004_reveal_person_items")]
executor.migrate(target)
old = executor.loader.project_state(target).apps
Province, Unit = old.get_model("org", "Province"), old.get_model("org", "Unit")
User = old.get_model("auth", "User")
Session, Booking, Entry = (old.get_model("reception", n) for n in ("Session", "Booking", "Entry"))
Province.objects.create(code="01", name="Hà Nội", short_name="Hà Nội")
unit = Unit.objects.create(code="UBND-01", name="UBND", kind="peoples_committee", level="province", province_id="01")
clerk = User.objects.create(username="clerk")
from pakn.protection import crypto
officer_public, officer_private = crypto.new_keypair()
old.get_model("org", "Membership").objects.create(user=clerk, unit=unit, role="protection_officer")
officer_key = old.get_model("protection", "RecipientKey").objects.create(
    kind="officer", user_id=clerk.pk, public_key=crypto.b64e(officer_public))
session = Session.objects.create(unit=unit, date=datetime.date(2026, 3, 4), start_time=datetime.time(8),
                                 end_time=datetime.time(11), presider_name="Chủ tịch", status="held", created_by=clerk)
Booking.objects.create(session=session, code="ABCDEFGHJK", slot=1, name="Đặng Văn Hẹn", phone="",
                       email="so.le@example.vn", summary="Tôi là Đặng Văn Hẹn, hỏi về đất.")
Entry.objects.create(unit=unit, year=2026, number=1, received_on=datetime.date(2026, 3, 4), session=session,
                     name="Lê Thị Sổ", address="7 Hàng Bài", id_number="001185077777", phone="0913000111",
                     summary="Bà Lê Thị Sổ (0913 000 111) khiếu nại.", kind="complaint", competence="yes",
                     notice_due_on=datetime.date(2026, 3, 18), notice_rule="x", created_by=clerk)
executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from pakn.protection import keys, vault
from pakn.protection.notifier import open_contact
from pakn.reception.models import Booking, Entry

private = keys.read_key_file(keys.key_path("ESCROW_KEY_FILE", "escrow.key"))
entry, booking = Entry.objects.get(), Booking.objects.get()
assert "Lê Thị Sổ" not in entry.summary and "0913 000 111" not in entry.summary, entry.summary
assert vault.open_json(entry.identity, keys.escrow_key(), private)["id_number"] == "001185077777"
from pakn.protection.models import RecipientKey
officer = RecipientKey.objects.get(pk=officer_key.pk)
assert vault.open_json(entry.identity, officer, officer_private)["name"] == "Lê Thị Sổ"
assert open_contact(entry.notify_sealed) == "0913000111" and entry.verifiable
assert vault.open_json(booking.identity, keys.escrow_key(), private)["email"] == "so.le@example.vn"
assert open_contact(booking.notify_sealed) == "so.le@example.vn" and "Đặng Văn Hẹn" not in booking.summary
for table in ("reception_entry", "reception_booking"):
    columns = [c.name for c in connection.introspection.get_table_description(connection.cursor(), table)]
    assert "name" not in columns and "phone" not in columns, columns
print("MIGRATED", connection.vendor)
"""
