from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.core.admin import ReadOnlyAdmin
from pakn.public.models import AlertFollow, DisciplineResult


@admin.register(DisciplineResult)
class DisciplineResultAdmin(ReadOnlyAdmin):
    """Read-only: published and retracted by heads through ``public.services`` (oversight pages)."""

    list_display = ("decision_number", "official_position", "measure", "unit", "decided_on", "retracted_at")
    list_filter = ("measure",)


@admin.register(AlertFollow)
class AlertFollowAdmin(ReadOnlyAdmin):
    """Read-only, and never the address (it is sealed): what is followed, in which language, since when. Searching
    for a whole address finds its follows through the keyed hash (``public.alerts.address_key``). People confirm
    and stop their follows through the links of their e-mails (``public.alerts``)."""

    list_display = ("id", "target", "language", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("language",)
    search_fields = ("target",)
    exclude = ("email_key", "sealed_email", "link_salt", "token_hash")

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        if "@" in search_term:
            from pakn.public.alerts import address_key

            return queryset.filter(email_key=address_key(search_term)), False
        return super().get_search_results(request, queryset, search_term)
