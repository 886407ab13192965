"""Attachments: recognised by their content (never by name or the browser's type), checked against a small
allow-list, and rewritten without the metadata that identifies people (EXIF/GPS, device, author fields).

Pure: bytes in, a ``CleanFile`` (or ``Rejected``) out. Storage and encryption are in ``vault.py``.

Allow-list: JPEG, PNG, WebP photos (Pillow re-encodes the pixels only); PDF (pypdf copies the pages,
not the document information, XMP, annotation authors, scripts or embedded files); Word .docx, Excel .xlsx,
OpenDocument .odt (the zip is rebuilt with the author, company and reviewer fields emptied; macros are
refused); MP3 and WAV audio (ID3 tags and RIFF INFO/bext chunks removed).
"""

from __future__ import annotations

import copy
import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

MAX_PIXELS = 60_000_000
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_TOTAL = 80 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_CHUNK = 64 * 1024


class Rejected(Exception):
    def __init__(self, message: object):
        super().__init__(str(message))
        self.message = message


@dataclass
class CleanFile:
    kind: str  # image | pdf | document | audio
    content_type: str
    extension: str
    data: bytes
    removed: list[Any] = field(default_factory=list)  # lazy translated labels


# Human labels of what was removed, shown to the reporter.
GPS = _("vị trí GPS")
DEVICE = _("hãng, đời máy, số sê-ri thiết bị")
TAKEN = _("thời gian chụp, tạo")
AUTHOR = _("tên tác giả, người sửa, chủ sở hữu")
SOFTWARE = _("phần mềm tạo tệp")
COMMENT = _("ghi chú, mô tả nhúng trong tệp")
OTHER_EXIF = _("dữ liệu EXIF khác")
XMP = _("siêu dữ liệu XMP")
COLOR = _("hồ sơ màu của thiết bị")
ORG = _("tên cơ quan, công ty, người quản lý")
REVIEWERS = _("tên người nhận xét, sửa đổi")
ANNOT_AUTHORS = _("tên người ghi chú trong PDF")
SCRIPTS = _("mã lệnh, tệp đính kèm bên trong PDF")
TAGS = _("thẻ thông tin âm thanh (tên, nghệ sĩ, thiết bị)")


def inspect(data: bytes) -> CleanFile:
    """Recognise ``data`` and return its clean copy; ``Rejected`` when it is not on the allow-list."""
    if not data:
        raise Rejected(_("Tệp rỗng."))
    head = data[:16]
    if (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        return clean_image(data)
    if head.startswith(b"%PDF-"):
        return clean_pdf(data)
    if head.startswith(b"PK\x03\x04"):
        return clean_office(data)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return clean_wav(data)
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return clean_mp3(data)
    raise Rejected(
        _(
            "Loại tệp không được nhận. Chấp nhận: ảnh JPEG/PNG/WebP, PDF, Word (.docx), Excel (.xlsx), "
            "OpenDocument (.odt), âm thanh MP3/WAV."
        )
    )


# ---------------------------------------------------------------- images

_EXIF_LABELS = {
    0x8825: GPS,  # GPSInfo IFD
    0x010F: DEVICE,
    0x0110: DEVICE,
    0xA431: DEVICE,
    0xA430: AUTHOR,
    0xA434: DEVICE,
    0xA433: DEVICE,
    0x0132: TAKEN,
    0x9003: TAKEN,
    0x9004: TAKEN,
    0x013B: AUTHOR,
    0x8298: AUTHOR,
    0x9C9D: AUTHOR,
    0x0131: SOFTWARE,
    0x010E: COMMENT,
    0x9286: COMMENT,
    0x9C9C: COMMENT,
    0x9C9B: COMMENT,
}


_NOT_PERSONAL = {0x8769, 0x8825, 0x0112, 0x011A, 0x011B, 0x0128, 0x0213, 0xA002, 0xA003}  # layout, IFD pointers


def _exif_findings(image: Any) -> list[Any]:
    """Labels of what the EXIF block says about the photo and the person who took it."""
    exif = image.getexif()
    tags = set(exif.keys())
    try:
        tags |= set(exif.get_ifd(0x8769).keys())  # the Exif IFD: dates, owner, serial numbers
        gps = bool(exif.get_ifd(0x8825))
    except Exception:  # a corrupt IFD: still removed, just not itemised
        gps = 0x8825 in tags
    found: list[Any] = [GPS] if gps else []
    for tag in sorted(tags):
        label = _EXIF_LABELS.get(tag)
        if label is not None and label not in found:
            found.append(label)
    if tags - set(_EXIF_LABELS) - _NOT_PERSONAL:
        found.append(OTHER_EXIF)
    return found


def clean_image(data: bytes) -> CleanFile:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image: Any = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in ("JPEG", "PNG", "WEBP"):
                raise Rejected(_("Ảnh phải là JPEG, PNG hoặc WebP."))
            if getattr(image, "n_frames", 1) > 1:
                raise Rejected(_("Không nhận ảnh động."))
            removed = _exif_findings(image)
            info = image.info
            if any(k in info for k in ("xmp", "XML:com.adobe.xmp")):
                removed.append(XMP)
            if info.get("comment") or getattr(image, "text", None):
                removed.append(COMMENT)
            if info.get("icc_profile"):
                removed.append(COLOR)
            image = ImageOps.exif_transpose(image)  # keep the photo upright once the orientation tag is gone
            image.load()
    except Rejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise Rejected(_("Ảnh bị lỗi hoặc quá lớn, không đọc được.")) from exc
    mode = image.mode
    if fmt == "JPEG" and mode not in ("RGB", "L", "CMYK"):
        image, mode = image.convert("RGB"), "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA"):
        image, mode = image.convert("RGBA"), "RGBA"
    # A brand-new image from the pixels alone: no EXIF, XMP, comments, text chunks or ICC profile.
    clean = Image.frombytes(mode, image.size, image.tobytes())
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=92, optimize=True)
        return CleanFile("image", "image/jpeg", "jpg", out.getvalue(), removed)
    if fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
        return CleanFile("image", "image/png", "png", out.getvalue(), removed)
    clean.save(out, "WEBP", quality=90)
    return CleanFile("image", "image/webp", "webp", out.getvalue(), removed)


