"""Reporter protection, end to end: nothing identifying in the database, on disk or in the logs; the
four-eyes reveal; every identity route closed to handlers and to other units; clean attachments; the
anonymous drop box with its receipt; protection requests; notifications through the sealed contact;
key rotation and officer changes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client

from conftest import (
    COMMUNE,
    OTHER_COMMUNE,
    PASSWORD,
    REPORTER,
    escrow_private_key,
    identity_of,
    make_user,
    outbox_to,
)
from pakn.cases import services
from pakn.cases.audit_check import verify_all
from pakn.cases.models import AuditEvent, Case, Message, Reporter
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.core.text import fold
from pakn.notify.models import Outbox
from pakn.protection import crypto, keys, vault
from pakn.protection import services as protection
from pakn.protection.models import Attachment, KeyWrap, ProtectionRequest, RevealRequest, VaultItem

pytestmark = pytest.mark.django_db

SECRETS = [REPORTER["name"], REPORTER["phone"], REPORTER["id_number"], REPORTER["email"]]
UNIT = f"UBND-{COMMUNE}"


def variants(secret: str) -> list[str]:
    """How a secret could be written anywhere: as is, JSON-escaped, diacritics folded, phone without 0."""
    out = {secret, json.dumps(secret)[1:-1], fold(secret)}
    if secret.isdigit() and secret.startswith("0"):
        out.add(secret[1:])
    return sorted(out)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def officer(db: Any) -> Any:
    user = make_user("baove1", unit_code=UNIT, role="protection_officer")
    protection.setup_key(user=user, password=PASSWORD)
    return user


@pytest.fixture
def officer2(db: Any) -> Any:
    user = make_user("baove2", unit_code=UNIT, role="protection_officer")
    protection.setup_key(user=user, password=PASSWORD)
    return user


@pytest.fixture
def denunciation(officer: Any, officer2: Any, make_case: Callable[..., Case]) -> Case:
    return make_case(
        kind="denunciation",
        title=f"Tố cáo cán bộ địa chính – {REPORTER['name']}",
        content=(
            f"Tôi là {REPORTER['name']}, CCCD {REPORTER['id_number']}, điện thoại 0912 345 678, ở "
            f"{REPORTER['address']}. Cán bộ địa chính phường thu 5.000.000 đồng ngoài quy định."
        ),
    )


def gps_jpeg(author: str = "Nguyen Van An") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS 80D"
    exif[0x013B] = author
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0), 3: "E", 4: (105.0, 50.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def authored_pdf(author: str = "Nguyen Van An") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Title": f"Đơn của {author}", "/Creator": "Word"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def submit_form(client: Client, **extra: Any) -> Any:
    data = {
        "kind": "denunciation",
        "title": "Tố cáo thu tiền sai quy định",
        "province_code": "01",
        "commune_code": COMMUNE,
        "reporter_notify_by": "email",
        "content": f"Tôi là {REPORTER['name']} ({REPORTER['phone']}). Cán bộ phường thu tiền không có biên lai.",
        "reporter_name": REPORTER["name"],
        "reporter_phone": REPORTER["phone"],
        "reporter_email": REPORTER["email"],
        "reporter_id_number": REPORTER["id_number"],
        "reporter_address": REPORTER["address"],
    }
    data.update(extra)
    return client.post("/submit/", data)


def dropbox_submit(client: Client, **extra: Any) -> Any:
    data = {
        "kind": "denunciation",
        "title": "Tố cáo thu tiền trông xe",
        "province_code": "01",
        "commune_code": COMMUNE,
        "content": "Tổ trông xe ở cổng chợ thu 20.000 đồng mỗi lượt, không có vé.",
    }
    data.update(extra)
    return client.post("/dropbox/", data)


def receipt_in(response: Any) -> str:
    match = re.search(r'id="receipt">([0-9 ]{19})<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def reveal(officer: Any, officer2: Any, case: Case) -> protection.Revealed:
    request = protection.request_reveal(
        actor=officer, case=case, legal_basis="verification", reason="Cần làm việc trực tiếp để xác minh."
    )
    protection.decide_reveal(actor=officer2, request=request, approve=True)
    return protection.reveal_identity(actor=officer, request=request, password=PASSWORD)


# ---------------------------------------------------------------- the dump


def _cell(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def dump_database() -> str:
    """Every row of every table, as text (SQLite and PostgreSQL)."""
    rows: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        tables = [row[0] for row in cursor.fetchall()]
        assert "cases_case" in tables and "protection_vaultitem" in tables
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the catalogue
            rows.extend(f"{table}: " + " | ".join(_cell(v) for v in row) for row in cursor.fetchall())
    return "\n".join(rows)


def files_on_disk() -> dict[str, bytes]:
    root = Path(settings.DATA_DIR)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_nowhere(secrets: list[str], *, logs: str = "") -> None:
    database = dump_database()
    disk = files_on_disk()
    assert disk, "the vault wrote no files"
    for secret in secrets:
        for form in variants(secret):
            assert form not in database, f"{form!r} in the database"
            encoded = form.encode("utf-8")
            for name, data in disk.items():
                assert encoded not in data, f"{form!r} in {name}"
            assert form not in logs, f"{form!r} in the logs"


def test_database_files_and_logs_hold_no_identity(
    client: Client,
    officer: Any,
    officer2: Any,
    clerk: Any,
    supervisor: Any,
    make_case: Callable[..., Case],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    login: Callable[[Any], Client],
) -> None:
    caplog.set_level("DEBUG")
    # A named denunciation from the web form, with a GPS photo and a PDF signed by the reporter.
    response = submit_form(
        client,
        attachments=[upload("an.jpg", gps_jpeg(REPORTER["name"])), upload("don.pdf", authored_pdf(REPORTER["name"]))],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    web = Case.objects.get(channel="web")
    # The same person through the API and the staff intake (with the scanned signed letter).
    api = Client().post(
        "/api/v1/submissions",
        json.dumps(
            {
                "kind": "complaint",
                "title": "Khiếu nại",
                "content": f"Tôi, {REPORTER['name']}, khiếu nại quyết định số 5.",
                "province_code": "01",
                "commune_code": COMMUNE,
                "reporter": REPORTER,
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 201
    staff = login(clerk)
    letter = staff.post(
        "/staff/intake/",
        {
            "channel": "letter",
            "received_on": "2026-01-05",
            "kind": "petition",
            "title": "Đơn kiến nghị",
            "content": f"Người viết: {REPORTER['name']}, số điện thoại {REPORTER['phone']}.",
            "province_code": "01",
            "commune_code": COMMUNE,
            "reporter_name": REPORTER["name"],
            "reporter_phone": REPORTER["phone"],
            "reporter_id_number": REPORTER["id_number"],
            "reporter_notify_by": "sms",
            "original_letter": upload("scan.jpg", gps_jpeg(REPORTER["name"])),
        },
    )
    assert letter.status_code == 302, letter.content.decode()[:3000]
    # An anonymous tip, answered through the drop box; more information by tracking code; a protection request.
    tip = dropbox_submit(client, evidence=[upload("x.pdf", authored_pdf())])
    receipt = receipt_in(tip)
    tip_case = Case.objects.get(title="Tố cáo thu tiền trông xe")
    services.ask_reporter(actor=clerk, case=tip_case, body="Bạn có biên lai không?")
    client.post("/dropbox/open/", {"receipt": receipt})
    client.post("/dropbox/case/reply", {"body": f"Tôi là {REPORTER['name']}, gọi {REPORTER['phone']}."})
    client.post(f"/track/{web.tracking_code}/info", {"body": f"Bổ sung: CCCD {REPORTER['id_number']}."})
    client.post(
        f"/track/{web.tracking_code}/protect",
        {
            "persons": ["self", "child"],
            "measures": ["safety"],
            "details": f"Tôi ({REPORTER['name']}, {REPORTER['phone']}) bị đe dọa.",
        },
    )
    # The staff work: a verification copy, a reveal, the worker sending the notifications.
    staff.post(f"/protection/cases/{web.pk}/copy")
    revealed = reveal(officer, officer2, web)
    assert revealed.identity["name"] == REPORTER["name"]
    call_command("worker", stdout=io.StringIO())
    assert any(REPORTER["email"] in m.to for m in mail.outbox)  # the notification still reaches them
    # Pages staff and supervisors use.
    for path in (f"/staff/cases/{web.pk}/", f"/api/v1/cases/{web.pk}", f"/track/{web.tracking_code}/"):
        assert REPORTER["name"] not in staff.get(path).content.decode()
    assert REPORTER["name"] not in login(supervisor).get(f"/staff/cases/{web.pk}/").content.decode()

    captured = capfd.readouterr()
    assert_nowhere(SECRETS, logs=caplog.text + captured.out + captured.err)
    # …and yet nothing is lost: the escrow key opens every identity.
    for case in (web, Case.objects.get(channel="api"), Case.objects.get(channel="letter")):
        assert identity_of(case)["id_number"] == REPORTER["id_number"]


def test_case_text_is_redacted_and_the_original_sealed(denunciation: Case) -> None:
    case = Case.objects.get(pk=denunciation.pk)
    for secret in (REPORTER["name"], REPORTER["id_number"], "0912 345 678", REPORTER["address"]):
        assert secret not in case.title + case.content
    assert "[đã che]" in case.content and "5.000.000 đồng" in case.content  # amounts stay
    original = identity_of(case)
    assert REPORTER["name"] in original["content"] and original["title"].endswith(REPORTER["name"])


def test_later_text_from_the_reporter_is_redacted(denunciation: Case) -> None:
    message = services.add_information(case=denunciation, body=f"Tôi là NGUYEN VAN AN, số {REPORTER['phone']}.")
    assert "[đã che]" in message.body and "NGUYEN" not in message.body and REPORTER["phone"] not in message.body
    item = VaultItem.objects.get(case=denunciation, kind="original_message")
    opened = vault.open_json(item, keys.escrow_key(), escrow_private_key())
    assert "NGUYEN VAN AN" in opened["body"]


# ---------------------------------------------------------------- reveal


def test_reveal_needs_a_second_officer(denunciation: Case, officer: Any, officer2: Any) -> None:
    request = protection.request_reveal(
        actor=officer, case=denunciation, legal_basis="verification", reason="Cần gặp trực tiếp để xác minh."
    )
    with pytest.raises(InvalidTransition) as caught:
        protection.reveal_identity(actor=officer, request=request, password=PASSWORD)
    assert caught.value.code == "not_approved"
    with pytest.raises(Forbidden) as caught_self:
        protection.decide_reveal(actor=officer, request=request, approve=True)
    assert caught_self.value.code == "self_approval"
    protection.decide_reveal(actor=officer2, request=request, approve=True)
    with pytest.raises(Forbidden):  # only the requester sees it
        protection.reveal_identity(actor=officer2, request=request, password=PASSWORD)
    with pytest.raises(InvalidInput):
        protection.reveal_identity(actor=officer, request=request, password="sai-mat-khau-2026")
    revealed = protection.reveal_identity(actor=officer, request=request, password=PASSWORD)
    assert revealed.identity["name"] == REPORTER["name"] and revealed.identity["phone"] == REPORTER["phone"]
    with pytest.raises(InvalidTransition):  # once
        protection.reveal_identity(actor=officer, request=request, password=PASSWORD)
    actions = list(AuditEvent.objects.filter(case=denunciation).values_list("action", "public"))
    assert ("reveal_requested", False) in actions and ("reveal_approved", False) in actions
    assert ("identity_revealed", True) in actions
    assert verify_all()[1] == []  # the reveal steps are in the hash chain


def test_reveal_over_http_and_the_reporter_sees_it(
    denunciation: Case, officer: Any, officer2: Any, login: Callable[[Any], Client], supervisor: Any
) -> None:
    first, second = login(officer), login(officer2)
    response = first.post(
        f"/protection/cases/{denunciation.pk}/reveal",
        {"legal_basis": "verification", "reason": "Tổ xác minh cần gặp người tố cáo."},
    )
    assert response.status_code == 302
    request = RevealRequest.objects.get()
    # Without approval: refused, no identity.
    refused = first.post(f"/protection/reveal/{request.pk}/open", {"password": PASSWORD})
    assert refused.status_code == 400 and REPORTER["name"] not in refused.content.decode()
    # Self-approval: refused.
    assert first.post(f"/protection/reveal/{request.pk}/decide", {"decision": "approve"}).status_code == 403
    assert second.post(f"/protection/reveal/{request.pk}/decide", {"decision": "approve"}).status_code == 302
    opened = first.post(f"/protection/reveal/{request.pk}/open", {"password": PASSWORD})
    assert opened.status_code == 200 and REPORTER["name"] in opened.content.decode()
    assert "no-store" in opened["Cache-Control"]
    again = first.post(f"/protection/reveal/{request.pk}/open", {"password": PASSWORD})
    assert REPORTER["name"] not in again.content.decode()
    # The reporter's status page says that it happened, without names.
    status = Client().get(f"/track/{denunciation.tracking_code}/").content.decode()
    assert "Danh tính người gửi đã được mở theo quy định" in status
    assert REPORTER["name"] not in status and "staff:" not in status
    # Supervisors see every step in the audit trail and the reveal log.
    timeline = login(supervisor).get(f"/staff/cases/{denunciation.pk}/").content.decode()
    assert "Đề nghị mở danh tính người gửi" in timeline and "Phê duyệt đề nghị mở danh tính" in timeline
    log = login(supervisor).get("/protection/").content.decode()
    assert "Xác minh" in log or "xác minh" in log


def test_every_identity_route_is_closed_to_handlers_and_other_units(
    denunciation: Case,
    officer: Any,
    officer2: Any,
    clerk: Any,
    head: Any,
    other_clerk: Any,
    supervisor: Any,
    login: Callable[[Any], Client],
) -> None:
    request = protection.request_reveal(
        actor=officer, case=denunciation, legal_basis="verification", reason="Cần gặp trực tiếp để xác minh."
    )
    photo = protection.check_uploads([("a.jpg", gps_jpeg())])
    with vault.files_guard():
        [attachment] = protection.store_uploads(case=denunciation, uploads=photo, source="citizen")
    other_unit_officer = make_user("baove_other", unit_code=f"UBND-{OTHER_COMMUNE}", role="protection_officer")
    # The same person, in the unit's reception register (sealed outside any case) with a reveal request.
    from datetime import date

    from pakn.reception import services as reception

    entry = reception.register_contact(
        actor=clerk,
        unit=denunciation.unit,
        received_on=date(2026, 1, 5),
        name=REPORTER["name"],
        phone=REPORTER["phone"],
        id_number=REPORTER["id_number"],
        summary="Tố cáo cán bộ thu tiền.",
        kind="denunciation",
        competence="yes",
    )
    person_request = protection.request_reveal(
        actor=officer, item=entry.identity, legal_basis="verification", reason="Cần gặp trực tiếp để xác minh."
    )
    routes = [
        ("get", f"/protection/people/{entry.identity_id}/", {}),
        ("post", f"/protection/people/{entry.identity_id}/reveal", {"legal_basis": "verification", "reason": "x" * 20}),
        ("post", f"/protection/reveal/{person_request.pk}/decide", {"decision": "approve"}),
        ("post", f"/protection/reveal/{person_request.pk}/open", {"password": PASSWORD}),
        ("get", f"/protection/cases/{denunciation.pk}/", {}),
        ("post", f"/protection/cases/{denunciation.pk}/reveal", {"legal_basis": "verification", "reason": "x" * 20}),
        ("post", f"/protection/reveal/{request.pk}/decide", {"decision": "approve"}),
        ("post", f"/protection/reveal/{request.pk}/open", {"password": PASSWORD}),
        ("post", f"/protection/reveal/{request.pk}/original/{attachment.number}", {"password": PASSWORD}),
    ]
    expected = {clerk: 403, head: 403, supervisor: 403, other_clerk: 404, other_unit_officer: 404}
    for user, status in expected.items():
        client = login(user)
        for method, path, data in routes:
            response = getattr(client, method)(path, data)
            assert response.status_code == status, (user.username, path, response.status_code)
            assert REPORTER["name"] not in response.content.decode()
    # Clean files: the handler may download; another unit may not even learn that the file exists.
    assert login(clerk).get(f"/protection/files/{attachment.pk}").status_code == 200
    assert login(other_clerk).get(f"/protection/files/{attachment.pk}").status_code == 404
    assert Client().get(f"/protection/files/{attachment.pk}").status_code == 302  # to the login page
    # The staff API and page show the pseudonym only.
    for user in (clerk, head, supervisor):
        page = login(user).get(f"/staff/cases/{denunciation.pk}/").content.decode()
        assert denunciation.pseudonym in page and REPORTER["phone"] not in page
        page = login(user).get(f"/reception/staff/register/{entry.pk}/").content.decode()
        assert entry.pseudonym in page and REPORTER["phone"] not in page and REPORTER["name"] not in page
    assert RevealRequest.objects.get(pk=request.pk).status == "pending"
    assert RevealRequest.objects.get(pk=person_request.pk).status == "pending"


def test_officer_of_the_unit_above_can_approve(denunciation: Case, officer: Any) -> None:
    above = make_user("baove_tinh", unit_code="UBND-01", role="protection_officer")
    protection.setup_key(user=above, password=PASSWORD)
    request = protection.request_reveal(
        actor=officer, case=denunciation, legal_basis="protection", reason="Áp dụng biện pháp bảo vệ khẩn cấp."
    )
    protection.decide_reveal(actor=above, request=request, approve=True)
    # The key of the officer above was created after the case: re-sealed when the first officer opens.
    revealed = protection.reveal_identity(actor=officer, request=request, password=PASSWORD)
    assert revealed.identity["id_number"] == REPORTER["id_number"]
    above_key = keys.active_key(above)
    assert KeyWrap.objects.filter(recipient=above_key, item__case=denunciation).exists()


# ---------------------------------------------------------------- keys


def _opens(user: Any, case: Case) -> dict[str, Any]:
    key, private = protection.unlock(user=user, password=PASSWORD)
    return vault.open_json(VaultItem.objects.get(case=case, kind="identity"), key, private)


def test_key_rotation_and_officer_changes_keep_identities_readable(
    denunciation: Case, officer: Any, officer2: Any
) -> None:
    old_key = keys.active_key(officer)
    protection.rotate_key(user=officer, password=PASSWORD)
    assert keys.active_key(officer).pk != old_key.pk
    assert not KeyWrap.objects.filter(recipient=old_key).exists()
    assert _opens(officer, denunciation)["name"] == REPORTER["name"]
    # A new officer joins: sealed to them as soon as a colleague unlocks.
    newcomer = make_user("baove3", unit_code=UNIT, role="protection_officer")
    protection.setup_key(user=newcomer, password=PASSWORD)
    with pytest.raises(crypto.CryptoError):
        _opens(newcomer, denunciation)
    counts = protection.reseal_pending(user=officer2, password=PASSWORD)
    assert counts["resealed"] >= 1
    assert _opens(newcomer, denunciation)["name"] == REPORTER["name"]
    # An officer leaves: their wrap goes at once, and the data gets a new key at the next re-seal.
    leaver_key = keys.active_key(officer2)
    item = VaultItem.objects.get(case=denunciation, kind="identity")
    before = item.ciphertext
    officer2.memberships.all().delete()
    assert not KeyWrap.objects.filter(recipient=leaver_key).exists()
    protection.reseal_pending(user=officer, password=PASSWORD)
    item.refresh_from_db()
    assert item.ciphertext != before and item.key_version == 2 and not item.needs_rekey
    for user in (officer, newcomer):
        assert _opens(user, denunciation)["name"] == REPORTER["name"]
    assert identity_of(denunciation)["name"] == REPORTER["name"]  # the escrow key still opens it


def test_password_change_relocks_the_key(officer: Any, denunciation: Case) -> None:
    protection.change_password(user=officer, old_password=PASSWORD, new_password="mat-khau-moi-2026-x")
    officer.refresh_from_db()
    key, private = protection.unlock(user=officer, password="mat-khau-moi-2026-x")
    assert crypto.public_of(private) == crypto.b64d(key.public_key)
    # Changed elsewhere (admin): the key is flagged and re-locked with the old password.
    officer.set_password("mat-khau-admin-2026-y")
    officer.save()
    assert keys.active_key(officer).relock_needed
    with pytest.raises(InvalidTransition):
        protection.unlock(user=officer, password="mat-khau-admin-2026-y")
    protection.relock_key(user=officer, old_password="mat-khau-moi-2026-x", password="mat-khau-admin-2026-y")
    assert protection.unlock(user=officer, password="mat-khau-admin-2026-y")[0].relock_needed is False


def test_a_copy_of_database_and_settings_opens_nothing(denunciation: Case, officer: Any) -> None:
    """What a thief of the database and the settings has: sealed boxes and password-locked keys."""
    key = keys.active_key(officer)
    item = VaultItem.objects.get(case=denunciation, kind="identity")
    for guess in (settings.SECRET_KEY, "", officer.password):
        with pytest.raises(crypto.CryptoError):
            crypto.unlock_private_key(keys.locked(key), guess)
    assert REPORTER["name"] not in crypto.b64d(item.ciphertext).decode("latin-1")
    assert not Outbox.objects.filter(recipient__contains="@").exists()  # every address is sealed


def test_officer_key_page(officer: Any, login: Callable[[Any], Client]) -> None:
    client = login(officer)
    page = client.get("/protection/key/")
    assert page.status_code == 200 and keys.active_key(officer) is not None
    response = client.post("/protection/key/", {"action": "rotate", "rotate-password": PASSWORD})
    assert response.status_code == 302
    assert client.post("/protection/key/", {"action": "reseal", "reseal-password": "sai"}).status_code == 400
    fresh = make_user("baove_moi", unit_code=UNIT, role="protection_officer")
    assert login(fresh).post("/protection/key/", {"action": "setup", "setup-password": PASSWORD}).status_code == 302
    assert keys.active_key(fresh) is not None


# ---------------------------------------------------------------- attachments


def test_gps_photo_uploaded_then_downloaded_has_no_gps(
    client: Client, clerk: Any, officer: Any, officer2: Any, login: Callable[[Any], Client]
) -> None:
    from PIL import Image

    response = submit_form(client, attachments=[upload("IMG_2041.jpg", gps_jpeg(), "image/jpeg")])
    assert response.status_code == 302
    shown = " ".join(str(m) for m in response.wsgi_request._messages)
    assert "vị trí GPS" in shown  # the reporter is told what was removed
    attachment = Attachment.objects.get()
    assert attachment.name == "tep-1.jpg" and "vị trí GPS" in attachment.removed
    download = login(clerk).get(f"/protection/files/{attachment.pk}")
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    data = b"".join(download.streaming_content) if download.streaming else download.content
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert 0x8825 not in exif and not exif.get_ifd(0x8825) and not dict(exif)
    assert b"Canon" not in data and b"Nguyen" not in data and "IMG_2041" not in download["Content-Disposition"]
    # The original (with its GPS) is kept for the officers, sealed: opened only under an approved reveal.
    request = protection.request_reveal(
        actor=officer, case=attachment.case, legal_basis="verification", reason="Đối chiếu vị trí chụp ảnh gốc."
    )
    protection.decide_reveal(actor=officer2, request=request, approve=True)
    meta, original = protection.open_original(actor=officer, request=request, attachment=attachment, password=PASSWORD)
    assert meta["filename"] == "IMG_2041.jpg" and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)


def test_pdf_author_is_stripped(make_case: Callable[..., Case], clerk: Any, login: Callable[[Any], Client]) -> None:
    from pypdf import PdfReader

    case = make_case(attachments=[("don.pdf", authored_pdf("Tran Thi Lan"))])
    attachment = Attachment.objects.get(case=case)
    assert {"tên tác giả, người sửa, chủ sở hữu", "ghi chú, mô tả nhúng trong tệp"} <= set(attachment.removed)
    data = login(clerk).get(f"/protection/files/{attachment.pk}").content
    metadata = PdfReader(io.BytesIO(data)).metadata or {}
    assert "/Author" not in metadata and "/Title" not in metadata and b"Tran Thi Lan" not in data
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"MZ\x90\x00 an executable", "Loại tệp không được nhận"),
        (b"<html><script>alert(1)</script></html>", "Loại tệp không được nhận"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "Ảnh bị lỗi"),
        (b"%PDF-1.4 broken", "PDF bị lỗi"),
    ],
)
def test_uploads_are_checked_by_content(data: bytes, error: str, make_case: Callable[..., Case]) -> None:
    before = (Case.objects.count(), VaultItem.objects.count())
    with pytest.raises(InvalidInput) as caught:
        make_case(attachments=[("photo.jpg", data)])
    assert error in str(caught.value.fields["attachments"][0])
    assert (Case.objects.count(), VaultItem.objects.count()) == before


def test_a_request_too_big_for_memory_refuses_its_files_instead_of_dropping_them(client: Client, settings: Any) -> None:
    """Django drops files its upload handlers cannot keep; the case would be filed without its evidence."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 4096  # smaller than this request
    response = submit_form(client, attachments=[upload("big.jpg", gps_jpeg() + b"\0" * 8192)])
    assert response.status_code == 400
    page = response.content.decode()
    assert "quá lớn" in page and "Tố cáo thu tiền sai quy định" in page  # the typed text comes back
    assert not Case.objects.exists()


