"""Admin: the protection deadline rules and the retention schedule are data to edit; holds are placed and released
through the retention services (each an audit event of the case); erasures, runs and citizens' data requests are
read-only records. The vault itself is never shown here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pakn.core.admin import ReadOnlyAdmin
from pakn.protection import retention
from pakn.protection.models import (
    DataRequest,
    Erasure,
    ProtectionDeadlineRule,
    RetentionHold,
    RetentionRule,
    RetentionRun,
)


@admin.register(ProtectionDeadlineRule)
class ProtectionDeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "urgent", "amount", "working_days", "effective_from", "citation")
    list_filter = ("urgent",)


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The schedule; above the list, the last runs (``pakn retention run --dry-run`` counts what is due now)."""

    list_display = (
        "code",
        "kind",
        "outcome",
        "years",
        "erase_identity",
        "erase_attachments",
        "erase_contact",
        "confirmed",
        "active",
    )
    list_filter = ("kind", "outcome", "confirmed", "active")
    search_fields = ("code", "citation", "note")
    change_list_template = "admin/protection/retentionrule/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        runs = list(RetentionRun.objects.filter(finished_at__isnull=False)[:10])
        return super().changelist_view(request, {**(extra_context or {}), "retention_runs": runs})


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ("case", "rule_code", "parts", "erased_at", "updated_at")
    search_fields = ("case__tracking_code", "rule_code")


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "scheduled", "dry_run", "started_at", "finished_at")
    list_filter = ("scheduled", "dry_run")


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "via", "cases", "outcome")
    list_filter = ("kind", "via")


@admin.register(RetentionHold)
class RetentionHoldAdmin(admin.ModelAdmin):
    """Placing a hold and releasing it are services (an audit event on the case); a hold is never edited."""

    list_display = ("case", "reason", "placed_at", "released_at")
    list_filter = (("released_at", admin.EmptyFieldListFilter),)
    raw_id_fields = ("case",)
    fields = ("case", "reason")
    actions = ["release"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RetentionHold, form: Any, change: bool) -> None:
        placed = retention.place_hold(actor=request.user, case=obj.case, reason=obj.reason)
        obj.pk = placed.pk

    @admin.action(description=_("Bỏ tạm dừng xóa dữ liệu"))
    def release(self, request: HttpRequest, queryset: Any) -> None:
        for hold in queryset.select_related("case"):
            retention.release_hold(actor=request.user, hold=hold)
        messages.success(request, _("Đã bỏ tạm dừng xóa dữ liệu."))
