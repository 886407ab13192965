"""The public address of this instance, for links that leave the page (e-mails, Open311 discovery).

``PAKN_PUBLIC_URL`` wins when it is set (behind a proxy the request may not know the public name); without
it, the host of the request being served (Django's ``ALLOWED_HOSTS`` has already vetted it); outside any
request (the worker), the development address."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEVELOPMENT_URL = "http://127.0.0.1:8000"
_request_base: ContextVar[str] = ContextVar("pakn_request_base", default="")


def public_base_url() -> str:
    configured = getattr(settings, "PUBLIC_URL", "") or ""
    return (configured or _request_base.get() or DEVELOPMENT_URL).rstrip("/")


class PublicBaseMiddleware:
    """Remembers the request's own base address while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            base = request.build_absolute_uri("/")
        except Exception:  # a disallowed host: Django answers 400 further on
            base = ""
        token = _request_base.set(base)
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
