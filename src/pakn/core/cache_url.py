"""The Django cache from one URL (``PAKN_CACHE_URL``), as a pure function the settings call.

Throttling, the daily throttle salt, proof-of-work replay protection and the API rate limits live in the
cache. One process (``make demo``) is fine with its own memory; several processes (gunicorn workers,
several servers) must share one cache, or each would count separately and a limit of 20 would be 20 per
worker."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def cache_from_url(url: str) -> dict[str, Any]:
    """``""`` or ``locmem://`` → this process's memory; ``redis://host:6379/0`` (or ``rediss://``, or
    several URLs separated by commas for a replica set) → Redis; ``db://table_name`` → a database table
    (create it once with ``pakn createcachetable``)."""
    url = (url or "").strip()
    scheme = urlsplit(url.split(",")[0]).scheme if url else "locmem"
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pakn"}
    if scheme in ("redis", "rediss", "unix"):
        locations = [part.strip() for part in url.split(",") if part.strip()]
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": locations if len(locations) > 1 else locations[0],
            "KEY_PREFIX": "pakn",
        }
    if scheme == "db":
        table = urlsplit(url).netloc or "pakn_cache"
        if not table.replace("_", "").isalnum():
            raise ValueError(f"PAKN_CACHE_URL: bad table name {table!r}")
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    raise ValueError(f"PAKN_CACHE_URL: unknown scheme {scheme!r} (use redis://, db:// or locmem://)")
