"""Admin: the rule tables (required frequency, publication and notice periods) are edited here; the
sessions, register and follow-ups are shown read-only (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from pakn.core.admin import ReadOnlyAdmin
from pakn.reception.models import (
    Activity,
    AffectedHousehold,
    ClearanceProject,
    DialogueAttendance,
    DialogueMinutes,
    Entry,
    FollowUpTask,
    ReceptionRequirement,
    RefusedVisit,
    Session,
    TaskReview,
    TimeRule,
)


@admin.register(ReceptionRequirement)
class ReceptionRequirementAdmin(admin.ModelAdmin):
    list_display = ("head_title", "unit_kind", "level", "days", "period", "effective_from", "effective_to", "citation")
    list_filter = ("unit_kind", "level", "period")


@admin.register(TimeRule)
class TimeRuleAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "item",
        "unit_kind",
        "working_days",
        "complex_working_days",
        "effective_from",
        "effective_to",
    )
    list_filter = ("item",)


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("unit", "date", "kind", "mode", "status", "presider_name")
    list_filter = ("status", "kind", "mode")
    date_hierarchy = "date"


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("reference", "unit", "received_on", "kind", "notice_due_on", "notified_on")
    list_filter = ("kind",)
    date_hierarchy = "received_on"


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner_unit", "due_on", "done_on")


@admin.register(RefusedVisit)
class RefusedVisitAdmin(ReadOnlyAdmin):
    list_display = ("refused_on", "unit", "ground", "refused_by")
    list_filter = ("ground",)
    exclude = ("identity",)


@admin.register(TaskReview)
class TaskReviewAdmin(ReadOnlyAdmin):
    list_display = ("task", "by", "verdict", "created_at")
    list_filter = ("by", "verdict")


@admin.register(ClearanceProject)
class ClearanceProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "decision_number", "decision_date")
    date_hierarchy = "decision_date"


@admin.register(AffectedHousehold)
class AffectedHouseholdAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "project", "created_at")
    exclude = ("identity", "redaction_terms", "notify_sealed")  # sealed: opened only through the four-eyes reveal


@admin.register(DialogueAttendance)
class DialogueAttendanceAdmin(ReadOnlyAdmin):
    list_display = ("session", "household", "attended")


@admin.register(DialogueMinutes)
class DialogueMinutesAdmin(ReadOnlyAdmin):
    list_display = ("session", "signed_on", "signed_by")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "app", "action", "object_type", "object_id", "actor_label")
    list_filter = ("app", "action")
