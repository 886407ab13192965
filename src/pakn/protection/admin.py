"""Admin: the protection deadline rules are data to edit; the vault itself is never shown here."""

from __future__ import annotations

from django.contrib import admin

from pakn.protection.models import ProtectionDeadlineRule


@admin.register(ProtectionDeadlineRule)
class ProtectionDeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "urgent", "amount", "working_days", "effective_from", "citation")
    list_filter = ("urgent",)
