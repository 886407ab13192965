from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.notify.models import Outbox


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    """Delivery status only: recipients and bodies are personal data and are not listed."""

    list_display = ("id", "channel", "status", "attempts", "created_at", "sent_at", "last_error")
    list_filter = ("channel", "status")
    fields = ("channel", "status", "attempts", "created_at", "sent_at", "next_attempt_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
