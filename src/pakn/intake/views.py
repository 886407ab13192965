"""Public pages: home, the submission form, tracking, and the deadline calculator. Thin: forms shape
input, services decide."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pakn.cases import presenters, services
from pakn.cases.api import deadline_answer
from pakn.cases.models import Kind
from pakn.core import formflow
from pakn.core.errors import InvalidInput, PaknError
from pakn.core.tracking import format_tracking_code, normalise_tracking_code
from pakn.intake.forms import (
    KIND_HELP,
    DeadlineForm,
    EscalateForm,
    MessageForm,
    RatingForm,
    SubmissionForm,
    TrackForm,
    WithdrawForm,
)
from pakn.org import places
from pakn.org.access import is_staff_member
from pakn.protection import services as protection
from pakn.protection import throttle
from pakn.protection.dropbox import conversation, pow_context, receipt_response
from pakn.protection.forms import CitizenProtectionRequestForm
from pakn.protection.models import ProtectionRequest


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {"kinds": [(k, Kind(k).label, KIND_HELP[Kind(k)]) for k in Kind.values], "track_form": TrackForm()},
    )


IDENTITY_FIELDS = (
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "reporter_id_number",
    "reporter_address",
    "title",
    "content",
)


@sensitive_post_parameters(*IDENTITY_FIELDS)
@never_cache
@throttle.throttled("submit")
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "choose_province" not in request.POST:
        data: Any = request.POST
        if "as_report" in request.POST:
            # An unsigned complaint cannot be handled as a complaint (Luật Khiếu nại 2011, Điều 8): the citizen
            # chose to send the same content as a report.
            data = request.POST.copy()
            data["kind"] = Kind.REPORT
        form = SubmissionForm(data, request.FILES)

        def send(d: dict[str, Any]) -> Any:
            if d.get("website") or not throttle.verify(
                request.POST.get("pow_challenge", ""), request.POST.get("pow_nonce", "")
            ):  # the honeypot was filled, or the proof of work is missing
                raise InvalidInput(_("Không gửi được đơn. Vui lòng thử lại."))
            return services.submit(actor=request.user, citizen=request.user, channel="web", **form.service_arguments())

        answer = formflow.submit(
            request, form, send, errors=form.add_service_errors, then=lambda case: _submitted(request, case)
        )
        if answer:
            return answer
        status = 400
    else:
        # First visit, or the no-JavaScript "choose province" step: keep what was typed, show no errors.
        initial = (
            request.POST.dict()
            if request.method == "POST"
            else {
                "kind": request.GET.get("kind", Kind.REPORT),
                "province_code": request.GET.get("province_code", ""),
                **_own_details(request.user),
            }
        )
        form = SubmissionForm(initial=initial)
        status = 200
    return render(request, "public/submit.html", {"form": form, "kind_help": KIND_HELP, **pow_context()}, status=status)


def _own_details(user: Any) -> dict[str, str]:
    """A citizen logged in to their own account finds their name and e-mail already in the form (they may clear
    them: filing unnamed stays possible). Never an official's: staff filing for someone types that person's."""
    if not getattr(user, "is_authenticated", False) or user.is_staff or is_staff_member(user):
        return {}
    return {"reporter_name": user.get_full_name().strip(), "reporter_email": user.email or ""}


@never_cache
@require_GET
def place_at(request: HttpRequest) -> JsonResponse:
    """The commune a shared position is in, for locate.js to pre-select it (the form resolves it again when
    sent). ``?lat=&lon=&accuracy=``; the position is not stored or logged. The province's communes come along, so
    the list can be filled in one request."""
    try:
        position = places.clean_position(
            request.GET.get("lat"), request.GET.get("lon"), request.GET.get("accuracy") or None
        )
    except InvalidInput as error:
        return JsonResponse(error.as_dict(), status=400)
    found = places.commune_at(position) if position is not None else None
    if found is None:
        return JsonResponse({"province_code": "", "commune_code": "", "communes": []})
    province_code, commune_code = found
    return JsonResponse(
        {
            "province_code": province_code,
            "commune_code": commune_code,
            "communes": [{"code": code, "name": name} for code, name in places.communes_of(province_code)],
        }
    )


def _submitted(request: HttpRequest, case: Any) -> HttpResponse:
    _join_similar(case, request.POST.get("duplicate_of", ""))
    if getattr(case, "new_receipt", ""):
        # No name at all: the drop-box receipt is shown in this response, once.
        return receipt_response(request, case)
    _report_files(request, getattr(case, "attachment_report", []))
    # The code is shown only now, after the transaction committed.
    request.session["new_case"] = case.tracking_code
    return redirect("track_case", code=case.tracking_code)


def _report_files(request: HttpRequest, report: list[dict[str, Any]]) -> None:
    """Tell the reporter, in words, what hidden data was removed from their files; a file that carried none
    needs no notice."""
    for number, item in enumerate(report, start=1):
        if item["removed"]:
            what = ", ".join(item["removed"])
            messages.info(
                request,
                _("Tệp đính kèm thứ %(number)s: đã xóa thông tin ẩn (%(what)s) để bảo vệ bạn.")
                % {"number": number, "what": what},
            )


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        code = normalise_tracking_code(form.cleaned_data["code"])
        if code is None:
            form.add_error("code", _("Mã tra cứu không đúng. Vui lòng kiểm tra lại (mã có ký tự kiểm tra)."))
        else:
            return redirect("track_case", code=code)
    return render(request, "public/track.html", {"form": form}, status=400 if form.errors else 200)


def _status_context(request: HttpRequest, code: str) -> dict[str, Any]:
    case = services.get_case_by_code(code)
    can_escalate = services.can_escalate(case)
    return {
        "case": case,
        "code": format_tracking_code(case.tracking_code),
        "status": presenters.public_status(case),
        "is_new": request.session.get("new_case") == case.tracking_code,
        "message_form": MessageForm(),
        "withdraw_form": WithdrawForm(),
        "rating_form": RatingForm(),
        "escalate_form": EscalateForm(),
        "can_rate": case.status in ("resolved", "closed") and not case.ratings.filter(unit=case.unit).exists(),
        "can_escalate": can_escalate,
        # Only shown with the escalation form: not looked up for every status page.
        "escalation_ends": services.escalation_ends(case) if can_escalate else None,
        "can_withdraw": case.status in ("received", "forwarded", "accepted", "in_progress", "suspended"),
        "can_add": case.status not in ("closed", "withdrawn", "merged"),
        "conversation": conversation(case),
        "protect_form": CitizenProtectionRequestForm(),
        "can_protect": protection.can_request_protection(case),
        "protect_conduct": protection.reports_conduct(case),
        "protection_requests": ProtectionRequest.objects.filter(case=case),
    }


def track_case(request: HttpRequest, code: str) -> HttpResponse:
    context = _status_context(request, code)
    if context["is_new"]:
        request.session.pop("new_case", None)
    return render(request, "public/status.html", context)


def _citizen_act(request: HttpRequest, code: str, form_class: type, key: str, act: Any, done: str) -> HttpResponse:
    throttle.check(request, "citizen")
    context = _status_context(request, code)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(context["case"], form.cleaned_data)
        except PaknError as error:
            if isinstance(error, InvalidInput) and error.fields:
                for name, msgs in error.fields.items():
                    for m in msgs:
                        form.add_error(name if name in form.fields else None, str(m))
            else:
                form.add_error(None, str(error.message))
        else:
            messages.success(request, done)
            return redirect("track_case", code=context["case"].tracking_code)
    context[key] = form
    return render(request, "public/status.html", context, status=400)


@sensitive_post_parameters("body")
@require_POST
def add_information(request: HttpRequest, code: str) -> HttpResponse:
    def act(case: Any, data: dict[str, Any]) -> None:
        uploads = protection.check_uploads(data.get("evidence") or [], field="evidence")
        _message, attachments = services.add_information(
            case=case, body=data["body"], uploads=uploads, return_attachments=True
        )
        _report_files(request, protection.removal_report(attachments))

    return _citizen_act(request, code, MessageForm, "message_form", act, _("Đã gửi thông tin bổ sung."))


@sensitive_post_parameters("details")
@require_POST
def protect(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter asks for protection for themselves and their family (Law on Denunciations Art. 47–50)."""
    return _citizen_act(
        request,
        code,
        CitizenProtectionRequestForm,
        "protect_form",
        lambda case, d: protection.request_protection(case=case, **d),
        _("Đã gửi đề nghị bảo vệ. Cơ quan có thẩm quyền sẽ xem xét trong thời hạn."),
    )


