"""Delivery channels behind one interface. E-mail goes through Django's mail backends; SMS through a
backend chosen by ``PAKN_SMS_BACKEND`` (the default writes to the log, for development)."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("pakn.notify")


class Channel(Protocol):
    def send(self, *, recipient: str, subject: str, body: str) -> None: ...


class EmailChannel:
    def send(self, *, recipient: str, subject: str, body: str) -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)


class LogSmsBackend:
    """Development SMS backend: logs the message length and a masked number, never the content."""

    sent: list[tuple[str, str]] = []  # kept in memory so tests can read what was "sent"

    def send(self, *, recipient: str, subject: str, body: str) -> None:
        LogSmsBackend.sent.append((recipient, body))
        logger.info("SMS to %s…%s (%d chars)", recipient[:3], recipient[-2:], len(body))


def channel_for(name: str) -> Channel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        return import_string(settings.SMS_BACKEND)()
    raise ValueError(f"unknown channel {name!r}")
