from __future__ import annotations

from django.contrib import admin

from pakn.core.admin import ReadOnlyAdmin
from pakn.oversight.models import Recommendation, ResponsePeriod


@admin.register(ResponsePeriod)
class ResponsePeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "working_days", "effective_from", "note")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    """Read-only: recommendations are sent and answered through their services (oversight pages)."""

    list_display = ("title", "from_unit", "to_unit", "sent_on", "due_on", "status", "answered_on")
    list_filter = ("status",)
    search_fields = ("title",)
