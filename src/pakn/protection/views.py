"""Staff pages of the protection package: the officer's dashboard and key, the four-eyes reveal, clean
file downloads, verification copies, questions to the reporter and protection requests. Thin: every act
is a service; every case is fetched through an access function (404 for other units, 403 for staff of
the unit who are not its protection officers on identity routes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from pakn.cases import services as case_services
from pakn.cases.models import Case
from pakn.core.errors import Forbidden, InvalidInput, NotFound, PaknError
from pakn.org.access import access_case, can_handle, visible_cases
from pakn.protection import keys, vault
from pakn.protection import services as protection
from pakn.protection.access import (
    access_identity_case,
    access_identity_item,
    is_officer,
    item_overseers_units,
    officer_cases,
    officer_items,
    officer_units,
    oversight_cases,
)
from pakn.protection.forms import (
    AskForm,
    ChangePasswordForm,
    DecisionForm,
    PasswordForm,
    ProtectionDecisionForm,
    ProtectionRequestForm,
    RelockForm,
    RevealRequestForm,
)
from pakn.protection.models import Attachment, ProtectionRequest, RevealRequest, VaultItem, VerificationCopy

PASSWORD_FIELDS = ("password", "old_password", "new_password", "confirm")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    return response


def _form_errors(form: Any, error: PaknError) -> None:
    if isinstance(error, InvalidInput) and error.fields:
        for name, msgs in error.fields.items():
            for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
                form.add_error(name if name in form.fields else None, str(m))
    else:
        form.add_error(None, str(error.message))


# ---------------------------------------------------------------- dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    officer = is_officer(user)
    listed = oversight_cases(user)
    if not officer and not listed.exists() and not item_overseers_units(user).exists():
        raise NotFound()
    own = officer_cases(user)
    own_items = officer_items(user)
    context: dict[str, Any] = {
        "officer": officer,
        "key": keys.active_key(user),
        "to_approve": RevealRequest.objects.filter(
            Q(case__in=own) | Q(item__in=own_items), status=RevealRequest.Status.PENDING
        )
        .exclude(requested_by=user)
        .select_related("case", "item", "requested_by")[:100],
        "mine": RevealRequest.objects.filter(requested_by=user).select_related("case", "item")[:50],
        "reveals": RevealRequest.objects.filter(
            Q(case__in=listed) | Q(item__unit__in=item_overseers_units(user))
        ).select_related("case", "item", "requested_by", "decided_by")[:100],
        "people": own_items.select_related("unit").order_by("-created_at")[:100] if officer else [],
        "protection": ProtectionRequest.objects.filter(case__in=listed).select_related("case")[:100],
        "pending_reseal": vault.pending_count(officer_units(user).values_list("pk", flat=True)) if officer else 0,
        "cases": own.filter(vault_items__kind="identity")
        .distinct()
        .select_related("unit")
        .order_by("-created_at")[:100]
        if officer
        else [],
    }
    return render(request, "protection/home.html", context)


# ---------------------------------------------------------------- the officer's key


@sensitive_post_parameters(*PASSWORD_FIELDS)
@never_cache
@login_required
def key_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_officer(user):
        raise NotFound()
    forms = {
        "setup": PasswordForm(prefix="setup"),
        "relock": RelockForm(prefix="relock"),
        "rotate": PasswordForm(prefix="rotate"),
        "reseal": PasswordForm(prefix="reseal"),
        "reset": PasswordForm(prefix="reset"),
        "change": ChangePasswordForm(prefix="change"),
    }
    status = 200
    action = request.POST.get("action", "")
    if request.method == "POST" and action in forms:
        form_class = type(forms[action])
        form = form_class(request.POST, prefix=action)
        forms[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = _key_action(request, action, data)
            except PaknError as error:
                _form_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("protection_key")
        status = 400
    key = keys.active_key(user)
    from pakn.protection.crypto import b64d, fingerprint

    return _no_store(
        render(
            request,
            "protection/key.html",
            {
                "key": key,
                "fingerprint": fingerprint(b64d(key.public_key)) if key else "",
                "forms": forms,
                "pending_reseal": vault.pending_count(officer_units(user).values_list("pk", flat=True)),
                "open_action": action,
            },
            status=status,
        )
    )


@sensitive_variables("data")
def _key_action(request: HttpRequest, action: str, data: dict[str, Any]) -> str:
    user: Any = request.user
    if action == "setup":
        protection.setup_key(user=user, password=data["password"])
        return _("Đã tạo khóa. Các hồ sơ cũ sẽ được niêm phong cho bạn khi một cán bộ bảo vệ khác mở khóa.")
    if action == "relock":
        protection.relock_key(user=user, old_password=data["old_password"], password=data["password"])
        return _("Đã khóa lại khóa bảo vệ bằng mật khẩu hiện tại.")
    if action == "rotate":
        protection.rotate_key(user=user, password=data["password"])
        return _("Đã đổi khóa; mọi hồ sơ đã được niêm phong lại cho khóa mới.")
    if action == "reseal":
        counts = protection.reseal_pending(user=user, password=data["password"])
        return _("Đã niêm phong lại %(a)s mục, mã hóa lại %(b)s mục.") % {
            "a": counts["resealed"],
            "b": counts["rekeyed"],
        }
    if action == "reset":
        protection.reset_key(user=user, password=data["password"])
        return _("Đã tạo khóa mới thay khóa bị mất. Cần cán bộ khác hoặc người giữ khóa dự phòng niêm phong lại.")
    protection.change_password(user=user, old_password=data["old_password"], new_password=data["new_password"])
    from django.contrib.auth import update_session_auth_hash

    update_session_auth_hash(request, user)
    return _("Đã đổi mật khẩu; khóa bảo vệ được khóa lại bằng mật khẩu mới.")


# ---------------------------------------------------------------- one case


def _reveal_rows(
    requests: Any, *, failed: PasswordForm | None = None, open_request: int | None = None
) -> list[dict[str, Any]]:
    # One form per row, each with its own element ids (the field names stay the same).
    rows = []
    for r in requests.select_related("requested_by", "decided_by"):
        password_form = failed if failed is not None and open_request == r.pk else None
        rows.append(
            {
                "request": r,
                "decision_form": DecisionForm(auto_id=f"id_decide{r.pk}_%s"),
                "password_form": password_form or PasswordForm(auto_id=f"id_open{r.pk}_%s"),
            }
        )
    return rows


def _case_context(
    request: HttpRequest,
    case: Case,
    *,
    failed: PasswordForm | None = None,
    open_request: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    rows = _reveal_rows(RevealRequest.objects.filter(case=case), failed=failed, open_request=open_request)
    protection_rows = [
        {"request": p, "form": ProtectionDecisionForm(auto_id=f"id_protection{p.pk}_%s")}
        for p in ProtectionRequest.objects.filter(case=case)
    ]
    return {
        "case": case,
        "reveal_form": RevealRequestForm(),
        "rows": rows,
        "attachments": Attachment.objects.filter(case=case),
        "protection_rows": protection_rows,
        "can_decide": protection.can_decide_protection(request.user, case),
        "has_identity": case.vault_items.filter(kind="identity").exists(),
        **extra,
    }


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_identity_case(request.user, case_id)
    return _no_store(render(request, "protection/case.html", _case_context(request, case)))


def _ask_reveal(request: HttpRequest, subject: dict[str, Any], page: HttpResponse, failed: Any) -> HttpResponse:
    """The request form of a case or a person: ``subject`` is ``{"case": …}`` or ``{"item": …}``; ``page`` is
    where to go on success; ``failed(form)`` renders the page again with the form's errors."""
    form = RevealRequestForm(request.POST)
    if form.is_valid():
        try:
            protection.request_reveal(actor=request.user, **subject, **form.cleaned_data)
        except PaknError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Đã gửi đề nghị. Cần một cán bộ bảo vệ khác phê duyệt."))
            return page
    return failed(form)  # type: ignore[no-any-return]


