"""The pure parts of reporter protection: cryptography, receipts, redaction, attachment cleaning, proof of
work. No database."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakn.protection import crypto, files, redact
from pakn.protection.throttle import leading_zero_bits, solve

KEY = b"k" * 32
IDENTITY = {
    "name": "Nguyễn Văn An",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "id_number": "001085012345",
    "address": "12 Phố Đội Cấn, Ba Đình",
}


# ---------------------------------------------------------------- crypto


def test_seal_and_open_round_trip() -> None:
    public, private = crypto.new_keypair()
    data_key = crypto.new_data_key()
    box = crypto.encrypt(data_key, "Nguyễn Văn An".encode())
    sealed = crypto.seal(public, data_key)
    assert crypto.decrypt(crypto.unseal(private, sealed), box).decode() == "Nguyễn Văn An"
    other_public, other_private = crypto.new_keypair()
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(other_private, sealed)
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(crypto.new_data_key(), box)
    tampered = bytearray(box)
    tampered[-1] ^= 1
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(data_key, bytes(tampered))
    assert other_public != public


def test_private_key_locked_with_the_password() -> None:
    _public, private = crypto.new_keypair()
    locked = crypto.lock_private_key(private, "mat-khau-2026", profile="min")
    assert private not in locked.box and crypto.unlock_private_key(locked, "mat-khau-2026") == private
    with pytest.raises(crypto.CryptoError):
        crypto.unlock_private_key(locked, "mat-khau-2027")


def test_receipts() -> None:
    seen = set()
    for _ in range(200):
        receipt = crypto.new_receipt()
        digits = crypto.normalise_receipt(receipt)
        assert digits is not None and len(digits) == 16 and receipt == crypto.format_receipt(digits)
        seen.add(digits)
        # A single mistyped digit is always caught by the check digit.
        wrong = digits[:5] + str((int(digits[5]) + 1) % 10) + digits[6:]
        assert crypto.normalise_receipt(wrong) is None
    assert len(seen) == 200
    assert crypto.normalise_receipt("4539-1488-0343-6467") == "4539148803436467"  # separators ignored
    for bad in ("", "1234", "４５３９１４８８０３４３６４６７", "4539 1488 0343 646x"):
        assert crypto.normalise_receipt(bad) is None
    salt = b"s" * 16
    one = crypto.receipt_digest(
        "4539148803436467", salt, opslimit=crypto.PROFILES["min"][0], memlimit=crypto.PROFILES["min"][1]
    )
    assert len(one) == 64 and "4539148803436467" not in one


# ---------------------------------------------------------------- redaction


def redacted(text: str, identity: dict[str, str] | None = None) -> str:
    return redact.redact_identity(text, identity or IDENTITY, KEY).text


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("Tôi là Nguyễn Văn An.", ["Nguyễn", "An."], ["Tôi là"]),
        ("NGUYEN VAN AN và nguyễn văn an", ["NGUYEN", "nguyễn"], []),
        ("gọi 0912 345 678 hoặc +84 912 345 678 hoặc 0912.345.678", ["345"], ["gọi"]),
        ("CCCD 001085012345, CMND 012345678", ["001085012345", "012345678"], ["CCCD"]),
        ("thư: an.nguyen@example.vn; khác: x@y.org", ["@"], ["thư"]),
        ("nhà số 12 phố Đội Cấn", ["Đội Cấn"], ["nhà số"]),
        ("Bị thu 5.000.000 đồng ngày 02.03.2026, quyết định 12/QĐ-XPHC", [], ["5.000.000", "02.03.2026", "12/QĐ"]),
        ("Ông Văn An là hàng xóm", ["Văn An"], ["Ông", "hàng xóm"]),
        ("Họ tên: TRẦN THỊ LAN, ở tổ 5", ["TRẦN"], ["tổ 5"]),
        ("Ô B2: 1085012345 (số CCCD gõ vào Excel mất số 0)", ["1085012345"], ["Ô B2"]),
    ],
)
def test_redaction(text: str, gone: list[str], kept: list[str]) -> None:
    result = redacted(text)
    for piece in gone:
        assert piece not in result, result
    for piece in kept:
        assert piece in result, result
    if gone:
        assert redact.REDACTED in result


def test_terms_are_keyed_hashes() -> None:
    terms = redact.identity_terms(IDENTITY, KEY)
    joined = " ".join(terms)
    assert all(t.startswith(("w:", "d:")) for t in terms)
    for value in IDENTITY.values():
        assert value not in joined and crypto.keyed_hash(b"x" * 32, value) not in joined
    assert redact.identity_terms(IDENTITY, b"other-key-000000000000000000000000") != terms


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["Nguyễn Văn An", "0912345678", "001085012345"]))
def test_the_identity_never_survives(noise: str, secret: str) -> None:
    text = f"{noise} {secret} {noise}"
    result = redacted(text)
    assert secret not in result
    assert redacted(result) == result or redact.REDACTED in result  # idempotent enough: nothing new to hide


PIECES = ["Nguyễn", "Văn", "An", "NGUYEN VAN AN", "Phố", "Đội Cấn", "Ba Đình", "Tôi là", "đèn", "hỏng", "số", ","]
PIECES += ["12", "0912 345 678", "+84 912345678", "001085012345", "1085012345", "an.nguyen@example.vn", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40))
def test_the_identity_in_the_clear_redacts_as_its_hashes(words: list[str]) -> None:
    """At submission the texts are compared with the identity in the clear (no hash per word sequence): the
    same answer as with the hashed terms kept for later texts."""
    text = " ".join(words)
    terms = redact.identity_terms(IDENTITY, KEY)
    clear = redact.identity_in_clear(IDENTITY)
    assert redact.redact(text, terms, KEY, identity=clear) == redact.redact(text, terms, KEY)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=200))
def test_text_without_identity_is_unchanged(text: str) -> None:
    other = {"name": "Zzyzx Qwv", "phone": "", "id_number": "", "address": ""}
    if "@" in text or any(w in text.lower() for w in ("là", "la", "tên", "ten", "gửi", "gui", "viết", "ký", "ky")):
        return
    assert redact.redact_identity(text, other, KEY).text == text


# ---------------------------------------------------------------- attachments


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (16, 16), "blue")
    exif = Image.Exif()
    exif[0x0110] = "iPhone 15"
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Nguyen Van An")
    return out.getvalue()


def test_jpeg_loses_exif_gps_and_comment() -> None:
    from PIL import Image

    clean = files.inspect(_jpeg_with_gps())
    assert clean.content_type == "image/jpeg" and files.GPS in clean.removed and files.DEVICE in clean.removed
    assert files.COMMENT in clean.removed
    image = Image.open(io.BytesIO(clean.data))
    assert not dict(image.getexif()) and b"iPhone" not in clean.data and b"Nguyen" not in clean.data


def test_png_loses_text_chunks() -> None:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyen Van An")
    out = io.BytesIO()
    Image.new("RGBA", (8, 8)).save(out, "PNG", pnginfo=info)
    clean = files.inspect(out.getvalue())
    assert clean.extension == "png" and b"Nguyen" not in clean.data and files.COMMENT in clean.removed


def _docx(author: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f'<w:document><w:ins w:author="{author}">x</w:ins></w:document>')
        archive.writestr(
            "docProps/core.xml",
            f"<cp:coreProperties><dc:creator>{author}</dc:creator>"
            f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy></cp:coreProperties>",
        )
        archive.writestr("docProps/app.xml", "<Properties><Company>UBND phường</Company></Properties>")
    return out.getvalue()


def test_docx_loses_author_company_and_reviewers() -> None:
    clean = files.inspect(_docx("Nguyen Van An"))
    assert clean.extension == "docx"
    assert {files.AUTHOR, files.ORG, files.REVIEWERS} <= set(clean.removed)
    archive = zipfile.ZipFile(io.BytesIO(clean.data))
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"Nguyen" not in everything and b"UBND" not in everything
    assert "word/document.xml" in archive.namelist()


def test_office_files_with_macros_or_bombs_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\0" * 10)
    with pytest.raises(files.Rejected):
        files.inspect(out.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (90 * 1024 * 1024))
    with pytest.raises(files.Rejected):
        files.inspect(bomb.getvalue())
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("anything.txt", "x")
    with pytest.raises(files.Rejected):
        files.inspect(plain.getvalue())


def test_odt_loses_meta() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr(
            "meta.xml", "<office:meta><meta:initial-creator>Nguyen Van An</meta:initial-creator></office:meta>"
        )
    clean = files.inspect(out.getvalue())
    archive = zipfile.ZipFile(io.BytesIO(clean.data))
    assert archive.namelist()[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert b"Nguyen" not in archive.read("meta.xml")


def test_mp3_loses_id3_and_wav_loses_info() -> None:
    frame = b"\xff\xfb\x90\x64" + b"\0" * 100
    tag = b"TIT2" + struct.pack(">I", 14) + b"\0\0" + b"\0Nguyen Van An"
    header = b"ID3\x03\x00\x00" + bytes([0, 0, 0, len(tag)])
    clean = files.inspect(header + tag + frame + b"TAG" + b"Nguyen".ljust(125, b"\0"))
    assert clean.data == frame and files.TAGS in clean.removed
    fmt = b"fmt " + struct.pack("<I", 16) + b"\x01\x00\x01\x00" + struct.pack("<II", 8000, 8000) + b"\x01\x00\x08\x00"
    data = b"data" + struct.pack("<I", 4) + b"\x80\x80\x80\x80"
    info = b"LIST" + struct.pack("<I", 18) + b"INFOIART" + struct.pack("<I", 6) + b"An\0\0\0\0"
    body = b"WAVE" + fmt + info + data
    wav = files.inspect(b"RIFF" + struct.pack("<I", len(body)) + body)
    assert b"INFO" not in wav.data and wav.data.endswith(data) and files.TAGS in wav.removed


def test_unknown_and_empty_files_are_refused() -> None:
    for data in (b"", b"GIF89a....", b"#!/bin/sh\nrm -rf /", b"\x00\x00\x00\x20ftypM4A "):
        with pytest.raises(files.Rejected):
            files.inspect(data)


# ---------------------------------------------------------------- proof of work


def test_proof_of_work_bits() -> None:
    assert leading_zero_bits(b"\x00\x0f") == 12 and leading_zero_bits(b"\x80") == 0 and leading_zero_bits(b"\0\0") == 16
    import hashlib

    nonce = solve("challenge", 10)
    assert leading_zero_bits(hashlib.sha256(f"challenge:{nonce}".encode()).digest()) >= 10
