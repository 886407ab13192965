"""A database restored without its key files (or with another instance's) must not quietly get new keys.

The defect this reproduces: restored without ``keys/``, ``vault/`` and ``files/``, the server created fresh
``server.key``/``notify.key``, ``/readyz`` said ready, a reporter's message was stored with their name in
it (the stored redaction hashes are keyed with the old server key, so none matched), the worker failed the
queued notifications one attempt after another, and the clean-file and copy downloads answered 500. Now the
database keeps each key's fingerprint and everything that needs a key refuses (503 ``keys_mismatch``)."""

from __future__ import annotations

import ast
import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import REPORTER
from pakn.cases import services
from pakn.cases.models import Case, Message
from pakn.core import health
from pakn.notify.models import Outbox
from pakn.notify.services import deliver_pending
from pakn.protection import crypto, keys, vault
from pakn.protection import services as protection
from pakn.protection.health import check_key_files
from pakn.protection.keys import KeysUnavailable
from pakn.protection.models import Attachment, KeyFingerprint, VerificationCopy

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "pakn"


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (24, 16), "blue").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _new_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each step as a freshly started process would see it: no key in memory, no remembered probe."""
    monkeypatch.setattr(health, "KEEP_SECONDS", 0.0)
    keys.forget()
    yield
    keys.forget()
    health._last.clear()


@pytest.fixture
def filed(make_case: Callable[..., Case], clerk: Any) -> dict[str, Any]:
    """Cases with identities, a message, an attachment and a verification copy; the keys' fingerprints
    recorded, as on any instance that has been used."""
    cases = [make_case(kind="denunciation") for _ in range(3)]
    with vault.files_guard():
        [attachment] = protection.store_uploads(
            case=cases[0], uploads=protection.check_uploads([("anh.png", png())]), source="citizen"
        )
    services.add_information(case=cases[0], body="Tôi bổ sung: việc thu tiền vẫn tiếp diễn.")
    copy = protection.make_verification_copy(actor=clerk, case=cases[0], looked_at=[attachment.number])
    assert set(KeyFingerprint.objects.values_list("name", flat=True)) == {"server", "notify"}
    assert Outbox.objects.filter(status=Outbox.Status.PENDING).count() >= 3
    return {"cases": cases, "attachment": attachment, "copy": copy}


def database_only(settings: Any, tmp_path: Path) -> Path:
    """The database as it is, the data folder empty: a restore of the database alone."""
    settings.DATA_DIR = tmp_path / "restored"
    settings.DATA_DIR.mkdir()
    keys.forget()
    return settings.DATA_DIR


def readyz(client: Client) -> tuple[int, dict[str, Any]]:
    health._last.clear()
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_a_database_restored_without_its_files_refuses_instead_of_making_new_keys(
    filed: dict[str, Any], settings: Any, tmp_path: Path, client: Client, login: Callable[[Any], Client], clerk: Any
) -> None:
    case, attachment, copy = filed["cases"][0], filed["attachment"], filed["copy"]
    data_dir = database_only(settings, tmp_path)
    cases, messages = Case.objects.count(), Message.objects.count()
    before = list(Outbox.objects.order_by("pk").values_list("pk", "status", "attempts", "next_attempt_at"))

    # Not ready, and the answer names the problem.
    status, body = readyz(client)
    assert status == 503 and body["status"] == "not ready" and body["failing"] == ["keys"], body
    problem = body["checks"]["keys"]["problem"]
    assert "server.key is missing" in problem and "notify.key is missing" in problem and "files/" in problem
    assert body["checks"]["keys"]["files"] == {"server.key": "missing", "notify.key": "missing"}
    assert [e.id for e in check_key_files(databases=["default"])] == ["pakn.E010", "pakn.E010"]

    # A submission with an identity: refused before anything is written.
    with pytest.raises(KeysUnavailable) as refused:
        services.submit(
            actor=None,
            kind="denunciation",
            title="Tố cáo thu tiền sai quy định",
            content=f"Tôi là {REPORTER['name']}. Cán bộ phường thu tiền không có biên lai.",
            province_code="01",
            commune_code=filed["cases"][0].commune_id,
            reporter=dict(REPORTER),
        )
    assert refused.value.http_status == 503 and refused.value.code == "keys_mismatch"
    form = client.post(
        "/submit/",
        {
            "kind": "denunciation",
            "title": "Tố cáo thu tiền sai quy định",
            "content": "Cán bộ phường thu tiền trông xe không có biên lai, nhiều ngày liền.",
            "province_code": "01",
            "commune_code": case.commune_id,
            "reporter_name": REPORTER["name"],
            "reporter_phone": REPORTER["phone"],
            "reporter_notify_by": "sms",
        },
    )
    assert form.status_code == 503 and "khóa mã hóa" in form.content.decode()
    assert Case.objects.count() == cases

    # The reporter's message: refused, never stored with the name in it.
    with pytest.raises(KeysUnavailable):
        services.add_information(case=case, body=f"{REPORTER['name']} xin bổ sung thêm chứng cứ.")
    api = client.post(
        f"/api/v1/submissions/{case.tracking_code}/messages",
        {"body": f"{REPORTER['name']} xin bổ sung."},
        content_type="application/json",
    )
    assert api.status_code == 503 and api.json()["error"]["code"] == "keys_mismatch"
    assert Message.objects.count() == messages
    assert not Message.objects.filter(body__contains=REPORTER["name"]).exists()

    # The worker: nothing sent, nothing failed, every notification still queued as it was.
    assert deliver_pending() == {"sent": 0, "failed": 0, "held": 1}
    with pytest.raises(CommandError, match="notify.key is missing|server.key is missing"):
        call_command("worker", stdout=io.StringIO())
    after = list(Outbox.objects.order_by("pk").values_list("pk", "status", "attempts", "next_attempt_at"))
    assert after == before and not Outbox.objects.filter(status=Outbox.Status.FAILED).exists()

    # Downloads: a clear 503, not a 500.
    staff = login(clerk)
    staff.raise_request_exception = False
    for url in (f"/protection/files/{attachment.pk}", f"/protection/copies/{copy.pk}"):
        response = staff.get(url)
        assert response.status_code == 503 and "khóa mã hóa" in response.content.decode(), url

    # The explicit command does not paper over it either.
    with pytest.raises(CommandError, match="Restore the key archive"):
        call_command("protection", "init-keys", stdout=io.StringIO())
    # And no key was created on the way.
    assert not (data_dir / "keys").exists()
    assert set(KeyFingerprint.objects.values_list("name", flat=True)) == {"server", "notify"}


def test_keys_of_another_instance_are_refused(
    filed: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    data_dir: Path,
    client: Client,
    login: Callable[[Any], Client],
    clerk: Any,
) -> None:
    case, attachment = filed["cases"][0], filed["attachment"]
    restored = database_only(settings, tmp_path)
    for folder in ("vault", "files"):
        shutil.copytree(data_dir / folder, restored / folder)
    for key in keys.SERVER_KEYS:
        keys.write_key_file(restored / "keys" / key.filename, crypto.new_data_key(), "another instance")
    status, body = readyz(client)
    assert status == 503 and "not the key this database was used with" in body["checks"]["keys"]["problem"]
    assert body["checks"]["keys"]["files"] == {"server.key": "different", "notify.key": "different"}
    with pytest.raises(KeysUnavailable):
        services.add_information(case=case, body=f"{REPORTER['name']} xin bổ sung thêm chứng cứ.")
    staff = login(clerk)
    response = staff.get(f"/protection/files/{attachment.pk}")
    assert response.status_code == 503


def test_the_right_files_back_make_it_ready_again(
    filed: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    data_dir: Path,
    client: Client,
    login: Callable[[Any], Client],
    clerk: Any,
) -> None:
    restored = database_only(settings, tmp_path)
    assert readyz(client)[0] == 503
    for folder in ("keys", "vault", "files"):
        shutil.copytree(data_dir / folder, restored / folder)
    keys.forget()
    status, body = readyz(client)
    assert status == 200 and body["checks"]["keys"] == {
        "ok": True,
        "files": {"server.key": "ok", "notify.key": "ok"},
    }, body
    message = services.add_information(case=filed["cases"][0], body=f"{REPORTER['name']} xin bổ sung chứng cứ.")
    assert REPORTER["name"] not in message.body and "[đã che]" in message.body
    assert login(clerk).get(f"/protection/files/{filed['attachment'].pk}").status_code == 200
    assert deliver_pending()["failed"] == 0


def test_a_fresh_install_creates_its_keys_and_records_them(
    make_case: Callable[..., Case], settings: Any, tmp_path: Path, client: Client
) -> None:
    KeyFingerprint.objects.all().delete()
    restored = database_only(settings, tmp_path)
    assert readyz(client)[0] == 200  # nothing to compare with yet
    make_case()
    assert {p.name for p in (restored / "keys").iterdir()} >= {"server.key", "notify.key"}
    recorded = dict(KeyFingerprint.objects.values_list("name", "fingerprint"))
    assert set(recorded) == {"server", "notify"}
    server = keys.read_key_file(restored / "keys" / "server.key")
    assert crypto.b64e(server) not in str(recorded) and server.hex() not in str(recorded)  # never the secret
    assert recorded["server"] == keys.SERVER.fingerprint(server)
    assert readyz(client)[0] == 200


def test_a_database_from_before_fingerprints_with_encrypted_data_is_not_a_fresh_install(
    filed: dict[str, Any], settings: Any, tmp_path: Path, make_case: Callable[..., Case]
) -> None:
    KeyFingerprint.objects.all().delete()  # upgraded from a version without them, then restored alone
    database_only(settings, tmp_path)
    with pytest.raises(KeysUnavailable):
        make_case()
    assert not (settings.DATA_DIR / "keys" / "server.key").exists()


def test_init_keys_replaces_lost_keys_only_when_told(
    filed: dict[str, Any], settings: Any, tmp_path: Path, make_case: Callable[..., Case]
) -> None:
    old = dict(KeyFingerprint.objects.values_list("name", "fingerprint"))
    restored = database_only(settings, tmp_path)
    err = io.StringIO()
    call_command("protection", "init-keys", "--replace-lost", stdout=io.StringIO(), stderr=err)
    assert "redacted only by the generic patterns" in err.getvalue()
    new = dict(KeyFingerprint.objects.values_list("name", "fingerprint"))
    assert set(new) == set(old) and all(new[name] != old[name] for name in old)
    assert (restored / "keys" / "server.key").stat().st_mode & 0o777 == 0o600
    assert all(state.ok for state in keys.key_states())
    make_case()  # works again, with the new keys
    out = io.StringIO()
    call_command("protection", "init-keys", stdout=out)  # nothing to do now
    assert "server.key: ok" in out.getvalue()
    status = io.StringIO()
    call_command("protection", "status", stdout=status)
    assert "server.key: ok" in status.getvalue() and "notify.key: ok" in status.getvalue()


def test_clean_copy_missing_on_disk_is_a_clear_error(
    filed: dict[str, Any], data_dir: Path, login: Callable[[Any], Client], clerk: Any
) -> None:
    attachment: Attachment = filed["attachment"]
    blob = data_dir / "files" / attachment.clean_blob
    saved = blob.read_bytes()
    blob.unlink()
    try:
        staff = login(clerk)
        staff.raise_request_exception = False
        response = staff.get(f"/protection/files/{attachment.pk}")
        assert response.status_code == 503 and "bản lưu trên máy chủ bị thiếu" in response.content.decode()
        copy: VerificationCopy = filed["copy"]
        assert staff.get(f"/protection/copies/{copy.pk}").status_code == 503
    finally:
        blob.write_bytes(saved)


def test_core_registers_the_checks_it_imports_none() -> None:
    """core/health.py and core/backup.py import no feature: the packages register their checks and keys."""
    for name in ("health.py", "backup.py"):
        tree = ast.parse((SRC / "core" / name).read_text())
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        assert not {m for m in imported if m.startswith("pakn.") and not m.startswith("pakn.core")}, name
    assert health.REQUIRED["keys"].__module__ == "pakn.protection.health"
    assert health.REPORTED["worker"].__module__ == "pakn.notify.services"
