"""Uploaded Word/Excel/OpenDocument files are zip archives whose directory may lie: every entry is inflated
in bounded chunks and held to the size it declares, so a small file cannot make a worker inflate gigabytes."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import COMMUNE
from pakn.cases.models import Case
from pakn.core.errors import InvalidInput
from pakn.protection import files

INFLATED_MIB = 300  # 1 GiB behaves the same (refused after one chunk) but takes seconds to build
DECLARED = 2_000
TOO_BIG = "Tài liệu quá lớn khi giải nén."
DOCUMENT = b"word/document.xml"


def _patch_declared_size(data: bytearray, name: bytes, size: int) -> None:
    """Overwrite the uncompressed size of ``name`` in its local header and its central directory record."""
    # (signature, offset of the name length, offset of the name, offset of the uncompressed size)
    for signature, name_length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        position = data.find(signature)
        while position != -1:
            (length,) = struct.unpack_from("<H", data, position + name_length_at)
            if data[position + name_at : position + name_at + length] == name:
                struct.pack_into("<I", data, position + size_at, size)
            position = data.find(signature, position + 4)


@pytest.fixture(scope="module")
def lying_docx() -> bytes:
    """A ~300 KB .docx whose word/document.xml inflates to 300 MiB of zeros but declares 2,000 bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open(DOCUMENT.decode(), "w") as entry:
            block = b"\0" * (1 << 20)
            for _ in range(INFLATED_MIB):
                entry.write(block)
    data = bytearray(out.getvalue())
    _patch_declared_size(data, DOCUMENT, DECLARED)
    lying = bytes(data)
    [document] = [e for e in zipfile.ZipFile(io.BytesIO(lying)).infolist() if e.filename == DOCUMENT.decode()]
    assert document.file_size == DECLARED and document.compress_size > 100_000
    return lying


def _peak_while(check: Callable[[], Any]) -> tuple[int, Any]:
    tracemalloc.start()
    try:
        try:
            outcome: Any = check()
        except files.Rejected as exc:
            outcome = exc
        return tracemalloc.get_traced_memory()[1], outcome
    finally:
        tracemalloc.stop()


def test_an_entry_that_lies_about_its_size_is_refused_without_inflating_it(lying_docx: bytes) -> None:
    peak, outcome = _peak_while(lambda: files.inspect(lying_docx))
    assert isinstance(outcome, files.Rejected) and str(outcome.message) == TOO_BIG
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {INFLATED_MIB} MiB entry"


def test_text_check_of_a_lying_archive_stays_bounded_and_leaves_it_to_a_person(lying_docx: bytes) -> None:
    """The verification copy reads stored copies again; no text (None) means an officer must look first."""
    peak, text = _peak_while(lambda: files.readable_text(lying_docx, "document"))
    assert text is None and peak < 50 * 1024 * 1024


def test_a_lying_attachment_is_refused_through_the_service(lying_docx: bytes, make_case: Callable[..., Case]) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_case(attachments=[("don.docx", lying_docx)])
    assert TOO_BIG in str(caught.value.fields["attachments"][0])
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_lying_attachment_posted_on_the_public_form_comes_back_with_the_typed_text(
    lying_docx: bytes, client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    typed = "Cán bộ phường thu tiền trông xe không có biên lai, kèm bảng kê."
    response = client.post(
        "/submit/",
        {
            "kind": "report",
            "title": "Thu tiền trông xe sai quy định",
            "province_code": "01",
            "commune_code": COMMUNE,
            "content": typed,
            "attachments": [SimpleUploadedFile("bang-ke.docx", lying_docx, content_type="application/octet-stream")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert TOO_BIG in page
    assert typed in page and "Thu tiền trông xe sai quy định" in page
    assert not Case.objects.exists()


def _docx(body: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(DOCUMENT.decode(), b"<w:document><w:body>" + body + b"</w:body></w:document>")
    return out.getvalue()


def test_an_honest_document_still_passes() -> None:
    clean = files.inspect(_docx(b"<w:p><w:r><w:t>" + "Đơn kiến nghị".encode() * 5_000 + b"</w:t></w:r></w:p>"))
    assert clean.extension == "docx"
    assert "Đơn kiến nghị" in (files.readable_text(clean.data, "document") or "")


def test_an_entry_shorter_than_it_declares_is_refused() -> None:
    data = bytearray(_docx(b"<w:p/>"))
    _patch_declared_size(data, DOCUMENT, 50_000)
    with pytest.raises(files.Rejected) as caught:
        files.inspect(bytes(data))
    assert str(caught.value.message) == "Tài liệu bị lỗi."


def test_corrupt_deflate_data_is_refused_not_a_server_error() -> None:
    data = bytearray(_docx(bytes(range(256)) * 400))
    start = data.find(DOCUMENT, 30) + len(DOCUMENT)  # the entry's compressed bytes follow its local header
    for index in range(start + 20, start + 200):
        data[index] ^= 0x5A
    with pytest.raises(files.Rejected) as caught:
        files.inspect(bytes(data))
    assert "bị lỗi" in str(caught.value.message)


def test_compression_methods_without_an_output_bound_are_refused() -> None:
    with pytest.raises(files.Rejected) as caught:
        files.inspect(_docx(b"<w:p/>", zipfile.ZIP_BZIP2))
    assert str(caught.value.message) == "Tài liệu bị lỗi."


def test_too_many_entries_are_refused_before_the_directory_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(files.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"word/{number}.xml", b"")
    monkeypatch.setattr(zipfile, "ZipFile", None)  # never reached: the count alone refuses
    with pytest.raises(files.Rejected) as caught:
        files.inspect(out.getvalue())
    assert str(caught.value.message) == TOO_BIG
