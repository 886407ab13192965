"""The account page, enrolment (QR code and secret), the second step after the password, recovery codes and an
administrator's reset. Thin: the writes are in ``pakn.accounts.services``; the second step is throttled like
the password (``pakn.protection.logins.Attempt``, counters of its own)."""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from qrcode.image.svg import SvgPathImage

from pakn.accounts import policy, services
from pakn.accounts.forms import CodeForm, ResetForm
from pakn.core.errors import Forbidden, PaknError, retry_after_header
from pakn.protection.logins import Attempt, LoginThrottled


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG made here (the ``qrcode`` package), in a ``data:`` URI: the page's CSP allows
    ``img-src 'self' data:``, and nothing is asked of another host."""
    image = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _mark_verified(request: HttpRequest, device: Device) -> None:
    request.session.cycle_key()  # a new session id once the second step is passed
    django_otp.login(request, device)


def _attempt(request: HttpRequest) -> Attempt:
    return Attempt(request, request.user.get_username(), step="otp")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_factor": policy.has_second_factor(user),
        "has_app": services.has_app(user),
        "keys": services.security_keys(user),
        "required": policy.must_enrol(user),
        "codes_left": services.recovery_codes_left(user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def remove_key(request: HttpRequest, key_id: int) -> HttpResponse:
    try:
        services.remove_security_key(user=request.user, key_id=key_id)
    except PaknError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Đã xóa khóa bảo mật."))
    return redirect("account")


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST or None)
    throttled: LoginThrottled | None = None
    if request.method == "POST" and form.is_valid():
        attempt = _attempt(request)
        try:
            attempt.check()
            result = services.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except LoginThrottled as error:
            throttled = error
        else:
            if result is None:
                attempt.failed()
                form.add_error("code", _("Mã không đúng. Vui lòng nhập mã mới nhất đang hiển thị trong ứng dụng."))
            else:
                attempt.succeeded()
                device, codes = result
                _mark_verified(request, device)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
    device = services.pending_device(user=user)
    context: dict[str, Any] = {
        "form": form,
        "refused": throttled.message if throttled else "",
        "qr": qr_data_uri(device.config_url),
        "secret": _grouped(services.secret_of(device)),
        "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
        "required": policy.must_enrol(user),
        "replacing": policy.has_second_factor(user),
        "next": _next(request),
    }
    response = render(request, "accounts/enrol.html", context, status=429 if throttled else 200)
    return retry_after_header(response, throttled) if throttled else response


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if policy.is_verified(user) or not policy.has_second_factor(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None, recovery=True)
    context: dict[str, Any] = {"form": form, "next": _next(request), "has_key": services.has_security_key(user)}
    if request.method == "POST" and form.is_valid():
        attempt = _attempt(request)
        try:
            attempt.check()
        except LoginThrottled as error:
            context.update(form=CodeForm(recovery=True), refused=error.message)
            return retry_after_header(render(request, "accounts/verify.html", context, status=429), error)
        device = services.check_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            attempt.failed()
            form.add_error("code", _("Mã không đúng hoặc đã được dùng. Vui lòng thử lại."))
        else:
            attempt.succeeded()
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "Bạn vừa dùng một mã khôi phục; còn %(left)s mã. Hãy tạo mã mới ở trang tài khoản.",
                        "Bạn vừa dùng một mã khôi phục; còn %(left)s mã. Hãy tạo mã mới ở trang tài khoản.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
    return render(request, "accounts/verify.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = services.renew_recovery_codes(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/staff/account/"})


@login_required
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise Forbidden()
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.reset_second_factor(
                actor=request.user, username=form.cleaned_data["username"], reason=form.cleaned_data["reason"]
            )
        except PaknError as error:
            if not error.fields:
                raise
            for field, message in error.fields.items():
                form.add_error(field, str(message))
        else:
            messages.success(
                request,
                _("Đã đặt lại xác thực hai bước của %(username)s. Người này sẽ thiết lập lại khi đăng nhập lần tới.")
                % {"username": user.get_username()},
            )
            return redirect("otp_reset")
    return render(request, "accounts/reset.html", {"form": form})