# ---------------------------------------------------------------- PDF


def clean_pdf(data: bytes) -> CleanFile:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    removed: list[Any] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Rejected(_("PDF có mật khẩu: vui lòng gửi bản không đặt mật khẩu."))
        info: Any = reader.metadata or {}
        if any(k in info for k in ("/Author", "/Creator")):
            removed.append(AUTHOR)
        if "/Producer" in info:
            removed.append(SOFTWARE)
        if any(k in info for k in ("/CreationDate", "/ModDate")):
            removed.append(TAKEN)
        if any(k in info for k in ("/Title", "/Subject", "/Keywords")):
            removed.append(COMMENT)
        root: Any = reader.trailer["/Root"]
        if "/Metadata" in root:
            removed.append(XMP)
        if "/Names" in root or "/OpenAction" in root or "/AA" in root:
            removed.append(SCRIPTS)
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        annotation_author = False
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo", "/AA"):
                if key in page:
                    del page[NameObject(key)]
            for ref in page.get("/Annots") or []:
                annotation = ref.get_object()
                for key in ("/T", "/M", "/CreationDate", "/NM"):
                    if key in annotation:
                        annotation_author = annotation_author or key == "/T"
                        del annotation[NameObject(key)]
                if annotation.get("/Subtype") in ("/FileAttachment", "/Sound", "/Movie"):
                    annotation_author = True
                    for key in ("/FS", "/Sound", "/Movie"):
                        if key in annotation:
                            del annotation[NameObject(key)]
        if annotation_author:
            removed.append(ANNOT_AUTHORS)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except Rejected:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise Rejected(_("PDF bị lỗi, không đọc được.")) from exc
    return CleanFile("pdf", "application/pdf", "pdf", out.getvalue(), removed)


# ---------------------------------------------------------------- office documents

_OOXML = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
_ODF = {"application/vnd.oasis.opendocument.text": "odt"}

