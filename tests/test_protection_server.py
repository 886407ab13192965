"""Protection checks that need a whole instance: the real development server's log after anonymous
submissions from a known client address, and the data migration that moves plaintext reporters into the
vault. Both run `pakn` in a subprocess on a fresh SQLite data folder."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

CLIENT = "127.0.0.23"  # a loopback address the server itself never prints
ROOT = Path(__file__).resolve().parent.parent


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
