"""Small reference tables (deadline and routing rules, the calendar, places, units) read once per process and
kept: every submission reads them and they change a few times a year.

A change saved in this process drops the copy at once (model signals). The other processes (the other web
workers, the job worker) learn of it through a version stamp in the shared cache (``PAKN_CACHE_URL``), which
each of them looks at no more than once every ``CHECK_SECONDS``, so they see the change within a few seconds;
the stamp is moved after the commit, so nobody reloads the old rows. Without a shared cache (one process's
own memory, the demo) a copy is reloaded when it is older than ``MAX_AGE_SECONDS``; with one, after
``SHARED_MAX_AGE_SECONDS``, a backstop for rows changed without the signals (a bulk update, SQL by hand)."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
logger = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
MAX_AGE_SECONDS = 60.0
SHARED_MAX_AGE_SECONDS = 600.0
EVERYTHING_KEY = "pakn:table:*"
_MISSING: Any = object()
_registry: list[ReferenceTable[Any]] = []


class ReferenceTable(Generic[T]):
    """A loader's result, kept per process; call it like the loader."""

    def __init__(self, name: str, loader: Callable[[], T]) -> None:
        self.name = name
        self.loader = loader
        self._key = f"pakn:table:{name}"
        self._value: T = _MISSING
        self._stamp: Any = None
        self._checked = self._loaded = 0.0
        self.__doc__ = loader.__doc__
        _registry.append(self)

    def __call__(self) -> T:
        now = time.monotonic()
        if self._value is not _MISSING and now - self._checked < CHECK_SECONDS:
            return self._value
        try:
            stamps = cache.get_many([self._key, EVERYTHING_KEY])
        except Exception:  # the shared cache is down: keep the copy until it is too old, do not fail the request
            logger.warning("reference table %s: the shared cache did not answer", self.name, exc_info=True)
            stamps = {self._key: self._stamp[0], EVERYTHING_KEY: self._stamp[1]} if self._stamp else {}
        stamp = (stamps.get(self._key), stamps.get(EVERYTHING_KEY))
        stale = now - self._loaded > _max_age()
        if self._value is _MISSING or stamp != self._stamp or stale:
            self._value, self._stamp, self._loaded = self.loader(), stamp, now
        self._checked = now
        return self._value

    def cache_clear(self) -> None:
        """Drop this process's copy (the next call reads the table)."""
        self._value = _MISSING

    def changed(self, **_: object) -> None:
        """The rows changed: drop the copy here now, and everywhere once the change is committed."""
        self.cache_clear()
        transaction.on_commit(self._move_stamp)

    def _move_stamp(self) -> None:
        self.cache_clear()
        _set_stamp(self._key)


def _set_stamp(key: str) -> None:
    try:
        cache.set(key, secrets.token_hex(8), None)
    except Exception:  # the others reread their copy when it is too old (SHARED_MAX_AGE_SECONDS)
        logger.warning("reference tables: the shared cache did not take the change of %s", key, exc_info=True)


def _max_age() -> float:
    shared = "locmem" not in settings.CACHES["default"]["BACKEND"].lower()
    return SHARED_MAX_AGE_SECONDS if shared else MAX_AGE_SECONDS


def reference_table(name: str, *models: type) -> Callable[[Callable[[], T]], ReferenceTable[T]]:
    """Decorate a loader of rows of ``models``: a save or delete of any of them drops the copy."""

    def wrap(loader: Callable[[], T]) -> ReferenceTable[T]:
        table = ReferenceTable(name, loader)
        for model in models:
            post_save.connect(table.changed, sender=model, weak=False, dispatch_uid=f"table-{name}-{model.__name__}-s")
            post_delete.connect(
                table.changed, sender=model, weak=False, dispatch_uid=f"table-{name}-{model.__name__}-d"
            )
        return table

    return wrap


def registered() -> list[ReferenceTable[Any]]:
    """Every reference table of the modules imported so far."""
    return list(_registry)


def all_changed() -> None:
    """Rows of several tables changed without signals (a bulk load): every process rereads every table,
    including those this process never imported."""
    clear_all()
    transaction.on_commit(lambda: _set_stamp(EVERYTHING_KEY))


def clear_all() -> None:
    """Drop every copy in this process (tests roll rows back without the signals)."""
    for table in _registry:
        table.cache_clear()
