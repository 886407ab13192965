"""Security keys and passkeys (WebAuthn) as a second factor, beside the authenticator app.

The ceremonies are django-otp-webauthn's (which verifies with Duo's py_webauthn): its views answer the
browser's JSON, its model is a django-otp device, so ``policy.has_second_factor`` and ``user.is_verified`` count
a key like an app. What PAKN adds here:

- the relying party: ``PAKN_WEBAUTHN_RP_ID`` and ``PAKN_WEBAUTHN_ORIGINS`` when a deployment pins them, else the
  host and origin the request came to (Django has checked the host against ``ALLOWED_HOSTS``, and the browser
  puts the page's real origin in what it signs, so a look-alike site cannot relay a ceremony);
- a key is only ever a second factor (passwordless login is off in the settings);
- the second step with a key is throttled with the code's counters, passes like a code (a new session id) and
  sends the person where they were going;
- adding a key is a write of ``pakn.accounts.services`` (audited, recovery codes when the person has none);
- refusals are told in the page's language, in the library's JSON shape (``detail``, ``code``).

The browser side is ``static/pakn/webauthn.js`` (no page needs it: without JavaScript or WebAuthn the app
remains)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp_webauthn import exceptions, helpers, views
from django_otp_webauthn.utils import rewrite_exceptions

from pakn.accounts import services
from pakn.protection.logins import Attempt, LoginThrottled


def relying_party_id(request: HttpRequest) -> str:
    """``OTP_WEBAUTHN_RP_ID_CALLABLE``: the pinned domain, else the host the request came to (without port)."""
    return str(settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0])


class Helper(helpers.WebAuthnHelper):
    """django-otp-webauthn's helper with PAKN's origins (``OTP_WEBAUTHN_HELPER_CLASS``)."""

    def get_allowed_origins(self) -> list[str]:
        return list(super().get_allowed_origins()) or [f"{self.request.scheme}://{self.request.get_host()}"]


class NoKey(exceptions.OTPWebAuthnApiError):
    status_code = 404
    default_code = "no_key"


def refusal_text(code: str) -> str:
    """What the person reads when a ceremony is refused (the library's code → a sentence of this page)."""
    texts = {
        "user_not_verified": _("Vui lòng xác thực bước hai bằng cách đang dùng trước khi thêm khóa mới."),
        "not_authenticated": _("Phiên đăng nhập đã hết. Vui lòng đăng nhập lại."),
        "invalid_state": _("Thao tác đã hết hạn hoặc đã được dùng. Vui lòng bấm lại nút."),
        "credential_not_found": _("Khóa này không được đăng ký cho tài khoản nào. Hãy dùng khóa khác hoặc mã."),
        "credential_user_mismatch": _("Khóa này thuộc tài khoản khác. Hãy dùng khóa của bạn hoặc mã."),
        "credential_disabled": _("Khóa này đã bị tắt. Hãy dùng khóa khác hoặc mã."),
        "user_disabled": _("Tài khoản đã bị khóa."),
        "passwordless_login_disabled": _("Khóa bảo mật chỉ dùng cho bước hai, sau khi nhập mật khẩu."),
        "throttled": _("Xác thực sai quá nhiều lần. Vui lòng thử lại sau."),
        "no_key": _("Tài khoản chưa có khóa bảo mật nào."),
    }
    return texts.get(code, _("Máy chủ không xác minh được khóa. Vui lòng thử lại hoặc dùng mã."))


class _Refusals:
    """Every refusal as ``{"detail", "code"}`` in the page's language."""

    def handle_exception(self, exc: Exception) -> JsonResponse:
        if isinstance(exc, LoginThrottled):
            response = JsonResponse({"detail": exc.message, "code": "throttled"}, status=429)
            response["Retry-After"] = str(int(exc.retry_after))
            return response
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            return JsonResponse({"detail": refusal_text(exc.code), "code": exc.code}, status=exc.status_code)
        raise exc


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


class BeginRegistration(_Refusals, views.BeginCredentialRegistrationView):  # type: ignore[misc]
    pass


class CompleteRegistration(_Refusals, views.CompleteCredentialRegistrationView):  # type: ignore[misc]
    """The key is verified and saved by the library, then recorded by ``services.security_key_added`` in the same
    transaction; the answer carries the recovery codes when this key is the person's first factor (shown once,
    by the page's script, never stored in clear)."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        request: Any = self.request
        user = request.user
        state = self.get_state()
        with transaction.atomic():
            with rewrite_exceptions(logger=logging.getLogger("django_otp_webauthn")):
                device = self.get_helper().register_complete(user=user, state=state, data=request.data)
            codes = services.security_key_added(user=user, key=device)
        if not request.user.is_verified():
            request.session.cycle_key()
            otp_login(request, device)
        return JsonResponse({"id": device.pk, "codes": codes, "redirect_url": _next_url(request)})


class BeginVerification(_Refusals, views.BeginCredentialAuthenticationView):  # type: ignore[misc]
    def check_can_authenticate(self) -> None:
        user = self.get_user()
        if user is None:
            raise exceptions.NotAuthenticated()
        if not services.has_security_key(user):
            raise NoKey()
        Attempt(self.request, user.get_username(), step="otp").check()


class CompleteVerification(_Refusals, views.CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """The second step passed with a key: throttled with the code's counters, a new session id, then the page the
    person was going to."""

    def check_can_authenticate(self) -> None:
        if self.get_user() is None:
            raise exceptions.NotAuthenticated()

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        request: Any = self.request
        attempt = Attempt(request, request.user.get_username(), step="otp")
        attempt.check()
        try:
            response: JsonResponse = super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError as error:
            if error.code != "invalid_state":
                attempt.failed()
            raise
        attempt.succeeded()
        return response

    def complete_auth(self, device: Any) -> Any:
        self.request.session.cycle_key()
        otp_login(self.request, device)
        return device.user

    def get_success_url(self) -> str:
        return _next_url(self.request)
