"""One error renderer for HTML and JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pakn.core.errors import Forbidden, InvalidInput, NotFound, PaknError, TooLarge, retry_after_header

# Fields never given back on an error page: secrets, and the form's own machinery.
NOT_GIVEN_BACK = ("password", "receipt", "csrfmiddlewaretoken", "website", "pow_", "token", "otp")


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/open311/")) or "application/json" in request.headers.get("Accept", "")


def typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """What the person typed into the form that failed, to give back on the error page (never stored)."""
    if request.method != "POST":
        return []
    try:
        items = list(request.POST.lists())
    except Exception:  # the body itself was refused (too big): nothing to give back
        return []
    labels = {
        "title": _("Tiêu đề"),
        "content": _("Nội dung"),
        "body": _("Nội dung"),
        "subject": _("Người, cơ quan bị phản ánh/tố cáo"),
        "address": _("Địa chỉ"),
        "reason": _("Lý do"),
        "comment": _("Nhận xét"),
        "details": _("Nội dung chi tiết"),
        "summary": _("Tóm tắt"),
        "note": _("Ghi chú"),
        "reporter_name": _("Họ và tên"),
        "reporter_address": _("Địa chỉ liên hệ"),
    }
    typed = []
    for name, values in items:
        if any(part in name.lower() for part in NOT_GIVEN_BACK):
            continue
        text = "\n".join(v for v in values if v.strip())
        if len(text.strip()) > 1 and (name in labels or len(text) > 40):
            typed.append((str(labels.get(name, _("Nội dung khác"))), text))
    return typed


def back_to(request: HttpRequest) -> str:
    """The page the person came from (same site only), else this path: a POST-only address cannot be reopened."""
    from urllib.parse import urlparse

    referer = urlparse(request.headers.get("Referer", ""))
    if referer.netloc == request.get_host() and referer.path:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.path if request.method == "GET" else "/"


def render_error(request: HttpRequest, error: PaknError, **extra: Any) -> HttpResponse:
    if wants_json(request):
        return retry_after_header(JsonResponse(error.as_dict(), status=error.http_status), error)
    context = {"error": error, "typed": typed_text(request), "back": back_to(request), **extra}
    return retry_after_header(render(request, "error.html", context, status=error.http_status), error)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, NotFound())


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, Forbidden())


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return render_error(request, too_large())
    if isinstance(exception, TooManyFilesSent):
        return render_error(request, InvalidInput(_("Tối đa 5 tệp mỗi lần gửi. Vui lòng chọn lại ít tệp hơn.")))
    if isinstance(exception, TooManyFieldsSent):
        return render_error(request, InvalidInput(_("Mẫu gửi lên có quá nhiều trường.")))
    return render_error(request, InvalidInput())


def too_large() -> TooLarge:
    from pakn.core.validate import limits_sentence

    return TooLarge(limits_sentence())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, in the site's layout and language, giving back what was typed."""
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE

    if reason == REASON_NO_CSRF_COOKIE:
        message = _(
            "Trình duyệt của bạn không gửi cookie của trang này, nên chưa gửi được. Hãy cho phép cookie "
            "của trang (chỉ dùng để chống giả mạo biểu mẫu), rồi mở lại trang và gửi lại."
        )
    else:
        message = _(
            "Trang đã mở quá lâu hoặc đã được mở lại từ bộ nhớ, nên chưa gửi được. Hãy mở lại trang và gửi lại."
        )
    error = Forbidden(message, code="csrf_failed")
    return render_error(request, error, csrf=True)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: they may need the database that just failed."""
    error = PaknError(_("Hệ thống gặp sự cố. Nội dung bạn gửi có thể chưa được lưu; vui lòng thử lại sau ít phút."))
    error.code, error.http_status = "server_error", 500
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=500)
    return HttpResponse(render_to_string("error.html", {"error": error, "minimal": True}), status=500)


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """``/errors/<status>/``: the same pages for the proxy to show (nginx ``error_page``), e.g. its own 413."""
    errors: dict[int, PaknError] = {400: InvalidInput(), 403: Forbidden(), 404: NotFound(), 413: too_large()}
    error = errors.get(status)
    if error is None:
        error = PaknError(_("Hệ thống đang bận hoặc đang bảo trì. Vui lòng thử lại sau ít phút."))
        error.code, error.http_status = "unavailable", 503
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
