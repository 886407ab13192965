"""The steps a citizen's case goes through, for the status page's step list."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

STEPS = (
    ("received", pgettext_lazy("case step", "Tiếp nhận")),
    ("accepted", pgettext_lazy("case step", "Thụ lý")),
    ("in_progress", pgettext_lazy("case step", "Giải quyết")),
    ("resolved", pgettext_lazy("case step", "Trả lời, kết luận")),
)
# Where each status stands on those steps; a status off the main path (refused, withdrawn…) has no step.
POSITION = {"received": 0, "forwarded": 0, "accepted": 1, "in_progress": 2, "suspended": 2, "resolved": 3, "closed": 3}


@register.simple_tag
def case_steps(status: str) -> list[dict[str, Any]]:
    """[{label, state}] with state "done", "current" or "todo"; empty for a status off the path."""
    position = POSITION.get(status)
    if position is None:
        return []
    return [
        {"label": label, "state": "done" if i < position else "current" if i == position else "todo"}
        for i, (_key, label) in enumerate(STEPS)
    ]
