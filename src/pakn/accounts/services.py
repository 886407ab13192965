"""The only writes of two-factor login: enrolment (an authenticator app, or a security key or passkey through
``pakn.accounts.security_keys``), recovery codes, the second step, an administrator's reset.

Each change is atomic and leaves one row in the activity log (``core.activity.log_activity``, app
``accounts``, the user as the object) and one line in the ``pakn.security`` log (user ids only, never a code or
an address). The throttle of the second step lives in the views (it needs the client): ``check_code`` only
answers whether a code is right.

Recovery codes are kept as keyed hashes (``salted_hmac`` with the secret key) in django-otp's ``StaticToken``,
so a copy of the database alone does not give them away; changing ``PAKN_SECRET_KEY`` voids them (the
authenticator app keeps working)."""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from pakn.core.errors import Forbidden, InvalidInput, NotFound

logger = logging.getLogger("pakn.security")

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread
RECOVERY_LENGTH = 10  # 50 bits each
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
PENDING_NAME = "pending"
LOOK_ALIKES = str.maketrans("OIL", "011")


# ---------------------------------------------------------------- pure helpers


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def normalise_code(value: str) -> str:
    """What a person typed → the code: spaces and hyphens dropped, upper case, O read as 0, I and L as 1."""
    text = re.sub(r"[\s\-]", "", value or "").upper()
    return text.translate(LOOK_ALIKES)


def _recovery_hash(code: str) -> str:
    return salted_hmac("pakn.accounts.recovery", normalise_code(code)).hexdigest()[:16]


def _new_recovery_codes() -> list[str]:
    return ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app asks for when typed in by hand."""
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii")


# ---------------------------------------------------------------- audit


def _audit(action: str, *, actor: Any, user: Any, data: dict[str, Any] | None = None) -> None:
    # Calls reception's service (features may call each other's services): the one activity log of the project.
    from pakn.core.activity import log_activity

    log_activity("accounts", action, user, actor=actor, unit=None, data=data or {})
    logger.info("two-factor %s: user %s by user %s", action, user.pk, getattr(actor, "pk", None))


# ---------------------------------------------------------------- enrolment


@transaction.atomic
def pending_device(*, user: Any) -> TOTPDevice:
    """The device being enrolled: the same secret until it is confirmed, so reloading the page keeps the code the
    app already shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_NAME).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=PENDING_NAME)
    return device


def _replace_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = _new_recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_recovery_hash(code)) for code in codes])
    return [format_recovery_code(code) for code in codes]


@transaction.atomic
def confirm_enrolment(*, user: Any, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """The first code from the app confirms the pending device; it replaces any earlier app and comes with ten
    new recovery codes (returned once, never stored in clear). None when the code is wrong."""
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=PENDING_NAME).order_by("pk")
    ).first()
    if device is None:
        raise NotFound(_("Chưa có mã bí mật đang chờ xác nhận. Vui lòng mở lại trang thiết lập."))
    token = normalise_code(code)
    if not token.isdigit() or not device.verify_token(token):
        return None
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0]
    device.confirmed = True
    device.name = TOTP_NAME
    device.save(update_fields=["confirmed", "name"])
    codes = _replace_recovery_codes(user)
    _audit("second_factor_enrolled", actor=user, user=user, data={"replaced_devices": replaced})
    return device, codes


