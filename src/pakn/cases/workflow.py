"""The case workflow as one pure table: which action moves a case from which status to which."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    FORWARDED = "forwarded"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"
    SUSPENDED = "suspended"


STATUS_LABELS = {
    Status.RECEIVED: _("Đã tiếp nhận"),
    Status.ACCEPTED: _("Đã thụ lý"),
    Status.REFUSED: _("Không thụ lý"),
    Status.FORWARDED: _("Đã chuyển đơn"),
    Status.IN_PROGRESS: _("Đang giải quyết"),
    Status.RESOLVED: _("Đã trả lời / kết luận"),
    Status.CLOSED: _("Đã kết thúc"),
    Status.WITHDRAWN: _("Người gửi đã rút"),
    Status.MERGED: _("Đã gộp vào hồ sơ khác"),
    Status.SUSPENDED: _("Tạm đình chỉ"),
}


class Action(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    FORWARD = "forward"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    SUSPEND = "suspend"
    RESUME = "resume"
    ESCALATE = "escalate"
    # A withdrawn denunciation handled all the same (Luật Tố cáo 2018, Điều 33): back to handling. The table
    # gives IN_PROGRESS; ``services.continue_withdrawn`` puts a case withdrawn before acceptance back to the
    # status it had.
    CONTINUE = "continue"


S = Status
# (action, from) -> to. Anything not listed is not allowed.
TRANSITIONS: dict[tuple[Action, Status], Status] = {
    (Action.ACCEPT, S.RECEIVED): S.ACCEPTED,
    (Action.ACCEPT, S.FORWARDED): S.ACCEPTED,
    (Action.REFUSE, S.RECEIVED): S.REFUSED,
    (Action.REFUSE, S.FORWARDED): S.REFUSED,
    (Action.FORWARD, S.RECEIVED): S.FORWARDED,
    (Action.FORWARD, S.FORWARDED): S.FORWARDED,
    (Action.FORWARD, S.ACCEPTED): S.FORWARDED,
    (Action.START, S.ACCEPTED): S.IN_PROGRESS,
    (Action.RESOLVE, S.ACCEPTED): S.RESOLVED,
    (Action.RESOLVE, S.IN_PROGRESS): S.RESOLVED,
    (Action.CLOSE, S.RESOLVED): S.CLOSED,
    (Action.CLOSE, S.REFUSED): S.CLOSED,
    (Action.SUSPEND, S.ACCEPTED): S.SUSPENDED,
    (Action.SUSPEND, S.IN_PROGRESS): S.SUSPENDED,
    (Action.RESUME, S.SUSPENDED): S.IN_PROGRESS,
    (Action.ESCALATE, S.RESOLVED): S.FORWARDED,
    # Closing is the unit's bookkeeping; the unsatisfied citizen keeps the right to go to the unit above
    # within the escalation period (``services.can_escalate`` checks the period).
    (Action.ESCALATE, S.CLOSED): S.FORWARDED,
    # The resolution period passed without a decision: the complainant may complain the second time and the
    # denouncer re-denounce to the superior (Luật Khiếu nại 2011, Điều 33; Luật Tố cáo 2018, Điều 37).
    (Action.ESCALATE, S.ACCEPTED): S.FORWARDED,
    (Action.ESCALATE, S.IN_PROGRESS): S.FORWARDED,
    (Action.CONTINUE, S.WITHDRAWN): S.IN_PROGRESS,
    **{(Action.WITHDRAW, s): S.WITHDRAWN for s in (S.RECEIVED, S.FORWARDED, S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED)},
    **{(Action.MERGE, s): S.MERGED for s in (S.RECEIVED, S.FORWARDED, S.ACCEPTED, S.IN_PROGRESS)},
}

# Never left. CLOSED is not among them: the unit is done with it, but the unsatisfied citizen may still
# take it to the unit above within the escalation period. Nor is WITHDRAWN: a withdrawn denunciation may
# still have to be handled (Action.CONTINUE).
TERMINAL = frozenset({S.MERGED})
OPEN = frozenset(set(Status) - TERMINAL - {S.WITHDRAWN, S.REFUSED, S.RESOLVED, S.CLOSED})


def next_status(action: Action | str, current: Status | str) -> Status | None:
    """The status after ``action``, or None when the action is not allowed from ``current``."""
    return TRANSITIONS.get((Action(action), Status(current)))


def allowed_actions(current: Status | str) -> list[Action]:
    status = Status(current)
    return [action for (action, source) in TRANSITIONS if source == status]
