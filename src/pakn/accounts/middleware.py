"""Nothing opens before the second step (docs/protection.md, "Two-factor login").

After ``django_otp.middleware.OTPMiddleware`` (which tells whether the session passed the second step):

- a user with a confirmed second factor whose session has not passed it is sent to the second step;
- a user whose roles require one (``PAKN_OTP_REQUIRED_ROLES``) and who has none is sent to the enrolment page;
- only the pages needed to get there stay open: login, logout, the two pages themselves, the language switch,
  health checks and static files.

The JSON API: a session that has not passed the second step counts as not logged in (401), so a password alone
never opens it. API tokens (``Authorization: Bearer``, ``pakn token``) are unaffected: they are issued by an
administrator to a program, not typed at a login page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# Paths an unverified session may still open (prefixes).
OPEN_PREFIXES = (
    "/staff/login/",
    "/staff/logout/",
    "/account/login/",
    "/admin/login/",
    "/admin/logout/",
    "/lang/",
    "/errors/",
    "/healthz",
    "/readyz",
    "/static/",
    # The WebAuthn ceremonies (JSON): a key passes the second step, or is a first factor's enrolment. The views
    # themselves refuse to add a key to an account that has a factor the session has not passed.
    "/staff/account/two-factor/key/add/",
    "/staff/account/two-factor/key/verify/",
)
API_PREFIX = "/api/"


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        from pakn.accounts import policy

        if policy.is_verified(user):
            return self.get_response(request)
        step = "otp_verify" if policy.has_second_factor(user) else "otp_enrol" if policy.must_enrol(user) else ""
        if not step:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            request.user = AnonymousUser()  # a token still authenticates; the session does not
            return self.get_response(request)
        target = reverse(step)
        if request.path == target:
            return self.get_response(request)
        destination = target
        if request.method == "GET":
            destination += "?next=" + quote(request.get_full_path(), safe="/")
        return HttpResponseRedirect(destination)
