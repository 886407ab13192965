"""One error hierarchy: every failure a user can cause has a stable code, an HTTP status and a
translated message. The API and the HTML pages render the same object."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class PaknError(Exception):
    code = "error"
    http_status = 400
    default_message: Any = _("Yêu cầu không hợp lệ.")

    def __init__(self, message: Any = None, *, fields: dict[str, Any] | None = None, code: str | None = None):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))

    def texts(self) -> list[str]:
        """What a person is told: each field's messages, or the message when no field is named."""
        found = [str(m) for v in self.fields.values() for m in (v if isinstance(v, list | tuple) else [v])]
        return found or [str(self.message)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "fields": {
                    k: [str(m) for m in v] if isinstance(v, list | tuple) else str(v) for k, v in self.fields.items()
                },
            }
        }


class InvalidInput(PaknError):
    code = "invalid"
    http_status = 400
    default_message = _("Dữ liệu gửi lên không hợp lệ.")


class NotFound(PaknError):
    """Also used when the object exists but the user may not see it: never reveal existence."""

    code = "not_found"
    http_status = 404
    default_message = _("Không tìm thấy.")


class NotAuthenticated(PaknError):
    code = "not_authenticated"
    http_status = 401
    default_message = _("Cần đăng nhập hoặc mã truy cập hợp lệ.")


class Forbidden(PaknError):
    code = "forbidden"
    http_status = 403
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class InvalidTransition(PaknError):
    code = "invalid_transition"
    http_status = 409
    default_message = _("Hồ sơ đang ở trạng thái không cho phép thao tác này.")


class RateLimited(PaknError):
    code = "rate_limited"
    http_status = 429
    default_message = _("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau.")

    def __init__(self, message: Any = None, *, retry_after: int = 0, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after  # seconds until the limit's window ends: the Retry-After header


def retry_after_header(response: Any, error: object) -> Any:
    """Every 429 answer, HTML or JSON, says when to try again."""
    seconds = getattr(error, "retry_after", 0)
    if seconds:
        response["Retry-After"] = str(max(1, int(seconds)))
    return response


class TooLarge(PaknError):
    code = "too_large"
    http_status = 413
    default_message = _("Dữ liệu gửi lên quá lớn.")


class ServerBusy(PaknError):
    """The database is busy (a write lock not released in time, no free tracking code): nothing was saved,
    and trying again in a moment will work."""

    code = "server_busy"
    http_status = 503
    default_message = _("Hệ thống đang bận, chưa lưu được. Vui lòng gửi lại sau ít giây.")

    def __init__(self, message: Any = None, *, retry_after: int = 5, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


def busy_database(exception: BaseException) -> ServerBusy | None:
    """SQLite's "database is locked" (the busy timeout ran out), PostgreSQL's lock timeout or serialization
    failure: a 503 the person can retry, not a 500."""
    from django.db import OperationalError

    text = str(exception).lower()
    if isinstance(exception, OperationalError) and (
        "database is locked" in text or "lock timeout" in text or "could not serialize" in text
    ):
        return ServerBusy()
    return None


# Every error code, once, with its HTTP status (docs/api.md lists the same; tests/core/test_errors.py checks
# the classes, the codes raised in the code and the document against this table).
ERROR_CODES: dict[str, int] = {
    "invalid": 400,
    "bad_request": 400,
    "missing_rule": 400,
    "too_late_to_publish": 400,
    "not_authenticated": 401,
    "forbidden": 403,
    "read_only_token": 403,
    "csrf_failed": 403,
    "self_approval": 403,
    "not_found": 404,
    "bad_tracking_code": 404,
    "bad_receipt": 404,
    "invalid_transition": 409,
    "full": 409,
    "no_key": 409,
    "relock_needed": 409,
    "not_approved": 409,
    "expired": 409,
    "not_sealed_to_you": 409,
    "too_large": 413,
    "rate_limited": 429,
    "server_busy": 503,
}
