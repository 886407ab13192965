"""The site's menus and where each person lands after logging in, from the same permission checks the pages
use: a menu shows only what the person may open, and a role's workspace is its first entry.

Interfaces layer (like ``pakn.urls``): it may import every feature's access rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _


def _handler(user: Any) -> bool:
    from pakn.org.access import handling_units

    return handling_units(user).exists()


def _supervisor(user: Any) -> bool:
    from pakn.oversight.access import is_supervisor

    return is_supervisor(user)


def _case_reader(user: Any) -> bool:
    return _handler(user) or _supervisor(user)


def _front(user: Any) -> bool:
    from pakn.frontdesk.services import is_front_member

    return is_front_member(user)


def _reception(user: Any) -> bool:
    from pakn.reception.access import readable_units

    return readable_units(user).exists()


def _plans(user: Any) -> bool:
    from pakn.plans.queries import visible_plans
    from pakn.reception.access import writable_units

    return writable_units(user).exists() or visible_plans(user).exists()


def _oversight(user: Any) -> bool:
    from pakn.oversight.access import has_oversight_access

    return has_oversight_access(user)


def _officer(user: Any) -> bool:
    from pakn.protection.access import is_officer

    return is_officer(user)


def _admin(user: Any) -> bool:
    return bool(user.is_superuser)


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]
    # Paths under which this entry is the current section (aria-current).
    sections: tuple[str, ...] = ()


# In order of the menu; a person's workspace is the first entry they may open.
STAFF_MENU = (
    Entry(_("Hồ sơ"), "staff_home", _handler, ("/staff/cases", "/staff/$")),
    Entry(_("Giám sát"), "oversight_home", _supervisor, ("/oversight/",)),
    Entry(_("Ý kiến MTTQ chuyển đến"), "frontdesk_home", _front, ("/front/",)),
    Entry(_("Bảo vệ người tố cáo"), "protection_home", _officer, ("/protection/",)),
    Entry(_("Vào sổ đơn"), "staff_intake", _handler, ("/staff/intake",)),
    Entry(_("Bản đồ"), "staff_map", _handler, ("/staff/map",)),
    Entry(_("Tìm kiếm"), "language_search", _case_reader, ("/language/",)),
    Entry(_("Tiếp công dân"), "reception_staff", _reception, ("/reception/staff",)),
    Entry(_("Đường dây nóng"), "hotline_staff", _handler, ("/hotlines/staff",)),
    Entry(_("Kế hoạch, nhiệm vụ"), "plans_home", _plans, ("/plans/",)),
    Entry(_("Đánh giá, báo cáo"), "oversight_home", lambda u: _oversight(u) and not _supervisor(u), ("/oversight/",)),
)
PUBLIC_MENU = (
    Entry(_("Gửi đơn"), "submit", lambda u: True, ("/submit/",)),
    Entry(_("Tra cứu"), "track", lambda u: True, ("/track/",)),
    Entry(_("Hộp thư tố cáo ẩn danh"), "dropbox", lambda u: True, ("/dropbox/",)),
    Entry(_("Lịch tiếp công dân"), "reception_public", lambda u: True, ("/reception/$", "/reception/sessions")),
    Entry(_("Đường dây nóng"), "hotline_directory", lambda u: True, ("/hotlines/$",)),
    Entry(_("Công khai"), "portal_home", lambda u: True, ("/public/",)),
    Entry(_("Tính thời hạn"), "deadlines", lambda u: True, ("/deadlines/",)),
)


def _current(path: str, entry: Entry) -> bool:
    for section in entry.sections:
        if section.endswith("$"):
            if path == section[:-1]:
                return True
        elif path.startswith(section):
            return True
    return False


def staff_entries(user: Any) -> list[Entry]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [entry for entry in STAFF_MENU if entry.allowed(user)]


def landing_url(user: Any) -> str | None:
    """The workspace a staff member opens after logging in; None for a citizen."""
    entries = staff_entries(user)
    if entries:
        return reverse(entries[0].url_name)
    return "/admin/" if getattr(user, "is_superuser", False) else None


def menu(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    staff = staff_entries(user)
    entries = staff or list(PUBLIC_MENU)
    seen: set[str] = set()
    items = []
    for entry in entries:
        url = reverse(entry.url_name)
        if url in seen:
            continue
        seen.add(url)
        items.append({"label": entry.label, "url": url, "current": _current(request.path, entry)})
    return {"items": items, "staff": bool(staff), "admin": _admin(user) if user.is_authenticated else False}


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: ``menu`` (lazy: no query unless the page renders its header)."""
    return {"menu": SimpleLazyObject(lambda: menu(request))}
