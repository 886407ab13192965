"""The JSON API at /api/v1/: routers from the feature packages, token auth, and one error shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth
from ninja.throttling import SimpleRateThrottle

from pakn.cases.api import public, staff
from pakn.core.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PaknError,
    RateLimited,
    busy_database,
    retry_after_header,
)
from pakn.org import services as org_services
from pakn.org.api import me_router
from pakn.org.api import router as org_router
from pakn.org.models import ApiToken
from pakn.protection import throttle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _nul_error() -> InvalidInput:
    return InvalidInput(fields={"body": [_("Dữ liệu chứa ký tự NUL không hợp lệ.")]})


class StrictParser(Parser):
    """JSON bodies and query strings with a NUL character are refused (400): no database stores it, and
    PostgreSQL would fail on it."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if _has_nul(data):
            raise _nul_error()
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        if any(NUL in key or any(NUL in v for v in values) for key, values in data.lists()):
            raise _nul_error()
        return super().parse_querydict(data, list_fields, request)


class SettingsRateThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` (e.g. ``"120/m"``): requests per token (or logged-in user), or per client
    client for anonymous calls. Read at each request; empty (the default) means no limit."""

    def __init__(self) -> None:  # the rate comes from the settings at each request
        self.rate, self.num_requests, self.duration = None, None, None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "API_RATE_LIMIT", "")
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        user_pk = getattr(getattr(request, "auth", None), "pk", None)
        # Anonymous callers by the keyed daily hash of their address, as every other limit: no address is
        # ever written, not even into a cache key.
        ident = f"user:{user_pk}" if user_pk else f"client:{throttle.client_key(request)}"
        return f"pakn-api-rate:{ident}"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are issued by an administrator (``pakn token``). A read
    token is refused (403) on every write, before its body is looked at; a write token still acts only
    within its owner's rights, which the services check."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if record is None or not record.user.is_active:
            return None
        org_services.note_token_use(record)
        if request.method not in SAFE_METHODS and not record.can_write:
            raise Forbidden(_("Mã truy cập này chỉ có quyền đọc."), code="read_only_token")
        request.user = record.user
        return record.user


ERROR_SCHEMA_NAME = "Error"
ERROR_RESPONSES: dict[int, str] = {
    400: "Invalid input or request (`invalid`, `bad_request`): `fields` names each wrong field.",
    401: "No valid token or session (`not_authenticated`).",
    403: "Not allowed: the caller's role, or a read-only token on a write (`forbidden`, `read_only_token`).",
    404: "Not found, or not visible to the caller: the two are indistinguishable (`not_found`).",
    409: "The case (or item) is in a state that does not allow this (`invalid_transition`).",
    413: "The request body is too large (`too_large`).",
    429: "Too many requests (`rate_limited`); see `Retry-After`.",
    503: "The service is busy or under maintenance (`unavailable`); try again later.",
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation of the document can answer, from what the document says of it:
    every one 400, 429 and 503; with authentication 401 and 403; with authentication or a path parameter
    404; a write on an existing item (a path parameter) 409; with a body 413."""
    statuses = {400, 429, 503}
    authenticated = bool(operation.get("security"))
    in_path = any(p.get("in") == "path" for p in operation.get("parameters", ()))
    if authenticated:
        statuses |= {401, 403}
    if authenticated or in_path:
        statuses.add(404)
    if method in WRITE_METHODS and in_path:
        statuses.add(409)
    if "requestBody" in operation:
        statuses.add(413)
    return sorted(statuses)


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declares the one error shape once (``components.schemas.Error``) and the error answers of every
    operation, so that clients (and their generated code) know what a 4xx looks like."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA_NAME] = {
        "title": ERROR_SCHEMA_NAME,
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "description": "Stable machine-readable code."},
                    "message": {"type": "string", "description": "Translated (`Accept-Language`)."},
                    "fields": {
                        "type": "object",
                        "description": "Messages for each wrong field (dotted path); empty otherwise.",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    }
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                responses.setdefault(status, {"description": ERROR_RESPONSES[status], "content": content})
    return schema


class PaknAPI(NinjaAPI):
    """The project's NinjaAPI: its OpenAPI document declares the error answers of every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        return add_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = PaknAPI(
    title="PAKN API",
    version="1",
    description="Tiếp nhận và giải quyết phản ánh, kiến nghị, khiếu nại, tố cáo. Lỗi luôn có dạng "
    '`{"error": {"code", "message", "fields"}}`; gửi `Accept-Language: en` để nhận thông báo tiếng Anh.',
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    parser=StrictParser(),
    throttle=[SettingsRateThrottle()],
)


def refuse_nul_in_path(view: Callable[..., Any]) -> Callable[..., Any]:
    """A NUL character in the path is refused before any parameter reaches the database."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if NUL in request.path:
            return _error(request, _nul_error())
        return view(request, *args, **kwargs)

    return wrapper


api.add_decorator(refuse_nul_in_path, mode="view")
api.add_router("/", public)
api.add_router("/", staff)
api.add_router("/", org_router)
api.add_router("/", me_router)


def _language_router() -> Any:
    from pakn.language.api import build_router

    return build_router()


# Similar cases, ranked search, topic suggestions and duplicate flags (also at /language/api/ for the pages).
api.add_router("/language", _language_router())


def _reception_router() -> Any:
    from pakn.reception.api import router

    return router


api.add_router("/reception", _reception_router())


def _hotline_router() -> Any:
    from pakn.hotline.api import router

    return router


api.add_router("/hotlines", _hotline_router())


def _front_router() -> Any:
    from pakn.frontdesk.api import router

    return router


api.add_router("/front", _front_router())


def _error(request: HttpRequest, error: PaknError) -> HttpResponse:
    return retry_after_header(api.create_response(request, error.as_dict(), status=error.http_status), error)


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


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _error(request, RateLimited())
    if exc.wait:
        response["Retry-After"] = str(max(1, int(exc.wait)))
    return response


@api.exception_handler(OperationalError)
def busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    error = busy_database(exc)
    if error is None:
        raise exc
    return _error(request, error)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    error = PaknError(_("Yêu cầu không hợp lệ."), code="bad_request" if exc.status_code == 400 else "error")
    error.http_status = exc.status_code if 400 <= exc.status_code < 500 else 400
    return _error(request, error)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, NotFound())
