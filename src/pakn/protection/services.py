"""The protection acts. Like ``pakn.cases.services``: keyword-only arguments, the actor explicit, one
transaction, one audit event per act on a case (through ``record_event``, so it joins the case's hash
chain). Private keys and identities exist only in memory, inside one request."""

from __future__ import annotations

import io
import json
import logging
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core import validate
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from pakn.org.access import can_handle
from pakn.org.models import Membership, Role
from pakn.protection import crypto, keys, redact, throttle, vault
from pakn.protection.access import is_officer, is_officer_for, officer_items, officer_units
from pakn.protection.defaults import DEFAULT_DEADLINE_RULES
from pakn.protection.files import CleanFile, Rejected, inspect
from pakn.protection.models import (
    Attachment,
    LegalBasis,
    Measure,
    Person,
    ProtectionDeadlineRule,
    ProtectionRequest,
    Receipt,
    RecipientKey,
    RevealRequest,
    VaultConfig,
    VaultItem,
    VerificationCopy,
)

logger = logging.getLogger("pakn.protection")
REVEAL_VALID = timedelta(hours=24)
MAX_FILES = validate.MAX_FILES
IDENTITY_FIELDS = ("name", "phone", "email", "id_number", "address")


def _record(case: Any, action: str, **kwargs: Any) -> Any:
    from pakn.cases.services import record_event

    return record_event(case, action, **kwargs)


def _lock_case(case: Any) -> Any:
    from pakn.cases.models import Case

    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


# ---------------------------------------------------------------- officer keys


@sensitive_variables()
def _check_password(user: Any, password: str) -> None:
    throttle.hit("unlock", f"user{user.pk}")
    if not password or not user.check_password(password):
        raise InvalidInput(fields={"password": [_("Mật khẩu không đúng.")]})


@sensitive_variables()
def setup_key(*, user: Any, password: str) -> RecipientKey:
    """An officer creates their key pair; the private key is stored locked with their password."""
    if not is_officer(user):
        raise Forbidden()
    _check_password(user, password)
    with transaction.atomic():
        if keys.active_key(user) is not None:
            raise InvalidTransition(_("Bạn đã có khóa. Dùng chức năng đổi khóa nếu cần."))
        public, private = crypto.new_keypair()
        key = RecipientKey(kind=RecipientKey.Kind.OFFICER, user=user, public_key=crypto.b64e(public))
        keys.lock_into(key, private, password)
        key.save()
        vault.mark_for_reseal(vault.items_of_units(officer_units(user).values_list("pk", flat=True)))
    logger.info("officer key created for user %s", user.pk)
    return key


@sensitive_variables()
def unlock(*, user: Any, password: str) -> tuple[RecipientKey, bytes]:
    _check_password(user, password)
    key = keys.active_key(user)
    if key is None:
        raise InvalidTransition(_("Bạn chưa tạo khóa bảo vệ danh tính."), code="no_key")
    try:
        private = crypto.unlock_private_key(keys.locked(key), password)
    except crypto.CryptoError:
        RecipientKey.objects.filter(pk=key.pk).update(relock_needed=True)
        raise InvalidTransition(
            _("Khóa của bạn đang được khóa bằng mật khẩu cũ. Vào trang Khóa của tôi để mở lại bằng mật khẩu cũ."),
            code="relock_needed",
        ) from None
    if key.relock_needed:  # the hash changed but not the password (e.g. a hasher upgrade)
        RecipientKey.objects.filter(pk=key.pk).update(relock_needed=False)
        key.relock_needed = False
    return key, private


@sensitive_variables()
def change_password(*, user: Any, old_password: str, new_password: str) -> None:
    """The account password and the key lock change together, in one transaction."""
    _check_password(user, old_password)
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidInput(fields={"new_password": list(exc.messages)}) from None
    with transaction.atomic():
        key = keys.active_key(user)
        private = None
        if key is not None and key.locked_private_key:
            try:
                private = crypto.unlock_private_key(keys.locked(key), old_password)
            except crypto.CryptoError:
                raise InvalidTransition(
                    _("Khóa của bạn đang được khóa bằng mật khẩu cũ hơn: mở lại khóa trước khi đổi mật khẩu."),
                    code="relock_needed",
                ) from None
        user._pakn_relocking = True
        try:
            user.set_password(new_password)
            user.save()
        finally:
            del user._pakn_relocking
        if key is not None and private is not None:
            keys.lock_into(key, private, new_password)
            key.relock_needed = False
            key.save(update_fields=["locked_private_key", "kdf_salt", "kdf_opslimit", "kdf_memlimit", "relock_needed"])


