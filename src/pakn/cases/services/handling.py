"""Working on an accepted case: start, forward or escalate it to another unit, extend a denunciation's
period, suspend and resume it (the suspended days do not count), ask the reporter a question."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import policy
from pakn.cases.models import AuditEvent, Case, Complexity, Forward, Kind, Message, ObligationKind
from pakn.cases.services.common import (
    ENDED,
    MAX_MESSAGE,
    RESOLUTION_TRACKS,
    checked_text,
    clean_text,
    handled,
    lock,
    move,
    open_obligations,
    public_url,
    redacted,
    transition,
)
from pakn.cases.services.events import notify_reporter, notify_unit_staff, record_event
from pakn.cases.services.obligations import (
    close_obligations,
    compute_for_case,
    days_paused,
    first_obligation,
    open_obligation,
    refresh_due,
)
from pakn.cases.workflow import Action, Status
from pakn.core.errors import InvalidInput, InvalidTransition
from pakn.org.access import require_handler
from pakn.org.models import Role, Unit


def start_case(*, actor: Any, case: Case) -> Case:
    with handled(case, actor) as case:
        move(case, Action.START, actor=actor, event="started")
        return case


def forward_case(*, actor: Any, case: Case, to_unit: Unit, reason: str, escalation: bool = False) -> Case:
    """Send the case to ``to_unit``, which must respond within the period a new case would have there. An
    escalation (the citizen's, ``escalate_case``) cancels the open obligations instead of meeting them."""
    reason = checked_text(reason, "reason", limit=2000)
    with transaction.atomic():
        case = lock(case)
        if not escalation:
            require_handler(actor, case)
        if to_unit.pk == case.unit_id or not to_unit.is_active:
            raise InvalidInput(fields={"to_unit": [_("Chọn một đơn vị khác đang hoạt động.")]})
        target = transition(case, Action.ESCALATE if escalation else Action.FORWARD)
        from_unit = case.unit
        today = timezone.localdate()
        close_obligations(case, on=today, met=not escalation)
        case.status, case.unit = target, to_unit
        if escalation:
            case.escalated = True
            if case.kind == Kind.COMPLAINT:
                case.complaint_round = 2
            case.accepted_on = None
        case.save(update_fields=["status", "unit", "escalated", "complaint_round", "accepted_on", "updated_at"])
        _kind, due, rule = first_obligation(case, today)
        open_obligation(case, kind=ObligationKind.FORWARD_RESPONSE, opened_on=today, due_on=due, rule=rule)
        Forward.objects.create(
            case=case,
            from_unit=from_unit,
            to_unit=to_unit,
            escalation=escalation,
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            respond_by=due,
        )
        event = record_event(
            case,
            "escalated" if escalation else "forwarded",
            actor=actor,
            actor_label="" if getattr(actor, "is_authenticated", False) else "citizen",
            data={"from": from_unit.name, "to": to_unit.name, "reason": reason, "respond_by": due.isoformat()},
        )
        _tell_forwarded(case, event, to_unit, reason, escalation=escalation)
        return case


def _tell_forwarded(case: Case, event: AuditEvent, to_unit: Unit, reason: str, *, escalation: bool) -> None:
    """The receiving unit's clerks and heads; the reporter, unless they asked for it (an escalation)."""
    notify_unit_staff(
        case,
        to_unit,
        f"{event.hash}:fwd",
        str(_("Đơn chuyển đến %(code)s") % {"code": case.tracking_code}),
        reason,
        roles=(Role.CLERK, Role.HEAD),
    )
    if not escalation:
        notify_reporter(
            case,
            event,
            str(_("Đơn %(code)s đã được chuyển") % {"code": case.tracking_code}),
            str(
                _("Đơn của bạn đã được chuyển đến %(unit)s. Lý do: %(reason)s")
                % {"unit": to_unit.name, "reason": reason}
            ),
        )


def extend_deadline(*, actor: Any, case: Case, complexity: str, reason: str, subject_notified: bool = False) -> Case:
    """Denunciations only (Law on Denunciations Art. 30): complex → one 30-day extension, especially
    complex → two. The extension decision goes to both parties (Art. 30 khoản 2): the denouncer's notice is
    queued here; ``subject_notified`` records that the written notice to the denounced person was sent
    (the event says which parties were told)."""
    errors: dict[str, list[Any]] = {}
    reason = clean_text(reason, "reason", errors, required=True, limit=2000)
    if complexity not in (Complexity.COMPLEX, Complexity.ESPECIALLY_COMPLEX):
        errors["complexity"] = [_("Gia hạn cần xác định vụ việc phức tạp hoặc đặc biệt phức tạp.")]
    if errors:
        raise InvalidInput(fields=errors)
    with handled(case, actor) as case:
        if (
            case.kind != Kind.DENUNCIATION
            or case.track not in RESOLUTION_TRACKS
            or case.reference
            or case.status not in (Status.ACCEPTED, Status.IN_PROGRESS)
        ):
            raise InvalidTransition(_("Chỉ gia hạn được tố cáo đã thụ lý, đang giải quyết."))
        allowed = 2 if complexity == Complexity.ESPECIALLY_COMPLEX else 1
        if case.extensions + 1 > allowed:
            raise InvalidTransition(_("Đã hết số lần gia hạn cho phép (Luật Tố cáo 2018, Điều 30)."))
        case.extensions += 1
        case.complexity = complexity
        old_due, new_due = _extend_resolution(case)
        data: dict[str, Any] = {
            "extensions": case.extensions,
            "from": old_due.isoformat() if old_due else None,
            "to": new_due.isoformat(),
            "reason": reason,
            "subject_notified": bool(subject_notified),
        }
        event = record_event(case, "extended", actor=actor, data=data)
        # The event is hashed already: whether the denouncer's notice could be queued is derived from the
        # outbox, not written back into the event.
        notify_reporter(
            case,
            event,
            str(_("Gia hạn giải quyết đơn %(code)s") % {"code": case.tracking_code}),
            str(_("Thời hạn giải quyết được gia hạn đến %(date)s.") % {"date": new_due.strftime("%d/%m/%Y")}),
        )
        return case


def _extend_resolution(case: Case) -> tuple[date | None, date]:
    """Save the extension and move the resolution deadline (plus the days suspended since acceptance)."""
    assert case.accepted_on is not None
    try:
        result = compute_for_case(case, received=case.received_on, accepted=case.accepted_on)
    except ValueError as exc:
        raise InvalidTransition(str(exc)) from None
    case.save(update_fields=["extensions", "complexity", "updated_at"])
    obligation = open_obligations(case).filter(kind=ObligationKind.RESOLVE).first()
    old_due = obligation.due_on if obligation else None
    assert result.resolve_by is not None
    paused = days_paused(case)
    new_due = policy.working_calendar().add_days(result.resolve_by, paused) if paused else result.resolve_by
    if obligation:
        obligation.due_on, obligation.rule_code = new_due, result.rules[-1].code
        obligation.citation, obligation.escalated_at, obligation.reminded_at = result.rules[-1].citation, None, None
        obligation.save()
        refresh_due(case)
    return old_due, new_due


def suspend_case(*, actor: Any, case: Case, reason: str) -> Case:
    reason = checked_text(reason, "reason", limit=2000)
    with handled(case, actor) as case:
        move(
            case,
            Action.SUSPEND,
            actor=actor,
            event="suspended",
            data={"reason": reason, "on": timezone.localdate().isoformat()},
        )
        return case


def resume_case(*, actor: Any, case: Case) -> Case:
    """The time a case was suspended does not count: open deadlines move by the days suspended."""
    with handled(case, actor) as case:
        case.status = transition(case, Action.RESUME)
        case.save(update_fields=["status", "updated_at"])
        last = AuditEvent.objects.filter(case=case, action="suspended").order_by("-seq").first()
        today = timezone.localdate()
        paused = (today - date.fromisoformat(last.data["on"])).days if last else 0
        calendar = policy.working_calendar()
        for obligation in open_obligations(case):
            if paused:
                obligation.due_on = calendar.add_days(obligation.due_on, paused)
                obligation.reminded_at = obligation.escalated_at = None
                obligation.save(update_fields=["due_on", "reminded_at", "escalated_at"])
        refresh_due(case)
        record_event(case, "resumed", actor=actor, data={"days_paused": paused})
        return case


def ask_reporter(*, actor: Any, case: Case, body: str) -> Message:
    """The handler asks the reporter a question. The reporter reads it on their status page (tracking
    code) or in the drop box (receipt) and answers with ``add_information``; a reporter who chose
    notifications is told that there is a question, not what it says."""
    body = checked_text(body, "body", limit=MAX_MESSAGE)
    with handled(case, actor) as case:
        if case.status in ENDED:
            raise InvalidTransition(_("Hồ sơ đã kết thúc."))
        # Staff may quote the reporter back to them: stored redacted like everything else on the case.
        message = Message.objects.create(case=case, body=redacted(case, body), from_citizen=False)
        event = record_event(case, "question_asked", actor=actor, data={"message": message.pk})
        notify_reporter(
            case,
            event,
            str(_("Câu hỏi về đơn %(code)s") % {"code": case.tracking_code}),
            str(
                _("%(unit)s có câu hỏi về đơn của bạn. Xem và trả lời tại: %(url)s")
                % {"unit": case.unit.name, "url": public_url(case)}
            ),
        )
        return message
