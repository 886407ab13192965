"""Admin: hotline entries, roster and call log, read-only (they change only through the services, which
write the activity log)."""

from __future__ import annotations

from django.contrib import admin

from pakn.core.admin import ReadOnlyAdmin
from pakn.hotline.models import Call, DutyShift, Hotline


@admin.register(Hotline)
class HotlineAdmin(ReadOnlyAdmin):
    list_display = ("official_name", "position", "unit", "phone", "hours", "is_active")
    list_filter = ("is_active", "unit__province")
    search_fields = ("official_name", "unit__name")


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnlyAdmin):
    list_display = ("hotline", "official", "starts_at", "ends_at")


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("hotline", "received_at", "duration_minutes", "outcome", "on_duty", "case")
    list_filter = ("outcome",)
