"""Input checks shared by the reception and plans services: each adds Vietnamese messages per field
to an ``errors`` dict, so a service reports every problem at once and stores nothing half-way."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from pakn.core import validate
from pakn.core.errors import InvalidInput

Errors = validate.Errors
PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")
ID_RE = re.compile(r"^([0-9]{9}|[0-9]{12})$")


text = validate.text


def phone(value: Any, field: str, errors: Errors) -> str:
    cleaned = text(value, field, errors, limit=20).replace(" ", "").replace(".", "")
    if cleaned and not PHONE_RE.match(cleaned):
        errors.setdefault(field, []).append(_("Số điện thoại không hợp lệ."))
    return cleaned


def email(value: Any, field: str, errors: Errors) -> str:
    cleaned = text(value, field, errors, limit=254)
    if cleaned:
        try:
            validate_email(cleaned)
        except ValidationError:
            errors.setdefault(field, []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    return cleaned


def id_number(value: Any, field: str, errors: Errors) -> str:
    cleaned = text(value, field, errors, limit=12).replace(" ", "")
    if cleaned and not ID_RE.match(cleaned):
        errors.setdefault(field, []).append(_("Số định danh cá nhân / CCCD gồm 12 chữ số (CMND cũ 9 chữ số)."))
    return cleaned


def https_url(value: Any, field: str, errors: Errors) -> str:
    cleaned = text(value, field, errors, limit=200)
    if cleaned:
        try:
            URLValidator(schemes=["https"])(cleaned)
        except ValidationError:
            errors.setdefault(field, []).append(_("Đường dẫn phải là địa chỉ https:// hợp lệ."))
    return cleaned


def a_date(value: Any, field: str, errors: Errors, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("Trường này là bắt buộc."))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Ngày không hợp lệ (định dạng YYYY-MM-DD)."))
        return None


def a_time(value: Any, field: str, errors: Errors) -> time | None:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Giờ không hợp lệ (định dạng HH:MM)."))
        return None


def whole_number(value: Any, field: str, errors: Errors, *, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.setdefault(field, []).append(_("Nhập một số từ %(low)s đến %(high)s.") % {"low": low, "high": high})
        return low
    return value


def choice(value: Any, field: str, errors: Errors, allowed: list[str] | tuple[str, ...]) -> str:
    if value not in allowed:
        errors.setdefault(field, []).append(_("Lựa chọn không hợp lệ."))
        return ""
    return str(value)


def raise_if(errors: Errors) -> None:
    if errors:
        raise InvalidInput(fields=errors)
