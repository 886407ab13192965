"""Django admin for the organisation: places are read-only (they come from ``pakn loadunits``), units
and memberships are managed here, API tokens can only be looked at and revoked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, Commune, Membership, Province, Unit


class ReadOnlyAdmin(admin.ModelAdmin):
    """Loaded from the official dataset by ``pakn loadunits``: shown, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "short_name"]
    search_fields = ["code", "name", "short_name"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["province", "kind"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["province"]
    list_per_page = 100


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "level",
        "province",
        "answer_working_days",
        "remote_area",
        "is_active",
    ]
    list_editable = ["answer_working_days", "remote_area"]
    list_filter = ["kind", "level", "province", "remote_area", "is_active"]
    search_fields = ["name", "code", "commune__name"]
    raw_id_fields = ["parent", "commune"]
    list_select_related = ["province"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "level", "province", "commune", "parent"]}),
        (_("Tiếp nhận, xử lý"), {"fields": ["answer_working_days", "remote_area", "email", "is_active"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "include_subunits"]
    list_filter = ["role", "include_subunits"]
    search_fields = ["user__username", "user__email", "unit__name", "unit__code"]
    raw_id_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued elsewhere (the token is shown once); here they are listed and revoked."""

    list_display = ["name", "prefix", "user", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the record of who had access stays

    @admin.action(description=_("Thu hồi"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d mã truy cập.", "Đã thu hồi %(count)d mã truy cập.", count)
            % {"count": count},
            messages.SUCCESS,
        )
