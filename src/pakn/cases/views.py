"""Staff pages: the case list with due-soon and overdue filters, the case page with one form per
action, and the intake of letters, calls and e-mails. Every case is fetched with ``access_case``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from pakn.cases import forms as case_forms
from pakn.cases import policy, presenters, services
from pakn.cases.models import Case, FalseReport, Tag
from pakn.cases.queries import CaseFilter, apply_filter, due_soon_horizon, due_soon_q, overdue_q
from pakn.cases.workflow import OPEN, allowed_actions
from pakn.core.errors import Forbidden, InvalidInput, NotFound, PaknError
from pakn.core.formflow import submit
from pakn.core.tracking import format_tracking_code, normalise_tracking_code
from pakn.intake.forms import StaffIntakeForm
from pakn.org.access import access_case, can_handle, handling_units, is_staff_member, roles_of, visible_cases
from pakn.org.models import Unit


def staff_required(view: Any) -> Any:
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_member(request.user):
            raise NotFound()
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.GET and not handling_units(request.user).exists():
        # Not a handler (a Front supervisor, a protection officer): their own workspace, not an empty list.
        from pakn.navigation import landing_url

        landing = landing_url(request.user)
        if landing and landing != request.path:
            return redirect(landing)
    from pakn.cases import worklist_views as worklist

    visible = visible_cases(request.user)
    unit_choices = [
        (u.code, u.name)
        for u in Unit.objects.filter(pk__in=visible.values("unit_id").distinct()).order_by("name")[:300]
    ]
    handled_units = handling_units(request.user)
    tags = worklist.unit_tags(handled_units)
    form = case_forms.CaseFilterForm(
        request.GET or None,
        units=unit_choices,
        tags=worklist.tag_choices(tags, several_units=len({t.unit_id for t in tags}) > 1),
        sorts=worklist.sort_choices(),
    )
    chosen = dict(form.cleaned_data) if form.is_valid() else {}
    mine, sort, tag = chosen.pop("mine", False), chosen.pop("sort", ""), chosen.pop("tag", "")
    filters = CaseFilter(**{k: v for k, v in chosen.items() if v})
    if not request.GET:
        filters.status = "open"
    today = timezone.localdate()
    horizon = due_soon_horizon(today)
    open_statuses = [s.value for s in OPEN]
    counts = visible.filter(status__in=open_statuses).aggregate(
        open=Count("pk"),
        new=Count("pk", filter=Q(status="received") | Q(status="forwarded")),
        overdue=Count("pk", filter=overdue_q(today)),
        soon=Count("pk", filter=due_soon_q(today, horizon)),
    )
    listed = apply_filter(visible, filters, today=today).select_related("assignee")
    if mine:
        listed = listed.filter(assignee_id=request.user.pk)
    if tag:
        listed = listed.filter(tags=int(tag))
    order = worklist.ordering(sort)
    if order:
        listed = listed.order_by(*order)
    elif not filters.q:  # a search ranks its results unless an order was chosen
        listed = listed.order_by("due_on", "-created_at")
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    case_tags: dict[int, list[str]] = {}
    for case_id, name in Case.tags.through.objects.filter(case_id__in=[c.pk for c in page]).values_list(
        "case_id", "tag__name"
    ):
        case_tags.setdefault(case_id, []).append(name)
    for case in page:
        case.tag_names = sorted(case_tags.get(case.pk, []))  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/case_list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "today": today,
            "horizon": horizon,
            "query": query.urlencode(),
            "columns": worklist.column_headers(query, sort),
            "roles": roles_of(request.user),
            "mine_count": visible.filter(assignee_id=request.user.pk, status__in=open_statuses).count(),
            **worklist.worklist_context(request, handled_units),
        },
    )


def _officer(value: str, officers: list[Any]) -> Any:
    return next((u for u in officers if str(u.pk) == value), None)


@staff_required
@require_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    officers = services.assignable_officers(case)
    form = case_forms.AssignForm(request.POST, officers=officers)
    answer = submit(
        request,
        form,
        lambda d: services.assign_case(actor=request.user, case=case, officer=_officer(d["officer"], officers)),
        message=_("Đã cập nhật cán bộ được giao."),
        then=lambda _case: redirect("staff_case", case_id=case.pk),
        refused="message",
    )
    if answer:
        return answer
    context = _detail_context(request, case, bound={"assign": form})
    return render(request, "staff/case_detail.html", context, status=400)


@staff_required
@require_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = case_forms.NoteForm(request.POST, auto_id="note-%s")
    answer = submit(
        request,
        form,
        lambda d: services.add_note(actor=request.user, case=case, body=d["body"]),
        message=_("Đã thêm ghi chú nội bộ."),
        then=lambda _note: redirect(reverse("staff_case", args=[case.pk]) + "#notes-h"),
        refused="message",
    )
    if answer:
        return answer
    context = _detail_context(request, case, bound={"note": form})
    return render(request, "staff/case_detail.html", context, status=400)


ACTION_FORMS: dict[str, type] = {
    "accept": case_forms.AcceptForm,
    "refuse": case_forms.RefuseForm,
    "forward": case_forms.ForwardForm,
    "extend": case_forms.ExtendForm,
    "extend_acceptance": case_forms.ExtendAcceptanceForm,
    "notify_acceptance": case_forms.NoticeForm,
    "publish_conclusion": case_forms.PublishForm,
    "continue": case_forms.ContinueForm,
    "terminate": case_forms.TerminateForm,
    "resolve": case_forms.ResolveForm,
    "false_report": case_forms.FalseReportForm,
    "repeat_letter": case_forms.RepeatLetterForm,
    "suspend": case_forms.ReasonForm,
    "merge": case_forms.MergeForm,
    "start": None,  # type: ignore[dict-item]
    "resume": None,  # type: ignore[dict-item]
    "close": None,  # type: ignore[dict-item]
}


def _detail_context(request: HttpRequest, case: Case, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    handler = can_handle(request.user, case)
    actions = [a.value for a in allowed_actions(case.status)] if handler else []
    resolvable = case.track in services.RESOLUTION_TRACKS and not case.reference  # the law's or the Party's
    if case.kind != "denunciation" or not resolvable:
        actions = [a for a in actions if a != "extend"]
    if handler and case.kind == "denunciation" and resolvable and case.status in ("accepted", "in_progress"):
        actions.append("extend")
    actions = [a for a in actions if a != "continue"]  # only a denunciation (_legal_steps)
    if handler:
        actions += _legal_steps(case)
    action_forms = {
        name: (bound or {}).get(name) or (action_form(name, case) if form_class else None)
        for name, form_class in ACTION_FORMS.items()
        if name in actions
    }
    from pakn.protection.access import is_officer_for
    from pakn.protection.dropbox import conversation
    from pakn.protection.forms import AskForm
    from pakn.protection.models import Attachment, ProtectionRequest, VerificationCopy

    return {
        "case": case,
        "detail": presenters.case_detail(case),
        "timeline": presenters.timeline(case, public=False),
        "forwards": case.forwards.select_related("from_unit", "to_unit"),
        "messages_from_citizen": case.messages.all(),
        "ratings": case.ratings.select_related("unit"),
        "false_report": FalseReport.objects.filter(case=case).first(),
        "assign_form": (bound or {}).get("assign")
        or (
            case_forms.AssignForm(
                officers=services.assignable_officers(case),
                initial={"officer": str(case.assignee_id or "")},
            )
            if handler
            else None
        ),
        "note_form": (bound or {}).get("note") or (case_forms.NoteForm(auto_id="note-%s") if handler else None),
        "notes": case.notes.select_related("author"),
        "case_tags": case.tags.all(),
        "tag_form": (bound or {}).get("tag") or (case_forms.TagForm(auto_id="tag-%s") if handler else None),
        "unit_tags": list(Tag.objects.filter(unit_id=case.unit_id).values_list("name", flat=True)) if handler else [],
        "repeat_letters": case.repeat_letters.all(),
        "action_forms": action_forms,
        "handler": handler,
        "action_labels": ACTION_LABELS,
        "unconfirmed_rules": policy.unconfirmed_codes(),
        "roles": roles_of(request.user),
        # The identity is never on this page: a pseudonym, and for the unit's protection officers a link to
        # the audited reveal (pakn.protection).
        "has_reporter": hasattr(case, "reporter") or case.vault_items.filter(kind="identity").exists(),
        "is_protection_officer": is_officer_for(request.user, case),
        "conversation": conversation(case),
        "ask_form": AskForm(prefix="ask") if handler and case.status in OPEN else None,
        "attachments": Attachment.objects.filter(case=case),
        "evidence": Attachment.objects.filter(case=case, kind="evidence").exclude(clean_blob=""),
        "protection_requests": ProtectionRequest.objects.filter(case=case),
        "copies": VerificationCopy.objects.filter(case=case)[:5],
        **_subject_context(case, handler=handler, bound=(bound or {}).get("subject")),
    }


def _subject_context(case: Case, *, handler: bool, bound: Any = None) -> dict[str, Any]:
    """The person concerned, the competence rule that routed the case (with its citation) and, for a
    handler, the form to confirm or complete it. Staff pages only: never on a public page."""
    from pakn.cases.competence import FALLBACK_CITATION, RULES_BY_CODE
    from pakn.cases.models import CaseSubject
    from pakn.intake.forms import SubjectPersonForm

    subject = CaseSubject.objects.filter(case=case).select_related("body", "party_unit", "competent_unit").first()
    rule = RULES_BY_CODE.get(subject.rule_code) if subject else None
    return {
        "subject_person": subject,
        "competence_rule": rule,
        "competence_fallback": FALLBACK_CITATION,
        "competence_elsewhere": bool(
            subject and subject.competent_unit_id and subject.competent_unit_id != case.unit_id
        ),
        "subject_form": (bound or SubjectPersonForm(case=case)) if handler and case.kind != "opinion" else None,
        # The verification copy (Luật Tố cáo 2018, Điều 56) and protection requests serve people who report a
        # person: denunciations and reports about an official, not a street light.
        "reports_a_person": case.kind == "denunciation" or subject is not None,
    }


@staff_required
@require_POST
def case_subject(request: HttpRequest, case_id: int) -> HttpResponse:
    """The clerk confirms or completes who the case is about (audited; may take the case out of their sight
    when they work for the person's own body)."""
    from pakn.intake.forms import SubjectPersonForm

    case = access_case(request.user, case_id)
    form = SubjectPersonForm(request.POST, case=case)

    def updated(_result: object) -> HttpResponse:
        if not visible_cases(request.user).filter(pk=case.pk).exists():
            messages.info(request, _("Bạn có xung đột lợi ích với hồ sơ này nên không còn xem được hồ sơ."))
            return redirect("staff_home")
        return redirect("staff_case", case_id=case.pk)

    answer = submit(
        request,
        form,
        lambda _d: services.set_subject_person(actor=request.user, case=case, **form.service_arguments()),
        message=_("Đã cập nhật người bị phản ánh, khiếu nại, tố cáo."),
        then=updated,
    )
    if answer:
        return answer
    context = _detail_context(request, case, bound={"subject": form})
    return render(request, "staff/case_detail.html", context, status=400)


def _legal_steps(case: Case) -> list[str]:
    """Acts the law asks of the handler beyond the workflow table: extending a denunciation's acceptance
    period, the notice of acceptance and the publication of the conclusion while those obligations are open,
    going on with a withdrawn denunciation, the decision to stop handling a withdrawn complaint."""
    from pakn.cases.models import Answer, AnswerKind, Obligation, ObligationKind

    open_kinds = set(
        Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).values_list("kind", flat=True)
    )
    steps = []
    waiting = open_kinds & {ObligationKind.ACCEPT, ObligationKind.FORWARD_RESPONSE}
    if (
        case.track == "statutory"
        and case.kind == "denunciation"
        and case.status in ("received", "forwarded")
        and waiting
    ):
        steps.append("extend_acceptance")
    if ObligationKind.NOTIFY_ACCEPTANCE in open_kinds:
        steps.append("notify_acceptance")
    if ObligationKind.PUBLISH_CONCLUSION in open_kinds:
        steps.append("publish_conclusion")
    if case.status == "withdrawn" and case.kind == "denunciation":
        steps.append("continue")
    if services.concluded_false(case) and not FalseReport.objects.filter(case=case).exists():
        steps.append("false_report")
    if services.settled(case):
        steps.append("repeat_letter")
    if (
        case.status == "withdrawn"
        and case.kind == "complaint"
        and not Answer.objects.filter(case=case, kind=AnswerKind.TERMINATION).exists()
    ):
        steps.append("terminate")
    return steps