def test_too_many_and_too_large_files(make_case: Callable[..., Case], settings: Any) -> None:
    with pytest.raises(InvalidInput):
        make_case(attachments=[("a.jpg", gps_jpeg())] * 6)
    settings.UPLOAD_MAX_MB = 0
    with pytest.raises(InvalidInput) as caught:
        make_case(attachments=[("a.jpg", gps_jpeg())])
    assert "quá lớn" in str(caught.value.fields["attachments"][0])


def test_verification_copy_is_what_handlers_download(
    denunciation: Case, clerk: Any, login: Callable[[Any], Client], other_clerk: Any
) -> None:
    uploads = protection.check_uploads([("a.jpg", gps_jpeg()), ("b.pdf", authored_pdf())])
    with vault.files_guard():
        protection.store_uploads(case=denunciation, uploads=uploads, source="citizen")
    services.add_information(case=denunciation, body=f"Bổ sung: tôi là {REPORTER['name']}.")
    client = login(clerk)
    # Neither file has text a machine can check (a photo, a blank PDF): without the clerk's look, left out.
    first = zipfile.ZipFile(
        io.BytesIO(client.get(client.post(f"/protection/cases/{denunciation.pk}/copy")["Location"]).content)
    )
    assert first.namelist() == ["ban-sao-xac-minh.txt"]
    assert "cần cán bộ xem trước" in first.read("ban-sao-xac-minh.txt").decode()
    response = client.post(f"/protection/cases/{denunciation.pk}/copy", {"looked_at": ["1", "2", "x", "99"]})
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert sorted(archive.namelist()) == ["ban-sao-xac-minh.txt", "tep-1.jpg", "tep-2.pdf"]
    text = archive.read("ban-sao-xac-minh.txt").decode()
    assert "Điều 56" in text and "[đã che]" in text and "5.000.000 đồng" in text
    for secret in SECRETS + [REPORTER["address"]]:
        assert secret not in text
    assert b"Nguyen" not in archive.read("tep-1.jpg") + archive.read("tep-2.pdf")
    assert AuditEvent.objects.filter(case=denunciation, action="verification_copy_made").exists()
    assert login(other_clerk).get(response["Location"]).status_code == 404


