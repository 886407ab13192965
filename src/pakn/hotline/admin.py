"""Admin: hotline entries, roster and call log, read-only (they change only through the services, which
write the activity log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.hotline.models import Call, DutyShift, Hotline


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Hotline)
class HotlineAdmin(ReadOnly):
    list_display = ("official_name", "position", "unit", "phone", "hours", "is_active")
    list_filter = ("is_active", "unit__province")
    search_fields = ("official_name", "unit__name")


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnly):
    list_display = ("hotline", "official", "starts_at", "ends_at")


@admin.register(Call)
class CallAdmin(ReadOnly):
    list_display = ("hotline", "received_at", "duration_minutes", "outcome", "on_duty", "case")
    list_filter = ("outcome",)
