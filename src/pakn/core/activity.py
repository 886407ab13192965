"""The shared append-only activity log: every change made through the services of reception, plans, hotline,
the Front desk, accounts, Open311 and protection leaves one row.

The rows live in ``reception.Activity`` (a table that points at ``org`` units, which ``core`` may not import,
and that ``core.append_only`` guards with triggers). ``reception`` registers its writer here when the apps are
ready, so a feature writes through ``core`` and imports nothing of ``reception``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Writer = Callable[..., Any]

_writer: Writer | None = None


def register(writer: Writer) -> None:
    """Called once, from ``ReceptionConfig.ready``."""
    global _writer
    _writer = writer


def log_activity(
    app: str, action: str, obj: Any, *, actor: Any, unit: Any | None, data: dict[str, Any] | None = None
) -> Any:
    """Append one row to the activity log. Call inside the transaction that made the change."""
    if _writer is None:
        raise RuntimeError("No activity log is registered: is pakn.reception in INSTALLED_APPS?")
    return _writer(app, action, obj, actor=actor, unit=unit, data=data)
