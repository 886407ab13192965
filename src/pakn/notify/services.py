"""Queue notifications in the caller's transaction; deliver them later, each exactly once."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from pakn.notify.channels import channel_for
from pakn.notify.models import Outbox

logger = logging.getLogger("pakn.notify")
MAX_ATTEMPTS = 8


@sensitive_variables()
def queue(
    *,
    channel: str,
    recipient: str = "",
    subject: str,
    body: str,
    key: str,
    case: Any = None,
    sealed_recipient: str = "",
    unsubscribe_url: str = "",
) -> Outbox | None:
    """Add a notification unless one with the same ``key`` exists (queuing twice sends once).

    No address is stored in the clear: a reporter's contact arrives already sealed (``sealed_recipient``);
    any other ``recipient`` (a staff address, a citizen's booking contact) is sealed to the notifier key
    here. The worker opens it at send time (``pakn.protection.notifier``)."""
    if not recipient and not sealed_recipient:
        raise ValueError("a notification needs a recipient")
    if recipient and not sealed_recipient:
        from pakn.protection.notifier import seal_contact

        sealed_recipient, recipient = seal_contact(channel, recipient), ""
    try:
        with transaction.atomic():
            return Outbox.objects.create(
                channel=channel,
                recipient=recipient,
                sealed_recipient=sealed_recipient,
                subject=subject[:200],
                body=body,
                dedupe_key=key[:120],
                case=case,
                unsubscribe_url=unsubscribe_url[:500],
            )
    except IntegrityError:
        return None


def queue_to_staff(*, unit: Any, roles: tuple[str, ...], key: str, subject: str, body: str, case: Any = None) -> int:
    """Queue an e-mail to every member of ``unit`` in ``roles`` who has an address; the key (``key`` plus the
    user id) makes a repeated call a no-op. Returns how many were queued now."""
    from pakn.org.models import Membership

    if unit is None:
        return 0
    queued = 0
    for membership in Membership.objects.filter(unit=unit, role__in=roles).select_related("user"):
        if membership.user.email and queue(
            channel="email",
            recipient=membership.user.email,
            subject=subject,
            body=body,
            key=f"{key}:{membership.user_id}",
            case=case,
        ):
            queued += 1
    return queued


@sensitive_variables()
def _recipient(item: Outbox) -> str:
    if not item.sealed_recipient:
        return item.recipient
    from pakn.protection.notifier import open_contact

    return open_contact(item.sealed_recipient)


def _safe_error(exc: Exception, recipient: str) -> str:
    """The error text without the recipient (SMTP errors quote the refused address)."""
    text = str(exc)
    if recipient:
        from pakn.protection.logs import mask_address

        text = text.replace(recipient, mask_address(recipient))
    return text[:1000]


def deliver_pending(*, limit: int = 200) -> dict[str, int]:
    """Send what is due. A row is claimed (attempts incremented) before sending so two workers never
    send the same row; a failure is retried with exponential back-off. While the notifier key is unusable
    (``KeysUnavailable``) nothing is sent and nothing counts as a failed attempt (``held``)."""
    now = timezone.now()
    counts = {"sent": 0, "failed": 0, "held": 0}
    due = Outbox.objects.filter(status=Outbox.Status.PENDING).filter(
        next_attempt_at__isnull=True
    ) | Outbox.objects.filter(status=Outbox.Status.PENDING, next_attempt_at__lte=now)
    from pakn.protection.notifier import KeysUnavailable

    for item in list(due.order_by("id")[:limit]):
        claimed = Outbox.objects.filter(pk=item.pk, status=Outbox.Status.PENDING, attempts=item.attempts).update(
            attempts=item.attempts + 1, next_attempt_at=now + timedelta(minutes=10)
        )
        if not claimed:
            continue
        recipient = ""
        try:
            try:
                recipient = _recipient(item)
            except KeysUnavailable:
                # Not this notification's fault: the notifier key file is missing or another instance's. Give
                # the row back untouched and stop; everything stays queued until the right key is back.
                Outbox.objects.filter(pk=item.pk).update(attempts=item.attempts, next_attempt_at=item.next_attempt_at)
                counts["held"] += 1
                logger.error("notifications held: the notifier key is not usable (see /readyz)")
                break
            channel_for(item.channel).send(
                recipient=recipient, subject=item.subject, body=item.body, unsubscribe=item.unsubscribe_url
            )
        except Exception as exc:  # any channel failure is retried, never lost
            attempts = item.attempts + 1
            error = _safe_error(exc, recipient)
            Outbox.objects.filter(pk=item.pk).update(
                last_error=error,
                status=Outbox.Status.FAILED if attempts >= MAX_ATTEMPTS else Outbox.Status.PENDING,
                next_attempt_at=now + timedelta(minutes=2**attempts),
            )
            logger.warning("notification %s failed (attempt %s): %s", item.pk, attempts, error)
            counts["failed"] += 1
        else:
            Outbox.objects.filter(pk=item.pk).update(status=Outbox.Status.SENT, sent_at=timezone.now(), last_error="")
            counts["sent"] += 1
    return counts


WORKER_LAG = timedelta(minutes=15)  # a pending notice older than this means the worker is not running


def worker_lag() -> dict[str, Any]:
    """``/readyz`` (reported, never "not ready"): how long the oldest notification nobody tried yet has waited."""
    oldest = (
        Outbox.objects.filter(status=Outbox.Status.PENDING, next_attempt_at__isnull=True)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    lag = (timezone.now() - oldest) if oldest else timedelta(0)
    return {"ok": lag <= WORKER_LAG, "oldest_pending_seconds": int(lag.total_seconds())}
