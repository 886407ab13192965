"""Staff pages of land clearance (``reception.clearance``): the projects of the units the user reads, a project with
its households (pseudonyms only) and its dialogues, and the forms of a dialogue on the session page
(``views.session_detail``). Objects are fetched through ``access.fetch``, so another unit's project answers "not
found"; views only shape input and call the services."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pakn.cases.views import staff_required
from pakn.core.errors import NotFound
from pakn.core.formflow import form_status, submit
from pakn.core.tracking import format_tracking_code
from pakn.org.models import UnitKind
from pakn.reception import clearance
from pakn.reception import forms as f
from pakn.reception.access import access_unit, can_write, fetch, writable_units
from pakn.reception.models import (
    AffectedHousehold,
    ClearanceProject,
    DialogueMinutes,
    Session,
    SessionKind,
    SessionStatus,
)

DIALOGUE_ACTIONS = {
    "link": gettext_lazy("Gắn dự án, hồ sơ khiếu nại"),
    "attendance": gettext_lazy("Ghi danh sách hộ tham dự"),
    "minutes": gettext_lazy("Ghi biên bản đối thoại"),
}


def _committees(user: Any) -> Any:
    return writable_units(user).filter(kind=UnitKind.PEOPLES_COMMITTEE, is_active=True)


def _identity_link(user: Any, item_id: int | None) -> str:
    from pakn.reception.views import identity_link

    return identity_link(user, item_id)


# ---------------------------------------------------------------- projects


@staff_required
def projects(request: HttpRequest) -> HttpResponse:
    """The land-clearance projects of the units the user reads, newest decision first."""
    rows = (
        clearance.readable_projects(request.user)
        .annotate(household_count=Count("households", distinct=True), dialogue_count=Count("dialogues", distinct=True))
        .order_by("-decision_date", "-pk")  # an aggregate drops Meta.ordering
    )
    context = {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "can_add": _committees(request.user).exists(),
    }
    return render(request, "reception/clearance_projects.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    units = _committees(request.user)
    if not units.exists():
        raise NotFound()
    form = f.ProjectForm(request.POST or None, units=units)
    answer = submit(
        request,
        form,
        lambda d: clearance.create_project(
            actor=request.user,
            unit=access_unit(request.user, d["unit"], write=True),
            name=d["name"],
            decision_number=d["decision_number"],
            decision_date=d["decision_date"],
            commune=d["commune"] or None,
            description=d["description"],
        ),
        message=_("Đã ghi nhận dự án giải phóng mặt bằng."),
        then=lambda project: redirect("reception_clearance_project", project_id=project.pk),
    )
    return answer or render(
        request, "reception/clearance_project_form.html", {"form": form}, status=form_status(request)
    )


@staff_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project: its decision, its households by pseudonym (a way to the sealed person for the unit's protection
    officers only), and its dialogues with their minutes, conclusions, tasks and the words said of them."""
    project = fetch(request.user, ClearanceProject.objects.select_related("unit", "commune"), project_id)
    households = list(project.households.all())
    dialogues = (
        project.dialogues.select_related("minutes", "unit")
        .prefetch_related(
            "attendances",
            "conclusions__tasks__owner_unit",
            "conclusions__tasks__reviews",
            "conclusions__tasks__household",
        )
        .order_by("-date", "-start_time")
    )
    context = {
        "project": project,
        "households": [(h, _identity_link(request.user, h.identity_id)) for h in households],
        "dialogues": [(d, _minutes_of(d), sum(1 for a in d.attendances.all() if a.attended)) for d in dialogues],
        "writer": can_write(request.user, project.unit_id),
    }
    return render(request, "reception/clearance_project.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def household_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = fetch(request.user, ClearanceProject.objects.select_related("unit"), project_id, write=True)
    form = f.HouseholdForm(request.POST or None)
    answer = submit(
        request,
        form,
        lambda d: clearance.add_household(actor=request.user, project=project, **d),
        message=lambda household: (
            _("Đã thêm %(who)s; thông tin của hộ đã được niêm phong.") % {"who": household.pseudonym}
        ),
        then=lambda _household: redirect("reception_clearance_project", project_id=project.pk),
    )
    context = {"form": form, "project": project}
    return answer or render(request, "reception/clearance_household_form.html", context, status=form_status(request))


# ---------------------------------------------------------------- a dialogue on the session page


def _minutes_of(session: Session) -> DialogueMinutes | None:
    try:
        return session.minutes
    except DialogueMinutes.DoesNotExist:
        return None


def households_of(session: Session) -> list[AffectedHousehold]:
    """The households of the dialogue's project ([] for a dialogue about none)."""
    if session.kind != SessionKind.DIALOGUE or session.project_id is None:
        return []
    return list(AffectedHousehold.objects.filter(project_id=session.project_id))


def _visible_complaint(user: Any, session: Session) -> Any:
    from pakn.org.access import visible_cases

    if session.complaint_id is None:
        return None
    return visible_cases(user).filter(pk=session.complaint_id).first()


def dialogue_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    """What the session page shows of a dialogue: its project, its complaint (only to those who may see the case),
    who came, and the signed minutes."""
    if session.kind != SessionKind.DIALOGUE:
        return {}
    attendance = {a.household_id: a.attended for a in session.attendances.all()}
    complaint = _visible_complaint(request.user, session)
    return {
        "dialogue": True,
        "project": session.project,
        "complaint": complaint,
        "complaint_code": format_tracking_code(complaint.tracking_code) if complaint else "",
        "complaint_hidden": session.complaint_id is not None and complaint is None,
        "attendance": [(h, attendance.get(h.pk)) for h in households_of(session)],
        "minutes": _minutes_of(session),
    }


def dialogue_forms(request: HttpRequest, session: Session, bound: dict[str, Any]) -> dict[str, Any]:
    """The dialogue's forms for a writer of its unit, as far as its state allows (nothing once minutes are
    signed, except the conclusion)."""
    if session.kind != SessionKind.DIALOGUE or _minutes_of(session) is not None:
        return {}
    forms: dict[str, Any] = {}
    if session.status != SessionStatus.CANCELLED:
        complaint = _visible_complaint(request.user, session)
        forms["link"] = bound.get("link") or f.DialogueLinkForm(
            projects=ClearanceProject.objects.filter(unit=session.unit_id),
            initial={
                "project": session.project_id,
                "complaint": format_tracking_code(complaint.tracking_code) if complaint else "",
            },
        )
    if session.status == SessionStatus.HELD:
        households = households_of(session)
        if households:
            attended = [a.household_id for a in session.attendances.all() if a.attended]
            forms["attendance"] = bound.get("attendance") or f.AttendanceForm(
                households=households, initial={"attended": attended}
            )
        forms["minutes"] = bound.get("minutes") or f.MinutesForm()
    return forms


def dialogue_form(request: HttpRequest, session: Session, action: str) -> Any:
    """The posted form of a dialogue action."""
    if action == "link":
        return f.DialogueLinkForm(request.POST, projects=ClearanceProject.objects.filter(unit=session.unit_id))
    if action == "attendance":
        return f.AttendanceForm(request.POST, households=households_of(session))
    return f.MinutesForm(request.POST)


def dialogue_act(request: HttpRequest, session: Session, action: str, form: Any) -> None:
    """Run the service of a valid dialogue form (its ``InvalidInput`` goes back onto the form)."""
    data = form.cleaned_data
    if action == "link":
        project = ClearanceProject.objects.filter(pk=data["project"]).first() if data["project"] else None
        if data["project"] and project is None:
            raise NotFound()
        complaint = clearance.find_complaint(request.user, data["complaint"]) if data["complaint"] else None
        clearance.link_dialogue(actor=request.user, session=session, project=project, complaint=complaint)
    elif action == "attendance":
        clearance.record_attendance(
            actor=request.user, session=session, households=households_of(session), attended_ids=data["attended"]
        )
    else:
        clearance.record_minutes(
            actor=request.user,
            session=session,
            text=data["text"],
            signed_by=data["signed_by"],
            signed_on=data["signed_on"],
        )