_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2">'
    b"<office:meta/></office:document-meta>"
)
_APP_FIELDS = re.compile(rb"<(Company|Manager|Template|HyperlinkBase)>[^<]*</\1>|<(Company|Manager|Template)/>")
_PERSON_ATTRS = re.compile(
    rb'\b(w:author|w:initials|w15:userId|w15:providerId|displayName|userId|providerId|author)="[^"]*"'
)
_PERSON_ELEMENTS = re.compile(rb"<(dc:creator|cp:lastModifiedBy|meta:initial-creator|author)>[^<]*</\1>")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, refused before ``zipfile`` parses its directory when it has more entries than a document
    needs: zipfile builds a ~500-byte object for each 46-byte directory record, so a 10 MB upload of empty
    entries costs about 60 MB and seconds of CPU before ``_check_zip`` could count them. Counting the record
    signature over-counts only when an entry's bytes happen to hold it, which errs towards refusing."""
    if data.count(b"PK\x01\x02") > MAX_ZIP_ENTRIES:
        raise Rejected(_("Tài liệu quá lớn khi giải nén."))
    return zipfile.ZipFile(io.BytesIO(data))


def _check_zip(archive: zipfile.ZipFile, size: int) -> None:
    """What the directory declares: early and cheap, but only a claim; ``_Inflater`` holds the entries to it."""
    entries = archive.infolist()
    total = sum(e.file_size for e in entries)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_ZIP_TOTAL or total > MAX_ZIP_RATIO * max(size, 1):
        raise Rejected(_("Tài liệu quá lớn khi giải nén."))
    for entry in entries:
        name = entry.filename.lower()
        if "vbaproject" in name or name.endswith((".bin", ".exe", ".dll", ".js", ".vbs")) or "macros" in name:
            raise Rejected(_("Tài liệu có macro hoặc chương trình nhúng: vui lòng lưu lại không có macro."))
        if name.startswith("/") or ".." in name.split("/"):
            raise Rejected(_("Tài liệu bị lỗi."))
        # OOXML and ODF packages use only these two; zipfile inflates bzip2 and LZMA entries without an output
        # bound, so one 64 KiB read of either could still yield gigabytes.
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Rejected(_("Tài liệu bị lỗi."))


class _Inflater:
    """The one way entries of an uploaded archive are read: 64 KiB at a time, counting the bytes that really
    come out. ``ZipInfo.file_size`` is only what the archive says, and ``archive.read`` inflates everything
    the entry holds before comparing (a 1 MB .docx whose entry declares 2,000 bytes but holds 1 GiB grew a
    worker by 2 GB). Here no entry may yield more than it declared, nor all of them more than the archive's
    budget; reading stops at the first chunk past either, with the same message as an honest bomb."""

    def __init__(self, archive: zipfile.ZipFile, size: int) -> None:
        _check_zip(archive, size)
        self.archive = archive
        self.left = min(MAX_ZIP_TOTAL, MAX_ZIP_RATIO * max(size, 1))

    def read(self, member: str | zipfile.ZipInfo) -> bytes:
        entry = member if isinstance(member, zipfile.ZipInfo) else self.archive.getinfo(member)
        limit = min(entry.file_size, self.left)
        # zipfile cuts an entry at its declared size and then fails on the checksum, which hides a lie as
        # damage; with the cut moved out of reach the stream runs to its real end and the count below decides.
        unbounded = copy.copy(entry)
        unbounded.file_size = 1 << 62
        parts: list[bytes] = []
        real = 0
        with self.archive.open(unbounded) as stream:
            while chunk := stream.read(ZIP_CHUNK):
                real += len(chunk)
                if real > limit:
                    raise Rejected(_("Tài liệu quá lớn khi giải nén."))
                parts.append(chunk)
        if real != entry.file_size:  # shorter than declared: damaged, or forged to pass the checks above
            raise Rejected(_("Tài liệu bị lỗi."))
        self.left -= real
        return b"".join(parts)


# What a damaged or hostile archive raises while being read; zlib.error and EOFError (corrupt or truncated
# deflate data) used to escape as a server error.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    KeyError,
    RuntimeError,
    EOFError,
    zlib.error,
)