@login_required
@require_POST
def reveal_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_identity_case(request.user, case_id)
    return _ask_reveal(
        request,
        {"case": case},
        redirect("protection_case", case_id=case.pk),
        lambda form: render(
            request, "protection/case.html", _case_context(request, case, reveal_form=form), status=400
        ),
    )


def _person_context(
    item: VaultItem, *, failed: PasswordForm | None = None, open_request: int | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "item": item,
        "reveal_form": RevealRequestForm(),
        "rows": _reveal_rows(RevealRequest.objects.filter(item=item), failed=failed, open_request=open_request),
        "shared_cases": Case.objects.filter(vault_items__shared_from=item).distinct(),
        **extra,
    }


@login_required
def person_page(request: HttpRequest, item_id: int) -> HttpResponse:
    """A person sealed outside any case (a reception-register entry, a booking): the same four-eyes reveal."""
    item = access_identity_item(request.user, item_id)
    return _no_store(render(request, "protection/person.html", _person_context(item)))


@login_required
@require_POST
def person_reveal_request(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_identity_item(request.user, item_id)
    return _ask_reveal(
        request,
        {"item": item},
        redirect("protection_person", item_id=item.pk),
        lambda form: render(request, "protection/person.html", _person_context(item, reveal_form=form), status=400),
    )


def _reveal_request(request: HttpRequest, request_id: int) -> RevealRequest:
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    reveal = RevealRequest.objects.select_related("case", "item").filter(pk=pk).first()
    if reveal is None:
        raise NotFound()
    if reveal.case_id is not None:
        access_identity_case(request.user, reveal.case_id)
    else:
        access_identity_item(request.user, reveal.item_id)
    return reveal


def _subject_page(reveal: RevealRequest) -> HttpResponse:
    if reveal.case_id is not None:
        return redirect("protection_case", case_id=reveal.case_id)
    return redirect("protection_person", item_id=reveal.item_id)


def _subject_context(request: HttpRequest, reveal: RevealRequest, failed: PasswordForm) -> tuple[str, dict[str, Any]]:
    if reveal.case is not None:
        return "protection/case.html", _case_context(request, reveal.case, failed=failed, open_request=reveal.pk)
    assert reveal.item is not None
    return "protection/person.html", _person_context(reveal.item, failed=failed, open_request=reveal.pk)


@login_required
@require_POST
def reveal_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    reveal = _reveal_request(request, request_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    try:
        protection.decide_reveal(
            actor=request.user, request=reveal, approve=approve, note=form.cleaned_data.get("note", "")
        )
    except PaknError as error:
        if error.http_status in (403, 404):
            raise
        messages.error(request, str(error.message))
        return _subject_page(reveal)
    messages.success(request, _("Đã phê duyệt.") if approve else _("Đã từ chối."))
    return _subject_page(reveal)


@sensitive_post_parameters(*PASSWORD_FIELDS)
@never_cache
@login_required
@require_POST
def reveal_open(request: HttpRequest, request_id: int) -> HttpResponse:
    """The identity, once, in this response only."""
    reveal = _reveal_request(request, request_id)
    form = PasswordForm(request.POST, auto_id=f"id_open{reveal.pk}_%s")
    if form.is_valid():
        try:
            revealed = protection.reveal_identity(
                actor=request.user, request=reveal, password=form.cleaned_data["password"]
            )
        except PaknError as error:
            _form_errors(form, error)
        else:
            return _no_store(
                render(
                    request,
                    "protection/revealed.html",
                    {
                        "case": reveal.case,
                        "item": reveal.item,
                        "identity": revealed.identity,
                        "attachments": revealed.attachments,
                        "request_obj": revealed.request,
                        "originals": [
                            (a, PasswordForm(auto_id=f"id_original{a.number}_%s")) for a in revealed.attachments
                        ],
                    },
                )
            )
    template, context = _subject_context(request, reveal, form)
    return _no_store(render(request, template, context, status=400))


@sensitive_post_parameters(*PASSWORD_FIELDS)
@never_cache
@login_required
@require_POST
def original_file(request: HttpRequest, request_id: int, number: int) -> HttpResponse:
    reveal = _reveal_request(request, request_id)
    attachment = Attachment.objects.filter(case_id=reveal.case_id or 0, number=number).first()
    if attachment is None:
        raise NotFound()
    form = PasswordForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(fields={"password": [_("Nhập mật khẩu.")]})
    meta, data = protection.open_original(
        actor=request.user, request=reveal, attachment=attachment, password=form.cleaned_data["password"]
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="goc-{attachment.number}.{attachment.extension}"'
    return _no_store(response)


# ---------------------------------------------------------------- handlers: files, copies, questions


def _file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@login_required
def clean_file(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """The clean copy (metadata removed): what handlers and supervisors download."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    case_ids = visible_cases(request.user).values("pk")
    allowed = Case.objects.filter(pk=attachment.case_id).filter(pk__in=case_ids).exists() or (
        officer_cases(request.user).filter(pk=attachment.case_id).exists()
    )
    if not allowed or not attachment.clean_blob:
        raise NotFound()
    return _file_response(vault.read_clean(attachment.clean_blob), attachment.content_type, attachment.name)


@login_required
@require_POST
def make_copy(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _handled_case(request, case_id)
    looked_at = [int(n) for n in request.POST.getlist("looked_at") if n.isdecimal() and len(n) < 6]
    copy = protection.make_verification_copy(actor=request.user, case=case, looked_at=looked_at)
    return redirect("protection_copy", copy_id=copy.pk)


@login_required
def download_copy(request: HttpRequest, copy_id: int) -> HttpResponse:
    copy = VerificationCopy.objects.filter(pk=copy_id).first()
    if copy is None:
        raise NotFound()
    if not oversight_cases(request.user).filter(pk=copy.case_id).exists():
        raise NotFound()
    case = copy.case
    return _file_response(protection.verification_zip(copy), "application/zip", f"ban-sao-xac-minh-{case.pk}.zip")


def _handled_case(request: HttpRequest, case_id: int) -> Case:
    case = access_case(request.user, case_id)
    if not (can_handle(request.user, case) or officer_cases(request.user).filter(pk=case.pk).exists()):
        raise Forbidden()
    return case


@login_required
@require_POST
def ask(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = AskForm(request.POST, prefix="ask")
    if form.is_valid():
        try:
            case_services.ask_reporter(actor=request.user, case=case, body=form.cleaned_data["body"])
        except PaknError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Đã gửi câu hỏi cho người gửi."))
    else:
        messages.error(request, _("Nhập nội dung câu hỏi."))
    return redirect("staff_case", case_id=case.pk)


@login_required
def protect(request: HttpRequest, case_id: int) -> HttpResponse:
    """A handler or officer records a protection request on the reporter's behalf (Art. 50)."""
    case = _handled_case(request, case_id)
    form = ProtectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            protection.request_protection(case=case, actor=request.user, **form.cleaned_data)
        except PaknError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận đề nghị bảo vệ; cán bộ bảo vệ và lãnh đạo đơn vị được thông báo."))
            return redirect("staff_case", case_id=case.pk)
    return render(request, "protection/protect.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def protection_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    item = ProtectionRequest.objects.select_related("case").filter(pk=request_id).first()
    if item is None:
        raise NotFound()
    if not oversight_cases(request.user).filter(pk=item.case_id).exists():
        raise NotFound()
    form = ProtectionDecisionForm(request.POST)
    if form.is_valid():
        try:
            protection.decide_protection(actor=request.user, request=item, **form.cleaned_data)
        except PaknError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Đã ghi quyết định."))
    else:
        messages.error(request, _("Chọn kết quả và ghi rõ quyết định."))
    if officer_cases(request.user).filter(pk=item.case_id).exists():
        return redirect("protection_case", case_id=item.case_id)
    return redirect("staff_case", case_id=item.case_id)