def action_form(name: str, case: Case, **kwargs: Any) -> Any:
    """The form of one of the case's actions; each has its own ids ("forward-reason"), as they share a page."""
    form_class = ACTION_FORMS[name]
    kwargs.setdefault("auto_id", f"{name}-%s")
    return form_class(case=case, **kwargs) if getattr(form_class, "needs_case", False) else form_class(**kwargs)


ACTION_LABELS = {
    "accept": gettext_lazy("Thụ lý"),
    "refuse": gettext_lazy("Không thụ lý"),
    "forward": gettext_lazy("Chuyển đơn"),
    "start": gettext_lazy("Bắt đầu giải quyết"),
    "extend": gettext_lazy("Gia hạn"),
    "resolve": gettext_lazy("Trả lời / kết luận"),
    "close": gettext_lazy("Kết thúc hồ sơ"),
    "suspend": gettext_lazy("Tạm đình chỉ"),
    "resume": gettext_lazy("Tiếp tục"),
    "merge": gettext_lazy("Gộp vào hồ sơ khác"),
    "extend_acceptance": gettext_lazy("Kéo dài thời hạn thụ lý"),
    "notify_acceptance": gettext_lazy("Gửi thông báo thụ lý"),
    "publish_conclusion": gettext_lazy("Công khai kết luận"),
    "continue": gettext_lazy("Tiếp tục giải quyết tố cáo"),
    "terminate": gettext_lazy("Đình chỉ giải quyết khiếu nại"),
    "false_report": gettext_lazy("Xử lý tố cáo sai sự thật"),
    "repeat_letter": gettext_lazy("Ghi nhận đơn trùng vụ việc đã giải quyết"),
}


