"""Oversight pages: the supervisor workspace (cases of the area without reporter identity, the lists that
matter, the audit trail, recommendations), the recommendations a unit must answer, scorecards and periodic
reports. Everything a user may not see answers 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pakn.cases import policy
from pakn.cases.models import Answer, AnswerKind, AuditEvent, Case, Kind
from pakn.cases.presenters import EVENT_LABELS, event_detail
from pakn.cases.workflow import OPEN, Status
from pakn.core.errors import NotFound, PaknError
from pakn.core.formflow import form_status, submit
from pakn.core.people import person_name
from pakn.org.models import Unit
from pakn.oversight import access, reports, services
from pakn.oversight.forms import (
    AnswerForm,
    AreaFilterForm,
    AssessForm,
    ReasonForm,
    RecommendationForm,
    ReportForm,
    ScorecardForm,
)
from pakn.oversight.models import Recommendation, RecommendationStatus
from pakn.public import services as public_services
from pakn.public import stats
from pakn.public.forms import DisciplineForm
from pakn.public.models import DisciplineResult
from pakn.public.presenters import mask

REPEATED_ESCALATIONS = 2  # "repeatedly escalated": at least this many overdue reports or citizen escalations
ESCALATION_ACTIONS = ("overdue", "escalated")
# Event data a supervisor may read; anything else (e.g. an old address the citizen typed) stays hidden.
AUDIT_KEYS = (
    "from",
    "to",
    "due_on",
    "resolve_by",
    "answer_by",
    "respond_by",
    "reason_code",
    "into",
    "level",
    "extensions",
    "obligation",
    "accepted_on",
    "complexity",
    "answer_kind",
    "channel",
    "days_paused",
    "reason",
    "explanation",
    "track",
)
MASKED_KEYS = ("reason", "explanation")


def oversight_required(view: Any) -> Any:
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.has_oversight_access(request.user):
            raise NotFound()
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def supervisor_required(view: Any) -> Any:
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_supervisor(request.user):
            raise NotFound()
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _common(request: HttpRequest, section: str, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "section": section,
        "is_supervisor": access.is_supervisor(user),
        "is_head": access.official_units(user).exists(),
        **extra,
    }


# ---------------------------------------------------------------- area lists


def _horizon(today: date) -> date:
    return policy.working_calendar().add_working_days(today, settings.DUE_SOON_WORKING_DAYS)


def area_list(queryset: QuerySet[Case], name: str, today: date) -> QuerySet[Case]:
    """The supervisor's lists. Suspended cases are paused (their time does not count), so they are neither
    overdue nor due soon."""
    running = [s.value for s in OPEN if s != Status.SUSPENDED]
    if name == "overdue":
        return queryset.filter(status__in=running, due_on__lt=today)
    if name == "soon":
        return queryset.filter(status__in=running, due_on__gte=today, due_on__lte=_horizon(today))
    if name == "refused":
        refusal = Answer.objects.filter(case=OuterRef("pk"), kind=AnswerKind.REFUSAL)
        return queryset.filter(Q(status=Status.REFUSED) | Exists(refusal))
    if name == "escalated":
        return queryset.annotate(escalations=Count("events", filter=Q(events__action__in=ESCALATION_ACTIONS))).filter(
            escalations__gte=REPEATED_ESCALATIONS
        )
    return queryset


@oversight_required
def home(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    counts: dict[str, int] = {}
    if access.is_supervisor(user):
        area = access.area_cases(user)
        counts = {
            name: area_list(area, name, today).count() for name in ("all", "overdue", "soon", "refused", "escalated")
        }
    recs = services.visible_recommendations(user)
    rec_counts = {
        "awaiting": recs.filter(status=RecommendationStatus.AWAITING, due_on__gte=today).count(),
        "overdue": recs.filter(status=RecommendationStatus.AWAITING, due_on__lt=today).count(),
        "answered": recs.filter(status=RecommendationStatus.ANSWERED).count(),  # waiting for the supervisor
        "accepted": recs.filter(status=RecommendationStatus.ACCEPTED).count(),
        "escalated": recs.filter(status=RecommendationStatus.ESCALATED).count(),
    }
    recent = (
        recs.select_related("from_unit", "to_unit").order_by("due_on").filter(status=RecommendationStatus.AWAITING)[:10]
    )
    return render(
        request,
        "oversight/home.html",
        _common(request, "home", counts=counts, rec_counts=rec_counts, recent=recent, today=today),
    )


@supervisor_required
def cases(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    area = access.area_cases(user)
    units = [(u.code, u.name) for u in Unit.objects.filter(pk__in=area.values("unit_id")).order_by("name")]
    form = AreaFilterForm(request.GET or None, units=units)
    name = "all"
    queryset = area
    if form.is_valid():
        name = form.cleaned_data.get("list") or "all"
        if form.cleaned_data.get("unit"):
            queryset = queryset.filter(unit__code=form.cleaned_data["unit"])
        if form.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=form.cleaned_data["kind"])
    queryset = area_list(queryset, name, today).select_related("unit", "topic").order_by("due_on", "-pk")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oversight/cases.html",
        _common(
            request,
            "cases",
            form=form,
            page=page,
            list_name=name,
            today=today,
            horizon=_horizon(today),
            query=query.urlencode(),
        ),
    )


def _actor(event: AuditEvent) -> str:
    if event.actor_id and event.actor is not None:
        return person_name(event.actor)
    if event.actor_label == "citizen":
        return _("Người gửi")
    if event.actor_label == "system":
        return _("Hệ thống")
    return event.actor_label


def audit_rows(events: Any) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        rows.append(
            {
                "event": e,
                "at": timezone.localtime(e.created_at),
                "label": str(EVENT_LABELS.get(e.action, e.action)),
                "actor": _actor(e),
                "unit": e.unit.name if e.unit else "",
                "detail": event_detail(e.action, e.data, keys=AUDIT_KEYS, mask=mask, masked=MASKED_KEYS),
                "hash": e.hash[:12],
            }
        )
    return rows


@supervisor_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.access_area_case(request.user, case_id)
    events = AuditEvent.objects.filter(case=case).select_related("actor", "unit").order_by("seq")
    return render(
        request,
        "oversight/case_detail.html",
        _common(
            request,
            "cases",
            case=case,
            title=mask(case.title),
            # A denunciation's text can identify the denouncer (Law on Denunciations Art. 8, 56): not shown here.
            content=None if case.kind == Kind.DENUNCIATION else mask(case.content),
            obligations=case.obligations.select_related("unit").order_by("opened_on", "id"),
            forwards=[{"f": f, "reason": mask(f.reason)} for f in case.forwards.select_related("from_unit", "to_unit")],
            answers=[{"a": a, "body": mask(a.body)} for a in case.answers.select_related("unit")],
            ratings=case.ratings.select_related("unit"),
            events=audit_rows(events),
            recommendations=Recommendation.objects.filter(case=case).select_related("to_unit", "from_unit"),
            today=timezone.localdate(),
        ),
    )


@supervisor_required
def audit(request: HttpRequest) -> HttpResponse:
    area = access.area_cases(request.user)
    events = (
        AuditEvent.objects.filter(case__in=area.values("pk"))
        .select_related("actor", "unit")
        .order_by("-created_at", "-id")
    )
    action = request.GET.get("action", "")
    if action in EVENT_LABELS:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/audit.html",
        _common(request, "audit", page=page, rows=audit_rows(page.object_list), actions=EVENT_LABELS, action=action),
    )


# ---------------------------------------------------------------- recommendations


@oversight_required
def recommendations(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    recs = services.visible_recommendations(request.user).select_related("from_unit", "to_unit", "case")
    state = request.GET.get("state", "")
    if state == "awaiting":
        recs = recs.filter(status=RecommendationStatus.AWAITING, due_on__gte=today)
    elif state == "overdue":
        recs = recs.filter(status=RecommendationStatus.AWAITING, due_on__lt=today)
    elif state in ("answered", "accepted", "escalated", "withdrawn"):
        recs = recs.filter(status=state)
    page = Paginator(recs.order_by("status", "due_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/recommendations.html",
        _common(request, "recommendations", page=page, state=state, today=today),
    )


def _unit_choices(queryset: QuerySet[Unit]) -> list[tuple[str, str]]:
    return [(str(u.pk), u.name) for u in queryset.order_by("level", "name")]


@supervisor_required
def recommendation_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = _unit_choices(access.recommendable_units(user))
    case = None
    case_id = request.POST.get("case") or request.GET.get("case")
    if case_id:
        case = access.access_area_case(user, case_id)
    if request.method == "POST":
        form = RecommendationForm(request.POST, units=units)
    else:
        initial: dict[str, Any] = {}
        if case is not None:
            initial = {
                "case": case.pk,
                "to_unit": str(case.unit_id),
                "title": _("Kiến nghị về hồ sơ #%(id)s") % {"id": case.pk},
            }
        form = RecommendationForm(initial=initial, units=units)
    answer = submit(
        request,
        form,
        lambda d: services.send_recommendation(
            actor=user, to_unit=Unit.objects.get(pk=int(d["to_unit"])), title=d["title"], body=d["body"], case=case
        ),
        message=lambda rec: _("Đã gửi kiến nghị. Hạn trả lời: %(due)s.") % {"due": rec.due_on.strftime("%d/%m/%Y")},
        then=lambda rec: redirect("oversight_recommendation", rec_id=rec.pk),
    )
    if answer:
        return answer
    days, note = services.response_period(timezone.localdate())
    return render(
        request,
        "oversight/recommendation_new.html",
        _common(request, "recommendations", form=form, case=case, days=days, note=note),
        status=form_status(request),
    )


@oversight_required
def recommendation_detail(request: HttpRequest, rec_id: int) -> HttpResponse:
    rec = services.access_recommendation(request.user, rec_id)
    can_answer = (
        rec.status == RecommendationStatus.AWAITING
        and access.answering_units(request.user).filter(pk=rec.to_unit_id).exists()
    )
    sender = any(m.unit_id == rec.from_unit_id for m in access.supervisor_memberships(request.user))
    can_withdraw = rec.status == RecommendationStatus.AWAITING and sender
    today = timezone.localdate()
    can_assess = sender and rec.status == RecommendationStatus.ANSWERED
    can_escalate = sender and (can_assess or rec.is_overdue(today)) and rec.to_unit.parent_id is not None
    return render(
        request,
        "oversight/recommendation_detail.html",
        _common(
            request,
            "recommendations",
            rec=rec,
            can_answer=can_answer,
            can_withdraw=can_withdraw,
            can_assess=can_assess,
            can_escalate=can_escalate,
            assess_form=AssessForm(),
            followed_by=rec.followed_by.select_related("to_unit"),
            answer_form=AnswerForm(),
            withdraw_form=ReasonForm(),
            events=rec.events.select_related("actor"),
            today=today,
            body=mask(rec.body),
        ),
    )


def _recommendation_act(
    request: HttpRequest, rec_id: int, form_class: type, act: Any, done: str, missing: str
) -> HttpResponse:
    """One form, one service call, back to the recommendation page with what happened."""
    rec = services.access_recommendation(request.user, rec_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, missing)
    else:
        try:
            act(rec, form.cleaned_data)
        except PaknError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
    return redirect("oversight_recommendation", rec_id=rec.pk)


@oversight_required
@require_POST
def recommendation_answer(request: HttpRequest, rec_id: int) -> HttpResponse:
    return _recommendation_act(
        request,
        rec_id,
        AnswerForm,
        lambda rec, d: services.answer_recommendation(actor=request.user, recommendation=rec, answer=d["answer"]),
        _("Đã gửi trả lời kiến nghị."),
        _("Nhập nội dung trả lời."),
    )


@supervisor_required
@require_POST
def recommendation_withdraw(request: HttpRequest, rec_id: int) -> HttpResponse:
    return _recommendation_act(
        request,
        rec_id,
        ReasonForm,
        lambda rec, d: services.withdraw_recommendation(actor=request.user, recommendation=rec, reason=d["reason"]),
        _("Đã rút kiến nghị."),
        _("Nhập lý do."),
    )


@supervisor_required
@require_POST
def recommendation_assess(request: HttpRequest, rec_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    done = {
        "accept": _("Đã chấp nhận trả lời."),
        "ask_again": _("Đã đề nghị đơn vị trả lời lại."),
        "escalate": _("Đã kiến nghị lên cơ quan cấp trên."),
    }.get(decision, "")
    return _recommendation_act(
        request,
        rec_id,
        AssessForm,
        lambda rec, d: services.assess_answer(
            actor=request.user, recommendation=rec, decision=decision, note=d.get("note", "")
        ),
        done,
        _("Nhập nhận xét, lý do."),
    )


# ---------------------------------------------------------------- scorecards


def _scorecard_scope(request: HttpRequest, allowed: QuerySet[Unit]) -> tuple[ScorecardForm, stats.Scope]:
    allowed_ids = set(allowed.values_list("pk", flat=True))
    units = [(u.code, u.name) for u in allowed.order_by("level", "name")[:2000]]
    form = ScorecardForm(request.GET or None, units=units)
    scope = stats.Scope(label=_("Các đơn vị tôi được xem"), unit_ids=tuple(sorted(allowed_ids)))
    if form.is_bound and form.is_valid() and form.cleaned_data.get("unit"):
        unit = allowed.filter(code=form.cleaned_data["unit"]).first()
        if unit is not None:
            chosen = stats.Scope.units(unit)
            scope = stats.Scope(
                label=chosen.label, unit_ids=tuple(i for i in chosen.unit_ids or () if i in allowed_ids)
            )
    return form, scope


def _sort(form: ScorecardForm) -> str:
    return (form.cleaned_data.get("sort") or "score") if form.is_bound and form.is_valid() else "score"


@oversight_required
def scorecards(request: HttpRequest) -> HttpResponse:
    form, scope = _scorecard_scope(request, access.report_units(request.user))
    period = form.period()
    rows = stats.rank(stats.unit_rows(scope, period, medians=False), _sort(form))
    return render(
        request,
        "oversight/scorecards.html",
        _common(
            request,
            "scorecards",
            form=form,
            scope=scope,
            period=period,
            rows=rows,
            formulas=stats.FORMULAS,
            thresholds=_thresholds(),
            total=stats.totals(scope, period, medians=False),
        ),
    )


@login_required
def official_scorecards(request: HttpRequest) -> HttpResponse:
    allowed = access.official_units(request.user)
    if not allowed.exists():
        raise NotFound()
    form, scope = _scorecard_scope(request, allowed)
    period = form.period()
    rows = stats.rank(stats.official_rows(scope, period, medians=False), _sort(form))
    return render(
        request,
        "oversight/officials.html",
        _common(
            request,
            "officials",
            form=form,
            scope=scope,
            period=period,
            rows=rows,
            formulas=stats.FORMULAS,
            thresholds=_thresholds(),
        ),
    )


@login_required
def official_sheet(request: HttpRequest, official_id: int) -> HttpResponse:
    """An official's yearly sheet (``official_sheet``): the page, or ``?format=xlsx|pdf`` to print and file."""
    from pakn.core import documents
    from pakn.oversight import official_sheet as sheets

    if not access.official_units(request.user).exists():
        raise NotFound()
    this_year = timezone.localdate().year
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdecimal() and 2000 <= int(raw_year) <= this_year else this_year
    sheet = sheets.build(request.user, official_id, year)
    fmt = request.GET.get("format", "")
    filename = f"can-bo-{sheet.official.pk}-{year}"
    if fmt == "xlsx":
        return documents.xlsx_response(sheets.document(sheet), f"{filename}.xlsx")
    if fmt == "pdf":
        return documents.pdf_response(sheets.document(sheet), f"{filename}.pdf")
    context = _common(
        request,
        "officials",
        sheet=sheet,
        summary=sheet.summary(),
        years=list(range(this_year, this_year - 5, -1)),
        finding_labels={value: label for value, label in sheets.Finding.choices},
    )
    return render(request, "oversight/official_sheet.html", context)


