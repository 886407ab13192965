"""Health checks for the people who run PAKN: ``/healthz`` (the process answers: for a load balancer's
liveness probe) and ``/readyz`` (it can serve: the database answers and is fully migrated, the cache works,
and what the packages register as required — the key files the database was used with; 200 or 503).
``/readyz`` also reports, without failing on them, what the packages register as reported only — the
notification worker's lag: a stopped worker must raise an alert, not take every web node out of the load
balancer. JSON, no secrets, no personal data; open to anybody, as a load balancer needs, so each process
keeps the answer for a few seconds.

Packages add their checks with ``register`` from their ``AppConfig.ready``, so this module imports none of
them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache, caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

Check = Callable[[], dict[str, Any]]  # returns at least {"ok": bool}; no secret, no personal data


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {
        "ok": not plan,
        "vendor": connection.vendor,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "unapplied_migrations": len(plan),
    }


def _cache() -> dict[str, Any]:
    key = f"pakn:health:{time.monotonic_ns()}"
    cache.set(key, 1, 30)
    ok = cache.get(key) == 1
    cache.delete(key)
    return {"ok": ok, "backend": type(caches["default"]).__name__}


REQUIRED: dict[str, Check] = {"database": _database, "cache": _cache}  # readiness depends on these
REPORTED: dict[str, Check] = {}  # reported for alerting, never make the node "not ready"


def register(name: str, check: Check, *, required: bool) -> None:
    """Add a package's check. ``required``: the node is "not ready" while it fails (run after the database
    and cache checks); otherwise it is listed under ``warnings`` only. Both kinds may use the database."""
    (REPORTED if required else REQUIRED).pop(name, None)
    (REQUIRED if required else REPORTED)[name] = check


KEEP_SECONDS = 5.0
_last: dict[str, Any] = {}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _run(checks: dict[str, Any], results: dict[str, Any]) -> None:
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # a check that cannot run is a failed check, never a 500
            results[name] = {"ok": False, "error": type(exc).__name__}


def readiness() -> tuple[int, dict[str, Any]]:
    now = time.monotonic()
    if _last and now - _last["at"] < KEEP_SECONDS:
        return _last["status"], _last["body"]
    results: dict[str, Any] = {}
    _run(REQUIRED, results)
    failing = [name for name in REQUIRED if not results[name].get("ok")]
    ready = not failing
    if results["database"].get("ok") or "unapplied_migrations" in results["database"]:
        _run(REPORTED, results)  # they need the database
    warnings = [name for name in REPORTED if name in results and not results[name].get("ok")]
    body = {"status": "ready" if ready else "not ready", "checks": results, "failing": failing, "warnings": warnings}
    status = 200 if ready else 503
    _last.update(at=now, status=status, body=body)
    return status, body


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    status, body = readiness()
    return JsonResponse(body, status=status)