def clean_office(data: bytes) -> CleanFile:
    removed: list[Any] = []
    try:
        archive = _open_zip(data)
        inflater = _Inflater(archive, len(data))
        names = archive.namelist()
        out = io.BytesIO()
        if "[Content_Types].xml" in names:
            kind = next((v for k, v in _OOXML.items() if k in names), None)
            if kind is None:
                raise Rejected(_("Chỉ nhận tài liệu Word (.docx) hoặc Excel (.xlsx)."))
            extension, content_type = kind
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for entry in archive.infolist():
                    body = inflater.read(entry)
                    if entry.filename == "docProps/core.xml":
                        if _PERSON_ELEMENTS.search(body):
                            removed.append(AUTHOR)
                        if b"dcterms:created" in body or b"dcterms:modified" in body:
                            removed.append(TAKEN)
                        body = _CORE
                    elif entry.filename == "docProps/app.xml":
                        if _APP_FIELDS.search(body):
                            removed.append(ORG)
                        body = _APP_FIELDS.sub(b"", body)
                    elif entry.filename == "docProps/custom.xml":
                        removed.append(COMMENT)
                        body = _CUSTOM
                    elif entry.filename.endswith((".xml", ".rels")):
                        cleaned = _PERSON_ELEMENTS.sub(lambda m: b"<%s></%s>" % (m.group(1), m.group(1)), body)
                        cleaned = _PERSON_ATTRS.sub(lambda m: m.group(1) + b'=""', cleaned)
                        if cleaned != body and REVIEWERS not in removed:
                            removed.append(REVIEWERS)
                        body = cleaned
                    target.writestr(_plain_info(entry.filename), body)
        elif names and names[0] == "mimetype":
            mimetype = inflater.read("mimetype").decode("ascii", "replace").strip()
            extension = _ODF.get(mimetype, "")
            if not extension:
                raise Rejected(_("Chỉ nhận văn bản OpenDocument (.odt)."))
            content_type = mimetype
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for entry in archive.infolist():
                    body = inflater.read(entry)
                    if entry.filename == "mimetype":
                        target.writestr(_plain_info("mimetype", stored=True), body)
                        continue
                    if entry.filename == "meta.xml":
                        removed.extend([AUTHOR, SOFTWARE])
                        body = _ODF_META
                    elif entry.filename.endswith(".xml"):
                        cleaned = _PERSON_ELEMENTS.sub(lambda m: b"<%s></%s>" % (m.group(1), m.group(1)), body)
                        if cleaned != body and REVIEWERS not in removed:
                            removed.append(REVIEWERS)
                        body = cleaned
                    target.writestr(_plain_info(entry.filename), body)
        else:
            raise Rejected(_("Tệp nén không được nhận."))
    except Rejected:
        raise
    except _ZIP_ERRORS as exc:
        raise Rejected(_("Tài liệu bị lỗi, không đọc được.")) from exc
    return CleanFile("document", content_type, extension, out.getvalue(), removed)