def _thresholds() -> dict[str, Any]:
    return {
        "min": stats.MIN_JUDGED_FOR_RANKING,
        "commend_on_time": stats.pct(stats.COMMEND_ON_TIME),
        "commend_satisfaction": stats.pct(stats.COMMEND_SATISFACTION),
        "help_on_time": stats.pct(stats.HELP_ON_TIME),
        "help_satisfaction": stats.pct(stats.HELP_SATISFACTION),
    }


# ---------------------------------------------------------------- reports


def _report_form(request: HttpRequest) -> tuple[ReportForm, Unit | None]:
    allowed = access.report_units(request.user)
    units = [(u.code, u.name) for u in allowed.order_by("level", "name")[:2000]]
    form = ReportForm(request.GET or None, units=units, initial=ReportForm.initial_values())
    unit = None
    if form.is_bound and form.is_valid():
        unit = allowed.filter(code=form.cleaned_data["unit"]).first()
    return form, unit


@oversight_required
def report(request: HttpRequest) -> HttpResponse:
    form, unit = _report_form(request)
    built = reports.build_report(unit, form.period()) if unit is not None else None
    columns = reports.unit_columns()
    rows = []
    if built is not None:
        rows = [(r.label, [f(r.measures) for _h, f in columns]) for r in built.rows]
        rows.append((_("Cộng"), [f(built.total) for _h, f in columns]))
    return render(
        request,
        "oversight/report.html",
        _common(
            request,
            "reports",
            form=form,
            report=built,
            columns=columns,
            report_rows=rows,
            query=request.GET.urlencode(),
            formulas=stats.FORMULAS,
        ),
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@oversight_required
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form, unit = _report_form(request)
    if unit is None or fmt not in ("xlsx", "pdf"):
        raise NotFound()
    built = reports.build_report(unit, form.period())
    if fmt == "xlsx":
        response = HttpResponse(
            reports.to_xlsx(built), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(reports.to_pdf(built), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}.{fmt}"'
    return response


@oversight_required
def review(request: HttpRequest) -> HttpResponse:
    """A unit's review file for a period (``review_file``): the page, or ``format=xlsx|pdf`` for the meeting."""
    from pakn.core import documents
    from pakn.oversight import review_file

    form, unit = _report_form(request)
    built = None
    if unit is not None:
        period = form.period()
        built = review_file.build(unit, period.start, period.end)
        fmt = request.GET.get("format", "")
        filename = f"kiem-diem-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        if fmt == "xlsx":
            return documents.xlsx_response(review_file.document(built), f"{filename}.xlsx")
        if fmt == "pdf":
            return documents.pdf_response(review_file.document(built), f"{filename}.pdf")
    context = _common(request, "review", form=form, review=built, query=request.GET.urlencode())
    return render(request, "oversight/review.html", context)


# ---------------------------------------------------------------- commendations (heads)


@login_required
def commendations(request: HttpRequest) -> HttpResponse:
    """The commendations decided by the units the head heads, and a form for a new one."""
    from pakn.core.tracking import normalise_tracking_code
    from pakn.public import commendations as records
    from pakn.public.forms import CommendationForm

    headed = public_services.headed_units(request.user)
    if not headed:
        raise NotFound()
    allowed = Unit.objects.filter(pk__in=headed).order_by("level", "name")
    form = CommendationForm(request.POST or None, units=[(str(u.pk), u.name) for u in allowed[:2000]])

    def record(data: dict[str, Any]) -> Any:
        code = normalise_tracking_code(data.pop("case_code") or "")
        case = Case.objects.filter(tracking_code=code).first() if code else None
        unit_id = data.pop("unit")
        return records.record_commendation(
            actor=request.user,
            issued_by=allowed.get(pk=data.pop("issued_by")),
            unit=allowed.filter(pk=unit_id).first() if unit_id else None,
            case=case,
            **data,
        )

    answer = submit(
        request,
        form,
        record,
        message=_("Đã ghi nhận khen thưởng."),
        then=lambda _c: redirect("oversight_commendations"),
    )
    if answer:
        return answer
    page = Paginator(records.recorded_by(request.user), 30).get_page(request.GET.get("page"))
    context = _common(request, "commendations", form=form, page=page)
    return render(request, "oversight/commendations.html", context, status=form_status(request))


# ---------------------------------------------------------------- discipline results (heads)


@login_required
def discipline_new(request: HttpRequest, case_id: int) -> HttpResponse:
    headed = set(public_services.headed_units(request.user))
    case = Case.objects.select_related("unit").filter(pk=case_id, unit_id__in=headed).first() if headed else None
    if case is None:
        raise NotFound()
    form = DisciplineForm(request.POST or None)
    answer = submit(
        request,
        form,
        lambda d: public_services.publish_discipline_result(actor=request.user, case=case, **d),
        message=_("Đã công bố kết quả xử lý."),
        then=lambda _result: redirect("portal_discipline"),
        refused="message",
    )
    if answer:
        return answer
    published = DisciplineResult.objects.filter(case=case)
    return render(
        request,
        "oversight/discipline_new.html",
        _common(
            request,
            "discipline",
            form=form,
            case=case,
            published=published,
            kind_label=Kind(case.kind).label,
            title=mask(case.title),
        ),
        status=form_status(request),
    )


@login_required
@require_POST
def discipline_retract(request: HttpRequest, result_id: int) -> HttpResponse:
    result = DisciplineResult.objects.filter(
        pk=result_id, unit_id__in=public_services.headed_units(request.user)
    ).first()
    if result is None:
        raise NotFound()
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            public_services.retract_discipline_result(
                actor=request.user, result=result, reason=form.cleaned_data["reason"]
            )
        except PaknError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Đã gỡ kết quả."))
    return redirect("oversight_discipline_new", case_id=result.case_id)
