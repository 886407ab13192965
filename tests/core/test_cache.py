"""The shared cache: throttling counted across processes when ``PAKN_CACHE_URL`` points at Redis, and not
shared without it (each process its own memory), against the machine's real Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pakn.core.cache_url import cache_from_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PAKN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_cache_urls() -> None:
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://10.0.0.5:6379/2")
    assert redis["BACKEND"].endswith("RedisCache") and redis["LOCATION"] == "redis://10.0.0.5:6379/2"
    assert cache_from_url("redis://a:6379/0, redis://b:6379/0")["LOCATION"] == ["redis://a:6379/0", "redis://b:6379/0"]
    assert cache_from_url("db://pakn_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pakn_cache",
    }
    for bad in ("memcached://x", "db://drop table"):
        with pytest.raises(ValueError):
            cache_from_url(bad)


def _redis_reachable() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False


HITS = r"""
import sys
import django
django.setup()
from pakn.core.errors import RateLimited
from pakn.protection.throttle import hit
for _ in range(int(sys.argv[2])):
    try:
        hit("submit", sys.argv[1])
    except RateLimited:
        print("LIMITED")
        break
else:
    print("ALLOWED")
"""


def _hits(who: str, count: int, cache_url: str | None, tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PAKN_CACHE_URL", "DATABASE_URL")}
    env.update({"PAKN_DATA_DIR": str(tmp_path), "PAKN_THROTTLE_RATES": "submit=5/3600"})
    if cache_url:
        env["PAKN_CACHE_URL"] = cache_url
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", HITS, who, str(count)], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def test_throttling_is_shared_by_processes_through_redis(tmp_path: Path) -> None:
    if not _redis_reachable():
        pytest.skip(f"Redis not reachable at {REDIS_URL} (set PAKN_TEST_REDIS_URL): shared-cache test not run")
    who = f"test-{uuid.uuid4().hex}"
    assert _hits(who, 3, REDIS_URL, tmp_path) == "ALLOWED"
    assert _hits(who, 3, REDIS_URL, tmp_path) == "LIMITED"  # 6th attempt overall, from another process
    # Baseline: without the shared cache each process counts alone, so the same attempts pass.
    other = f"test-{uuid.uuid4().hex}"
    assert _hits(other, 3, None, tmp_path) == "ALLOWED"
    assert _hits(other, 3, None, tmp_path) == "ALLOWED"