def has_app(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_security_key(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_primary_factor(user: Any) -> bool:
    """An authenticator app or a security key (recovery codes alone are what is left after a loss)."""
    return has_app(user) or has_security_key(user)


@transaction.atomic
def renew_recovery_codes(*, user: Any) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not has_primary_factor(user):
        raise InvalidInput(_("Cần thiết lập ứng dụng xác thực hoặc khóa bảo mật trước khi tạo mã khôi phục."))
    codes = _replace_recovery_codes(user)
    _audit("recovery_codes_renewed", actor=user, user=user)
    return codes


# ---------------------------------------------------------------- security keys and passkeys (WebAuthn)


def security_keys(user: Any) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def security_key_added(*, user: Any, key: WebAuthnCredential) -> list[str]:
    """Record a key that django-otp-webauthn has just verified and saved (called inside its transaction). A
    person who had no recovery codes gets ten, returned once; otherwise their codes stay as they were."""
    codes = [] if StaticDevice.objects.filter(user=user, confirmed=True).exists() else _replace_recovery_codes(user)
    _audit("security_key_added", actor=user, user=user, data={"key": key.pk, "recovery_codes_made": bool(codes)})
    return codes


@transaction.atomic
def remove_security_key(*, user: Any, key_id: int) -> None:
    """Remove one of one's own keys. The last way of passing the second step is kept while one's roles require
    it (set up another first)."""
    from pakn.accounts import policy

    key = WebAuthnCredential.objects.select_for_update().filter(user=user, pk=key_id).first()
    if key is None:
        raise NotFound(_("Không tìm thấy khóa bảo mật này."))
    others = has_app(user) or WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=key.pk).exists()
    if not others and policy.must_enrol(user):
        raise Forbidden(
            _("Đây là cách xác thực bước hai duy nhất của bạn. Hãy thêm khóa khác hoặc ứng dụng xác thực trước.")
        )
    key.delete()
    _audit("security_key_removed", actor=user, user=user, data={"key": key_id})


# ---------------------------------------------------------------- the second step


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def check_code(*, user: Any, code: str) -> Device | None:
    """The device that accepts ``code`` (six digits from the app, or a recovery code, which is then used up), or
    None. A TOTP code is accepted once (django-otp remembers the last time step used)."""
    token = normalise_code(code)
    if not token:
        return None
    if token.isdigit() and len(token) <= 8:
        for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if totp.verify_token(token):
                return totp
        return None
    for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if static.verify_token(_recovery_hash(token)):
            _audit("recovery_code_used", actor=user, user=user, data={"codes_left": recovery_codes_left(user)})
            return static
    return None


# ---------------------------------------------------------------- an administrator's reset


@transaction.atomic
def reset_second_factor(*, actor: Any, username: str, reason: str) -> Any:
    """Remove every second factor of another user (a lost phone and lost recovery codes). Only a system
    administrator (superuser) may, never for themselves; the user sets up a new app at their next login."""
    if not getattr(actor, "is_superuser", False):
        raise Forbidden(_("Chỉ quản trị hệ thống được đặt lại xác thực hai bước."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput(_("Vui lòng ghi lý do đặt lại."), fields={"reason": _("Vui lòng ghi lý do đặt lại.")})
    user = get_user_model().objects.filter(username=(username or "").strip()).first()
    if user is None:
        raise NotFound(_("Không tìm thấy tài khoản."), fields={"username": _("Không tìm thấy tài khoản.")})
    if user.pk == actor.pk:
        raise Forbidden(_("Không thể tự đặt lại xác thực hai bước của mình; hãy nhờ một quản trị viên khác."))
    totp = TOTPDevice.objects.filter(user=user).delete()[0]
    static = StaticDevice.objects.filter(user=user).delete()[0]
    keys = WebAuthnCredential.objects.filter(user=user).delete()[1].get(WebAuthnCredential._meta.label, 0)
    removed = totp + static + keys
    _audit("second_factor_reset", actor=actor, user=user, data={"reason": reason, "removed": removed})
    return user


# ---------------------------------------------------------------- demo


@transaction.atomic
def enrol_with_secret(*, user: Any, key_hex: str) -> bool:
    """Give ``user`` a confirmed app with a known secret (``pakn demo`` only: the secret is printed and in the
    README, like the demo password). False when the user already has one."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True, key=key_hex)
    _audit("second_factor_enrolled", actor=user, user=user, data={"demo": True})
    return True


def register_citizen(*, username: str, email: str, password: str) -> Any:
    """A citizen's own account (optional: filing never needs one). The form has checked the password rules."""
    with transaction.atomic():
        from pakn.core.activity import log_activity

        user = get_user_model().objects.create_user(username=username, email=email, password=password)
        log_activity("accounts", "citizen_registered", user, actor=user, unit=None)
    logger.info("citizen account created: user %s", user.pk)
    return user
