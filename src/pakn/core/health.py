"""Health checks for the people who run PAKN: ``/healthz`` (the process answers: for a load balancer's
liveness probe) and ``/readyz`` (it can serve: the database answers and is fully migrated, the cache works,
the key files are readable, the notification worker keeps up). JSON, no secrets, no personal data; 200 when
ready, 503 with the failing checks otherwise. Open to anybody, like a load balancer needs."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

from django.core.cache import cache, caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

WORKER_LAG = timedelta(minutes=15)  # a pending notice older than this means the worker is not running


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    plan = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
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


def _keys() -> dict[str, Any]:
    from pakn.protection import keys

    server, notify = keys.key_path("SERVER_KEY_FILE", "server.key"), keys.key_path("NOTIFY_KEY_FILE", "notify.key")
    # Missing files are created on first use; present ones must be readable by this process.
    readable = all(not path.exists() or (path.is_file() and os.access(path, os.R_OK)) for path in (server, notify))
    return {"ok": readable}


def _worker() -> dict[str, Any]:
    from pakn.notify.models import Outbox

    oldest = (
        Outbox.objects.filter(status=Outbox.Status.PENDING, next_attempt_at__isnull=True)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    lag = (timezone.now() - oldest) if oldest else timedelta(0)
    return {"ok": lag <= WORKER_LAG, "oldest_pending_seconds": int(lag.total_seconds())}


CHECKS = {"database": _database, "cache": _cache, "keys": _keys, "worker": _worker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, Any] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a check that cannot run is a failed check, never a 500
            results[name] = {"ok": False, "error": type(exc).__name__}
            if name == "database":
                break  # the others need the database
    ready = all(r.get("ok") for r in results.values()) and "database" in results and len(results) == len(CHECKS)
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503)
