from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Two-factor login for staff (docs/protection.md, "Two-factor login") and citizens' identities from an OpenID
    provider (docs/citizen-login.md)."""

    name = "pakn.accounts"
    label = "accounts"
    verbose_name = "Tài khoản cán bộ và người dân"
