"""``pakn demo``: the demo accounts whose roles require a second factor (protection officers, the administrator,
per ``PAKN_OTP_REQUIRED_ROLES``) get an authenticator app with one known secret, printed by ``pakn demo`` and in
the README next to the demo password. Never in production: anyone who reads the README has it."""

from __future__ import annotations

from base64 import b32decode

from django.contrib.auth import get_user_model

from pakn.accounts import policy, services

DEMO_OTP_SECRET = "PAKNDEMOPAKNDEMOPAKNDEMOPAKNDEMO"  # noqa: S105 - documented demo secret, like the password


def enrol_demo_users() -> list[str]:
    """Enrol every demo account (``@example.vn``) that must have a second factor; the usernames enrolled or
    already enrolled, in order."""
    key_hex = b32decode(DEMO_OTP_SECRET).hex()
    names = []
    for user in get_user_model().objects.filter(email__endswith="@example.vn").order_by("username"):
        if policy.must_enrol(user) or policy.has_second_factor(user):
            services.enrol_with_secret(user=user, key_hex=key_hex)
            names.append(user.get_username())
    return names
