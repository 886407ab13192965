"""Reads off the primary: the public portal, its statistics and open data, and the search read from a
streaming replica when one is configured (``PAKN_REPLICA_DATABASE_URL``, docs/operations.md "Read replicas").

Three parts, each small:

- ``READ_ONLY_PREFIXES``: the one list of pages that may read from the replica, and only by ``GET``/``HEAD``.
- ``ReplicaReadsMiddleware`` marks such a request (a context variable, ``read_from_replica()``); a command or
  job may use the same context around a read-only report.
- ``ReplicaRouter`` sends a read to the replica only inside that context, and only when the replica is
  configured. Every write goes to the primary, whatever the context (a cache warm, a throttle counter kept in
  the database, a session saved). Who is logged in, their roles and tokens, sessions and the database cache
  are always read from the primary, so a login, a revoked role or a counter is never seen seconds late.

A replica that does not answer is never the reason a page fails: the middleware tries its connection before a
read-only request and, if it is down (or fails during a request), reads from the primary for
``REPLICA_RETRY_SECONDS`` before trying it again; a ``GET`` that failed on it is sent once more (a redirect to
itself), which then reads from the primary.

A replica may be a few seconds behind the primary. That is fine for published figures and search, never for a
citizen's own status page or a staff member's case page: those are not in the list and read from the primary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

logger = logging.getLogger("pakn.replica")

REPLICA = "replica"

# The pages that only read, and can show data a few seconds old. Matched on the path's start, GET and HEAD only.
READ_ONLY_PREFIXES: tuple[str, ...] = (
    "/public/",  # the portal: home, statistics, published answers, discipline, open data downloads
    "/language/search/",  # the staff search page
    "/language/api/search",  # the search API, in the language package's own API …
    "/language/api/public/search",
    "/api/v1/language/search",  # … and in the project API
    "/api/v1/language/public/search",
)
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})

# Identity, access and counters: read from the primary even inside a read-only request.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "otp_totp", "otp_static", "django_cache"})
PRIMARY_ONLY_MODELS = frozenset({"org.membership", "org.apitoken"})

_reading: ContextVar[bool] = ContextVar("pakn_read_from_replica", default=False)


@contextmanager
def read_from_replica() -> Iterator[None]:
    """Reads inside this block may go to the replica (when one is configured); writes never do."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def is_read_only_request(method: str, path: str) -> bool:
    return method in READ_ONLY_METHODS and path.startswith(READ_ONLY_PREFIXES)


def read_alias(*, app_label: str, model_name: str, replica: bool, reading: bool, in_transaction: bool) -> str:
    """The database a read goes to: the replica only when there is one, the request is read-only, the model is
    not one of identity or access, and no transaction is open on the primary (which must see its own writes)."""
    if not (replica and reading) or in_transaction:
        return DEFAULT_DB_ALIAS
    if app_label in PRIMARY_ONLY_APPS or f"{app_label}.{model_name}" in PRIMARY_ONLY_MODELS:
        return DEFAULT_DB_ALIAS
    return REPLICA


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


REPLICA_RETRY_SECONDS = 30.0
_down_until = [0.0]  # per process: until when (time.monotonic) the replica is left alone


def replica_down(seconds: float = REPLICA_RETRY_SECONDS) -> None:
    """Read from the primary for ``seconds``: the replica did not answer."""
    if time.monotonic() >= _down_until[0]:
        logger.warning("read replica unreachable: the read-only pages read from the primary for %d s", seconds)
    _down_until[0] = time.monotonic() + seconds


def replica_usable() -> bool:
    """A replica is configured, was not found down in the last ``REPLICA_RETRY_SECONDS`` and connects now."""
    if not replica_configured() or time.monotonic() < _down_until[0]:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        replica_down()
        return False
    return True


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry. Without a replica every answer is the primary, as without a router."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        meta = model._meta
        return read_alias(
            app_label=meta.app_label,
            model_name=meta.model_name,
            replica=replica_configured(),
            reading=_reading.get(),
            in_transaction=_reading.get() and connections[DEFAULT_DB_ALIAS].in_atomic_block,
        )

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        return True if obj1._state.db in aliases and obj2._state.db in aliases else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Marks the read-only pages (``READ_ONLY_PREFIXES``, GET and HEAD) for the router; does nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_read_only_request(request.method or "", request.path_info) or not replica_usable():
            return self.get_response(request)
        with read_from_replica():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The replica failed during a read-only request: the same GET again, which reads from the primary."""
        if _reading.get() and isinstance(exception, OperationalError | InterfaceError):  # the connection, not the SQL
            replica_down()
            return HttpResponseRedirect(request.get_full_path())
        return None
