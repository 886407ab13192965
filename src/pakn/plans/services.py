"""The one write path for directives, plans, tasks and progress reports: keyword-only arguments, the
acting user explicit, input checked first, one transaction, one activity row per change (the shared
activity log, ``core.activity``)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.activity import log_activity
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.org.models import Unit, UnitLevel
from pakn.plans.models import Directive, Plan, ProgressReport, Task
from pakn.reception import validation as v
from pakn.reception.access import require_writer, writable_units

MAX_BODY = 20_000


def _log(action: str, obj: Any, *, actor: Any, unit: Unit | None, data: dict[str, Any] | None = None) -> None:
    log_activity("plans", action, obj, actor=actor, unit=unit, data=data)


def record_directive(
    *, actor: Any, number: Any, title: Any, issuer: Any, issued_on: Any, summary: Any = ""
) -> Directive:
    """Record a directive or conclusion from above (e.g. 54-KL/TW of the Party Secretariat)."""
    errors: v.Errors = {}
    number_text = v.text(number, "number", errors, required=True, limit=60)
    title_text = v.text(title, "title", errors, required=True, limit=300)
    issuer_text = v.text(issuer, "issuer", errors, required=True, limit=200)
    day = v.a_date(issued_on, "issued_on", errors)
    summary_text = v.text(summary, "summary", errors, limit=MAX_BODY)
    if day and day > timezone.localdate():
        errors.setdefault("issued_on", []).append(_("Ngày ban hành không được ở tương lai."))
    if number_text and Directive.objects.filter(number__iexact=number_text).exists():
        errors.setdefault("number", []).append(_("Văn bản với số, ký hiệu này đã có."))
    v.raise_if(errors)
    assert day is not None
    if not getattr(actor, "is_authenticated", False) or not writable_units(actor).exists():
        raise Forbidden()
    with transaction.atomic():
        directive = Directive.objects.create(
            number=number_text,
            title=title_text,
            issuer=issuer_text,
            issued_on=day,
            summary=summary_text,
            created_by=actor,
        )
        _log("directive_recorded", directive, actor=actor, unit=None, data={"number": number_text})
        return directive


def issue_plan(
    *,
    actor: Any,
    directive: Directive,
    unit: Unit,
    number: Any,
    title: Any,
    issued_on: Any,
    summary: Any = "",
    parent: Plan | None = None,
) -> Plan:
    """Record the plan by which ``unit`` implements ``directive`` (and, when given, the plan of the
    unit above that it carries out)."""
    errors: v.Errors = {}
    number_text = v.text(number, "number", errors, required=True, limit=60)
    title_text = v.text(title, "title", errors, required=True, limit=300)
    day = v.a_date(issued_on, "issued_on", errors)
    summary_text = v.text(summary, "summary", errors, limit=MAX_BODY)
    if day and (day > timezone.localdate() or day < directive.issued_on):
        errors.setdefault("issued_on", []).append(
            _("Ngày ban hành phải từ ngày ban hành văn bản cấp trên đến hôm nay.")
        )
    if parent is not None:
        if parent.directive_id != directive.pk:
            errors.setdefault("parent", []).append(_("Kế hoạch cấp trên không thực hiện cùng văn bản."))
        elif parent.unit_id == unit.pk:
            errors.setdefault("parent", []).append(_("Kế hoạch cấp trên phải của đơn vị khác."))
        elif day and day < parent.issued_on:
            errors.setdefault("issued_on", []).append(_("Ngày ban hành không được trước kế hoạch cấp trên."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        require_writer(actor, unit)
        if Plan.objects.filter(directive=directive, unit=unit).exists():
            raise InvalidInput(fields={"unit": [_("Đơn vị đã có kế hoạch thực hiện văn bản này.")]})
        if Plan.objects.filter(unit=unit, number__iexact=number_text).exists():
            raise InvalidInput(fields={"number": [_("Đơn vị đã có kế hoạch với số, ký hiệu này.")]})
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    directive=directive,
                    unit=unit,
                    parent=parent,
                    number=number_text,
                    title=title_text,
                    issued_on=day,
                    summary=summary_text,
                    created_by=actor,
                )
        except IntegrityError:  # a concurrent request recorded the same plan
            raise InvalidInput(fields={"number": [_("Đơn vị đã có kế hoạch thực hiện văn bản này.")]}) from None
        _log("plan_issued", plan, actor=actor, unit=unit, data={"number": number_text, "directive": directive.number})
        return plan


def assignable_units(plan_unit: Unit) -> QuerySet[Unit]:
    """The units a plan may assign work to: the active units of its province (a provincial plan) or of its
    commune (a commune plan), and the units directly under it. The form's list and the service's check."""
    if plan_unit.level == UnitLevel.PROVINCE:
        area = Q(province_id=plan_unit.province_id)
    elif plan_unit.commune_id:
        area = Q(commune_id=plan_unit.commune_id)
    else:
        area = Q(pk__in=[])  # no commune recorded: only the units directly under it
    return Unit.objects.filter(area | Q(parent=plan_unit), is_active=True).exclude(pk=plan_unit.pk)


def assign_task(*, actor: Any, plan: Plan, assignee: Unit, title: Any, due_on: Any, description: Any = "") -> Task:
    """A plan assigns a task to a unit below, with a due date."""
    errors: v.Errors = {}
    title_text = v.text(title, "title", errors, required=True, limit=500)
    description_text = v.text(description, "description", errors, limit=MAX_BODY)
    due = v.a_date(due_on, "due_on", errors)
    if due and due < plan.issued_on:
        errors.setdefault("due_on", []).append(_("Thời hạn không được trước ngày ban hành kế hoạch."))
    if assignee.pk == plan.unit_id or not assignee.is_active:
        errors.setdefault("assignee", []).append(_("Chọn một đơn vị khác đang hoạt động."))
    elif not assignable_units(plan.unit).filter(pk=assignee.pk).exists():
        errors.setdefault("assignee", []).append(_("Chỉ giao nhiệm vụ cho đơn vị trên địa bàn hoặc trực thuộc."))
    v.raise_if(errors)
    assert due is not None
    with transaction.atomic():
        require_writer(actor, plan.unit)
        task = Task.objects.create(
            plan=plan, assignee=assignee, title=title_text, description=description_text, due_on=due
        )
        _log(
            "task_assigned",
            task,
            actor=actor,
            unit=plan.unit,
            data={"assignee": assignee.code, "due_on": due.isoformat()},
        )
        return task


def report_progress(
    *, actor: Any, task: Task, percent: Any, body: Any, reported_on: Any, number: Any = "", is_final: bool = False
) -> ProgressReport:
    """The assigned unit reports progress; a final report marks the task done on its date."""
    errors: v.Errors = {}
    pct = v.whole_number(percent, "percent", errors, low=0, high=100)
    body_text = v.text(body, "body", errors, required=True, limit=MAX_BODY)
    number_text = v.text(number, "number", errors, limit=60)
    day = v.a_date(reported_on, "reported_on", errors)
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("plan", "assignee").get(pk=task.pk)
        require_writer(actor, task.assignee)
        if task.completed_on is not None:
            raise InvalidTransition(_("Nhiệm vụ đã được báo cáo hoàn thành."))
        if day < task.plan.issued_on or day > timezone.localdate():
            raise InvalidInput(fields={"reported_on": [_("Ngày báo cáo phải từ ngày ban hành kế hoạch đến hôm nay.")]})
        final = bool(is_final)
        report = ProgressReport.objects.create(
            task=task,
            number=number_text,
            reported_on=day,
            percent=100 if final else pct,
            body=body_text,
            is_final=final,
            created_by=actor,
        )
        if final:
            task.completed_on = day
            task.save(update_fields=["completed_on"])
        _log(
            "progress_reported",
            report,
            actor=actor,
            unit=task.assignee,
            data={"task": task.pk, "percent": report.percent, "final": final, "late": final and day > task.due_on},
        )
        return report
