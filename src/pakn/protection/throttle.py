"""Abuse control without surveillance.

- Throttling keys are ``HMAC(daily salt, client address)``: the salt is random, lives only in Django's
  cache and is replaced every day (UTC), so neither the address nor a reversible value of it is stored —
  not in the database, not in a log, not next to the counters after the day is over.
- The proof of work is hashcash-style: the server signs a random challenge with its difficulty and
  time; the browser finds a nonce such that SHA-256(challenge ":" nonce) starts with that many zero bits;
  the server checks the signature, the age, the bits, and that the challenge was not used before.
  Off by default (``PAKN_POW_BITS=0``); then the forms need no JavaScript at all.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import RateLimited

DEFAULT_RATES = {
    "submit": (20, 3600),  # submissions per client per hour
    "receipt": (10, 900),  # receipt look-ups per 15 minutes
    "citizen": (30, 3600),  # added information, answers, evidence, protection requests by code
    "unlock": (10, 900),  # officer key unlocks per account
    "oidc": (30, 900),  # citizen logins started with an identity provider (each makes the provider a request)
    # Logins (pakn.protection.logins): failures only, never a successful login.
    "login": (5, 60),  # failures of one account from one client, then a lock of 60 s doubling per failure
    "login_client": (30, 900),  # failures from one client, whatever the accounts
    "login_account": (50, 900),  # failures of one account from all clients: then clients that failed wait
}
POW_MAX_AGE = 900
POW_SALT = "pakn.protection.pow"


def rates() -> dict[str, tuple[int, int]]:
    configured = dict(DEFAULT_RATES)
    for part in (getattr(settings, "THROTTLE_RATES", "") or "").split(","):
        name, _sep, value = part.strip().partition("=")
        count, _slash, seconds = value.partition("/")
        if name and count.isdecimal() and seconds.isdecimal():
            configured[name] = (int(count), int(seconds))
    return configured


def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "") or ""
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if value:
            return value.split(",")[-1].strip()  # the hop our own proxy added
    return str(request.META.get("REMOTE_ADDR", ""))


SALT_MEMO_SECONDS = 60
_salt_memo: dict[str, tuple[float, bytes]] = {}  # today's salt only, re-read from the cache every minute


def _daily_salt() -> bytes:
    """Today's salt, shared by every process through the cache; each process keeps it for a minute so a
    throttled request does not ask the cache for it every time (a salt lost from the cache mid-day is
    replaced everywhere within that minute)."""
    day = timezone.now().date().isoformat()
    now = time.monotonic()
    memo = _salt_memo.get(day)
    if memo is not None and now - memo[0] < SALT_MEMO_SECONDS:
        return memo[1]
    key = f"pakn:throttle-salt:{day}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_bytes(32), timeout=26 * 3600)
        salt = cache.get(key)
    _salt_memo.clear()  # yesterday's salt is not kept
    _salt_memo[day] = (now, bytes(salt))
    return bytes(salt)


def client_key(request: HttpRequest) -> str:
    return hmac.new(_daily_salt(), client_address(request).encode(), hashlib.sha256).hexdigest()[:32]


def window_left(window: int) -> int:
    """Seconds until the current fixed window of ``window`` seconds ends (at least 1)."""
    now = timezone.now().timestamp()
    return max(1, math.ceil(window - now % window))


def _write_client(backend: RedisCache) -> Any:
    """The Redis client writes go to, made once per cache connection: Django makes a new client object at each
    call (a third of a millisecond spent on its table of reply parsers, on every request that is throttled)."""
    held = backend._cache.__dict__.get("_pakn_write_client")
    if held is None:
        held = backend._cache.get_client(write=True)  # every write goes to the first server's pool
        backend._cache.__dict__["_pakn_write_client"] = held
    return held


def increment(key: str, timeout: int) -> int:
    """Add one to the counter ``key`` in the shared cache and return it. On Redis, one round trip (SET NX EX
    and INCR in a pipeline) instead of the cache API's four (add, then incr's EXISTS and INCR)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        pipe = _write_client(backend).pipeline(transaction=False)
        pipe.set(full_key, 0, ex=timeout, nx=True)  # stored as the cache stores an int, so cache.get reads it
        pipe.incr(full_key)
        return int(pipe.execute()[1])
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def hit(scope: str, who: str) -> None:
    """Count one attempt of ``who`` (already a hash or an account id) in ``scope``; RateLimited past the limit,
    carrying the seconds until the window ends (the answer's Retry-After)."""
    limit, window = rates()[scope]
    if limit <= 0:
        return
    bucket = int(timezone.now().timestamp()) // window
    if increment(f"pakn:throttle:{scope}:{who}:{bucket}", window + 60) > limit:
        raise RateLimited(retry_after=window_left(window))


def check(request: HttpRequest, scope: str) -> None:
    hit(scope, client_key(request))


def throttled(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Count POSTs to the view (GETs are free)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                check(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# ---------------------------------------------------------------- proof of work


def pow_bits() -> int:
    return int(getattr(settings, "POW_BITS", 0) or 0)


def new_challenge() -> str:
    return signing.dumps({"n": secrets.token_hex(12), "b": pow_bits()}, salt=POW_SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge: str, bits: int) -> str:
    """What the browser does (used by tests and the command-line)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


POW_ERROR = _("Trình duyệt chưa hoàn tất bước chống gửi tự động. Vui lòng bật JavaScript hoặc thử lại.")


def verify(challenge: str, nonce: str) -> bool:
    """True when the work is done (or not required). Each challenge is accepted once."""
    required = pow_bits()
    if required <= 0:
        return True
    try:
        data = signing.loads(challenge or "", salt=POW_SALT, max_age=POW_MAX_AGE)
    except signing.BadSignature:
        return False
    bits = int(data.get("b", 0))
    if bits < required or not (nonce or "").isdecimal() or len(nonce) > 20:
        return False
    if leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        return False
    return bool(cache.add(f"pakn:pow-used:{data['n']}", 1, timeout=POW_MAX_AGE + 60))
