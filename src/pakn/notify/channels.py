"""Delivery channels behind one interface: ``channel_for(name).send(recipient=, subject=, body=)``.

- ``email``: Django's mail backends (SMTP with ``PAKN_EMAIL_URL``, the console otherwise).
- ``sms``: the backend named by ``PAKN_SMS_BACKEND``: ``LogSmsBackend`` (development, the default) or
  ``HttpSmsBackend`` (a JSON HTTP gateway at ``PAKN_SMS_URL``, retried on network errors and 5xx/429).
- ``webhook``: a signed HTTP POST to another system (``pakn.notify.webhooks``); the recipient is the
  endpoint's id, the subject the event id, the body the exact JSON that is signed.

A channel raises on failure; whoever called it (the outbox, the webhook deliveries) keeps the message and
tries again later, so nothing is lost. Citizens choose e-mail, SMS or nothing; webhooks are for systems.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger("pakn.notify")

CITIZEN_CHANNELS = ("email", "sms")  # what a citizen may choose (or "none"); "webhook" is for systems
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class Channel(Protocol):
    # ``unsubscribe``: the link that stops these messages, for e-mail's List-Unsubscribe (RFC 2369, 8058).
    def send(self, *, recipient: str, subject: str, body: str, unsubscribe: str = "") -> None: ...


class DeliveryError(Exception):
    """The message was not delivered. ``permanent`` when trying again the same way cannot help (a 4xx
    answer); the caller still keeps it, so an administrator can fix the cause and retry."""

    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status = status
        self.permanent = permanent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A POST is never followed to another address: a redirect is reported as a failure."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10.0, retries: int = 0, backoff: float = 0.5
) -> int:
    """POST ``body`` to ``url``; retry network errors and 408/425/429/5xx up to ``retries`` more times
    (waiting ``backoff`` × 2ⁿ seconds). Returns the 2xx status; raises ``DeliveryError`` otherwise."""
    if not url.lower().startswith(("http://", "https://")):
        raise DeliveryError(f"not an http(s) URL: {url[:40]!r}", permanent=True)
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - checked above
        try:
            with _opener.open(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            error = DeliveryError(f"HTTP {exc.code}", status=exc.code, permanent=exc.code not in RETRY_STATUSES)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            error = DeliveryError(f"network error: {reason}")
        if error.permanent or attempt == retries:
            raise error
        time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


class EmailChannel:
    def send(self, *, recipient: str, subject: str, body: str, unsubscribe: str = "") -> None:
        # A follower's alerts carry the one-click stop link mail providers show beside the sender (RFC 8058:
        # they POST "List-Unsubscribe=One-Click" to it; the page stops the follow and offers to undo it).
        headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], headers=headers if unsubscribe else None
        )
        message.send(fail_silently=False)


class LogSmsBackend:
    """Development SMS backend: logs the message length and a masked number, never the content."""

    sent: list[tuple[str, str]] = []  # kept in memory so tests can read what was "sent"

    def send(self, *, recipient: str, subject: str, body: str, unsubscribe: str = "") -> None:
        LogSmsBackend.sent.append((recipient, body))
        logger.info("SMS to %s…%s (%d chars)", recipient[:3], recipient[-2:], len(body))


class HttpSmsBackend:
    """A generic HTTP SMS gateway: ``POST PAKN_SMS_URL`` with ``Authorization: Bearer PAKN_SMS_TOKEN`` and
    ``{"to": "+84912345678", "text": "...", "sender": PAKN_SMS_SENDER}``; any 2xx is success. Network
    errors, 408, 429 and 5xx are retried ``PAKN_SMS_RETRIES`` times at once; after that the outbox
    retries later. (A gateway that timed out may still have sent: delivery is at least once.)"""

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        sender: str | None = None,
        retries: int | None = None,
        timeout: float | None = None,
        backoff: float = 0.5,
    ):
        self.url = url if url is not None else getattr(settings, "SMS_URL", "")
        self.token = token if token is not None else getattr(settings, "SMS_TOKEN", "")
        self.sender = sender if sender is not None else getattr(settings, "SMS_SENDER", "")
        self.retries = retries if retries is not None else int(getattr(settings, "SMS_RETRIES", 2))
        self.timeout = timeout if timeout is not None else float(getattr(settings, "SMS_TIMEOUT", 10))
        self.backoff = backoff

    @staticmethod
    def international(number: str) -> str:
        """0912345678 → +84912345678 (Vietnamese numbers); numbers with a country code are kept."""
        digits = "".join(c for c in number if c.isdigit() or c == "+")
        if digits.startswith("+"):
            return digits
        if digits.startswith("84") and len(digits) >= 11:
            return "+" + digits
        return "+84" + digits[1:] if digits.startswith("0") else digits

    def send(self, *, recipient: str, subject: str, body: str, unsubscribe: str = "") -> None:
        if not self.url:
            raise DeliveryError("PAKN_SMS_URL is not set", permanent=True)
        payload = {"to": self.international(recipient), "text": body}
        if self.sender:
            payload["sender"] = self.sender
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "PAKN"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        post(
            self.url,
            json.dumps(payload, ensure_ascii=False).encode(),
            headers,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
        )
        logger.info("SMS to %s…%s sent through the gateway (%d chars)", recipient[:3], recipient[-2:], len(body))


class WebhookChannel:
    """Signed POST to a ``WebhookEndpoint`` (recipient = its id). See ``pakn.notify.webhooks``."""

    def send(self, *, recipient: str, subject: str, body: str, unsubscribe: str = "") -> None:
        from pakn.notify.webhooks import send_signed
        from pakn.open311.models import WebhookEndpoint

        endpoint = WebhookEndpoint.objects.filter(pk=int(recipient), active=True).first()
        if endpoint is None:
            raise DeliveryError(f"webhook endpoint {recipient} is missing or inactive", permanent=True)
        send_signed(endpoint, event_id=subject, body=body)


def channel_for(name: str) -> Channel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        backend: Channel = import_string(settings.SMS_BACKEND)()
        return backend
    if name == "webhook":
        return WebhookChannel()
    raise ValueError(f"unknown channel {name!r}")
