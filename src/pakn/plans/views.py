"""Staff pages for directives → plans → tasks → progress reports, and the cascade view of a
directive. Plans and tasks a user may not see answer "not found"."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pakn.cases.views import staff_required
from pakn.core.errors import InvalidInput, NotFound
from pakn.core.formflow import form_status, submit
from pakn.plans import forms as f
from pakn.plans import queries, reports, services
from pakn.plans.models import Directive, Plan, Task
from pakn.reception.access import access_unit, can_write, readable_units, writable_units


def _directive(directive_id: Any) -> Directive:
    directive = Directive.objects.filter(pk=directive_id).first()
    if directive is None:
        raise NotFound()
    return directive


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    visible = queries.visible_plans(request.user)
    directives = Directive.objects.annotate(
        n_plans=Count("plans", filter=Q(plans__in=visible), distinct=True)
    ).order_by("-issued_on")
    mine = (
        Task.objects.filter(assignee__in=writable_units(request.user), completed_on__isnull=True)
        .select_related("plan__directive", "plan__unit", "assignee")
        .order_by("due_on")[:100]
    )
    return render(
        request,
        "plans/home.html",
        {
            "directives": directives,
            "my_tasks": mine,
            "today": timezone.localdate(),
            "can_write": writable_units(request.user).exists(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def directive_new(request: HttpRequest) -> HttpResponse:
    if not writable_units(request.user).exists():
        raise NotFound()
    form = f.DirectiveForm(request.POST or None)
    answer = submit(
        request,
        form,
        lambda d: services.record_directive(actor=request.user, **d),
        message=lambda directive: _("Đã ghi nhận văn bản %(n)s.") % {"n": directive.number},
        then=lambda directive: redirect("plans_directive", directive_id=directive.pk),
    )
    return answer or render(request, "plans/directive_form.html", {"form": form}, status=form_status(request))


@staff_required
def directive_detail(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = _directive(directive_id)
    today = timezone.localdate()
    result = queries.build_cascade(directive, user=request.user, today=today)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "pdf"):
        own = writable_units(request.user).first()  # the report is issued by the user's unit
        return reports.cascade_download(result, today=today, fmt=fmt, issuer=own)
    return render(
        request,
        "plans/directive.html",
        {
            "directive": directive,
            "cascade": result,
            "today": today,
            "can_plan": writable_units(request.user).exists(),
        },
    )


def _plan_units(request: HttpRequest, directive: Directive) -> Any:
    return writable_units(request.user).exclude(pk__in=directive.plans.values("unit_id"))


@staff_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = _directive(directive_id)
    units = _plan_units(request, directive)
    if not writable_units(request.user).exists():
        raise NotFound()
    parents_qs = queries.visible_plans(request.user).filter(directive=directive).select_related("unit")
    parents = [(p.pk, f"{p.number} – {p.unit.name}") for p in parents_qs]
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent")
    if parent_id and parent_id.isdecimal():
        initial["parent"] = int(parent_id)
        assigned = units.filter(plan_tasks__plan_id=int(parent_id)).first()
        if assigned:
            initial["unit"] = assigned.pk
    form = f.PlanForm(request.POST or None, units=units, parents=parents, initial=initial)

    def issue(d: dict[str, Any]) -> Plan:
        return services.issue_plan(
            actor=request.user,
            directive=directive,
            unit=access_unit(request.user, d["unit"], write=True),
            parent=parents_qs.filter(pk=d["parent"]).first() if d["parent"] else None,
            number=d["number"],
            title=d["title"],
            issued_on=d["issued_on"],
            summary=d["summary"],
        )

    answer = submit(
        request,
        form,
        issue,
        message=lambda plan: _("Đã ghi nhận kế hoạch %(n)s.") % {"n": plan.number},
        then=lambda plan: redirect("plans_plan", plan_id=plan.pk),
    )
    context = {"form": form, "directive": directive}
    return answer or render(request, "plans/plan_form.html", context, status=form_status(request))


def _plan(request: HttpRequest, plan_id: Any) -> Plan:
    try:
        key = int(plan_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    plan = (
        queries.visible_plans(request.user).filter(pk=key).select_related("directive", "unit", "parent__unit").first()
    )
    if plan is None:
        raise NotFound()
    return plan


def assignable_units(plan: Plan) -> Any:
    return services.assignable_units(plan.unit)


def _plan_context(request: HttpRequest, plan: Plan, form: Any = None) -> dict[str, Any]:
    today = timezone.localdate()
    every = {p.unit_id: p for p in Plan.objects.filter(directive=plan.directive)}
    tasks = list(plan.tasks.select_related("assignee").prefetch_related("reports"))
    writer = can_write(request.user, plan.unit)
    return {
        "plan": plan,
        "rows": queries.task_rows(tasks, plan_by_unit=every, today=today),
        "writer": writer,
        "form": form or (f.TaskForm(units=assignable_units(plan)) if writer else None),
        "children": queries.visible_plans(request.user).filter(parent=plan).select_related("unit"),
        "today": today,
    }


@staff_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(request, "plans/plan.html", _plan_context(request, plan))


@staff_required
@require_POST
def plan_task(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    units = assignable_units(plan)
    form = f.TaskForm(request.POST, units=units)

    def assign(d: dict[str, Any]) -> Task:
        assignee = units.filter(pk=d["assignee"]).first()
        if assignee is None:
            raise InvalidInput(fields={"assignee": [_("Chọn một đơn vị trên địa bàn.")]})
        return services.assign_task(
            actor=request.user,
            plan=plan,
            assignee=assignee,
            title=d["title"],
            description=d["description"],
            due_on=d["due_on"],
        )

    def back(_result: object = None) -> HttpResponse:
        return redirect("plans_plan", plan_id=plan.pk)

    answer = submit(request, form, assign, message=_("Đã giao nhiệm vụ."), then=back, refused="message", back=back)
    return answer or render(request, "plans/plan.html", _plan_context(request, plan, form), status=400)


def _task(request: HttpRequest, task_id: Any) -> Task:
    try:
        key = int(task_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    task = (
        Task.objects.filter(pk=key)
        .filter(Q(plan__in=queries.visible_plans(request.user)) | Q(assignee__in=readable_units(request.user)))
        .select_related("plan__directive", "plan__unit", "assignee")
        .first()
    )
    if task is None:
        raise NotFound()
    return task


def _task_context(request: HttpRequest, task: Task, form: Any = None) -> dict[str, Any]:
    today = timezone.localdate()
    every = {p.unit_id: p for p in Plan.objects.filter(directive=task.plan.directive)}
    row = queries.task_rows([task], plan_by_unit=every, today=today)[0]
    writer = can_write(request.user, task.assignee) and task.completed_on is None
    return {
        "task": task,
        "row": row,
        "reports": task.reports.all(),
        "writer": writer,
        "form": form or (f.ReportForm() if writer else None),
        "today": today,
    }


@staff_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return render(request, "plans/task.html", _task_context(request, task))


@staff_required
@require_POST
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = f.ReportForm(request.POST)

    def back(_result: object = None) -> HttpResponse:
        return redirect("plans_task", task_id=task.pk)

    answer = submit(
        request,
        form,
        lambda d: services.report_progress(actor=request.user, task=task, **d),
        message=_("Đã gửi báo cáo."),
        then=back,
        refused="message",
        back=back,
    )
    return answer or render(request, "plans/task.html", _task_context(request, task, form), status=400)
