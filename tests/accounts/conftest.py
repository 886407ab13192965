"""Two-factor login tests run with the default rule (officers and administrators must enrol), whatever the
rest of the suite sets; a cheap password hasher (the throttle and the codes are under test, not PBKDF2)."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, the secret of the devices the tests enrol directly


@pytest.fixture(autouse=True)
def _second_factor_roles(settings: Any) -> None:
    settings.OTP_REQUIRED_ROLES = "protection_officer,admin"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def code_for(secret: str) -> str:
    """What the authenticator app shows now, computed as the app does (RFC 6238)."""
    from django_otp.oath import totp

    return f"{totp(b32decode(secret.replace(' ', '')), step=30, t0=0, digits=6, drift=0):06d}"


def enrolled(user: Any, secret: str = SECRET) -> Any:
    from pakn.accounts import services

    services.enrol_with_secret(user=user, key_hex=b32decode(secret).hex())
    return user


def password_login(client: Client, username: str, address: str = "198.51.100.20") -> Any:
    return client.post("/staff/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address)