def _plain_info(name: str, *, stored: bool = False) -> zipfile.ZipInfo:
    """A zip entry with a fixed date and no extra fields (the originals carry the editing times)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


# ---------------------------------------------------------------- audio


def _synchsafe(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


def clean_mp3(data: bytes) -> CleanFile:
    removed: list[Any] = []
    body = data
    while body.startswith(b"ID3") and len(body) >= 10:
        size = _synchsafe(body[6:10]) + 10 + (10 if body[5] & 0x10 else 0)
        body = body[size:]
        if TAGS not in removed:
            removed.append(TAGS)
    if len(body) >= 128 and body[-128:-125] == b"TAG":
        body = body[:-128]
        if TAGS not in removed:
            removed.append(TAGS)
    if len(body) >= 32 and body[-32:-24] == b"APETAGEX":
        size = struct.unpack("<I", body[-20:-16])[0]
        body = body[: -(size + 32)] if size + 32 <= len(body) else body
        if TAGS not in removed:
            removed.append(TAGS)
    if (
        len(body) < 4
        or body[0] != 0xFF
        or body[1] & 0xE0 != 0xE0
        or (body[1] >> 3) & 0x03 == 1
        or (body[1] >> 1) & 0x03 == 0
    ):
        raise Rejected(_("Tệp âm thanh MP3 bị lỗi."))
    return CleanFile("audio", "audio/mpeg", "mp3", body, removed)


def clean_wav(data: bytes) -> CleanFile:
    removed: list[Any] = []
    position, chunks = 12, []
    while position + 8 <= len(data):
        chunk_id = data[position : position + 4]
        size = struct.unpack("<I", data[position + 4 : position + 8])[0]
        payload = data[position + 8 : position + 8 + size]
        if len(payload) != size:
            raise Rejected(_("Tệp âm thanh WAV bị lỗi."))
        if chunk_id in (b"fmt ", b"data"):
            chunks.append(chunk_id + struct.pack("<I", size) + payload + (b"\0" if size % 2 else b""))
        elif TAGS not in removed:
            removed.append(TAGS)
        position += 8 + size + (size % 2)
    if len(chunks) < 2 or not chunks[0].startswith(b"fmt "):
        raise Rejected(_("Tệp âm thanh WAV bị lỗi."))
    body = b"WAVE" + b"".join(chunks)
    return CleanFile("audio", "audio/wav", "wav", b"RIFF" + struct.pack("<I", len(body)) + body, removed)


# ---------------------------------------------------------------- text inside a clean copy

# Ends of paragraphs, cells, rows and explicit breaks become spaces; every other tag is removed without one,
# because Word splits a single word over several runs ("Nguy" + "ễn Văn A" + "n").
_BREAKS = re.compile(
    rb"</(?:w:p|w:tc|w:tr|si|c|row|text:p|text:h|table:table-cell)>|<(?:w:br|w:tab|w:cr|text:line-break|text:tab|text:s)\b[^>]*/?>"
)
_XML_TAG = re.compile(rb"<[^>]+>")
# Attribute values a reader sees or a link carries: hyperlink targets (mailto:), sheet and object names,
# image alt text, ODF cell values (an ID typed as a number).
_SEEN_ATTRIBUTES = re.compile(rb'\s(?:[\w-]+:)?(?:Target|name|title|descr|alt|string-value|value)="([^"]*)"')
MAX_TEXT = 2_000_000


def _document_text(inflater: _Inflater) -> str:
    import html

    parts: list[str] = []
    for name in inflater.archive.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        body = inflater.read(name)
        parts.append(_XML_TAG.sub(b"", _BREAKS.sub(b" ", body)).decode("utf-8", "replace"))
        parts.extend(v.decode("utf-8", "replace") for v in _SEEN_ATTRIBUTES.findall(body))
    return html.unescape(" ".join(parts))


def readable_text(data: bytes, file_kind: str) -> str | None:
    """The text a reader of the file sees — the PDF text layer; every XML part of a Word/Excel/OpenDocument
    file (body, headers, comments, charts, SmartArt, form data, link targets, sheet names, alt text) — to
    check a clean copy for identifying details. None when the file holds no machine-readable text (photos,
    scans, audio, a document that is only a pasted picture): a person has to look at it."""
    text = ""
    if file_kind == "pdf":
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = PdfReader(io.BytesIO(data))
                text = "\n".join((page.extract_text() or "") for page in reader.pages)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError):
            return None
    elif file_kind == "document":
        try:
            text = _document_text(_Inflater(_open_zip(data), len(data)))
        except (Rejected, *_ZIP_ERRORS):
            return None
    return text[:MAX_TEXT] if text.strip() else None


def needs_a_look(data: bytes, file_kind: str) -> bool:
    """Whether part of the file is beyond what ``readable_text`` reads, so a person must look before it
    leaves: any part of an office file that is not XML (pictures wherever they are, embedded workbooks and
    objects, thumbnails); in a PDF, images, annotations or form fields. Photos and audio always do."""
    if file_kind in ("image", "audio"):
        return True
    try:
        if file_kind == "document":
            names = _open_zip(data).namelist()
            return any(not n.endswith((".xml", ".rels", "/")) and n != "mimetype" for n in names)
        if file_kind == "pdf":
            from pypdf import PdfReader

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = PdfReader(io.BytesIO(data))
                if "/AcroForm" in reader.trailer["/Root"].get_object():  # type: ignore[operator]
                    return True
                for page in reader.pages:
                    if "/Annots" in page:
                        return True
                    resources = page.get("/Resources")
                    if resources is not None and "/XObject" in resources.get_object():
                        return True
            return False
    except Exception:  # unreadable: a person must look
        return True
    return True


# ---------------------------------------------------------------- uploads too big for memory


class OversizeUploadHandler(FileUploadHandler):
    """Last in ``FILE_UPLOAD_HANDLERS``, after the memory handler. When a request is too big to keep in
    memory, Django would drop its files without a word and the case would be filed without its evidence.
    This handler keeps each such file as its size only (the content is discarded as it arrives, never written
    to disk), so ``check_uploads`` refuses it with its own message and the form comes back with the text."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        placeholder = InMemoryUploadedFile(
            io.BytesIO(b""), self.field_name, self.file_name, self.content_type, self.received, self.charset
        )
        placeholder.oversize = True  # type: ignore[attr-defined]
        return placeholder