@sensitive_variables()
def relock_key(*, user: Any, old_password: str, password: str) -> None:
    """The password was changed elsewhere (admin, reset): open the key with the old one, lock it with the
    current one."""
    _check_password(user, password)
    key = keys.active_key(user)
    if key is None:
        raise InvalidTransition(_("Bạn chưa tạo khóa bảo vệ danh tính."), code="no_key")
    try:
        private = crypto.unlock_private_key(keys.locked(key), old_password)
    except crypto.CryptoError:
        raise InvalidInput(fields={"old_password": [_("Mật khẩu cũ không mở được khóa.")]}) from None
    keys.lock_into(key, private, password)
    key.relock_needed = False
    key.save(update_fields=["locked_private_key", "kdf_salt", "kdf_opslimit", "kdf_memlimit", "relock_needed"])


@sensitive_variables()
def rotate_key(*, user: Any, password: str) -> RecipientKey:
    """A new key pair; every data key sealed to the old one is re-sealed to the new one in memory."""
    old, old_private = unlock(user=user, password=password)
    with transaction.atomic():
        public, private = crypto.new_keypair()
        RecipientKey.objects.filter(pk=old.pk).update(retired_at=timezone.now(), locked_private_key="")
        new = RecipientKey(kind=RecipientKey.Kind.OFFICER, user=user, public_key=crypto.b64e(public))
        keys.lock_into(new, private, password)
        new.save()
        moved = vault.move_wraps(old=old, old_private=old_private, new=new)
    logger.info("officer key rotated for user %s (%s items)", user.pk, moved)
    return new


@sensitive_variables()
def reset_key(*, user: Any, password: str) -> RecipientKey:
    """The old password is lost: retire the old key (its wraps are removed, the data re-keyed at the next
    re-seal) and create a new one, which another officer or the escrow holder re-seals to."""
    _check_password(user, password)
    with transaction.atomic():
        old = keys.active_key(user)
        if old is not None:
            RecipientKey.objects.filter(pk=old.pk).update(retired_at=timezone.now(), locked_private_key="")
            affected = VaultItem.objects.filter(wraps__recipient=old).distinct()
            ids = list(affected.values_list("pk", flat=True))
            old.wraps.all().delete()
            VaultItem.objects.filter(pk__in=ids).update(needs_rekey=True, needs_reseal=True)
        public, private = crypto.new_keypair()
        new = RecipientKey(kind=RecipientKey.Kind.OFFICER, user=user, public_key=crypto.b64e(public))
        keys.lock_into(new, private, password)
        new.save()
        vault.mark_for_reseal(vault.items_of_units(officer_units(user).values_list("pk", flat=True)))
    return new


@sensitive_variables()
def reseal_pending(*, user: Any, password: str) -> dict[str, int]:
    key, private = unlock(user=user, password=password)
    return vault.reseal(key=key, private=private)


def officer_left(*, user_id: int, unit_id: int) -> None:
    """A protection officer's membership ended: their wraps go at once, the data is re-keyed later."""
    vault.revoke_stale(vault.items_of_units([unit_id]))


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


# ---------------------------------------------------------------- reveal (four eyes)


def _officer_for(actor: Any, case: Any) -> None:
    if not is_officer_for(actor, case):
        raise Forbidden(_("Chỉ cán bộ bảo vệ người tố cáo của đơn vị mới được thực hiện."))


def _lock_subject(actor: Any, request: RevealRequest) -> Any:
    """Lock what a reveal request is about (the case, or the sealed person) and check ``actor`` is one of
    its protection officers."""
    if request.case_id is not None:
        case = _lock_case(request.case)
        _officer_for(actor, case)
        return case
    item = VaultItem.objects.select_for_update().get(pk=request.item_id or 0)
    if not officer_items(actor).filter(pk=item.pk).exists():
        raise Forbidden(_("Chỉ cán bộ bảo vệ người tố cáo của đơn vị mới được thực hiện."))
    return item


