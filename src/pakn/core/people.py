"""How people are named on pages, in logs and in reports: Vietnamese order, family name first.

Django keeps a person's given name in ``first_name`` and the family (and middle) names in ``last_name``;
its ``get_full_name`` puts the given name first, which reads "Bình Trần Thị" for Trần Thị Bình."""

from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """``Trần Thị Bình`` for family name ``Trần Thị`` and given name ``Bình``; the login name when neither
    is known; empty for nobody."""
    if user is None:
        return ""
    family = (getattr(user, "last_name", "") or "").strip()
    given = (getattr(user, "first_name", "") or "").strip()
    name = " ".join(part for part in (family, given) if part)
    return name or str(user.get_username() if hasattr(user, "get_username") else user)
