"""Ready a new web worker before it takes its first request.

Gunicorn replaces each worker after about a thousand requests (``max_requests``) and on every reload. Without
this, the first request a new worker takes imports every view module (the URLconf), reads the reference tables
(units, places, rules: ``core.tables``) and loads the translation catalogues: about a second on an idle
two-core machine, several seconds under load, while the citizen waits (``bench/intake.py`` saw 2–5 s at p99).
``deploy/gunicorn.conf.py`` calls ``warm`` in ``post_worker_init``, before the worker accepts connections."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

from pakn.core import tables

logger = logging.getLogger(__name__)


def warm() -> dict[str, float]:
    """Import the URLconf, load every reference table and the catalogues of every language; returns the
    milliseconds each step took. A step that fails is logged and skipped: the request that needs it then
    does the work itself, as before (a database not up yet must not keep the worker from starting)."""
    spent: dict[str, float] = {}
    for name, step in (("urls", _urls), ("tables", _tables), ("translations", _translations)):
        started = time.perf_counter()
        try:
            step()
        except Exception:
            logger.warning("warm-up: %s skipped", name, exc_info=True)
        spent[name] = round((time.perf_counter() - started) * 1000, 1)
    logger.info("worker warmed up: %s", " ".join(f"{name}={ms:.0f}ms" for name, ms in spent.items()))
    return spent


def _urls() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and with it every view module


def _tables() -> None:
    for table in tables.registered():
        table()


def _translations() -> None:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Any lookup loads the language's catalogues; not a literal, so it is not a message to translate.
            translation.gettext(code)
