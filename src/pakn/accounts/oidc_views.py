"""Citizen login with OpenID Connect (``pakn.accounts.oidc``, docs/citizen-login.md): the link on the citizen
login page starts it, the provider sends the citizen back to the callback, which logs them in and opens "my
cases". Both answer 404 while no provider is configured. Thin: the protocol and the one write are in
``pakn.accounts.oidc``; every failure is a page in Vietnamese that says what to do, never a 500."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET

from pakn.accounts import oidc
from pakn.core.errors import Forbidden
from pakn.core.site import public_base_url
from pakn.protection import throttle

NEXT_KEY = "pakn_oidc_next"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _config() -> oidc.Config:
    cfg = oidc.config()
    if cfg is None:
        raise Http404
    return cfg


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _failure(request: HttpRequest, cfg: oidc.Config, *, message: str, code: str, status: int) -> HttpResponse:
    context = {"provider": cfg.name, "message": message, "code": code}
    return render(request, "accounts/oidc_error.html", context, status=status)


def _unavailable(request: HttpRequest, cfg: oidc.Config) -> HttpResponse:
    message = _(
        "Hệ thống %(provider)s đang không phản hồi, nên chưa đăng nhập được. Vui lòng thử lại sau ít phút. "
        "Bạn vẫn có thể gửi đơn mà không cần đăng nhập."
    ) % {"provider": cfg.name}
    return _failure(request, cfg, message=message, code="provider_unavailable", status=502)


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """A plain link (no JavaScript, no form): to the provider's login page. Counted per client (``oidc`` of
    ``PAKN_THROTTLE_RATES``): each start fetches the provider's metadata and keeps a state in the session."""
    cfg = _config()
    throttle.check(request, "oidc")
    request.session[NEXT_KEY] = _safe_next(request)
    redirect_uri = public_base_url() + reverse("oidc_callback")
    try:
        return oidc.authorize_redirect(request, cfg, redirect_uri=redirect_uri)
    except oidc.ProviderUnavailable as error:
        oidc.logger.warning("OpenID Connect login not started: provider unavailable (%s)", error)
        return _unavailable(request, cfg)


@never_cache
@require_GET
@sensitive_variables("claims")
def callback(request: HttpRequest) -> HttpResponse:
    cfg = _config()
    try:
        claims = oidc.finish(request, cfg)
        user = oidc.sign_in(issuer=cfg.issuer, claims=claims)
    except oidc.ProviderUnavailable as error:
        oidc.logger.warning("OpenID Connect login failed: provider unavailable (%s)", error)
        return _unavailable(request, cfg)
    except oidc.LoginCancelled as error:
        oidc.logger.info("OpenID Connect login cancelled at the provider (%s)", error.reason)
        message = _("Bạn đã hủy đăng nhập tại %(provider)s, hoặc %(provider)s đã từ chối yêu cầu đăng nhập.") % {
            "provider": cfg.name
        }
        return _failure(request, cfg, message=message, code="login_cancelled", status=400)
    except oidc.LoginFailed as error:
        oidc.logger.warning("OpenID Connect login failed: %s", error.reason)
        message = _(
            "Phiên đăng nhập đã hết hạn hoặc không hợp lệ (có thể do mở lại một trang cũ, hoặc đăng nhập ở "
            "một thẻ khác). Chưa có gì thay đổi. Vui lòng đăng nhập lại."
        )
        return _failure(request, cfg, message=message, code="login_failed", status=400)
    except Forbidden as error:
        return _failure(request, cfg, message=str(error.message), code="forbidden", status=403)
    target = request.session.pop(NEXT_KEY, "") or reverse("my_cases")
    login(request, user, backend=MODEL_BACKEND)  # a new session id; the provider's tokens are not kept
    return redirect(target)