@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    return render(request, "staff/case_detail.html", _detail_context(request, case))


def _run_action(request: HttpRequest, case: Case, action: str, data: dict[str, Any]) -> Case:
    actor = request.user
    if action == "accept":
        return services.accept_case(
            actor=actor, case=case, accepted_on=data["accepted_on"], complexity=data["complexity"]
        )
    if action == "refuse":
        return services.refuse_case(
            actor=actor, case=case, reason_code=data["reason_code"], explanation=data["explanation"]
        )
    if action == "forward":
        unit = Unit.objects.filter(code=data["to_unit"], is_active=True).first()
        if unit is None:
            raise InvalidInput(fields={"to_unit": [_("Chọn đơn vị nhận trong danh sách.")]})
        return services.forward_case(actor=actor, case=case, to_unit=unit, reason=data["reason"])
    if action == "extend":
        return services.extend_deadline(
            actor=actor,
            case=case,
            complexity=data["complexity"],
            reason=data["reason"],
            subject_notified=data["subject_notified"],
        )
    if action == "extend_acceptance":
        return services.extend_acceptance(actor=actor, case=case, reason=data["reason"])
    if action == "notify_acceptance":
        return services.notify_acceptance(actor=actor, case=case, body=data["body"])
    if action == "publish_conclusion":
        return services.publish_conclusion(actor=actor, case=case, method=data["method"])
    if action == "continue":
        return services.continue_withdrawn(actor=actor, case=case, ground=data["ground"], reason=data["reason"])
    if action == "terminate":
        return services.terminate_complaint(actor=actor, case=case, body=data["body"])
    if action == "resolve":
        from pakn.protection.services import check_uploads

        return services.resolve_case(
            actor=actor,
            case=case,
            body=data["body"],
            kind=data["kind"],
            finding=data.get("finding", ""),
            uploads=check_uploads(data.get("evidence") or [], field="evidence"),
            files_public=data.get("files_public", False),
        )
    if action == "false_report":
        services.record_false_report(actor=actor, case=case, **data)
        return case
    if action == "repeat_letter":
        services.record_repeat_letter(actor=actor, case=case, **data)
        return case
    if action == "suspend":
        return services.suspend_case(actor=actor, case=case, reason=data["reason"])
    if action == "merge":
        code = normalise_tracking_code(data["into"])
        into = visible_cases(actor).filter(tracking_code=code).first() if code else None
        if into is None:
            raise InvalidInput(fields={"into": [_("Không tìm thấy hồ sơ với mã này.")]})
        return services.merge_case(actor=actor, case=case, into=into)
    simple = {"start": services.start_case, "resume": services.resume_case, "close": services.close_case}
    return simple[action](actor=actor, case=case)  # type: ignore[operator]