@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_act(
        request,
        code,
        WithdrawForm,
        "withdraw_form",
        lambda case, d: services.withdraw_case(case=case, reason=d["reason"]),
        _("Đã rút đơn."),
    )


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_act(
        request,
        code,
        RatingForm,
        "rating_form",
        lambda case, d: services.rate_case(case=case, level=d["level"], comment=d["comment"]),
        _("Cảm ơn bạn đã đánh giá."),
    )


@require_POST
def escalate(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_act(
        request,
        code,
        EscalateForm,
        "escalate_form",
        lambda case, d: services.escalate_case(case=case, reason=d["reason"]),
        _("Đã chuyển đề nghị đến cơ quan cấp trên."),
    )


def deadline_calculator(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.GET if "kind" in request.GET or "received" in request.GET else None)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = deadline_answer(
                kind=d["kind"],
                received=d["received"],
                accepted=d["accepted"],
                complaint_round=d["round"] or 1,
                complex=int(d["complex"]),
                remote=int(d["remote"]),
                extensions=d["extensions"] or 0,
            )
        except InvalidInput as error:
            for name, msgs in error.fields.items():
                for m in msgs:
                    form.add_error(name if name in form.fields else None, str(m))
    return render(
        request, "public/deadlines.html", {"form": form, "result": result}, status=400 if form.errors else 200
    )


def _join_similar(case: Any, ref: str) -> None:
    """The citizen chose "this is the same problem" on a similar case: ask the clerk to merge."""
    if not ref.strip():
        return
    from pakn.language.services import join_case

    with contextlib.suppress(InvalidInput):  # a stale or forged reference: the submission itself stands
        join_case(case=case, ref=ref.strip())
