"""The audited reveal of a sealed identity: one officer asks with a legal basis, a second approves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from pakn.protection import crypto, vault
from pakn.protection.access import is_officer_for, officer_items
from pakn.protection.models import (
    Attachment,
    LegalBasis,
    RevealRequest,
    VaultItem,
)
from pakn.protection.services.common import REVEAL_VALID, lock_case, logger, record_case_event
from pakn.protection.services.officers import unlock
from pakn.protection.services.submissions import split_original

# ---------------------------------------------------------------- reveal (four eyes)


def _officer_for(actor: Any, case: Any) -> None:
    if not is_officer_for(actor, case):
        raise Forbidden(_("Chỉ cán bộ bảo vệ người tố cáo của đơn vị mới được thực hiện."))


def _lock_subject(actor: Any, request: RevealRequest) -> Any:
    """Lock what a reveal request is about (the case, or the sealed person) and check ``actor`` is one of
    its protection officers."""
    if request.case_id is not None:
        case = lock_case(request.case)
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
        record_case_event(request.case, action, actor=actor, public=public, data=data)
        return
    from pakn.cases.models import Case

    for case in Case.objects.filter(vault_items__shared_from_id=request.item_id).distinct():
        record_case_event(lock_case(case), action, actor=actor, public=public, data={**data, "register": True})
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
            case = lock_case(case)
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
        case = lock_case(request.case)
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
        case = lock_case(case)
        record_case_event(
            case,
            "original_opened",
            actor=actor,
            public=False,
            data={"request": request.pk, "attachment": attachment.number},
        )
    return meta, data
