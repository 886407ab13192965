from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def staff_flag(request: HttpRequest) -> dict[str, Any]:
    """Whether to show the staff links (lazy: no query unless a template asks)."""
    from django.utils.functional import SimpleLazyObject

    from pakn.org.access import is_staff_member

    return {"is_staff_member": SimpleLazyObject(lambda: is_staff_member(request.user))}
