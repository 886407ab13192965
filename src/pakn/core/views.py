"""One error renderer for HTML and JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pakn.core.errors import Forbidden, InvalidInput, NotFound, PaknError


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/open311/")) or "application/json" in request.headers.get("Accept", "")


def render_error(request: HttpRequest, error: PaknError) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=error.http_status)
    return render(request, "error.html", {"error": error}, status=error.http_status)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, NotFound())


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, Forbidden())


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, InvalidInput())


def server_error(request: HttpRequest) -> HttpResponse:
    error = PaknError(code="server_error")
    error.http_status = 500
    return render_error(request, error)


def switch_language(request: HttpRequest) -> HttpResponse:
    """``/lang/?lang=en&next=/path``: remember the choice and go back to a safe local page."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    from pakn.core.middleware import LANGUAGE_COOKIE, SUPPORTED

    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = redirect(target)
    language = request.GET.get("lang")
    if language in SUPPORTED:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="Lax")
    return response
