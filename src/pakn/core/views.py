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
