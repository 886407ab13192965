"""Admin: directives, plans, tasks and reports are shown read-only (they change through the services)."""

from __future__ import annotations

from django.contrib import admin

from pakn.core.admin import ReadOnlyAdmin
from pakn.plans.models import Directive, Plan, ProgressReport, Task


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "issuer", "issued_on")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("number", "unit", "directive", "parent", "issued_on")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "plan", "assignee", "due_on", "completed_on")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("task", "reported_on", "percent", "is_final")
