"""The JSON API at /api/v1/: routers from the feature packages, token auth, and one error shape."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from pakn.cases.api import public, staff
from pakn.core.errors import InvalidInput, NotAuthenticated, NotFound, PaknError
from pakn.org.api import router as org_router
from pakn.org.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are issued by an administrator (``pakn token``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True).first()
        if record is None or not record.user.is_active:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


api = NinjaAPI(
    title="PAKN API",
    version="1",
    description="Tiếp nhận và giải quyết phản ánh, kiến nghị, khiếu nại, tố cáo. Lỗi luôn có dạng "
    '`{"error": {"code", "message", "fields"}}`; gửi `Accept-Language: en` để nhận thông báo tiếng Anh.',
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
)
api.add_router("/", public)
api.add_router("/", staff)
api.add_router("/", org_router)


def _error(request: HttpRequest, error: PaknError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.http_status)


@api.exception_handler(PaknError)
def pakn_error(request: HttpRequest, exc: PaknError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "payload", "filters")]
        name = ".".join(loc) or "body"
        kind = item.get("type", "")
        if kind == "missing":
            message = _("Trường này là bắt buộc.")
        elif kind in ("json_invalid", "model_attributes_type"):
            message = _("Nội dung gửi lên không phải JSON hợp lệ.")
        elif kind.startswith(("string", "int", "bool", "date", "literal", "enum", "float", "dict", "model")):
            message = _("Sai kiểu hoặc giá trị không hợp lệ.")
        else:
            message = _("Giá trị không hợp lệ.")
        fields.setdefault(name, []).append(message)
    return _error(request, InvalidInput(fields=fields))


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, NotAuthenticated())


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    error = PaknError(_("Yêu cầu không hợp lệ."), code="bad_request" if exc.status_code == 400 else "error")
    error.http_status = exc.status_code if 400 <= exc.status_code < 500 else 400
    return _error(request, error)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, NotFound())
