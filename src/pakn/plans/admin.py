"""Admin: directives, plans, tasks and reports are shown read-only (they change through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pakn.plans.models import Directive, Plan, ProgressReport, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Directive)
class DirectiveAdmin(ReadOnly):
    list_display = ("number", "title", "issuer", "issued_on")


@admin.register(Plan)
class PlanAdmin(ReadOnly):
    list_display = ("number", "unit", "directive", "parent", "issued_on")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("title", "plan", "assignee", "due_on", "completed_on")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly):
    list_display = ("task", "reported_on", "percent", "is_final")
