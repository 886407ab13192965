"""The one check of free text sent to a service: a string, cleaned (NFC, no control characters), no
broken encoding, required or not, within a length. Messages go to ``errors[field]`` so a service reports
every problem at once and stores nothing half-way."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from pakn.core.text import clean_text

Errors = dict[str, list[Any]]
# Limits a person meets on every form, stated on the fields and on the "too large" page.
MAX_CONTENT = 20_000
MAX_FILES = 5
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def text(value: Any, field: str, errors: Errors, *, required: bool = False, limit: int = 300) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("Giá trị phải là chuỗi ký tự."))
        return ""
    cleaned = clean_text(value)
    if "\ufffd" in cleaned or SURROGATE_RE.search(value):  # clean_text would silently drop a lone surrogate
        errors.setdefault(field, []).append(_("Văn bản chứa ký tự lỗi mã hóa."))
    if required and not cleaned:
        errors.setdefault(field, []).append(_("Trường này là bắt buộc."))
    if len(cleaned) > limit:
        errors.setdefault(field, []).append(
            _("Quá dài: tối đa %(limit)s ký tự (đã nhập %(n)s).")
            % {"limit": grouped(limit), "n": grouped(len(cleaned))}
        )
    return cleaned


def grouped(number: int) -> str:
    """12.345 in Vietnamese, 12,345 in English (Django's Vietnamese formats do not group digits)."""
    from django.utils.translation import get_language

    text = f"{number:,}"
    return text if (get_language() or "vi").startswith("en") else text.replace(",", ".")


def limits_sentence() -> str:
    from django.conf import settings

    return str(
        _(
            "Dữ liệu gửi lên quá lớn nên chưa gửi được. Nội dung tối đa %(chars)s ký tự; tối đa %(files)s tệp, "
            "mỗi tệp tối đa %(mb)s MB. Hãy rút gọn nội dung hoặc bớt tệp rồi gửi lại."
        )
        % {"chars": grouped(MAX_CONTENT), "files": MAX_FILES, "mb": settings.UPLOAD_MAX_MB}
    )
