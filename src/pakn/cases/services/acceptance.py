"""Deciding whether to take a case on: accept it (thụ lý), with the periods that then start; notify the
denouncer of it; extend the time to decide once; or refuse it on a legal ground."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import deadlines, policy
from pakn.cases.models import (
    Answer,
    AnswerKind,
    AuditEvent,
    Case,
    Complexity,
    Forward,
    Kind,
    Message,
    ObligationKind,
    Track,
)
from pakn.cases.services.common import (
    MAX_MESSAGE,
    RESOLUTION_TRACKS,
    STATUTORY_KINDS,
    checked_text,
    handled,
    open_obligations,
    redacted,
    transition,
)
from pakn.cases.services.events import notify_reporter, record_event
from pakn.cases.services.grounds import REFUSAL_REASON_KINDS, REFUSAL_REASONS
from pakn.cases.services.obligations import (
    close_obligations,
    compute_for_case,
    last_arrival,
    open_obligation,
    open_rule_obligation,
    pending,
    refresh_due,
)
from pakn.cases.workflow import Action, Status
from pakn.core.errors import InvalidInput, InvalidTransition


def accept_case(
    *, actor: Any, case: Case, accepted_on: date | None = None, complexity: str = Complexity.NORMAL
) -> Case:
    with handled(case, actor) as case:
        target = transition(case, Action.ACCEPT)
        if complexity not in Complexity.values:
            raise InvalidInput(fields={"complexity": [_("Mức độ không hợp lệ.")]})
        accepted = accepted_on or timezone.localdate()
        if accepted < case.received_on or accepted > timezone.localdate():
            raise InvalidInput(fields={"accepted_on": [_("Ngày thụ lý phải từ ngày nhận đơn đến hôm nay.")]})
        case.status, case.accepted_on, case.complexity = target, accepted, complexity
        case.remote_area = case.unit.remote_area
        case.extensions = 0  # an acceptance starts a new resolution period (e.g. at the unit above)
        case.save(update_fields=["status", "accepted_on", "complexity", "remote_area", "extensions", "updated_at"])
        data: dict[str, Any] = {"accepted_on": accepted.isoformat(), "complexity": complexity}
        if case.track == Track.FEEDBACK or (case.track == Track.PARTY and case.kind not in STATUTORY_KINDS):
            # The answer period of a report, petition or opinion runs from receipt (or from the forward
            # that brought it here): accepting it does not restart the clock.
            data["answer_by"] = case.due_on.isoformat() if case.due_on else None
        else:
            close_obligations(case, on=accepted)
        data.update(_open_periods(case, accepted))
        merged_statutory = _open_merged_obligations(case, accepted)
        if merged_statutory:
            data["merged_statutory"] = merged_statutory
        event = record_event(case, "accepted", actor=actor, data=data)
        queued = notify_reporter(
            case,
            event,
            str(_("Đơn %(code)s đã được thụ lý") % {"code": case.tracking_code}),
            str(
                _("%(unit)s đã thụ lý đơn của bạn ngày %(date)s.")
                % {"unit": case.unit.name, "date": accepted.strftime("%d/%m/%Y")}
            ),
        )
        if queued:
            # The notice of acceptance is on its way to the denouncer (Luật Tố cáo 2018, Điều 29 khoản 3).
            close_obligations(case, kinds=(ObligationKind.NOTIFY_ACCEPTANCE,))
        return case


def _open_periods(case: Case, accepted: date) -> dict[str, str]:
    """The periods an acceptance starts: resolving a complaint or denunciation (and notifying the
    denouncer), or answering an anonymous tip. Their ends, for the event."""
    data: dict[str, str] = {}
    if case.kind in STATUTORY_KINDS and case.track in RESOLUTION_TRACKS and not case.reference:
        result = compute_for_case(case, received=case.received_on, accepted=accepted)
        assert result.resolve_by is not None
        open_obligation(
            case, kind=ObligationKind.RESOLVE, opened_on=accepted, due_on=result.resolve_by, rule=result.rules[1]
        )
        data["resolve_by"] = result.resolve_by.isoformat()
        notice = open_rule_obligation(
            case, kind=ObligationKind.NOTIFY_ACCEPTANCE, item=deadlines.Item.NOTIFY_ACCEPTANCE, start=accepted
        )
        if notice is not None:
            data["notify_by"] = notice.due_on.isoformat()
    elif case.track == Track.ANONYMOUS:
        result = compute_for_case(case, received=accepted)
        assert result.answer_by is not None
        open_obligation(
            case, kind=ObligationKind.ANSWER, opened_on=accepted, due_on=result.answer_by, rule=result.rules[0]
        )
        data["answer_by"] = result.answer_by.isoformat()
    return data


def _open_merged_obligations(case: Case, accepted: date) -> list[str]:
    """Complaints and denunciations merged into this case keep their statutory track: accepting the
    surviving case meets their acceptance obligations and opens their own resolution deadlines."""
    merged = list(
        Case.objects.filter(merged_into=case, kind__in=list(STATUTORY_KINDS), track=Track.STATUTORY).select_related(
            "unit"
        )
    )
    if not merged:
        return []
    open_obligations(case).filter(kind=ObligationKind.ACCEPT).update(met_on=accepted)
    for other in merged:
        result = compute_for_case(other, received=other.received_on, accepted=accepted)
        assert result.resolve_by is not None
        open_obligation(
            case, kind=ObligationKind.RESOLVE, opened_on=accepted, due_on=result.resolve_by, rule=result.rules[1]
        )
    return [other.tracking_code for other in merged]


def notify_acceptance(*, actor: Any, case: Case, body: str = "") -> Case:
    """The handler sends the denouncer the notice of acceptance (Luật Tố cáo 2018, Điều 29 khoản 3) — for a
    denouncer without a contact, by the letter recorded here: the notice is posted on the status page and
    queued to any contact, and the obligation is met."""
    body = checked_text(body, "body", required=False, limit=MAX_MESSAGE)
    with handled(case, actor) as case:
        if not pending(case, ObligationKind.NOTIFY_ACCEPTANCE):
            raise InvalidTransition(_("Không có thông báo thụ lý nào đang chờ gửi."))
        assert case.accepted_on is not None
        text = str(
            _("%(unit)s đã thụ lý tố cáo của bạn ngày %(date)s.")
            % {"unit": case.unit.name, "date": case.accepted_on.strftime("%d/%m/%Y")}
        )
        if body:
            text = f"{text}\n{redacted(case, body)}"
        message = Message.objects.create(case=case, body=text, from_citizen=False)
        close_obligations(case, kinds=(ObligationKind.NOTIFY_ACCEPTANCE,))
        event = record_event(case, "acceptance_notified", actor=actor, data={"message": message.pk})
        notify_reporter(case, event, str(_("Đơn %(code)s đã được thụ lý") % {"code": case.tracking_code}), text)
        return case


def extend_acceptance(*, actor: Any, case: Case, reason: str) -> Case:
    """A denunciation that needs verification in several places: the acceptance period becomes the
    ACCEPT_EXTENSION rule's (10 working days from receipt, Luật Tố cáo 2018, Điều 24 khoản 1), once, decided
    before the 7 working days run out."""
    reason = checked_text(reason, "reason", limit=2000)
    with handled(case, actor) as case:
        obligation = (
            open_obligations(case).filter(kind__in=(ObligationKind.ACCEPT, ObligationKind.FORWARD_RESPONSE)).first()
        )
        if (
            case.kind != Kind.DENUNCIATION
            or case.track != Track.STATUTORY
            or case.status not in (Status.RECEIVED, Status.FORWARDED)
            or obligation is None
        ):
            raise InvalidTransition(_("Chỉ kéo dài thời hạn thụ lý được với tố cáo đang chờ thụ lý."))
        if AuditEvent.objects.filter(case=case, action="acceptance_extended", seq__gt=last_arrival(case)).exists():
            raise InvalidTransition(_("Thời hạn thụ lý đã được kéo dài một lần (Luật Tố cáo 2018, Điều 24 khoản 1)."))
        if timezone.localdate() > obligation.due_on:
            raise InvalidTransition(_("Đã hết thời hạn thụ lý, không thể kéo dài."))
        try:
            due, rule = deadlines.period_end(
                policy.deadline_rules(),
                policy.working_calendar(),
                case_kind=case.kind,
                item=deadlines.Item.ACCEPT_EXTENSION,
                start=obligation.opened_on,
            )
        except deadlines.NoRuleError:
            raise InvalidTransition(_("Không có quy định kéo dài thời hạn thụ lý đang có hiệu lực.")) from None
        old_due = obligation.due_on
        obligation.due_on, obligation.rule_code, obligation.citation = due, rule.code, rule.citation
        obligation.reminded_at = obligation.escalated_at = None
        obligation.save(update_fields=["due_on", "rule_code", "citation", "reminded_at", "escalated_at"])
        if obligation.kind == ObligationKind.FORWARD_RESPONSE:
            Forward.objects.filter(case=case, respond_by=old_due).update(respond_by=due)
        refresh_due(case)
        event = record_event(
            case,
            "acceptance_extended",
            actor=actor,
            data={"previous_due_on": old_due.isoformat(), "due_on": due.isoformat(), "reason": reason},
        )
        notify_reporter(
            case,
            event,
            str(_("Kéo dài thời hạn thụ lý đơn %(code)s") % {"code": case.tracking_code}),
            str(_("Thời hạn xem xét thụ lý tố cáo được kéo dài đến %(date)s.") % {"date": due.strftime("%d/%m/%Y")}),
        )
        return case


def refuse_case(*, actor: Any, case: Case, reason_code: str, explanation: str = "") -> Case:
    if reason_code not in REFUSAL_REASONS:
        raise InvalidInput(fields={"reason_code": [_("Chọn căn cứ pháp lý của việc không thụ lý.")]})
    explanation = checked_text(explanation, "explanation", required=reason_code == "other", limit=MAX_MESSAGE)
    with handled(case, actor) as case:
        if case.kind not in REFUSAL_REASON_KINDS[reason_code]:
            raise InvalidInput(
                fields={"reason_code": [_("Căn cứ này không áp dụng cho loại đơn của hồ sơ; chọn căn cứ phù hợp.")]}
            )
        case.status = transition(case, Action.REFUSE)
        case.save(update_fields=["status", "updated_at"])
        body = f"{REFUSAL_REASONS[reason_code]}\n{explanation}".strip()
        Answer.objects.create(case=case, unit=case.unit, kind=AnswerKind.REFUSAL, body=body, author=actor)
        close_obligations(case)
        event = record_event(
            case, "refused", actor=actor, data={"reason_code": reason_code, "explanation": explanation}
        )
        notify_reporter(case, event, str(_("Đơn %(code)s không được thụ lý") % {"code": case.tracking_code}), body)
        return case
