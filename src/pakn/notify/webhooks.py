"""Outgoing webhooks: other systems (a city's ticketing system, a dashboard) are told about case changes.

- After every case change commits, the job ``queue_event`` (settings.CASE_JOBS, run by the worker) writes one
  ``WebhookDelivery`` per interested endpoint (unique per endpoint and event: a job run twice queues once).
- ``deliver_webhooks()`` (run by ``pakn worker``) posts what is due, each delivery claimed before it is
  sent so two workers never send it twice, failures retried with exponential back-off; after
  ``MAX_ATTEMPTS`` a delivery is ``failed`` and kept (the admin retries it).
- Each POST is signed: ``X-PAKN-Timestamp: <unix seconds>`` and ``X-PAKN-Signature: sha256=<hex>``, the
  HMAC-SHA256 with the endpoint's secret of ``"<timestamp>." + raw body``. A receiver checks the signature
  with ``verify`` (constant time), refuses a timestamp older than 5 minutes (replays) and ignores an
  ``X-PAKN-Delivery`` id it has already seen (a retry after a lost answer).
- Payloads carry the case's id, kind, status, unit, place and dates: never the reporter's identity, the
  text they wrote, staff names, the reasons typed by staff, or the tracking code (the citizen's key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("pakn.notify")

SIGNATURE_HEADER = "X-PAKN-Signature"
TIMESTAMP_HEADER = "X-PAKN-Timestamp"
EVENT_HEADER = "X-PAKN-Event"
DELIVERY_HEADER = "X-PAKN-Delivery"
TOLERANCE_SECONDS = 300
MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 10.0


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    secret: str,
    *,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not timestamp or not signature:
        return False
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - moment) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature)


# ---------------------------------------------------------------- queuing (inside the case transaction)


def event_payload(case: Any, event: Any) -> dict[str, Any]:
    from pakn.open311.georeport import open311_status, service_code_of

    return {
        "id": event.hash,
        "type": f"case.{event.action}",
        "created_at": event.created_at.isoformat(),
        "case": {
            "id": case.pk,
            "kind": case.kind,
            "track": case.track,
            "status": case.status,
            "open311_status": open311_status(case.status),
            "service_code": service_code_of(case),
            "topic_code": case.topic.code if case.topic_id and case.topic else None,
            "unit_code": case.unit.code,
            "province_code": case.province_id,
            "commune_code": case.commune_id,
            "channel": case.channel,
            "received_on": case.received_on.isoformat(),
            "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
            "due_on": case.due_on.isoformat() if case.due_on else None,
            "complaint_round": case.complaint_round,
        },
        "event": {"seq": event.seq, "action": event.action, "public": event.public},
    }


def queue_event(*, case: Any, event: Any) -> None:
    """Job after a case change (settings.CASE_JOBS): one delivery per active endpoint that wants this action
    (a delivery is unique per endpoint and event, so running twice queues once)."""
    from pakn.open311.models import WebhookDelivery, WebhookEndpoint

    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(active=True).filter(
            Q(province__isnull=True) | Q(province_id=case.province_id)
        )
        if e.wants(event.action)
    ]
    if not endpoints:
        return
    body = json.dumps(event_payload(case, event), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=e, event_id=event.hash, event_type=f"case.{event.action}", payload=body)
            for e in endpoints
        ],
        ignore_conflicts=True,  # the same event twice for an endpoint is one delivery
    )


def queue_ping(endpoint: Any) -> Any:
    """A test event for one endpoint (admin action)."""
    from pakn.open311.models import WebhookDelivery

    now = timezone.now()
    event_id = hashlib.sha256(f"ping:{endpoint.pk}:{now.isoformat()}".encode()).hexdigest()
    body = json.dumps({"id": event_id, "type": "ping", "created_at": now.isoformat()}, separators=(",", ":"))
    return WebhookDelivery.objects.create(endpoint=endpoint, event_id=event_id, event_type="ping", payload=body)


# ---------------------------------------------------------------- delivery (pakn worker)


def send_signed(endpoint: Any, *, event_id: str, body: str, now: float | None = None) -> int:
    """One signed POST (no retry here: ``deliver_webhooks`` retries with back-off)."""
    from pakn.notify.channels import post

    raw = body.encode()
    timestamp = str(int(time.time() if now is None else now))
    event_type = json.loads(body).get("type", "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "PAKN-Webhooks/1",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, raw),
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: event_id,
    }
    return post(endpoint.url, raw, headers, timeout=TIMEOUT_SECONDS, retries=0)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 12 * 60))


def deliver_webhooks(*, limit: int = 100) -> dict[str, int]:
    """Send the deliveries that are due. Call it from ``pakn worker`` next to ``deliver_pending``."""
    from pakn.notify.channels import channel_for
    from pakn.open311.models import WebhookDelivery

    now = timezone.now()
    counts = {"sent": 0, "failed": 0}
    due = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, endpoint__active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")
    )
    channel = channel_for("webhook")
    for item in list(due[:limit]):
        claimed = WebhookDelivery.objects.filter(
            pk=item.pk, status=WebhookDelivery.Status.PENDING, attempts=item.attempts
        ).update(attempts=item.attempts + 1, next_attempt_at=now + timedelta(minutes=10))
        if not claimed:
            continue  # another worker has it
        attempts = item.attempts + 1
        try:
            channel.send(recipient=str(item.endpoint_id), subject=item.event_id, body=item.payload)
        except Exception as exc:  # every failure is kept and retried, never lost
            WebhookDelivery.objects.filter(pk=item.pk).update(
                last_error=str(exc)[:1000],
                status=WebhookDelivery.Status.FAILED if attempts >= MAX_ATTEMPTS else WebhookDelivery.Status.PENDING,
                next_attempt_at=now + backoff(attempts),
            )
            logger.warning("webhook delivery %s failed (attempt %s): %s", item.pk, attempts, exc)
            counts["failed"] += 1
        else:
            WebhookDelivery.objects.filter(pk=item.pk).update(
                status=WebhookDelivery.Status.SENT, delivered_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
    return counts


def retry(deliveries: Any) -> int:
    """Put failed (or pending) deliveries back in the queue, due now, with a fresh attempt count."""
    from pakn.open311.models import WebhookDelivery

    return int(
        deliveries.exclude(status=WebhookDelivery.Status.SENT).update(
            status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=None
        )
    )
