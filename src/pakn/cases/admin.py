"""Administration of the rule tables (routing, deadlines, calendar, topics) and a read-only view of
cases. Cases change only through the services, never by editing rows here."""

from __future__ import annotations

from django.contrib import admin

from pakn.cases.models import AnswerTemplate, CalendarOverride, Case, DeadlineRule, RoutingRule, Topic
from pakn.core.admin import ReadOnlyAdmin


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("priority", "kind", "topic", "province", "commune", "target", "unit", "note")
    list_filter = ("kind", "target", "topic")
    raw_id_fields = ("province", "commune", "unit")
    list_editable = ("target",)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "case_kind",
        "item",
        "amount",
        "unit",
        "complaint_round",
        "complex",
        "remote",
        "effective_from",
        "effective_to",
        "citation",
        "confirmed",
    )
    list_filter = ("case_kind", "item", "unit", "confirmed")
    search_fields = ("code", "citation")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "reason")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "topic", "unit", "active")
    list_filter = ("kind", "active")
    search_fields = ("title", "body")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: the reporter's identity is not shown here and no field can be edited."""

    list_display = ("tracking_code", "kind", "track", "title", "unit", "status", "received_on", "due_on")
    list_filter = ("kind", "track", "status", "channel")
    search_fields = ("tracking_code", "title")
    raw_id_fields = ("unit", "province", "commune", "topic", "citizen", "merged_into")
    exclude = ("citizen",)