@staff_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if action not in ACTION_FORMS:
        raise NotFound()
    form_class = ACTION_FORMS[action]
    if form_class is not None and "find_unit" in request.POST:
        # The no-JavaScript search step of forwarding: the form comes back with the matches, nothing done.
        context = _detail_context(request, case, bound={action: action_form(action, case, initial=request.POST.dict())})
        context["open_action"] = action
        return render(request, "staff/case_detail.html", context)
    if action == "resolve" and "use_template" in request.POST:
        # No JavaScript needed: the chosen model answer comes back in the text box, with the case's details.
        return _resolve_with_template(request, case)
    form = action_form(action, case, data=request.POST, files=request.FILES) if form_class else None
    if action == "resolve" and form is not None and form.is_valid() and _needs_second_look(form, case):
        context = _detail_context(request, case, bound={action: form})
        context["open_action"] = action
        return render(request, "staff/case_detail.html", context, status=400)
    if form is None or form.is_valid():
        try:
            _run_action(request, case, action, form.cleaned_data if form else {})
        except PaknError as error:
            if form is not None and isinstance(error, InvalidInput) and error.fields:
                for name, msgs in error.fields.items():
                    for m in msgs:
                        form.add_error(name if name in form.fields else None, str(m))
            else:
                messages.error(request, str(error.message))
                return redirect("staff_case", case_id=case.pk)
        else:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTION_LABELS[action]})
            if not visible_cases(request.user).filter(pk=case.pk).exists():  # e.g. forwarded to another unit
                return redirect("staff_home")
            return redirect("staff_case", case_id=case.pk)
    context = _detail_context(request, case, bound={action: form})
    context["open_action"] = action
    return render(request, "staff/case_detail.html", context, status=400)


