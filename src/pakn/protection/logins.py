"""Login throttling that never locks the real user out from elsewhere.

Only failures are counted, in the shared cache (``PAKN_CACHE_URL``), under keys that hold no address:

- **the account from one client** (``login``, default ``5/60``): after 5 failures that client waits 60 s,
  doubling with every further failure (at most an hour); a successful login from that client clears it.
- **one client, whatever the accounts** (``login_client``, default ``30/900``): a client that tries many
  accounts waits until the 15-minute window ends.
- **the account, from all clients** (``login_account``, default ``50/900``): past it, the clients that have
  failed on this account wait until the window ends; a client that has not failed still logs in.

The client is ``throttle.client_key`` (an HMAC with a daily salt that lives only in the cache); the account
is a keyed hash of the username, so usernames (phone numbers, e-mail addresses) are no cache keys either.
Every failure is logged (``pakn.security``) with the account's id, never the client's address.

Every login goes through ``ThrottledModelBackend`` (``AUTHENTICATION_BACKENDS``): the staff and citizen
login pages (``LoginView``: the page again, 429 and ``Retry-After``) and the admin's (the error page, 429
and ``Retry-After``).
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from pakn.core.errors import RateLimited, retry_after_header
from pakn.protection import throttle

logger = logging.getLogger("pakn.security")

MAX_LOCK = 3600  # the longest wait of one client on one account, in seconds
PAIR_MEMORY = 86400  # how long the failures of one client on one account are remembered


class LoginThrottled(RateLimited):
    code = "login_throttled"


def account_key(username: str) -> str:
    return salted_hmac("pakn.protection.logins.account", username.strip().casefold()).hexdigest()[:32]


def refusal(seconds: float) -> LoginThrottled:
    wait = max(1, math.ceil(seconds))
    minutes = max(1, math.ceil(wait / 60))
    at = timezone.localtime(timezone.now() + timedelta(seconds=wait))
    message = ngettext(
        "Đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau %(minutes)s phút (lúc %(time)s).",
        "Đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau %(minutes)s phút (lúc %(time)s).",
        minutes,
    ) % {"minutes": minutes, "time": at.strftime("%H:%M")}
    return LoginThrottled(message, retry_after=wait)


class Attempt:
    """One login attempt: ``check`` before the password is looked at, then ``failed`` or ``succeeded``.

    ``step`` names the counters: ``login`` for the password, ``otp`` for the second step (pakn.accounts), which
    has the same rates but counters of its own, so a right password never clears failed codes."""

    def __init__(self, request: HttpRequest, username: str, *, step: str = "login"):
        self.username = username
        self.step = step
        self.account = account_key(username)
        self.client = throttle.client_key(request)
        self.pair_key = f"pakn:{step}:pair:{self.account}:{self.client}"

    def _window(self, scope: str, who: str) -> tuple[int, int, str]:
        limit, window = throttle.rates()[scope]
        bucket = int(timezone.now().timestamp()) // max(window, 1)
        prefix = "pakn:throttle" if self.step == "login" else f"pakn:throttle:{self.step}"
        return limit, window, f"{prefix}:{scope}:{who}:{bucket}"

    def check(self) -> None:
        """LoginThrottled (429) while this client must wait; the password is not even checked."""
        now = timezone.now().timestamp()
        waits: list[float] = []
        pair = cache.get(self.pair_key) or {}
        if pair.get("until", 0) > now:
            waits.append(pair["until"] - now)
        limit, window, key = self._window("login_client", self.client)
        if limit > 0 and (cache.get(key) or 0) >= limit:
            waits.append(throttle.window_left(window))
        limit, window, key = self._window("login_account", self.account)
        if pair.get("failures") and limit > 0 and (cache.get(key) or 0) >= limit:
            waits.append(throttle.window_left(window))
        if waits:
            logger.info("%s refused (too many failures): %s", self.step, self._who())
            raise refusal(max(waits))

    def failed(self) -> None:
        for scope, who in (("login_client", self.client), ("login_account", self.account)):
            limit, window, key = self._window(scope, who)
            if limit > 0:
                throttle.increment(key, window + 60)
        free, first_lock = throttle.rates()["login"]
        pair = cache.get(self.pair_key) or {}
        failures = int(pair.get("failures", 0)) + 1
        until = 0.0
        if free > 0 and failures >= free:
            until = timezone.now().timestamp() + min(first_lock * 2 ** min(failures - free, 20), MAX_LOCK)
        cache.set(self.pair_key, {"failures": failures, "until": until}, timeout=PAIR_MEMORY)
        logger.warning(
            "%s failed: %s, failure %s from this client%s",
            self.step,
            self._who(),
            failures,
            f", locked for this client {int(until - timezone.now().timestamp())} s" if until else "",
        )

    def succeeded(self) -> None:
        cache.delete(self.pair_key)

    def _who(self) -> str:
        user_model = get_user_model()
        pk = (
            user_model._default_manager.filter(**{user_model.USERNAME_FIELD: self.username})
            .values_list("pk", flat=True)
            .first()
        )
        return f"user {pk}" if pk is not None else "unknown account"


class ThrottledModelBackend(ModelBackend):
    """Django's password check behind the login throttle. ``ModelBackend`` stays listed after it only so
    that sessions opened before keep working: a failure here stops there (PermissionDenied), so no password
    is checked twice and no attempt escapes the count."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        attempt = Attempt(request, str(username)) if request is not None else None
        if attempt is not None:
            attempt.check()
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            if attempt is not None:
                attempt.failed()
            raise PermissionDenied
        if attempt is not None:
            attempt.succeeded()
        return user


class LoginView(auth_views.LoginView):
    """Django's login page; an attempt refused by the throttle gets the page again with when to try again,
    status 429 and ``Retry-After``. The username stays filled in; the password is never given back."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except LoginThrottled as error:
            form = self.get_form_class()(request=request, initial={"username": request.POST.get("username", "")})
            context = self.get_context_data(form=form, refused=error.message)
            return retry_after_header(self.render_to_response(context, status=429), error)