def _record_reveal(request: RevealRequest, action: str, *, actor: Any, public: bool, data: dict[str, Any]) -> None:
    """A step of a reveal: an event of the case; for a person sealed outside any case, an event of every
    case opened from it (so its reporter's status page shows a reveal too) and a log line."""
    data = {"request": request.pk, **data}
    if request.case_id is not None:
        _record(request.case, action, actor=actor, public=public, data=data)
        return
    from pakn.cases.models import Case

    for case in Case.objects.filter(vault_items__shared_from_id=request.item_id).distinct():
        _record(_lock_case(case), action, actor=actor, public=public, data={**data, "register": True})
    logger.info("%s: request %s, item %s, user %s", action, request.pk, request.item_id, actor.pk)


def request_reveal(
    *, actor: Any, case: Any = None, item: VaultItem | None = None, legal_basis: str, reason: str
) -> RevealRequest:
    """Ask to see the identity of a case's reporter (``case``) or of a person sealed outside any case
    (``item``, e.g. a reception-register entry)."""
    if (case is None) == (item is None):
        raise ValueError("a reveal request is about a case or an item")
    errors: dict[str, list[Any]] = {}
    reason = (reason or "").strip()
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [_("Chọn căn cứ pháp lý.")]
    if len(reason) < 10:
        errors["reason"] = [_("Ghi rõ lý do (ít nhất 10 ký tự): việc gì cần biết danh tính, theo văn bản nào.")]
    if len(reason) > 2000:
        errors["reason"] = [_("Quá dài: tối đa %(limit)s ký tự.") % {"limit": 2000}]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        if case is not None:
            case = _lock_case(case)
            _officer_for(actor, case)
            if not VaultItem.objects.filter(case=case, kind=VaultItem.Kind.IDENTITY).exists():
                raise InvalidTransition(_erased(case.pk) or _("Hồ sơ này không có thông tin danh tính được lưu."))
            request = RevealRequest(case=case)
        else:
            assert item is not None
            request = RevealRequest(item=item)
            _lock_subject(actor, request)
        request.requested_by, request.legal_basis, request.reason = actor, legal_basis, reason
        request.save()
        _record_reveal(
            request, "reveal_requested", actor=actor, public=False, data={"legal_basis": legal_basis, "reason": reason}
        )
        return request


def decide_reveal(*, actor: Any, request: RevealRequest, approve: bool, note: str = "") -> RevealRequest:
    with transaction.atomic():
        _lock_subject(actor, request)
        request = RevealRequest.objects.select_for_update().get(pk=request.pk)
        if request.requested_by_id == actor.pk:
            raise Forbidden(_("Người đề nghị không được tự phê duyệt (nguyên tắc hai người)."), code="self_approval")
        if request.status != RevealRequest.Status.PENDING:
            raise InvalidTransition(_("Đề nghị này đã được xử lý."))
        request.status = RevealRequest.Status.APPROVED if approve else RevealRequest.Status.REJECTED
        request.decided_by, request.decided_at, request.decision_note = (
            actor,
            timezone.now(),
            (note or "").strip()[:2000],
        )
        request.save()
        _record_reveal(
            request,
            "reveal_approved" if approve else "reveal_rejected",
            actor=actor,
            public=False,
            data={"note": request.decision_note},
        )
        return request


def _erased(case_id: Any) -> Any:
    """The identity was erased at the end of its retention period: say under which rule and when."""
    from pakn.protection.retention import erased_identity_message

    return erased_identity_message(case_id)


@dataclass
class Revealed:
    identity: dict[str, Any]
    attachments: list[Attachment]
    request: RevealRequest


