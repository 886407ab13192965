"""What the reporter does with their tracking code or receipt: add information, withdraw, rate the answer,
and take the case once to the unit above (when and until when they may)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases import deadlines, policy
from pakn.cases.models import AuditEvent, Case, Kind, Message, ObligationKind, Rating, Track
from pakn.cases.services.common import (
    ENDED,
    MAX_MESSAGE,
    RESOLUTION_TRACKS,
    checked_text,
    clean_text,
    lock,
    open_obligations,
    redacted,
    transition,
)
from pakn.cases.services.events import notify_unit_staff, record_event
from pakn.cases.services.handling import forward_case
from pakn.cases.services.obligations import close_obligations, rule_track
from pakn.cases.workflow import Action, Status
from pakn.core.errors import InvalidInput, InvalidTransition
from pakn.org.models import Role


@sensitive_variables()
def add_information(*, case: Case, body: str, uploads: Any = (), return_attachments: bool = False) -> Any:
    """The citizen adds information (and checked ``uploads`` from ``protection.check_uploads``). The text
    is redacted like the submission; its original, if anything was removed, is sealed in the vault."""
    from pakn.protection import services as protection
    from pakn.protection.models import VaultItem
    from pakn.protection.vault import files_guard, seal_json

    body = checked_text(body, "body", limit=MAX_MESSAGE)
    with files_guard(), transaction.atomic():
        case = lock(case)
        if case.status in ENDED:
            raise InvalidTransition(_("Hồ sơ đã kết thúc, không thể bổ sung."))
        redaction = protection.redact_for_case(case, body)
        message = Message.objects.create(case=case, body=redaction.text, from_citizen=True)
        if redaction.count:
            seal_json(case=case, kind=VaultItem.Kind.ORIGINAL_MESSAGE, data={"message": message.pk, "body": body})
        attachments = protection.store_uploads(
            case=case, uploads=list(uploads or ()), source="citizen", message=message
        )
        event = record_event(
            case,
            "information_added",
            actor_label="citizen",
            data={"message": message.pk, "attachments": len(attachments)},
        )
        notify_unit_staff(
            case,
            case.unit,
            f"{event.hash}:info",
            str(_("Bổ sung thông tin %(code)s") % {"code": case.tracking_code}),
            redaction.text[:500],
            roles=(Role.CLERK,),
        )
        if return_attachments:
            return message, attachments
        return message


def withdraw_case(*, case: Case, reason: str = "") -> Case:
    reason = checked_text(reason, "reason", required=False, limit=2000)
    with transaction.atomic():
        case = lock(case)
        previous = case.status
        case.status = transition(case, Action.WITHDRAW)
        case.save(update_fields=["status", "updated_at"])
        cancelled = list(open_obligations(case).values_list("pk", flat=True))
        close_obligations(case, met=False)
        # What the case was, so that a withdrawn denunciation can be handled all the same (continue_withdrawn).
        record_event(
            case,
            "withdrawn",
            actor_label="citizen",
            data={"reason": redacted(case, reason), "from_status": previous, "obligations": cancelled},
        )
        return case


def rate_case(*, case: Case, level: Any, comment: str = "") -> Rating:
    errors: dict[str, list[Any]] = {}
    comment = clean_text(comment, "comment", errors, required=False, limit=2000)
    if isinstance(level, str) and level.strip().isdecimal():
        level = int(level)
    if isinstance(level, bool) or not isinstance(level, int) or level not in range(1, 6):
        errors["level"] = [_("Chọn một mức độ hài lòng.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = lock(case)
        if case.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidTransition(_("Chỉ đánh giá được khi đã có kết quả."))
        if Rating.objects.filter(case=case, unit=case.unit).exists():
            raise InvalidTransition(_("Bạn đã đánh giá kết quả này."))
        rating = Rating.objects.create(case=case, unit=case.unit, level=level, comment=redacted(case, comment))
        record_event(case, "rated", actor_label="citizen", data={"level": level})
        return rating


def overdue_resolution(case: Case, today: date | None = None) -> date | None:
    """End of the resolution period of an accepted complaint or denunciation that passed without a
    decision (None otherwise; a suspended case's clock is stopped)."""
    if case.track not in RESOLUTION_TRACKS or case.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        return None
    obligation = open_obligations(case).filter(kind=ObligationKind.RESOLVE).order_by("due_on").first()
    if obligation is None or obligation.due_on >= (today or timezone.localdate()):
        return None
    return obligation.due_on


def escalation_ends(case: Case, *, today: date | None = None) -> date | None:
    """Last day the citizen may take the case to the unit above, counted by the ESCALATE rule from the
    answer — or, for a complaint or denunciation, from the end of the resolution period that passed without
    a decision (Luật Khiếu nại 2011, Điều 33). None when there is no limit (no ESCALATE rule: a
    denunciation, Luật Tố cáo 2018, Điều 37) or nothing to escalate yet."""
    start: date | None = None
    if case.status in (Status.RESOLVED, Status.CLOSED):
        answered = AuditEvent.objects.filter(case=case, action="resolved").order_by("-seq").first()
        start = timezone.localdate(answered.created_at) if answered is not None else None
    else:
        start = overdue_resolution(case, today)
    if start is None:
        return None
    found = deadlines.escalation_ends(
        policy.deadline_rules(),
        policy.working_calendar(),
        kind=case.kind if case.track != Track.ANONYMOUS else Kind.REPORT,
        start=start,
        remote_area=case.remote_area,
        track=rule_track(case),
    )
    return found[0] if found is not None else None


def can_escalate(case: Case, *, today: date | None = None) -> bool:
    """Once, to the unit above — after an unsatisfied rating (1–2 of 5) of the answer, also after the unit
    closed the case, or when the resolution period of a complaint or denunciation passed without a decision
    (Luật Khiếu nại 2011, Điều 33; Luật Tố cáo 2018, Điều 37) — within the escalation period. A second-time
    complaint goes no further here: what is left is a lawsuit (Luật Khiếu nại 2011, Điều 7)."""
    if case.escalated or not case.unit.parent_id:
        return False
    if case.kind == Kind.COMPLAINT and (case.complaint_round or 1) >= 2:
        return False
    today = today or timezone.localdate()
    if case.status in (Status.RESOLVED, Status.CLOSED):
        last = Rating.objects.filter(case=case, unit=case.unit).first()
        if last is None or last.level > 2:
            return False
    elif overdue_resolution(case, today) is None:
        return False
    ends = escalation_ends(case, today=today)
    return ends is None or today <= ends


def escalate_case(*, case: Case, reason: str) -> Case:
    """The citizen takes the case once to the unit above (for a complaint: the second time): unsatisfied
    with the answer, or no decision within the resolution period."""
    if not can_escalate(case):
        raise InvalidTransition(
            _(
                "Chỉ đề nghị cấp trên một lần: sau khi đã đánh giá không hài lòng với kết quả, hoặc khi đã hết thời "
                "hạn giải quyết mà chưa có kết quả, và trong thời hạn đề nghị (khiếu nại lần hai: 30 ngày, vùng khó "
                "khăn 45 ngày)."
            )
        )
    assert case.unit.parent is not None
    reason = redacted(case, reason) if isinstance(reason, str) else reason
    return forward_case(actor=None, case=case, to_unit=case.unit.parent, reason=reason, escalation=True)
