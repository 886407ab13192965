"""Pure rules of the cascade: the state of a task from its due date, its reports and today, and the
summary per unit. Plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
NOT_REPORTED = "not_reported"

STATE_LABELS = {
    ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành trễ hạn",
    OVERDUE: "Quá hạn",
    IN_PROGRESS: "Đang thực hiện",
    NOT_REPORTED: "Chưa báo cáo",
}


@dataclass(frozen=True)
class TaskState:
    code: str
    planned: bool
    reported: bool
    last_report_on: date | None
    percent: int
    completed_on: date | None
    days_late: int  # calendar days past the due date (0 if not late)

    @property
    def late(self) -> bool:
        return self.code in (OVERDUE, DONE_LATE)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.code]


def task_state(*, due_on: date, today: date, reports: Iterable[tuple[date, int, bool]], planned: bool) -> TaskState:
    """``reports``: (reported_on, percent, is_final) of the task's progress reports.

    Done when a final report exists (on its date); late when done after the due date, or not done
    and the due date has passed. A task with reports but not done is "in progress" until it is due."""
    ordered = sorted(reports)
    final = next((r for r in ordered if r[2]), None)
    last = ordered[-1] if ordered else None
    completed = final[0] if final else None
    if completed is not None:
        code = DONE_LATE if completed > due_on else ON_TIME
        days_late = max((completed - due_on).days, 0)
    elif today > due_on:
        code, days_late = OVERDUE, (today - due_on).days
    else:
        code, days_late = (IN_PROGRESS if last else NOT_REPORTED), 0
    return TaskState(
        code=code,
        planned=planned,
        reported=bool(ordered),
        last_report_on=last[0] if last else None,
        percent=100 if completed else (last[1] if last else 0),
        completed_on=completed,
        days_late=days_late,
    )


@dataclass
class UnitSummary:
    unit_id: int
    plan_number: str = ""
    plan_issued_on: date | None = None
    tasks: int = 0
    reported: int = 0
    done: int = 0
    late: int = 0

    @property
    def planned(self) -> bool:
        return bool(self.plan_number)

    @property
    def status(self) -> str:
        if self.late:
            return "Có nhiệm vụ trễ hạn"
        if self.tasks and self.done == self.tasks:
            return "Đã hoàn thành"
        if self.tasks and not self.reported:
            return "Chưa báo cáo"
        if self.tasks:
            return "Đang thực hiện"
        return "Đã có kế hoạch" if self.planned else "Chưa có kế hoạch"
