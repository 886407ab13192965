from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Two-factor login for staff (docs/protection.md, "Two-factor login")."""

    name = "pakn.accounts"
    label = "accounts"
    verbose_name = "Tài khoản cán bộ"
