"""Who must have a second factor, and whether a session has passed it. No writes here.

``PAKN_OTP_REQUIRED_ROLES`` lists membership roles (``pakn.org.models.Role``); ``admin`` also covers superusers.
An empty value makes the second factor voluntary for everyone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import user_has_device

from pakn.org.models import Membership, Role


def required_roles() -> set[str]:
    value = getattr(settings, "OTP_REQUIRED_ROLES", "")
    names = value.split(",") if isinstance(value, str) else list(value)
    return {name.strip() for name in names if name.strip()}


def must_enrol(user: Any) -> bool:
    """True when ``user`` may open no page before a second factor is set up (their roles require one)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = required_roles()
    if not roles:
        return False
    if Role.ADMIN in roles and user.is_superuser:
        return True
    return Membership.objects.filter(user_id=user.pk, role__in=roles).exists()


def has_second_factor(user: Any) -> bool:
    """A confirmed device (an authenticator app, or only recovery codes left after a lost phone)."""
    return bool(getattr(user, "is_authenticated", False) and user_has_device(user, confirmed=True))


def is_verified(user: Any) -> bool:
    """The session passed the second step (django-otp's ``OTPMiddleware`` installs ``user.is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())
