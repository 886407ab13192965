"""What a submission hands to protection: files checked and stored, identities sealed, receipts."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import InvalidInput, NotFound
from pakn.protection import crypto, keys, redact, vault
from pakn.protection.files import CleanFile, Rejected, inspect
from pakn.protection.models import (
    Attachment,
    Receipt,
    VaultItem,
)
from pakn.protection.services.common import MAX_FILES

# ---------------------------------------------------------------- submissions


@dataclass
class Upload:
    original: bytes
    clean: CleanFile
    filename: str


@sensitive_variables()
def check_uploads(files: list[Any], *, field: str = "attachments", max_files: int = MAX_FILES) -> list[Upload]:
    """Read and check every file before anything is stored; InvalidInput names the file that failed."""
    from django.conf import settings

    files = [f for f in files if f]
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if len(files) > max_files:
        raise InvalidInput(fields={field: [_("Tối đa %(n)s tệp mỗi lần gửi.") % {"n": max_files}]})
    uploads: list[Upload] = []
    for number, item in enumerate(files, start=1):
        name, data = item if isinstance(item, tuple) else (getattr(item, "name", ""), None)
        if data is None:
            if getattr(item, "size", 0) > limit or getattr(item, "oversize", False):
                raise InvalidInput(
                    fields={
                        field: [
                            _("Tệp %(n)s quá lớn (tối đa %(mb)s MB).") % {"n": number, "mb": settings.UPLOAD_MAX_MB}
                        ]
                    }
                )
            data = item.read()
        if len(data) > limit:
            raise InvalidInput(
                fields={
                    field: [_("Tệp %(n)s quá lớn (tối đa %(mb)s MB).") % {"n": number, "mb": settings.UPLOAD_MAX_MB}]
                }
            )
        try:
            clean = inspect(data)
        except Rejected as exc:
            raise InvalidInput(
                fields={field: [_("Tệp %(n)s: %(error)s") % {"n": number, "error": exc.message}]}
            ) from None
        uploads.append(Upload(original=data, clean=clean, filename=str(name)[:200]))
    return uploads


def _original_plaintext(upload: Upload) -> bytes:
    meta = json.dumps({"filename": upload.filename, "content_type": upload.clean.content_type}).encode()
    return struct.pack(">I", len(meta)) + meta + upload.original


def split_original(plaintext: bytes) -> tuple[dict[str, Any], bytes]:
    size = struct.unpack(">I", plaintext[:4])[0]
    return json.loads(plaintext[4 : 4 + size]), plaintext[4 + size :]


def store_uploads(
    *, case: Any, uploads: list[Upload], source: str, message: Any = None, kind: str = Attachment.Kind.EVIDENCE
) -> list[Attachment]:
    """Inside the caller's transaction (and ``vault.files_guard``): the original sealed to the officers,
    the clean copy encrypted with the server files key (none for an original signed letter)."""
    if not uploads:
        return []
    stored = []
    number = Attachment.objects.filter(case=case).order_by("-number").values_list("number", flat=True).first() or 0
    for upload in uploads:
        number += 1
        original = vault.seal_item(
            case=case, kind=VaultItem.Kind.ORIGINAL_FILE, plaintext=_original_plaintext(upload), as_file=True
        )
        clean = upload.clean
        keep_clean = kind == Attachment.Kind.EVIDENCE
        stored.append(
            Attachment.objects.create(
                case=case,
                message=message,
                kind=kind,
                source=source,
                number=number,
                file_kind=clean.kind,
                content_type=clean.content_type,
                extension=clean.extension,
                size=len(clean.data) if keep_clean else 0,
                clean_blob=vault.write_clean(clean.data) if keep_clean else "",
                original=original,
                removed=[str(label) for label in clean.removed],
            )
        )
    return stored


def removal_report(attachments: list[Attachment]) -> list[dict[str, Any]]:
    """What the reporter is shown: for each file, what was removed from it."""
    return [{"name": a.name, "removed": a.removed, "kept": bool(a.clean_blob)} for a in attachments]


def new_receipt() -> tuple[str, str]:
    """(receipt to show once, digest to store)."""
    receipt = crypto.new_receipt()
    return receipt, keys.receipt_digest(crypto.normalise_receipt(receipt) or "")


def case_by_receipt(text: str) -> Any:
    digits = crypto.normalise_receipt(text)
    if digits is None:
        raise NotFound(_("Mã biên nhận không đúng (16 chữ số, có số kiểm tra)."), code="bad_receipt")
    found = Receipt.objects.select_related("case__unit").filter(digest=keys.receipt_digest(digits)).first()
    if found is None:
        raise NotFound(_("Mã biên nhận không đúng."), code="bad_receipt")
    return found.case


def redaction_terms(case: Any) -> list[str]:
    reporter = getattr(case, "reporter", None)
    return list(reporter.redaction_terms) if reporter is not None else []


def redact_for_case(case: Any, text: str) -> redact.Redaction:
    return redact.redact(text, redaction_terms(case), keys.redaction_key())
