"""The handler's questions to the reporter and the verification copy of Art. 56 of the Law on Denunciations."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import Forbidden, InvalidInput
from pakn.org.access import can_handle
from pakn.protection import vault
from pakn.protection.access import is_officer_for
from pakn.protection.models import (
    Attachment,
    VerificationCopy,
)
from pakn.protection.services.common import lock_case, record_case_event
from pakn.protection.services.submissions import check_uploads, redact_for_case

# ---------------------------------------------------------------- handler ↔ reporter


def add_evidence(*, case: Any, files: list[Any], body: str = "") -> tuple[Any, list[Attachment]]:
    """The reporter adds files (and optionally a note) by tracking code or receipt."""
    from pakn.cases import services as case_services

    uploads = check_uploads(files, field="evidence")
    if not uploads and not (body or "").strip():
        raise InvalidInput(fields={"evidence": [_("Chọn ít nhất một tệp hoặc ghi nội dung.")]})
    message, attachments = case_services.add_information(
        case=case, body=body or str(_("(Bổ sung tài liệu)")), uploads=uploads, return_attachments=True
    )
    return message, attachments


# ---------------------------------------------------------------- verification copy (Art. 56)


@dataclass
class Screened:
    """The evidence files of a verification copy, sorted by what their content allows."""

    included: list[Attachment]  # machine-readable text with nothing identifying (or looked at by the actor)
    to_look_at: list[Attachment]  # photos, scans, audio, documents with pictures: left out until someone looks
    withheld: list[Attachment]  # text that names or numbers a person: left out of the copy


def screen_attachments(case: Any, attachments: list[Attachment], *, looked_at: Iterable[int] = ()) -> Screened:
    """Art. 56: nothing identifying leaves with the verification copy. A file whose text contains the
    reporter's details (or any phone number, e-mail, ID-like number, self-introduction) is withheld for the
    officer to redact by hand. A file with something no machine reads (photo, scan, audio, pictures or
    embedded objects in a document, images, annotations or form fields in a PDF) is included only when the
    actor says they looked at it (``looked_at``: file numbers)."""
    from pakn.protection.files import needs_a_look, readable_text

    confirmed = set(looked_at)
    screened = Screened([], [], [])
    for attachment in attachments:
        data = vault.read_clean(attachment.clean_blob)
        text = readable_text(data, attachment.file_kind)
        if text is not None and redact_for_case(case, text).count:
            screened.withheld.append(attachment)
        elif text is None or needs_a_look(data, attachment.file_kind):
            (screened.included if attachment.number in confirmed else screened.to_look_at).append(attachment)
        else:
            screened.included.append(attachment)
    return screened


def _verification_text(case: Any, screened: Screened) -> str:
    lines = [
        str(_("BẢN SAO PHỤC VỤ XÁC MINH (Luật Tố cáo 2018, Điều 56)")),
        str(_("Mọi thông tin có thể xác định người tố cáo đã được loại bỏ.")),
        "",
        f"{_('Hồ sơ')}: {case.pseudonym} · {case.get_kind_display()} · {_('nhận ngày')} {case.received_on:%d/%m/%Y}",
        f"{_('Đơn vị xử lý')}: {case.unit.name}",
    ]
    if case.subject:
        lines.append(f"{_('Người, cơ quan bị tố cáo/phản ánh')}: {case.subject}")
    lines += ["", f"{_('Tiêu đề')}: {case.title}", "", case.content]
    messages = list(case.messages.filter(from_citizen=True))
    if messages:
        lines += ["", str(_("Thông tin người gửi bổ sung")) + ":"]
        lines += [f"- {timezone.localtime(m.created_at):%d/%m/%Y}: {m.body}" for m in messages]
    if screened.included:
        lines += ["", str(_("Tài liệu kèm theo (đã xóa siêu dữ liệu)")) + ":"]
        lines += [f"- {a.name}" for a in screened.included]
    if screened.to_look_at:
        lines += [
            "",
            str(_("Chưa kèm theo: ảnh, bản quét, âm thanh hoặc tài liệu có hình, cần cán bộ xem trước")) + ":",
        ]
        lines += [f"- {a.name}" for a in screened.to_look_at]
    if screened.withheld:
        lines += ["", str(_("Tài liệu giữ lại (nội dung có thông tin có thể xác định người tố cáo)")) + ":"]
        lines += [f"- {a.name}" for a in screened.withheld]
    text = "\n".join(lines)
    return redact_for_case(case, text).text  # once more, in case staff typed something identifying


def make_verification_copy(*, actor: Any, case: Any, looked_at: Iterable[int] = ()) -> VerificationCopy:
    """``looked_at``: numbers of the files without checkable text (photos, scans, audio) that the actor
    looked at and found free of identifying details; recorded in the audit event under their name."""
    with transaction.atomic():
        case = lock_case(case)
        if not (can_handle(actor, case) or is_officer_for(actor, case)):
            raise Forbidden()
        evidence = list(Attachment.objects.filter(case=case, kind=Attachment.Kind.EVIDENCE).exclude(clean_blob=""))
        confirmed = {int(n) for n in looked_at}
        screened = screen_attachments(case, evidence, looked_at=confirmed)
        copy = VerificationCopy.objects.create(case=case, made_by=actor, text=_verification_text(case, screened))
        copy.attachments.set(screened.included)
        record_case_event(
            case,
            "verification_copy_made",
            actor=actor,
            public=False,
            data={
                "copy": copy.pk,
                "attachments": [a.number for a in screened.included],
                "looked_at": sorted(n for n in confirmed if any(a.number == n for a in screened.included)),
                "to_look_at": [a.number for a in screened.to_look_at],
                "withheld": [a.number for a in screened.withheld],
            },
        )
        return copy


def verification_zip(copy: VerificationCopy) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("ban-sao-xac-minh.txt", date_time=(1980, 1, 1, 0, 0, 0)), copy.text.encode())
        for attachment in copy.attachments.all().order_by("number"):
            info = zipfile.ZipInfo(attachment.name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, vault.read_clean(attachment.clean_blob))
    return out.getvalue()
