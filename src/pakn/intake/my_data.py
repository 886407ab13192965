"""Public pages of a citizen's rights over their personal data (docs/retention.md): what is held and until when,
a copy to download (JSON), erasure where the law allows. Two ways in: the citizen's account (every case filed while
logged in, and the account itself) or a tracking code (that case). Thin: ``protection.retention_rights`` decides
and records."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from pakn.cases import services
from pakn.core import formflow
from pakn.core.tracking import format_tracking_code
from pakn.protection import retention_rights as rights
from pakn.protection import throttle

LOGIN_URL = "/account/login/"


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), required=False
    )
    confirm = forms.BooleanField(
        label=_("Tôi hiểu: tài khoản bị đóng hẳn; các đơn vẫn tra cứu được bằng mã tra cứu."), required=True
    )

    def __init__(self, *args: Any, needs_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_password:
            self.fields["password"].required = True
        else:
            del self.fields["password"]


class EraseCaseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đề nghị xóa dữ liệu cá nhân của đơn này nếu pháp luật cho phép."), required=True
    )


def _download(data: dict[str, Any], name: str) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.json"'
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def _rows(cases: Any) -> list[dict[str, Any]]:
    return [{"case": c, "code": format_tracking_code(c.tracking_code), "data": rights.case_retention(c)} for c in cases]


# ---------------------------------------------------------------- the account holder


@never_cache
@login_required(login_url=LOGIN_URL)
def account_data(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "public/my_data.html",
        {
            "via_account": True,
            "account": user,
            "rows": _rows(rights.account_cases(user)),
            "identity_note": rights.IDENTITY_NOTE,
            "legal_basis": rights.LEGAL_BASIS,
        },
    )


@never_cache
@login_required(login_url=LOGIN_URL)
@require_POST
def account_download(request: HttpRequest) -> HttpResponse:
    throttle.check(request, "citizen")
    return _download(rights.copy_for_account(user=request.user), "du-lieu-ca-nhan")


@sensitive_post_parameters("password")
@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def account_close(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        throttle.check(request, "citizen")
    form = CloseAccountForm(request.POST or None, needs_password=user.has_usable_password())

    def closed(answers: list[rights.CaseAnswer]) -> HttpResponse:
        logout(request)
        return render(request, "public/my_data_done.html", _done_context(answers, account_closed=True))

    answer = formflow.submit(
        request,
        form,
        lambda d: rights.close_account(user=user, password=d.get("password", ""), confirm=d["confirm"]),
        then=closed,
        refused="form",
    )
    return answer or render(
        request,
        "public/my_data_close.html",
        {"form": form, "rows": _rows(rights.account_cases(user))},
        status=formflow.form_status(request),
    )


def _done_context(answers: list[rights.CaseAnswer], *, account_closed: bool) -> dict[str, Any]:
    return {
        "account_closed": account_closed,
        "answers": [
            {
                "code": format_tracking_code(a.case.tracking_code),
                "title": a.case.title,
                "erased": a.erased,
                "text": a.text,
            }
            for a in answers
        ],
        "legal_basis": rights.LEGAL_BASIS,
    }


# ---------------------------------------------------------------- the tracking-code holder


@never_cache
def case_data(request: HttpRequest, code: str) -> HttpResponse:
    case = services.get_case_by_code(code)
    return render(
        request,
        "public/my_data.html",
        {
            "via_account": False,
            "case": case,
            "rows": _rows([case]),
            "erase_form": EraseCaseForm(),
            "identity_note": rights.IDENTITY_NOTE,
            "legal_basis": rights.LEGAL_BASIS,
        },
    )


@never_cache
@require_POST
def case_download(request: HttpRequest, code: str) -> HttpResponse:
    throttle.check(request, "citizen")
    case = services.get_case_by_code(code)
    return _download(rights.copy_for_case(case=case), f"don-{case.tracking_code}")


@never_cache
@require_POST
def case_erase(request: HttpRequest, code: str) -> HttpResponse:
    throttle.check(request, "citizen")
    case = services.get_case_by_code(code)
    form = EraseCaseForm(request.POST)
    answer = formflow.submit(
        request,
        form,
        lambda d: rights.erase_for_case(case=case),
        then=lambda answers: render(request, "public/my_data_done.html", _done_context(answers, account_closed=False)),
    )
    return answer or render(
        request,
        "public/my_data.html",
        {
            "via_account": False,
            "case": case,
            "rows": _rows([case]),
            "erase_form": form,
            "identity_note": rights.IDENTITY_NOTE,
            "legal_basis": rights.LEGAL_BASIS,
        },
        status=400,
    )
