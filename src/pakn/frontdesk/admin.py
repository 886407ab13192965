"""Admin: forwarded batches and their opinions, read-only (they change only through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.frontdesk.models import FrontBatch, FrontOpinion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FrontBatch)
class FrontBatchAdmin(ReadOnly):
    list_display = ("document_number", "front_unit", "source", "held_on", "forwarded_on")
    list_filter = ("source",)


@admin.register(FrontOpinion)
class FrontOpinionAdmin(ReadOnly):
    list_display = ("batch", "number", "case", "joined")
