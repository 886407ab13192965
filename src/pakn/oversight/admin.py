from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.oversight.models import Recommendation, ResponsePeriod


@admin.register(ResponsePeriod)
class ResponsePeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "working_days", "effective_from", "note")


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Read-only: recommendations are sent and answered through their services (oversight pages)."""

    list_display = ("title", "from_unit", "to_unit", "sent_on", "due_on", "status", "answered_on")
    list_filter = ("status",)
    search_fields = ("title",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
