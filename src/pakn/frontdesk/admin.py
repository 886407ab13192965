"""Admin: forwarded batches and their opinions, read-only (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from pakn.core.admin import ReadOnlyAdmin
from pakn.frontdesk.models import FrontBatch, FrontOpinion


@admin.register(FrontBatch)
class FrontBatchAdmin(ReadOnlyAdmin):
    list_display = ("document_number", "front_unit", "source", "held_on", "forwarded_on")
    list_filter = ("source",)


@admin.register(FrontOpinion)
class FrontOpinionAdmin(ReadOnlyAdmin):
    list_display = ("batch", "number", "case", "joined")