def text_pdf(text: str) -> bytes:
    from fpdf import FPDF

    from pakn.core.documents import FONT_DIRS

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT_DIRS[0] / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def text_docx(
    text: str, *, runs: list[str] | None = None, picture: bool = False, extra: dict[str, bytes] | None = None
) -> bytes:
    """A minimal .docx; ``runs`` splits the paragraph into runs, as Word does mid-word; ``extra``: more parts."""
    body = "".join(f"<w:r><w:t>{r}</w:t></w:r>" for r in (runs or [text]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p>{body}</w:p><w:p><w:r><w:t>Hết.</w:t></w:r></w:p></w:body></w:document>",
        )
        if picture:
            archive.writestr("word/media/image1.png", b"\x89PNG\r\n\x1a\n")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def test_verification_copy_withholds_files_whose_text_names_the_reporter(
    denunciation: Case, clerk: Any, login: Callable[[Any], Client]
) -> None:
    files = [
        ("bien-lai.pdf", text_pdf("Biên lai thu tiền trông xe: 5.000 đồng, không đóng dấu.")),
        ("don.pdf", text_pdf(f"Người viết đơn: {REPORTER['name']}, điện thoại {REPORTER['phone']}.")),
        ("ghi-chep.docx", text_docx(f"Ghi chép của {fold(REPORTER['name']).title()} về buổi thu tiền.")),
        ("bang-ke.docx", text_docx("Bảng kê các lần thu tiền trông xe tại chợ.")),
        ("anh.jpg", gps_jpeg()),
        ("tach.docx", text_docx("", runs=["Người viết: Nguy", "ễn Văn A", "n, ký tên."])),  # one word, three runs
        ("scan.docx", text_docx("Đơn tố cáo (bản chụp dán vào).", picture=True)),
        (
            "lien-he.docx",  # the address only in a hyperlink target
            text_docx(
                "Liên hệ người viết qua thư.",
                extra={
                    "word/_rels/document.xml.rels": (
                        '<?xml version="1.0"?><Relationships><Relationship Id="rId9" Type="hyperlink" '
                        f'Target="mailto:{REPORTER["email"]}" TargetMode="External"/></Relationships>'
                    ).encode()
                },
            ),
        ),
        (
            "nhung.docx",  # an embedded workbook: nothing a machine reads
            text_docx(
                "Bảng số liệu đính kèm.", extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK\x03\x04"}
            ),
        ),
    ]
    for batch in (files[:5], files[5:]):  # at most 5 files per upload (the second batch has 4)
        with vault.files_guard():
            protection.store_uploads(case=denunciation, uploads=protection.check_uploads(batch), source="citizen")
    response = login(clerk).post(f"/protection/cases/{denunciation.pk}/copy", {"looked_at": ["5"]})
    archive = zipfile.ZipFile(io.BytesIO(login(clerk).get(response["Location"]).content))
    assert sorted(archive.namelist()) == ["ban-sao-xac-minh.txt", "tep-1.pdf", "tep-4.docx", "tep-5.jpg"]
    text = archive.read("ban-sao-xac-minh.txt").decode()
    withheld = text.split("Tài liệu giữ lại", 1)[1]
    assert "tep-2.pdf" in withheld and "tep-3.docx" in withheld and "tep-6.docx" in withheld
    assert "tep-8.docx" in withheld and "tep-1.pdf" not in withheld
    to_look = text.split("cần cán bộ xem trước", 1)[1].split("Tài liệu giữ lại")[0]
    assert "tep-7.docx" in to_look and "tep-9.docx" in to_look
    event = AuditEvent.objects.get(case=denunciation, action="verification_copy_made")
    assert event.data["withheld"] == [2, 3, 6, 8] and event.data["to_look_at"] == [7, 9]
    assert event.data["looked_at"] == [5] and event.data["attachments"] == [1, 4, 5]
    for name in archive.namelist():
        body = archive.read(name)
        assert REPORTER["phone"].encode() not in body, name


# ---------------------------------------------------------------- drop box


def test_receipt_follow_up_is_two_way_and_anonymous(client: Client, clerk: Any, login: Callable[[Any], Client]) -> None:
    response = dropbox_submit(client, website="")
    assert response.status_code == 201
    receipt = receipt_in(response)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    assert "no-store" in response["Cache-Control"]
    case = Case.objects.get()
    assert case.track == "anonymous" and not Reporter.objects.filter(case=case).exists()
    digits = receipt.replace(" ", "")
    assert digits not in dump_database()  # only the slow hash is stored
    services.ask_reporter(actor=clerk, case=case, body="Bạn chụp được ảnh biển số xe không?")

    reporter = Client()
    assert reporter.post("/dropbox/open/", {"receipt": receipt}).status_code == 302
    page = reporter.get("/dropbox/case/")
    assert "Bạn chụp được ảnh biển số xe không?" in page.content.decode()
    answer = reporter.post(
        "/dropbox/case/reply", {"body": "Có, gửi kèm ảnh.", "evidence": [upload("bien-so.jpg", gps_jpeg())]}
    )
    assert answer.status_code == 200 and "vị trí GPS" in answer.content.decode()
    assert Message.objects.filter(case=case, from_citizen=True, body="Có, gửi kèm ảnh.").exists()
    assert Attachment.objects.filter(case=case, message__isnull=False).count() == 1
    staff_page = login(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Có, gửi kèm ảnh." in staff_page and "tep-1.jpg" in staff_page
    # Leaving ends the session; the receipt is needed again.
    reporter.post("/dropbox/leave")
    assert reporter.get("/dropbox/case/").status_code == 302


@pytest.mark.parametrize("wrong", ["1234 5678 9012 3456", "0000 0000 0000 0000", "12345", "abcd"])
def test_a_wrong_receipt_opens_nothing(client: Client, wrong: str) -> None:
    receipt = receipt_in(dropbox_submit(client))
    digits = list(receipt.replace(" ", ""))
    response = Client().post("/dropbox/open/", {"receipt": wrong})
    assert response.status_code == 400 and "Mã biên nhận không đúng" in response.content.decode()
    if wrong.replace(" ", "") == "".join(digits):
        pytest.skip("the random receipt happened to be the wrong one")
    assert Client().get("/dropbox/case/").status_code == 302


def test_a_luhn_valid_but_unknown_receipt_fails(client: Client) -> None:
    dropbox_submit(client)
    other = crypto.new_receipt()
    response = Client().post("/dropbox/open/", {"receipt": other})
    assert response.status_code == 400


def test_dropbox_pages_load_nothing_and_run_no_script(client: Client) -> None:
    for path in ("/dropbox/", "/dropbox/open/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'none'" in csp and "default-src 'none'" in csp
        assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert "<script" not in html
        assert not re.search(r'(src|href|action)="(https?:)?//', html)
    # Works without JavaScript: the province step is a plain submit button.
    chosen = client.post("/dropbox/", {"choose_province": "1", "province_code": "01"})
    assert chosen.status_code == 200 and f'value="{COMMUNE}"' in chosen.content.decode()


def test_honeypot_stores_nothing(client: Client) -> None:
    response = dropbox_submit(client, website="http://spam.example")
    assert response.status_code == 400 and Case.objects.count() == 0


def test_anonymous_web_submission_gets_a_receipt_too(client: Client) -> None:
    response = submit_form(
        client,
        reporter_name="",
        reporter_phone="",
        reporter_email="",
        reporter_id_number="",
        reporter_address="",
        content="Cán bộ phường thu tiền không có biên lai.",
    )
    assert response.status_code == 201
    receipt_in(response)
    assert Case.objects.get().track == "anonymous"


# ---------------------------------------------------------------- logs and throttling


def test_log_filter_strips_client_addresses() -> None:
    import logging

    from pakn.protection.logs import ClientAddressFilter

    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, "- Broken pipe from %s", (("203.0.113.77", 51234),), None
    )
    record.request = object()  # type: ignore[attr-defined]
    assert ClientAddressFilter().filter(record)
    assert "203.0.113.77" not in record.getMessage() and record.request is None  # type: ignore[attr-defined]
    handlers = [
        h
        for name in ("", "django", "django.server", "django.request")
        for h in logging.getLogger(name).handlers
        if type(h).__module__.startswith("logging")
    ]
    assert handlers and all(any(isinstance(f, ClientAddressFilter) for f in h.filters) for h in handlers)


def test_no_client_address_in_logs_after_anonymous_submissions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The configured handlers (console, django, django.server) write what runserver and Django log."""
    import logging

    stream = io.StringIO()
    for name in ("", "django", "django.server"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler) and type(handler).__module__.startswith("logging"):
                monkeypatch.setattr(handler, "stream", stream)
    monkeypatch.setattr(logging.getLogger("django.server"), "level", logging.INFO)
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (Test-UA-Marker)")
    dropbox_submit(client)
    client.post("/dropbox/open/", {"receipt": "1234"})
    client.get("/does-not-exist/")
    # What Django's runserver logs for a request and a broken pipe, through the configured handlers.
    logging.getLogger("django.server").warning(
        '"%s" %s %s',
        "POST /dropbox/ HTTP/1.1",
        "400",
        "10",
        extra={"request": ("203.0.113.77", 5000), "status_code": 400},
    )
    logging.getLogger("django.server").error("- Broken pipe from %s", ("203.0.113.77", 5000))
    text = stream.getvalue()
    assert "Broken pipe" in text and "Not Found: /does-not-exist/" in text and "POST /dropbox/" in text
    assert "203.0.113.77" not in text and "Test-UA-Marker" not in text
    assert "203.0.113.77" not in dump_database() and "Test-UA-Marker" not in dump_database()


def test_throttling_uses_a_salted_hash_of_the_address(client: Client) -> None:
    from django.core.cache import cache

    attacker = Client(REMOTE_ADDR="198.51.100.9")
    codes = [attacker.post("/dropbox/open/", {"receipt": "1111 1111 1111 1111"}).status_code for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429
    assert Client(REMOTE_ADDR="198.51.100.10").post("/dropbox/open/", {"receipt": "1"}).status_code == 400
    stored = " ".join(str(k) for k in getattr(cache, "_cache", {}))
    assert "198.51.100.9" not in stored and "pakn:throttle:receipt:" in stored


def test_proof_of_work(client: Client, settings: Any) -> None:
    from pakn.protection import throttle

    settings.POW_BITS = 8
    page = client.get("/dropbox/")
    assert "script-src 'self'" in page["Content-Security-Policy"] and "pow.js" in page.content.decode()
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', page.content.decode()).group(1)
    assert dropbox_submit(client).status_code == 400  # no work done
    nonce = throttle.solve(challenge, 8)
    assert dropbox_submit(client, pow_challenge=challenge, pow_nonce=nonce).status_code == 201
    assert dropbox_submit(client, pow_challenge=challenge, pow_nonce=nonce).status_code == 400  # used once
    settings.POW_BITS = 0
    assert dropbox_submit(client).status_code == 201  # off: no JavaScript needed


# ---------------------------------------------------------------- notifications


def test_notification_reaches_the_reporter_through_the_sealed_contact(
    make_case: Callable[..., Case], clerk: Any
) -> None:
    case = make_case()
    reporter = Reporter.objects.get(case=case)
    assert reporter.notify_by == "email" and REPORTER["email"] not in reporter.notify_sealed
    [row] = outbox_to(REPORTER["email"])
    assert row.recipient == "" and REPORTER["email"] not in json.dumps(list(Outbox.objects.values()), default=str)
    services.ask_reporter(actor=clerk, case=case, body="Xin cho biết số nhà chính xác?")
    call_command("worker", stdout=io.StringIO())
    to_reporter = [m for m in mail.outbox if m.to == [REPORTER["email"]]]
    assert len(to_reporter) == 2 and case.tracking_code in to_reporter[1].body
    assert "số nhà" not in to_reporter[1].body  # the question itself is read on the status page
    for message in to_reporter:
        assert REPORTER["name"] not in message.body + message.subject


def test_no_notification_without_opt_in(make_case: Callable[..., Case]) -> None:
    case = make_case(reporter={**REPORTER, "notify_by": "none"})
    assert Reporter.objects.get(case=case).notify_sealed == ""
    assert not outbox_to(REPORTER["email"]) and not outbox_to(REPORTER["phone"])


def test_masking_console_backend() -> None:
    from django.core.mail import EmailMessage

    from pakn.protection.logs import MaskingConsoleEmailBackend

    stream = io.StringIO()
    MaskingConsoleEmailBackend(stream=stream).send_messages(
        [EmailMessage("S", "B", "pakn@localhost", [REPORTER["email"]])]
    )
    assert REPORTER["email"] not in stream.getvalue() and "a…@e…" in stream.getvalue()
    assert settings.EMAIL_BACKEND.endswith("MaskingConsoleEmailBackend") or "locmem" in settings.EMAIL_BACKEND


# ---------------------------------------------------------------- protection requests


def test_protection_request_by_tracking_code_and_by_a_handler(
    denunciation: Case, clerk: Any, officer: Any, supervisor: Any, head: Any, login: Callable[[Any], Client]
) -> None:
    response = Client().post(
        f"/track/{denunciation.tracking_code}/protect",
        {"persons": ["self", "spouse"], "measures": ["job", "safety"], "details": f"Tôi, {REPORTER['name']}, bị dọa."},
    )
    assert response.status_code == 302
    request = ProtectionRequest.objects.get()
    assert request.origin == "reporter" and request.status == "received" and not request.urgent
    assert REPORTER["name"] not in request.summary and request.due_on > request.received_on
    assert "Luật Tố cáo" in request.citation
    # A handler records an urgent request after a phone call: shorter deadline.
    assert (
        login(clerk)
        .post(
            f"/protection/cases/{denunciation.pk}/protect",
            {"persons": ["child"], "measures": ["safety"], "urgent": "on"},
        )
        .status_code
        == 302
    )
    urgent = ProtectionRequest.objects.get(urgent=True)
    assert urgent.origin == "handler" and urgent.due_on < request.due_on
    # Supervisors see both (status, deadline), never the details.
    page = login(supervisor).get("/protection/").content.decode()
    assert page.count("Đã tiếp nhận") >= 2 and REPORTER["name"] not in page
    with pytest.raises(Forbidden):
        protection.decide_protection(actor=clerk, request=request, status="granted", decision="Áp dụng.")
    protection.decide_protection(actor=head, request=request, status="granted", decision="Giữ bí mật, bố trí công tác.")
    assert ProtectionRequest.objects.get(pk=request.pk).status == "granted"
    assert "Đã quyết định" in Client().get(f"/track/{denunciation.tracking_code}/").content.decode()


def test_protection_request_through_the_drop_box(client: Client) -> None:
    receipt = receipt_in(dropbox_submit(client))
    client.post("/dropbox/open/", {"receipt": receipt})
    response = client.post("/dropbox/case/protect", {"persons": ["self"], "measures": ["secrecy"]})
    assert response.status_code == 302 and ProtectionRequest.objects.get().origin == "reporter"
    # A withdrawn denunciation no longer takes protection requests, whichever page they come from.
    case = ProtectionRequest.objects.get().case
    services.withdraw_case(case=case)
    refused = client.post("/dropbox/case/protect", {"persons": ["self"], "measures": ["secrecy"]})
    assert refused.status_code in (302, 400) and ProtectionRequest.objects.count() == 1
    with pytest.raises(InvalidTransition):
        protection.request_protection(case=case, persons=["self"], measures=["secrecy"])


# ---------------------------------------------------------------- demo


def test_demo_officers_can_walk_the_reveal(db: Any) -> None:
    from pakn.cases.demo import DEMO_PASSWORD, demo_receipts, load_demo

    load_demo()
    officer_a = get_user("baove.badinh")
    officer_b = get_user("baove2.badinh")
    request = RevealRequest.objects.get(requested_by=officer_a)
    protection.decide_reveal(actor=officer_b, request=request, approve=True)
    revealed = protection.reveal_identity(actor=officer_a, request=request, password=DEMO_PASSWORD)
    assert revealed.identity["name"]
    assert protection.case_by_receipt(demo_receipts[-1]).title == "Thu tiền trông xe trái phép tại chợ"
    from pakn.cases.demo import REPORTERS

    assert_nowhere(
        [r["name"] for r in REPORTERS]
        + [r["phone"] for r in REPORTERS if r["phone"]]
        + [r["id_number"] for r in REPORTERS if r["id_number"]]
    )


def get_user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_personal_data_outside_a_case_can_be_sealed_to_a_unit(officer: Any, officer2: Any) -> None:
    """For other packages (e.g. the reception register): seal a person to the unit's officers."""
    from pakn.org.models import Unit

    item = vault.seal_for_unit(unit=Unit.objects.get(code=UNIT), data={"name": REPORTER["name"]})
    assert item.case_id is None and REPORTER["name"] not in item.ciphertext
    key, private = protection.unlock(user=officer, password=PASSWORD)
    assert vault.open_json(item, key, private)["name"] == REPORTER["name"]
    assert vault.open_json(item, keys.escrow_key(), escrow_private_key())["name"] == REPORTER["name"]
    newcomer = make_user("baove_moi2", unit_code=UNIT, role="protection_officer")
    protection.setup_key(user=newcomer, password=PASSWORD)
    protection.reseal_pending(user=officer2, password=PASSWORD)
    key, private = protection.unlock(user=newcomer, password=PASSWORD)
    assert vault.open_json(VaultItem.objects.get(pk=item.pk), key, private)["name"] == REPORTER["name"]


def test_error_reports_hold_no_submitted_value_nor_local_variable(settings: Any) -> None:
    """Outside DEBUG, the report Django mails to the administrators (and logs) of a crash in any view —
    even one that did not mark its parameters sensitive — shows names and the traceback, never values."""
    import sys

    from django.test import RequestFactory
    from django.views.debug import ExceptionReporter

    settings.DEBUG = False
    address, agent = ".".join(["203", "0", "113", "77"]), "Probe/" + "1.0"  # not literally in this source
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = RequestFactory().post(
        f"/reception/staff/register/new?q={REPORTER['phone']}",
        {
            "name": REPORTER["name"],
            "phone": REPORTER["phone"],
            "summary": f"Ông {REPORTER['name']} trình bày",
            "scan": SimpleUploadedFile(f"don-{REPORTER['id_number']}.pdf", b"%PDF-1.4"),
        },
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )

    def crashing_view(data: dict[str, Any]) -> None:
        person = data["name"]  # a local holding the identity
        raise ValueError(f"crash while handling {len(person)} characters")

    from django.views.debug import get_exception_reporter_class

    assert get_exception_reporter_class(request) is not ExceptionReporter  # the project's, from the settings
    try:
        crashing_view(dict(request.POST.items()))
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
        text = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "crashing_view" in text and "crash while handling" in text and "person" in text
    assert "/reception/staff/register/new" in text and "scan" in text
    for secret in (REPORTER["name"], REPORTER["phone"], REPORTER["id_number"], address, agent):
        assert secret not in text, secret


def test_a_report_on_an_officials_conduct_may_ask_for_protection_too(make_case: Any) -> None:
    """Quyết định 99-QĐ/TW: protect and encourage those who expose wrongdoing, not only denouncers. The periods are
    the Law on Denunciations' by analogy, and the citation says so."""
    conduct = make_case(
        kind="report",
        title="Cán bộ phường hách dịch khi làm thủ tục",
        subject_person={"name": "Trần Văn D", "position": "pc_vice_chair", "body_code": "UBND-00004"},
    )
    plain = make_case(kind="report")
    assert protection.can_request_protection(conduct) and protection.reports_conduct(conduct)
    assert not protection.can_request_protection(plain)
    page = Client().get(f"/track/{conduct.tracking_code}/").content.decode()
    assert "đã phản ánh hành vi của cán bộ" in page
    assert "Đề nghị bảo vệ" not in Client().get(f"/track/{plain.tracking_code}/").content.decode()
    response = Client().post(
        f"/track/{conduct.tracking_code}/protect", {"persons": ["self"], "measures": ["job"], "details": "Bị gây khó."}
    )
    assert response.status_code == 302
    request = ProtectionRequest.objects.get(case=conduct)
    assert request.citation.startswith("Quyết định 99-QĐ/TW") and "Luật Tố cáo" in request.citation
    with pytest.raises(InvalidTransition):
        protection.request_protection(case=plain, persons=["self"], measures=["job"])
