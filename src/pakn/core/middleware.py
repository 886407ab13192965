from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_COOKIE = "pakn_lang"
SUPPORTED = {"vi", "en"}


class LanguageMiddleware:
    """Vietnamese unless the person chose English (``?lang=en`` or the cookie it sets). The APIs, used by
    programs, also honour ``Accept-Language``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.GET.get("lang")
        language = chosen if chosen in SUPPORTED else request.COOKIES.get(LANGUAGE_COOKIE)
        if language not in SUPPORTED:
            language = "vi"
            if request.path.startswith(("/api/", "/open311/")):
                accepted = translation.get_language_from_request(request)
                language = "en" if accepted and accepted.startswith("en") else "vi"
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            translation.activate(previous) if previous else translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        if chosen in SUPPORTED:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="Lax")
        return response


class SecurityHeadersMiddleware:
    """Pages load nothing from other hosts: a strict CSP on everything but the admin (the API docs included:
    Swagger UI is served from the package).

    The anonymous drop box (``/dropbox/``) is stricter still: no script at all (unless the proof of work is
    switched on, which needs our own pow.js), no connections, no referrer to other hosts, nothing cached."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    DROPBOX_CSP = (
        "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'none'; connect-src 'none'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    DROPBOX_PREFIX = "/dropbox/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.DROPBOX_PREFIX):
            from django.conf import settings

            csp = self.DROPBOX_CSP
            if getattr(settings, "POW_BITS", 0):
                csp = csp.replace("script-src 'none'", "script-src 'self'")
            response.headers["Content-Security-Policy"] = csp
            # same-origin, not no-referrer: with no-referrer Chromium posts forms with "Origin: null", which
            # Django's CSRF check refuses. same-origin still sends nothing to another host.
            response.headers["Referrer-Policy"] = "same-origin"
            response.headers["Cache-Control"] = "no-store, max-age=0"
        elif not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.csp())
        # The submission form may ask for the phone's position (never required; docs/location.md); no other page.
        geolocation = "(self)" if request.path.startswith(self.GEOLOCATION_PREFIX) else "()"
        response.headers.setdefault("Permissions-Policy", f"geolocation={geolocation}, camera=(), microphone=()")
        return response

    GEOLOCATION_PREFIX = "/submit/"

    def csp(self) -> str:
        """The strict CSP; the deployment's map tile server (``PAKN_MAP_TILE_URL``), when one is named, may serve
        images too."""
        from pakn.core.maps import tile_origin

        origin = tile_origin()
        return self.CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}") if origin else self.CSP


class PrivatePagesMiddleware:
    """``Cache-Control: no-store`` on every page that shows what only its visitor may see, so no shared cache,
    back button on a shared computer or browser history keeps it: every answer to a logged-in person (the
    staff pages, the admin, the API with a token) and, for anyone, the pages behind a tracking code, a
    receipt or a booking code, and the answers to forms. The portal's pages for visitors keep their caching,
    and a response the view declares public (a script) keeps its own."""

    # Pages a visitor reaches with a code, a receipt or a login; listed once.
    PRIVATE_PREFIXES = (
        "/track/",  # status of a case by its tracking code, and the citizen's acts on it
        "/dropbox/",  # the anonymous drop box and its case page opened with the receipt
        "/submit/",  # the form, and the receipt shown in the answer to it
        "/account/",  # the citizen's cases, login, sign-up
        "/reception/bookings/",  # a booking by its code
        "/reception/sessions/",  # the booking form and its confirmation
        "/reception/staff/",
        "/staff/",
        "/oversight/",
        "/protection/",
        "/plans/",
        "/language/",  # staff search and panels; similar cases of a citizen's draft (its text in the query)
        "/admin/",
        "/api/v1/submissions/",  # a case's status and conversation by its tracking code
        "/api/v1/language/similar",  # similar cases of a citizen's draft
    )
    NO_STORE = "no-store, no-cache, max-age=0, must-revalidate, private"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.is_private(request, response):
            response.headers["Cache-Control"] = self.NO_STORE
            response.headers["Pragma"] = "no-cache"
            response.headers.pop("Expires", None)
        return response

    def is_private(self, request: HttpRequest, response: HttpResponse) -> bool:
        if "public" in response.headers.get("Cache-Control", ""):
            return False  # declared by the view itself (``cache_control(public=True)``): the same for everyone
        user = getattr(request, "user", None)  # the API's token sets it during the view
        return (
            (user is not None and user.is_authenticated)
            or request.path.startswith(self.PRIVATE_PREFIXES)
            or request.method not in ("GET", "HEAD", "OPTIONS")
        )


class PaknErrorMiddleware:
    """A PaknError raised by an HTML view becomes the error page with its status (API errors are
    handled by the API itself)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from pakn.core.errors import PaknError, busy_database
        from pakn.core.views import render_error

        if isinstance(exception, PaknError):
            return render_error(request, exception)
        busy = busy_database(exception)
        return render_error(request, busy) if busy else None
