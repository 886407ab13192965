"""Admin: Open311 keys (issued here or with ``pakn open311key``; the key is shown once), webhook endpoints
(with a test event), and webhook deliveries (read-only, failed ones can be retried)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pakn.core.admin import ReadOnlyAdmin
from pakn.notify import webhooks
from pakn.open311 import services as open311_services
from pakn.open311.models import ApiKey, Open311Request, WebhookDelivery, WebhookEndpoint


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "contact", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "contact"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "contact"]
        return ["name", "contact", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        record, key = open311_services.issue_api_key(actor=request.user, name=obj.name, contact=obj.contact)
        obj.pk, obj.key_hash, obj.prefix, obj.created_at = record.pk, record.key_hash, record.prefix, record.created_at
        self.message_user(
            request,
            _("Khóa api_key của %(name)s (chỉ hiện một lần, hãy sao chép ngay): %(key)s")
            % {"name": record.name, "key": key},
            messages.WARNING,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the record of which application filed what stays

    @admin.action(description=_("Thu hồi"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = open311_services.revoke_api_keys(actor=request.user, keys=queryset)
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d khóa.", "Đã thu hồi %(count)d khóa.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Open311Request)
class Open311RequestAdmin(ReadOnlyAdmin):
    list_display = ["token", "case", "service_code", "api_key", "created_at"]
    list_select_related = ["case", "api_key"]
    search_fields = ["token", "case__tracking_code"]
    fields = (
        "token",
        "case",
        "api_key",
        "service_code",
        "lat",
        "long",
        "media_url",
        "device_id",
        "account_id",
        "created_at",
    )
    readonly_fields = fields


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "events", "province", "active", "created_at"]
    list_filter = ["active"]
    fields = ["name", "url", "events", "province", "active", "secret"]
    actions = ["ping"]

    @admin.action(description=_("Gửi sự kiện thử (ping)"), permissions=["change"])
    def ping(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            webhooks.queue_ping(endpoint)
        self.message_user(request, _("Đã xếp hàng sự kiện thử; pakn worker sẽ gửi."), messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "endpoint", "event_type", "status", "attempts", "created_at", "delivered_at", "last_error"]
    list_filter = ["status", "endpoint", "event_type"]
    list_select_related = ["endpoint"]
    fields = (
        "endpoint",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "last_error",
        "payload",
    )
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = webhooks.retry(queryset)
        self.message_user(
            request,
            ngettext("Đã xếp lại %(count)d lần gửi.", "Đã xếp lại %(count)d lần gửi.", count) % {"count": count},
            messages.SUCCESS,
        )
