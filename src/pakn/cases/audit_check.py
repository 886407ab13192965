"""Verifying the audit chain: every event's hash, its link to the previous one, and the head the case
row records (so removing the last events is caught too)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pakn.cases.models import AuditEvent, Case
from pakn.cases.services import event_payload
from pakn.core.audit import GENESIS, chain_hash


@dataclass(frozen=True)
class Problem:
    tracking_code: str
    seq: int | None
    message: str


def verify_case(case: Case) -> Iterator[Problem]:
    prev, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.filter(case=case).order_by("seq").iterator():
        if event.seq != expected_seq:
            yield Problem(case.tracking_code, expected_seq, f"event {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != prev:
            yield Problem(
                case.tracking_code, event.seq, "link to the previous event is broken (an event was removed or changed)"
            )
        if chain_hash(event.prev_hash, event_payload(event, case.tracking_code)) != event.hash:
            yield Problem(case.tracking_code, event.seq, "event content was changed")
        prev, expected_seq = event.hash, event.seq + 1
    if expected_seq - 1 != case.audit_count or prev != (case.audit_head or GENESIS):
        yield Problem(
            case.tracking_code,
            None,
            f"the case records {case.audit_count} events; the chain ends at {expected_seq - 1}",
        )


def verify_all() -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    count = 0
    for case in Case.objects.only("pk", "tracking_code", "audit_head", "audit_count").iterator():
        count += 1
        problems.extend(verify_case(case))
    return count, problems
