"""The audit chain and the outbox. Every act appends one event to the case's hash chain, which enqueues the
jobs that follow a change (``cases.jobs``), and queues its notifications, all in the act's transaction;
``pakn worker`` delivers them after commit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pakn.cases.jobs import enqueue_case_jobs
from pakn.cases.models import AuditEvent, Case, NotifyChannel, Reporter
from pakn.core.audit import GENESIS, chain_hash
from pakn.core.inserts import insert
from pakn.org.models import Unit


def record_event(
    case: Case,
    action: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> AuditEvent:
    """Append one event to the case's hash chain. Call inside the transaction that made the change."""
    event = _next_event(case, action, actor=actor, actor_label=actor_label, data=data, public=public)
    event.save()
    Case.objects.filter(pk=case.pk).update(audit_head=case.audit_head, audit_count=case.audit_count)
    enqueue_case_jobs(event)  # search, statistics, routing, duplicates, webhooks… after the commit (jobs.py)
    return event


def first_event(
    case: Case, action: str, *, actor: Any = None, actor_label: str = "", data: dict[str, Any] | None = None
) -> AuditEvent:
    """A new case's first event, before the case is written: the case row is then inserted already pointing
    at the head of its chain (one write less on every submission). Save it with ``record_first_event`` once
    the case and what belongs to it are written."""
    return _next_event(case, action, actor=actor, actor_label=actor_label, data=data, public=True)


def record_first_event(case: Case, event: AuditEvent) -> None:
    """The event of ``first_event``, saved, with its jobs enqueued (last: an immediate job sees it all)."""
    event.case = case
    insert(event)  # a new row of the append-only chain (what AuditEvent.save allows)
    enqueue_case_jobs(event)


def _next_event(
    case: Case, action: str, *, actor: Any, actor_label: str, data: dict[str, Any] | None, public: bool
) -> AuditEvent:
    """The next event of the chain, not yet saved; the case (in memory) now points at it."""
    now = timezone.now()
    seq = case.audit_count + 1
    prev = case.audit_head or GENESIS
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (f"staff:{user.pk}" if user else "citizen")
    payload = {
        "case": case.tracking_code,
        "seq": seq,
        "action": action,
        "actor": label,
        "unit": case.unit_id,
        "public": public,
        "data": data or {},
        "created_at": now.isoformat(),
    }
    event = AuditEvent(
        case=case if case.pk else None,
        seq=seq,
        action=action,
        actor=user,
        actor_label=label,
        unit_id=case.unit_id,
        public=public,
        data=data or {},
        created_at=now,
        prev_hash=prev,
        hash=chain_hash(prev, payload),
    )
    case.audit_head, case.audit_count = event.hash, seq
    return event


def event_payload(event: AuditEvent, tracking_code: str) -> dict[str, Any]:
    return {
        "case": tracking_code,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_label,
        "unit": event.unit_id,
        "public": event.public,
        "data": event.data,
        "created_at": event.created_at.isoformat(),
    }


def notify_reporter(case: Case, event: AuditEvent, subject: str, body: str) -> bool:
    """Queue a notification to the reporter's sealed contact (the worker opens it at send time). Subjects
    and bodies carry the tracking code and the unit, never the identity. True when one was queued."""
    from pakn.notify.services import queue

    reporter = Reporter.objects.filter(case_id=case.pk).first()
    if reporter is None or reporter.notify_by == NotifyChannel.NONE or not reporter.notify_sealed:
        return False
    queue(
        channel=reporter.notify_by,
        sealed_recipient=reporter.notify_sealed,
        subject=subject,
        body=body,
        key=f"{event.hash}:{reporter.notify_by}",
        case=case,
    )
    return True


def notify_unit_staff(
    case: Case, unit: Unit, event_key: str, subject: str, body: str, *, roles: tuple[str, ...]
) -> None:
    from pakn.notify.services import queue_to_staff

    queue_to_staff(unit=unit, roles=roles, key=event_key, subject=subject, body=body, case=case)
