"""Read side of plans: which plans a user may see, and the cascade of a directive as a tree of plans,
each with its tasks and their state, plus a summary per unit (planned? reported? late?)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from pakn.org.models import Unit
from pakn.plans import cascade
from pakn.plans.models import Directive, Plan, Task
from pakn.reception.access import readable_units


def visible_plans(user: Any) -> QuerySet[Plan]:
    """Plans of the units the user may read, plans that assign them work, and the plans directly
    under their own plans."""
    if getattr(user, "is_superuser", False):
        return Plan.objects.all()
    readable = readable_units(user)
    return Plan.objects.filter(
        Q(unit__in=readable) | Q(tasks__assignee__in=readable) | Q(parent__unit__in=readable)
    ).distinct()


@dataclass
class TaskRow:
    task: Task
    state: cascade.TaskState
    assignee_plan: Plan | None


@dataclass
class PlanNode:
    plan: Plan
    rows: list[TaskRow] = field(default_factory=list)
    children: list[PlanNode] = field(default_factory=list)


@dataclass
class Cascade:
    directive: Directive
    roots: list[PlanNode]
    units: list[tuple[Unit, cascade.UnitSummary]]
    rows: list[TaskRow]

    @property
    def late_units(self) -> list[Unit]:
        return [u for u, s in self.units if s.late]


def task_rows(tasks: list[Task], *, plan_by_unit: dict[int, Plan], today: date) -> list[TaskRow]:
    rows = []
    for task in tasks:
        reports = [(r.reported_on, r.percent, r.is_final) for r in task.reports.all()]
        plan = plan_by_unit.get(task.assignee_id)
        rows.append(
            TaskRow(
                task=task,
                state=cascade.task_state(due_on=task.due_on, today=today, reports=reports, planned=plan is not None),
                assignee_plan=plan,
            )
        )
    return rows


def build_cascade(directive: Directive, *, user: Any, today: date) -> Cascade:
    every_plan = list(Plan.objects.filter(directive=directive).select_related("unit"))
    plan_by_unit = {p.unit_id: p for p in every_plan}
    visible_ids = set(visible_plans(user).filter(directive=directive).values_list("pk", flat=True))
    plans = [p for p in every_plan if p.pk in visible_ids]
    tasks = list(
        Task.objects.filter(plan_id__in=visible_ids)
        .select_related("assignee", "plan__unit")
        .prefetch_related("reports")
        .order_by("plan_id", "due_on", "pk")
    )
    rows = task_rows(tasks, plan_by_unit=plan_by_unit, today=today)
    nodes = {p.pk: PlanNode(plan=p) for p in plans}
    for row in rows:
        nodes[row.task.plan_id].rows.append(row)
    roots: list[PlanNode] = []
    for plan in plans:
        if plan.parent_id in nodes:
            nodes[plan.parent_id].children.append(nodes[plan.pk])
        else:
            roots.append(nodes[plan.pk])
    summaries: dict[int, cascade.UnitSummary] = {}
    units: dict[int, Unit] = {}
    for plan in plans:
        units[plan.unit_id] = plan.unit
        summaries.setdefault(plan.unit_id, cascade.UnitSummary(unit_id=plan.unit_id))
    for row in rows:
        unit = row.task.assignee
        units[unit.pk] = unit
        s = summaries.setdefault(unit.pk, cascade.UnitSummary(unit_id=unit.pk))
        s.tasks += 1
        s.reported += int(row.state.reported)
        s.done += int(row.state.completed_on is not None)
        s.late += int(row.state.late)
    for unit_id, s in summaries.items():
        own = plan_by_unit.get(unit_id)
        if own is not None:
            s.plan_number, s.plan_issued_on = own.number, own.issued_on
    ordered = sorted(summaries.values(), key=lambda s: (units[s.unit_id].level != "province", units[s.unit_id].name))
    return Cascade(directive=directive, roots=roots, units=[(units[s.unit_id], s) for s in ordered], rows=rows)
