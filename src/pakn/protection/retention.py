"""Retention: erasing the personal data of settled cases when the schedule says so (docs/retention.md).

One write path, ``erase_case``: for one case, what its rule says (the sealed identity and originals, the files,
the notification contact), in one transaction on the locked case row, with ONE audit event on the case's chain
naming the rule and what was erased (never a value), and an ``Erasure`` row that makes a second call a no-op.
Blobs on disk are deleted after the commit. ``run`` applies the schedule to every settled case (``pakn retention
run``, the worker's daily duty); ``verdict_for`` tells, for one case, whether it is due and if not why it is kept
(the citizen's rights pages and the reveal path use it).

The case record and its statistics stay: kind, dates, unit, status, answers, the audit chain. The letter's text
and the reporter's later messages were redacted when they came in and stay as they are; the answers, written to
the reporter as sent, are redacted with the reporter's keyed terms before those terms are erased.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import InvalidInput, InvalidTransition
from pakn.protection import vault
from pakn.protection.models import (
    Attachment,
    Erasure,
    ProtectionRequest,
    RetentionHold,
    RetentionRule,
    RetentionRun,
    VaultItem,
)
from pakn.protection.retention_rules import (
    ATTACHMENTS,
    CONTACT,
    DONE,
    DUE,
    IDENTITY,
    OPEN,
    SETTLED,
    Rule,
    Verdict,
    decide,
    outcome_of,
    rule_from,
)

logger = logging.getLogger("pakn.protection")

ERASED = "personal_data_erased"
EXPORTED = "personal_data_exported"
ERASURE_REQUESTED = "erasure_requested"
HOLD_PLACED = "retention_hold_placed"
HOLD_RELEASED = "retention_hold_released"
# Events that do not move the end of a matter: the retention acts themselves and the vault's housekeeping. Any
# other event (a repeat letter, a reveal, a rating) means the file was used again and its period starts over.
NEUTRAL_ACTIONS = frozenset({ERASED, EXPORTED, ERASURE_REQUESTED, HOLD_PLACED, HOLD_RELEASED, "vault_resealed"})
IDENTITY_KINDS = (
    VaultItem.Kind.IDENTITY,
    VaultItem.Kind.ORIGINAL_MESSAGE,
    VaultItem.Kind.PROTECTION_DETAILS,
)
ACTIVE_PROTECTION = (ProtectionRequest.Status.RECEIVED, ProtectionRequest.Status.GRANTED)
DAILY_LIMIT = 2000  # cases erased by the worker's daily run at most (a backlog is worked off over days)
PART_LABELS = {
    IDENTITY: _("danh tính người gửi và nội dung gốc"),
    ATTACHMENTS: _("tệp đính kèm"),
    CONTACT: _("liên hệ nhận thông báo"),
}


# ---------------------------------------------------------------- reading: which cases are due


def active_rules() -> list[Rule]:
    return [rule_from(r) for r in RetentionRule.objects.filter(active=True)]


def _settled_cases() -> QuerySet[Any]:
    """Settled cases with what ``decide`` needs, in one query."""
    from pakn.cases.models import Answer, AuditEvent, Case, FalseReport

    last_event = (
        AuditEvent.objects.filter(case=OuterRef("pk"))
        .exclude(action__in=NEUTRAL_ACTIONS)
        .order_by("-seq")
        .values("created_at")[:1]
    )
    return Case.objects.filter(status__in=SETTLED).annotate(
        ended_at=Subquery(last_event),
        false_action=Subquery(FalseReport.objects.filter(case=OuterRef("pk")).values("action")[:1]),
        answered=Exists(Answer.objects.filter(case=OuterRef("pk"), kind__in=("answer", "conclusion"))),
        refusal=Exists(Answer.objects.filter(case=OuterRef("pk"), kind="refusal")),
        termination=Exists(Answer.objects.filter(case=OuterRef("pk"), kind="termination")),
        held=Exists(RetentionHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True)),
        protected=Exists(ProtectionRequest.objects.filter(case=OuterRef("pk"), status__in=ACTIVE_PROTECTION)),
    )


def _answer_kinds(case: Any) -> list[str]:
    flags = (("answer", case.answered), ("refusal", case.refusal), ("termination", case.termination))
    return [kind for kind, present in flags if present]


def _verdict(case: Any, rules: list[Rule], erased: list[str], today: date) -> Verdict:
    """``case`` comes from ``_settled_cases``. A merged case follows the case it ended up in: kept while that one
    is open, held or protected; its period ends with the later of the two."""
    settled, held, protected = True, case.held, case.protected
    ended = case.ended_at
    outcome = outcome_of(status=case.status, answer_kinds=_answer_kinds(case), false_report_action=case.false_action)
    if case.status == "merged":
        survivor = case.merge_survivor()
        found = _settled_cases().filter(pk=survivor.pk).first() if survivor.pk != case.pk else None
        if found is None:
            settled = False
        else:
            held, protected = held or found.held, protected or found.protected
            ended = max(filter(None, [ended, found.ended_at]), default=None)
            outcome = outcome_of(
                status=found.status, answer_kinds=_answer_kinds(found), false_report_action=found.false_action
            )
    return decide(
        rules=rules,
        kind=case.kind,
        outcome=outcome,
        settled=settled,
        held=held,
        protected=protected,
        ended_on=timezone.localdate(ended) if ended else None,
        erased=erased,
        today=today,
    )


def verdict_for(case: Any, *, today: date | None = None) -> Verdict:
    """For one case: due today, or kept (why, until when)."""
    found = _settled_cases().filter(pk=case.pk).first()
    if found is None:
        return Verdict(OPEN)
    erasure = Erasure.objects.filter(case_id=case.pk).first()
    return _verdict(found, active_rules(), erasure.parts if erasure else [], today or timezone.localdate())


def inventory(case: Any) -> dict[str, int]:
    """How much of each part a case holds (for the dry run and the counts of the event): numbers, never values."""
    from pakn.cases.models import Reporter

    return {
        IDENTITY: VaultItem.objects.filter(case=case, kind__in=IDENTITY_KINDS).count(),
        ATTACHMENTS: Attachment.objects.filter(case=case).count(),
        CONTACT: Reporter.objects.filter(case=case).exclude(notify_sealed="").count(),
    }


# ---------------------------------------------------------------- the write path


def _record(case: Any, action: str, **kwargs: Any) -> Any:
    from pakn.cases.services import record_event

    return record_event(case, action, **kwargs)


def _lock_case(case: Any) -> Any:
    from pakn.cases.models import Case

    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


def _erase_identity(case: Any, blobs: list[tuple[str, str]]) -> int:
    from pakn.cases.models import Answer, Reporter
    from pakn.protection.services import redact_for_case

    # The answers were written to the reporter and stored as sent: redacted with the reporter's keyed terms
    # while they still exist (the text of the letter and the messages was redacted when it came in).
    for answer in Answer.objects.filter(case=case).only("pk", "body"):
        redaction = redact_for_case(case, answer.body)
        if redaction.count:
            Answer.objects.filter(pk=answer.pk).update(body=redaction.text)
    Reporter.objects.filter(case=case).update(redaction_terms=[])
    items = list(VaultItem.objects.filter(case=case, kind__in=IDENTITY_KINDS))
    ProtectionRequest.objects.filter(details__in=items).update(details=None)
    blobs.extend((vault.VAULT_DIR, item.blob) for item in items if item.blob)
    VaultItem.objects.filter(pk__in=[item.pk for item in items]).delete()  # and their key wraps
    return len(items)


def _erase_attachments(case: Any, blobs: list[tuple[str, str]]) -> int:
    attachments = list(Attachment.objects.filter(case=case))
    originals = [a.original_id for a in attachments if a.original_id]
    blobs.extend((vault.FILES_DIR, a.clean_blob) for a in attachments if a.clean_blob)
    blobs.extend(
        (vault.VAULT_DIR, name)
        for name in VaultItem.objects.filter(pk__in=originals).values_list("blob", flat=True)
        if name
    )
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()  # and their place in verification copies
    VaultItem.objects.filter(pk__in=originals).delete()
    return len(attachments)


def _erase_contact(case: Any) -> int:
    from pakn.cases.models import NotifyChannel, Reporter
    from pakn.notify.models import Outbox

    erased = (
        Reporter.objects.filter(case=case)
        .exclude(notify_sealed="")
        .update(notify_sealed="", notify_by=NotifyChannel.NONE)
    )
    copies = Outbox.objects.filter(case=case).exclude(sealed_recipient="")
    copies.filter(status=Outbox.Status.PENDING).update(
        status=Outbox.Status.FAILED, last_error="contact erased (retention)"
    )
    copies.update(sealed_recipient="")
    return erased


ERASERS = {IDENTITY: _erase_identity, ATTACHMENTS: _erase_attachments}


def erase_case(
    *, case: Any, rule: Rule, actor: Any = None, actor_label: str = "retention", data: dict[str, Any] | None = None
) -> dict[str, int] | None:
    """Erase what ``rule`` says from ``case``; the counts of what was erased, or None when nothing was left to
    erase (twice = once). The caller has checked that the case is due (``verdict_for``): this checks only that it
    is settled and that no hold or protection request came in since. ``data`` joins the event (e.g. the citizen's
    request)."""
    blobs: list[tuple[str, str]] = []
    with transaction.atomic():
        case = _lock_case(case)
        if case.status not in SETTLED:
            raise InvalidTransition(_("Hồ sơ đang được giải quyết: chưa xóa dữ liệu cá nhân."))
        if (
            holds_of(case).exists()
            or ProtectionRequest.objects.filter(case=case, status__in=ACTIVE_PROTECTION).exists()
        ):
            # Placed since the schedule was read (both lock the case row first).
            raise InvalidTransition(_("Hồ sơ đang được giữ hoặc đang có đề nghị bảo vệ: chưa xóa dữ liệu cá nhân."))
        erasure = Erasure.objects.select_for_update().filter(case=case).first()
        done = set(erasure.parts) if erasure else set()
        parts = [p for p in rule.parts if p not in done]
        if not parts:
            return None
        counts: dict[str, int] = {}
        for part in parts:
            counts[part] = _erase_contact(case) if part == CONTACT else ERASERS[part](case, blobs)
        now = timezone.now()
        if erasure is None:
            erasure = Erasure(case=case, erased_at=now, parts=[], counts={})
        erasure.rule_code, erasure.citation, erasure.updated_at = rule.code, rule.citation[:400], now
        erasure.parts = [p for p in (IDENTITY, ATTACHMENTS, CONTACT) if p in done or p in parts]
        erasure.counts = {p: int(erasure.counts.get(p, 0)) + counts.get(p, 0) for p in erasure.parts}
        erasure.save()
        _record(
            case,
            ERASED,
            actor=actor,
            actor_label="" if getattr(actor, "is_authenticated", False) else actor_label,
            public=True,
            data={"rule": rule.code, "confirmed": rule.confirmed, "erased": parts, "counts": counts, **(data or {})},
        )
        for folder, name in blobs:
            transaction.on_commit(partial(vault.delete_blob, folder, name))
    logger.info("retention: case %s, rule %s, erased %s", case.pk, rule.code, counts)
    return counts


def erased_identity_message(case_id: Any) -> Any:
    """What the reveal path says about a case whose identity was erased (None when it was not)."""
    erasure = Erasure.objects.filter(case_id=case_id or 0).first()
    if erasure is None or IDENTITY not in erasure.parts:
        return None
    return _(
        "Danh tính người gửi của hồ sơ này đã được xóa theo quy định lưu trữ %(rule)s ngày %(date)s (%(citation)s): "
        "không còn gì để mở."
    ) % {
        "rule": erasure.rule_code,
        "date": timezone.localtime(erasure.erased_at).strftime("%d/%m/%Y"),
        "citation": erasure.citation,
    }


# ---------------------------------------------------------------- the schedule


@dataclass
class RuleReport:
    rule: Rule
    due: int = 0
    erased: int = 0  # cases (would be) erased in this run (--limit)
    parts: Counter[str] = field(default_factory=Counter)  # identities, files, contacts (would be) erased


@dataclass
class Report:
    today: date
    dry_run: bool
    rules: dict[str, RuleReport] = field(default_factory=dict)
    kept: Counter[str] = field(default_factory=Counter)  # state → cases
    erased: int = 0
    failed: int = 0

    def as_counts(self) -> dict[str, Any]:
        return {
            "erased": self.erased,
            "failed": self.failed,
            "kept": dict(self.kept),
            "rules": {
                code: {"due": r.due, "erased": r.erased, "parts": dict(r.parts)} for code, r in self.rules.items()
            },
        }


def due_cases(*, today: date | None = None) -> Any:
    """Every settled case with its verdict today (for the run and the dry run)."""
    today = today or timezone.localdate()
    rules = active_rules()
    erased = dict(Erasure.objects.values_list("case_id", "parts"))
    for case in _settled_cases().order_by("pk").iterator(chunk_size=500):
        yield case, _verdict(case, rules, erased.get(case.pk, []), today)


def run(*, dry_run: bool, limit: int | None = None, today: date | None = None, record: Any = None) -> Report:
    """Apply the schedule: erase every due case (at most ``limit``), or with ``dry_run`` only count. Recorded as
    a ``RetentionRun`` (``record``: the row the daily duty created)."""
    today = today or timezone.localdate()
    report = Report(today=today, dry_run=dry_run)
    for code, rule in ((r.code, r) for r in active_rules()):
        report.rules[code] = RuleReport(rule)
    record = record or RetentionRun.objects.create(day=today, dry_run=dry_run)
    due: list[tuple[Any, Verdict]] = []
    for case, verdict in due_cases(today=today):
        if verdict.state == DUE and verdict.rule is not None:
            report.rules[verdict.rule.code].due += 1
            due.append((case, verdict))
        elif verdict.state != DONE:
            report.kept[verdict.state] += 1
    for case, verdict in due[: limit if limit is not None else None]:
        assert verdict.rule is not None
        line = report.rules[verdict.rule.code]
        if dry_run:
            held = inventory(case)
            line.parts.update({p: held[p] for p in verdict.parts})
            line.erased += 1
            continue
        try:
            counts = erase_case(case=case, rule=verdict.rule)
        except InvalidTransition:  # reopened, held or protected since the schedule was read: kept
            report.kept["changed"] += 1
            continue
        except Exception:  # one case must not stop the others: logged, counted, tried again next run
            logger.exception("retention: erasing case %s failed", case.pk)
            report.failed += 1
            continue
        if counts is not None:
            line.parts.update(counts)
            line.erased += 1
            report.erased += 1
    RetentionRun.objects.filter(pk=record.pk).update(finished_at=timezone.now(), counts=report.as_counts())
    return report


def daily_run(*, today: date | None = None) -> int:
    """The worker's duty: the schedule, at most once a day (one row per day, even with several workers)."""
    today = today or timezone.localdate()
    if RetentionRun.objects.filter(day=today, scheduled=True).exists():
        return 0
    try:
        with transaction.atomic():
            record = RetentionRun.objects.create(day=today, scheduled=True)
    except IntegrityError:  # another worker started today's run
        return 0
    return run(dry_run=False, limit=DAILY_LIMIT, today=today, record=record).erased


# ---------------------------------------------------------------- holds


def place_hold(*, actor: Any, case: Any, reason: str) -> RetentionHold:
    """A competent authority asked for the file: nothing of it is erased until the hold is released."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput(fields={"reason": [_("Ghi rõ lý do, văn bản yêu cầu giữ hồ sơ.")]})
    with transaction.atomic():
        case = _lock_case(case)
        hold = RetentionHold.objects.create(case=case, reason=reason[:300], placed_by=actor)
        _record(case, HOLD_PLACED, actor=actor, public=False, data={"hold": hold.pk})
        return hold


def release_hold(*, actor: Any, hold: RetentionHold) -> RetentionHold:
    with transaction.atomic():
        case = _lock_case(hold.case)
        hold = RetentionHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            return hold
        hold.released_by, hold.released_at = actor, timezone.now()
        hold.save(update_fields=["released_by", "released_at"])
        _record(case, HOLD_RELEASED, actor=actor, public=False, data={"hold": hold.pk})
        return hold


def holds_of(case: Any) -> QuerySet[RetentionHold]:
    return RetentionHold.objects.filter(case=case, released_at__isnull=True)