def _resolve_with_template(request: HttpRequest, case: Case) -> HttpResponse:
    from pakn.cases.answers import fill

    initial = request.POST.dict()
    chosen = action_form("resolve", case).templates
    template = next((t for t in chosen if str(t.pk) == request.POST.get("template")), None)
    if template is not None:
        body = fill(template.body, tracking_code=case.tracking_code, unit=case.unit.name, received_on=case.received_on)
        initial["body"] = f"{body}\n\n{_('Căn cứ')}: {template.legal_basis}"
    context = _detail_context(request, case, bound={"resolve": action_form("resolve", case, initial=initial)})
    context["open_action"] = "resolve"
    return render(request, "staff/case_detail.html", context)


def _needs_second_look(form: Any, case: Case) -> bool:
    """The answer check found something and the clerk has not yet confirmed they saw it."""
    from pakn.cases.answers import Warning, check_answer

    data = form.cleaned_data
    if _confirmed(form) or ("finding" in form.fields and data["kind"] == "conclusion" and not data.get("finding")):
        return False  # confirmed, or the act refuses it anyway (a denunciation's conclusion without its finding)
    warnings = check_answer(
        form.cleaned_data["body"],
        kind=case.kind,
        templates=[t.body for t in form.templates],
        has_files=bool(data.get("evidence")),
    )
    if not warnings:
        return False
    if data.get("evidence"):  # a browser never fills a file input again
        warnings.append(Warning("files_again", _("Các tệp đã chọn chưa được gửi: hãy chọn lại tệp trước khi gửi.")))
    form.warn(warnings)
    return True


def _confirmed(form: Any) -> bool:
    return bool(form.data.get("confirm"))


@sensitive_post_parameters()
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    if not handling_units(request.user).exists():
        raise NotFound()
    if request.method == "POST" and "choose_province" not in request.POST:
        form = StaffIntakeForm(request.POST, request.FILES)
        answer = submit(
            request,
            form,
            lambda _d: services.record_submission(actor=request.user, **form.service_arguments()),
            errors=form.add_service_errors,
            message=lambda case: (
                _("Đã vào sổ đơn, mã tra cứu %(code)s.") % {"code": format_tracking_code(case.tracking_code)}
            ),
            then=lambda case: (
                redirect("staff_case", case_id=case.pk) if can_handle(request.user, case) else redirect("staff_home")
            ),
            refused="form",  # the place belongs to a unit the clerk does not handle
            refusals=(Forbidden,),
        )
        if answer:
            return answer
        status = 400
    else:
        own = handling_units(request.user).first()
        initial: dict[str, Any] = (
            request.POST.dict()
            if request.method == "POST"
            else {"province_code": own.province_id if own else "", "commune_code": own.commune_id if own else ""}
        )
        form = StaffIntakeForm(initial=initial)
        status = 200
    return render(request, "staff/intake.html", {"form": form}, status=status)
