"""Officers' key pairs: enrolment, unlocking, re-locking, recovery through the escrow."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.protection import crypto, keys, throttle, vault
from pakn.protection.access import is_officer, officer_units
from pakn.protection.models import (
    RecipientKey,
    VaultItem,
)
from pakn.protection.services.common import logger

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