@sensitive_variables()
def reveal_identity(*, actor: Any, request: RevealRequest, password: str) -> Revealed:
    """The approved requester, with their password, sees the identity once. Nothing is cached or stored."""
    with transaction.atomic():
        _lock_subject(actor, request)
        request = RevealRequest.objects.select_for_update().get(pk=request.pk)
        if request.requested_by_id != actor.pk:
            raise Forbidden(_("Chỉ người đã đề nghị mới xem được."))
        if request.status == RevealRequest.Status.PENDING:
            raise InvalidTransition(_("Đề nghị chưa được cán bộ thứ hai phê duyệt."), code="not_approved")
        if request.status != RevealRequest.Status.APPROVED:
            raise InvalidTransition(_("Đề nghị này không còn hiệu lực (đã xem, bị từ chối hoặc hết hạn)."))
        if request.decided_at and timezone.now() - request.decided_at > REVEAL_VALID:
            request.status = RevealRequest.Status.EXPIRED
            request.save(update_fields=["status"])
            _record_reveal(request, "reveal_expired", actor=actor, public=False, data={})
            return_expired = True
        else:
            return_expired = False
    if return_expired:
        raise InvalidTransition(_("Phê duyệt đã quá 24 giờ: cần đề nghị lại."), code="expired")
    key, private = unlock(user=actor, password=password)
    if request.item_id is not None:
        item = request.item
    else:
        item = (
            VaultItem.objects.filter(case_id=request.case_id or 0, kind=VaultItem.Kind.IDENTITY).order_by("pk").first()
        )
    if item is None:
        raise InvalidTransition(_erased(request.case_id) or _("Hồ sơ này không có thông tin danh tính được lưu."))
    try:
        identity = vault.open_json(item, key, private)
    except crypto.CryptoError:
        raise InvalidTransition(
            _(
                "Khóa của bạn chưa được niêm phong cho hồ sơ này. Cần một cán bộ bảo vệ khác (hoặc người giữ khóa "
                "dự phòng) mở khóa để niêm phong lại."
            ),
            code="not_sealed_to_you",
        ) from None
    with transaction.atomic():
        _lock_subject(actor, request)
        updated = RevealRequest.objects.filter(pk=request.pk, status=RevealRequest.Status.APPROVED).update(
            status=RevealRequest.Status.USED, used_at=timezone.now()
        )
        if not updated:
            raise InvalidTransition(_("Đề nghị này không còn hiệu lực (đã xem, bị từ chối hoặc hết hạn)."))
        _record_reveal(
            request,
            "identity_revealed",
            actor=actor,
            public=True,
            data={"legal_basis": request.legal_basis, "approved_by": f"staff:{request.decided_by_id}"},
        )
    try:
        vault.reseal(key=key, private=private)  # while the key is open: bring pending items up to date
    except Exception:  # never let housekeeping hide the result the officer is entitled to
        logger.exception("re-seal after reveal failed")
    request.refresh_from_db()
    attachments = (
        list(Attachment.objects.filter(case_id=request.case_id, original__isnull=False)) if request.case_id else []
    )
    return Revealed(identity=identity, attachments=attachments, request=request)


