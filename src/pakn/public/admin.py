from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.public.models import DisciplineResult


@admin.register(DisciplineResult)
class DisciplineResultAdmin(admin.ModelAdmin):
    """Read-only: published and retracted by heads through ``public.services`` (oversight pages)."""

    list_display = ("decision_number", "official_position", "measure", "unit", "decided_on", "retracted_at")
    list_filter = ("measure",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
