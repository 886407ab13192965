"""The anonymous drop box (``/dropbox/``): file a tip without any field about yourself, get a 16-digit
receipt once, come back with it to read the unit's questions, answer, add evidence and ask for protection.

The pages load nothing from other hosts and no script at all (a stricter CSP is set by
``core.middleware.SecurityHeadersMiddleware`` for ``/dropbox/``), are never cached, keep no address or
user agent (logs are filtered, throttling uses a daily-salted HMAC), and the receipt never appears in a
URL: it is posted, checked against its slow hash, and the session then remembers only the case id for
30 minutes (or until "Thoát").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from pakn.cases import presenters
from pakn.cases import services as case_services
from pakn.cases.models import Case, Message
from pakn.core.errors import InvalidInput, PaknError
from pakn.core.formflow import submit
from pakn.core.tracking import format_tracking_code
from pakn.protection import services as protection
from pakn.protection import throttle
from pakn.protection.forms import CitizenProtectionRequestForm, DropboxForm, ReceiptForm, ReplyForm
from pakn.protection.models import Attachment, ProtectionRequest

SESSION_KEY = "pakn_dropbox_case"
SESSION_SECONDS = 30 * 60


def _errors(form: Any, error: PaknError) -> None:
    if isinstance(error, InvalidInput) and error.fields:
        for name, msgs in error.fields.items():
            field = {"attachments": "evidence", "files": "evidence"}.get(name, name)
            for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
                form.add_error(field if field in form.fields else None, str(m))
    else:
        form.add_error(None, str(error.message))


def receipt_response(request: HttpRequest, case: Case) -> HttpResponse:
    """The page that shows the receipt: rendered in the response to the POST itself, never stored or
    redirected to, so the receipt is in no URL, session or log."""
    return render(
        request,
        "public/receipt.html",
        {
            "case": case,
            "code": format_tracking_code(case.tracking_code),
            "receipt": case.new_receipt,  # type: ignore[attr-defined]
            "files": getattr(case, "attachment_report", []),
        },
        status=201,
    )


@sensitive_post_parameters()
@never_cache
@throttle.throttled("submit")
@require_http_methods(["GET", "POST"])
def dropbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "choose_province" not in request.POST:
        form = DropboxForm(request.POST, request.FILES)

        def send(data: dict[str, Any]) -> Case:
            if data.get("website") or not throttle.verify(
                request.POST.get("pow_challenge", ""), request.POST.get("pow_nonce", "")
            ):  # the honeypot was filled, or the proof of work is missing
                raise InvalidInput(_("Không gửi được. Vui lòng thử lại."))
            return case_services.submit(
                actor=None,
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                subject=data.get("subject", ""),
                province_code=data.get("province_code") or None,
                commune_code=data.get("commune_code") or None,
                reporter=None,
                channel="web",
                attachments=data.get("evidence") or [],
                dropbox=True,
            )

        answer = submit(
            request,
            form,
            send,
            errors=lambda error: _errors(form, error),
            then=lambda case: receipt_response(request, case),
        )
        if answer:
            return answer
        status = 400
    else:
        form = DropboxForm(initial=request.POST.dict() if request.method == "POST" else None)
        status = 200
    return render(request, "public/dropbox.html", {"form": form, **pow_context()}, status=status)


def pow_context() -> dict[str, Any]:
    bits = throttle.pow_bits()
    return {"pow_bits": bits, "pow_challenge": throttle.new_challenge() if bits else ""}


@sensitive_post_parameters()
@never_cache
@throttle.throttled("receipt")
@require_http_methods(["GET", "POST"])
def dropbox_open(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = protection.case_by_receipt(form.cleaned_data["receipt"])
        except PaknError as error:
            form.add_error("receipt", str(error.message))
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = case.pk
            request.session.set_expiry(SESSION_SECONDS)
            return redirect("dropbox_case")
    return render(request, "public/dropbox_open.html", {"form": form}, status=400 if form.errors else 200)


def _session_case(request: HttpRequest) -> Case | None:
    pk = request.session.get(SESSION_KEY)
    return Case.objects.select_related("unit").filter(pk=pk).first() if pk else None


def conversation(case: Case) -> list[dict[str, Any]]:
    """The questions of the unit and what the reporter sent, oldest first (redacted as stored)."""
    files: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(case=case, message__isnull=False):
        files.setdefault(attachment.message_id, []).append(attachment)  # type: ignore[arg-type]
    return [
        {"from_citizen": m.from_citizen, "body": m.body, "at": m.created_at, "files": files.get(m.pk, [])}
        for m in Message.objects.filter(case=case).order_by("created_at", "pk")
    ]


def _case_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "status": presenters.public_status(case),
        "conversation": conversation(case),
        "files": Attachment.objects.filter(case=case, message__isnull=True, kind="evidence"),
        "reply_form": ReplyForm(),
        "protect_form": CitizenProtectionRequestForm(),
        "can_protect": protection.can_request_protection(case),
        "protect_conduct": protection.reports_conduct(case),
        "protection_requests": ProtectionRequest.objects.filter(case=case),
        "can_reply": case.status not in ("closed", "withdrawn", "merged"),
        **extra,
    }


@never_cache
def dropbox_case(request: HttpRequest) -> HttpResponse:
    case = _session_case(request)
    if case is None:
        return redirect("dropbox_open")
    return render(request, "public/dropbox_case.html", _case_context(request, case))


@sensitive_post_parameters()
@never_cache
@throttle.throttled("citizen")
@require_POST
def dropbox_reply(request: HttpRequest) -> HttpResponse:
    case = _session_case(request)
    if case is None:
        return redirect("dropbox_open")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            _message, attachments = protection.add_evidence(
                case=case, files=form.cleaned_data["evidence"], body=form.cleaned_data["body"]
            )
        except PaknError as error:
            _errors(form, error)
        else:
            report = protection.removal_report(attachments)
            return render(
                request, "public/dropbox_case.html", _case_context(request, case, sent=True, sent_files=report)
            )
    return render(request, "public/dropbox_case.html", _case_context(request, case, reply_form=form), status=400)


@sensitive_post_parameters()
@never_cache
@throttle.throttled("citizen")
@require_POST
def dropbox_protect(request: HttpRequest) -> HttpResponse:
    case = _session_case(request)
    if case is None:
        return redirect("dropbox_open")
    form = CitizenProtectionRequestForm(request.POST)
    if form.is_valid():
        try:
            protection.request_protection(case=case, **form.cleaned_data)
        except PaknError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Đã gửi đề nghị bảo vệ. Cơ quan có thẩm quyền sẽ xem xét trong thời hạn."))
            return redirect("dropbox_case")
    return render(request, "public/dropbox_case.html", _case_context(request, case, protect_form=form), status=400)


@require_POST
def dropbox_leave(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("dropbox")