@sensitive_variables()
def open_original(
    *, actor: Any, request: RevealRequest, attachment: Attachment, password: str
) -> tuple[dict[str, Any], bytes]:
    """An original file (with its metadata) under an approved reveal request of the same case, once."""
    if attachment.case_id != request.case_id or attachment.original_id is None:
        raise NotFound()
    with transaction.atomic():
        case = _lock_case(request.case)
        _officer_for(actor, case)
        request = RevealRequest.objects.select_for_update().get(pk=request.pk)
        if request.requested_by_id != actor.pk:
            raise Forbidden(_("Chỉ người đã đề nghị mới xem được."))
        if request.status not in (RevealRequest.Status.APPROVED, RevealRequest.Status.USED) or (
            request.decided_at and timezone.now() - request.decided_at > REVEAL_VALID
        ):
            raise InvalidTransition(_("Cần đề nghị được phê duyệt (còn hiệu lực) để mở tệp gốc."), code="not_approved")
    key, private = unlock(user=actor, password=password)
    assert attachment.original is not None
    try:
        meta, data = split_original(vault.open_item(attachment.original, key, private))
    except crypto.CryptoError:
        raise InvalidTransition(_("Khóa của bạn chưa được niêm phong cho tệp này."), code="not_sealed_to_you") from None
    with transaction.atomic():
        case = _lock_case(case)
        _record(
            case,
            "original_opened",
            actor=actor,
            public=False,
            data={"request": request.pk, "attachment": attachment.number},
        )
    return meta, data


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
        case = _lock_case(case)
        if not (can_handle(actor, case) or is_officer_for(actor, case)):
            raise Forbidden()
        evidence = list(Attachment.objects.filter(case=case, kind=Attachment.Kind.EVIDENCE).exclude(clean_blob=""))
        confirmed = {int(n) for n in looked_at}
        screened = screen_attachments(case, evidence, looked_at=confirmed)
        copy = VerificationCopy.objects.create(case=case, made_by=actor, text=_verification_text(case, screened))
        copy.attachments.set(screened.included)
        _record(
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


# ---------------------------------------------------------------- protection requests (Art. 47–50)


def protection_deadline(*, urgent: bool, received: Any) -> tuple[Any, ProtectionDeadlineRule | None, str, str]:
    from pakn.cases import policy

    rule = (
        ProtectionDeadlineRule.objects.filter(urgent=urgent, effective_from__lte=received)
        .order_by("-effective_from")
        .first()
    )
    if rule is not None:
        amount, working, code, citation = rule.amount, rule.working_days, rule.code, rule.citation
    else:
        default = next(r for r in DEFAULT_DEADLINE_RULES if r["urgent"] == urgent)
        amount, working, code, citation = (
            default["amount"],
            default["working_days"],
            default["code"],
            default["citation"],
        )
    calendar = policy.working_calendar()
    due = calendar.add_working_days(received, amount) if working else calendar.add_days(received, amount)
    return due, rule, code, citation


def can_request_protection(case: Any) -> bool:
    """Protection is for a denouncer (Luật Tố cáo 2018, Điều 47) whose denunciation still stands, and for anyone
    whose report, petition or complaint is about an official's conduct (``reports_conduct``)."""
    from pakn.cases.models import Kind

    if case.status in ("withdrawn", "merged"):
        return False
    return bool(case.kind == Kind.DENUNCIATION or reports_conduct(case))


def reports_conduct(case: Any) -> bool:
    """A case other than a denunciation about a person's conduct (a person is named or described). Quyết định
    99-QĐ/TW asks to "bảo vệ, khuyến khích người dân phát hiện, tố giác": such a reporter may ask for protection
    too; the Law on Denunciations' measures and periods are the ones the unit applies, by analogy, within its
    powers (the law binds them for denouncers only)."""
    from pakn.cases.models import CaseSubject, Kind

    if case.kind == Kind.DENUNCIATION:
        return False
    subject = CaseSubject.objects.filter(case_id=case.pk).first()
    return bool(subject and (subject.name or subject.position or subject.user_id or subject.party_member))


@sensitive_variables()
def request_protection(
    *,
    case: Any,
    persons: list[str],
    measures: list[str],
    details: str = "",
    urgent: bool = False,
    actor: Any = None,
) -> ProtectionRequest:
    """By the reporter (tracking code or receipt; ``actor`` None) or by a handler or officer on their
    behalf (``actor``), e.g. after an urgent phone call."""
    errors: dict[str, list[Any]] = {}
    persons = [p for p in dict.fromkeys(persons or []) if p]
    measures = [m for m in dict.fromkeys(measures or []) if m]
    if not persons or any(p not in Person.values for p in persons):
        errors["persons"] = [_("Chọn người cần được bảo vệ.")]
    if not measures or any(m not in Measure.values for m in measures):
        errors["measures"] = [_("Chọn biện pháp bảo vệ đề nghị.")]
    details = (details or "").strip()
    if len(details) > 10_000:
        errors["details"] = [_("Quá dài: tối đa %(limit)s ký tự.") % {"limit": 10_000}]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock_case(case)
        if actor is not None and not (can_handle(actor, case) or is_officer_for(actor, case)):
            raise Forbidden()
        if not can_request_protection(case):
            raise InvalidTransition(
                _("Chỉ đề nghị bảo vệ cho đơn tố cáo, hoặc đơn phản ánh hành vi của cán bộ, chưa rút, chưa gộp.")
            )
        today = timezone.localdate()
        due, _rule, code, citation = protection_deadline(urgent=urgent, received=today)
        if reports_conduct(case):
            citation = str(
                _("Quyết định 99-QĐ/TW (bảo vệ người phát hiện, tố giác); thời hạn áp dụng tương tự: %(citation)s")
                % {"citation": citation}
            )[:300]
        summary = redact_for_case(case, details)
        item = (
            vault.seal_json(case=case, kind=VaultItem.Kind.PROTECTION_DETAILS, data={"details": details})
            if details
            else None
        )
        request = ProtectionRequest.objects.create(
            case=case,
            origin=ProtectionRequest.Origin.HANDLER if actor else ProtectionRequest.Origin.REPORTER,
            filed_by=actor if getattr(actor, "is_authenticated", False) else None,
            urgent=urgent,
            persons=persons,
            measures=measures,
            summary=summary.text,
            details=item,
            received_on=today,
            due_on=due,
            rule_code=code,
            citation=citation,
        )
        _record(
            case,
            "protection_requested",
            actor=actor,
            actor_label="" if actor else "citizen",
            public=False,
            data={
                "request": request.pk,
                "urgent": urgent,
                "due_on": due.isoformat(),
                "persons": persons,
                "measures": measures,
            },
        )
        _notify_officers(case, request)
        return request


def _notify_officers(case: Any, request: ProtectionRequest) -> None:
    from pakn.cases.services import notify_unit_staff

    subject = str(_("Đề nghị bảo vệ người tố cáo: %(who)s") % {"who": case.pseudonym})
    body = str(
        _("Hạn xem xét: %(date)s. Xem tại trang Bảo vệ người tố cáo.") % {"date": request.due_on.strftime("%d/%m/%Y")}
    )
    for unit in filter(None, [case.unit, case.unit.parent]):
        notify_unit_staff(
            case, unit, f"protection:{request.pk}:{unit.pk}", subject, body, roles=(Role.PROTECTION_OFFICER, Role.HEAD)
        )


def can_decide_protection(user: Any, case: Any) -> bool:
    return (
        is_officer_for(user, case)
        or Membership.objects.filter(user=user, unit_id__in=vault.case_unit_ids(case), role=Role.HEAD).exists()
    )


def decide_protection(*, actor: Any, request: ProtectionRequest, status: str, decision: str) -> ProtectionRequest:
    decision = (decision or "").strip()
    if status not in (
        ProtectionRequest.Status.GRANTED,
        ProtectionRequest.Status.REFUSED,
        ProtectionRequest.Status.ENDED,
    ):
        raise InvalidInput(fields={"status": [_("Chọn kết quả.")]})
    if len(decision) < 5:
        raise InvalidInput(fields={"decision": [_("Ghi rõ quyết định, biện pháp hoặc lý do.")]})
    with transaction.atomic():
        case = _lock_case(request.case)
        request = ProtectionRequest.objects.select_for_update().get(pk=request.pk)
        if not can_decide_protection(actor, case):
            raise Forbidden()
        allowed: dict[str, set[str]] = {
            ProtectionRequest.Status.RECEIVED: {ProtectionRequest.Status.GRANTED, ProtectionRequest.Status.REFUSED},
            ProtectionRequest.Status.GRANTED: {ProtectionRequest.Status.ENDED},
        }
        if status not in allowed.get(request.status, set()):
            raise InvalidTransition()
        request.status, request.decision = status, redact_for_case(case, decision).text[:5000]
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save()
        _record(case, "protection_decided", actor=actor, public=False, data={"request": request.pk, "status": status})
        return request


def rotate_escrow_key(*, actor: Any, old_private: bytes, new_public: bytes) -> int:
    """Replace the escrow key: every item sealed to the old key is sealed to the new one, in one transaction;
    the old key is retired. Returns the number of items moved. Logged (no key material) in the activity log
    and the ``pakn.protection`` log."""
    from pakn.core.activity import log_activity

    config = VaultConfig.objects.select_related("escrow").filter(pk=1).first()
    if config is None:
        raise InvalidTransition(_("Chưa có khóa dự phòng để thay."))
    if crypto.public_of(old_private) != crypto.b64d(config.escrow.public_key):
        raise InvalidInput(fields={"old_key": [_("Đây không phải khóa dự phòng hiện hành.")]})
    with transaction.atomic():
        new = RecipientKey.objects.create(kind=RecipientKey.Kind.ESCROW, public_key=crypto.b64e(new_public))
        old = config.escrow
        moved = vault.move_wraps(old=old, old_private=old_private, new=new)
        config.escrow = new
        config.save(update_fields=["escrow"])
        old.retired_at = new.created_at
        old.save(update_fields=["retired_at"])
        log_activity(
            "protection",
            "escrow_key_rotated",
            new,
            actor=actor,
            unit=None,
            data={
                "old": crypto.fingerprint(crypto.b64d(old.public_key)),
                "new": crypto.fingerprint(new_public),
                "items": moved,
            },
        )
    logger.info("escrow key rotated (%s items re-sealed)", moved)
    return moved
