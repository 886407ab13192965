"""Django admin for the organisation: places are read-only (they come from ``pakn loadunits``), units
and memberships are managed here, API tokens can only be looked at and revoked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pakn.core.admin import ReadOnlyAdmin

from . import services as org_services
from .models import ApiToken, Commune, Membership, Province, Unit


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

    # Role grants go through org.services (logged), like every other write.
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            fields = {name: getattr(obj, name) for name in form.changed_data if name in form.cleaned_data}
            org_services.change_membership(actor=request.user, membership=obj, **fields)
        else:
            saved = org_services.grant_role(
                actor=request.user, user=obj.user, unit=obj.unit, role=obj.role, include_subunits=obj.include_subunits
            )
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        org_services.revoke_role(actor=request.user, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            org_services.revoke_role(actor=request.user, membership=membership)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued elsewhere (the token is shown once); here they are listed and revoked."""

    list_display = ["name", "prefix", "user", "scope", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ("name", "prefix", "user", "scope", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "prefix", "user", "scope", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the record of who had access stays

    @admin.action(description=_("Thu hồi"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = sum(org_services.revoke_api_token(actor=request.user, token=token) for token in queryset)
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d mã truy cập.", "Đã thu hồi %(count)d mã truy cập.", count)
            % {"count": count},
            messages.SUCCESS,
        )
