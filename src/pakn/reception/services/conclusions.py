"""Conclusions of a reception and the follow-up tasks they give."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import InvalidInput, InvalidTransition
from pakn.org.models import Unit
from pakn.reception import follow_up
from pakn.reception import validation as v
from pakn.reception.access import can_write, require_writer
from pakn.reception.models import (
    Conclusion,
    Entry,
    FollowUpTask,
    Session,
    SessionStatus,
)
from pakn.reception.services.common import MAX_BODY, record_activity
from pakn.reception.services.sessions import lock_session

# ---------------------------------------------------------------- conclusions and follow-up


def clean_task(raw: dict[str, Any], prefix: str, errors: v.Errors, *, issued_on: date | None) -> dict[str, Any]:
    title = v.text(raw.get("title"), f"{prefix}title", errors, required=True, limit=500)
    owner_name = v.text(raw.get("owner_name"), f"{prefix}owner_name", errors, limit=150)
    due = v.a_date(raw.get("due_on"), f"{prefix}due_on", errors)
    owner = raw.get("owner_unit")
    if not isinstance(owner, Unit) or not owner.is_active:
        errors.setdefault(f"{prefix}owner_unit", []).append(_("Chọn một đơn vị đang hoạt động."))
    if due and issued_on and due < issued_on:
        errors.setdefault(f"{prefix}due_on", []).append(_("Hạn hoàn thành không được trước ngày kết luận."))
    return {"title": title, "owner_name": owner_name, "due_on": due, "owner_unit": owner, "entry": raw.get("entry")}


def issue_conclusion(
    *, actor: Any, session: Session, number: Any, issued_on: Any, body: Any, tasks: list[dict[str, Any]] | None = None
) -> Conclusion:
    """Record the head's written conclusion of a session or dialogue, with the tasks it assigns
    (each with an owner unit and a deadline)."""
    errors: v.Errors = {}
    number_text = v.text(number, "number", errors, required=True, limit=60)
    day = v.a_date(issued_on, "issued_on", errors)
    body_text = v.text(body, "body", errors, required=True, limit=MAX_BODY)
    task_values = [clean_task(t, f"tasks.{i}.", errors, issued_on=day) for i, t in enumerate(tasks or [])]
    if day and (day < session.date or day > timezone.localdate()):
        errors.setdefault("issued_on", []).append(_("Ngày ban hành phải từ ngày tiếp đến hôm nay."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        session = lock_session(session)
        require_writer(actor, session.unit)
        if session.status != SessionStatus.HELD:
            raise InvalidTransition(_("Chỉ ban hành kết luận cho buổi tiếp đã diễn ra."))
        conclusion = Conclusion.objects.create(
            session=session, number=number_text, issued_on=day, body=body_text, created_by=actor
        )
        record_activity(
            "concluded", conclusion, actor=actor, unit=session.unit, data={"session": session.pk, "number": number_text}
        )
        for values in task_values:
            _create_task(actor=actor, conclusion=conclusion, **values)
        follow_up.tell_citizens_of_conclusion(conclusion)
        return conclusion


def _create_task(
    *,
    actor: Any,
    conclusion: Conclusion,
    title: str,
    owner_unit: Unit,
    owner_name: str,
    due_on: date,
    entry: Entry | None,
) -> FollowUpTask:
    if entry is not None and entry.unit_id != conclusion.session.unit_id:
        raise InvalidInput(fields={"entry": [_("Vụ việc không thuộc sổ tiếp công dân của đơn vị.")]})
    task = FollowUpTask.objects.create(
        conclusion=conclusion, entry=entry, title=title, owner_unit=owner_unit, owner_name=owner_name, due_on=due_on
    )
    record_activity(
        "task_assigned",
        task,
        actor=actor,
        unit=conclusion.session.unit,
        data={"owner_unit": owner_unit.code, "due_on": due_on.isoformat()},
    )
    return task


def add_follow_up_task(
    *,
    actor: Any,
    conclusion: Conclusion,
    title: Any,
    owner_unit: Any,
    due_on: Any,
    owner_name: Any = "",
    entry: Entry | None = None,
) -> FollowUpTask:
    errors: v.Errors = {}
    values = clean_task(
        {"title": title, "owner_unit": owner_unit, "due_on": due_on, "owner_name": owner_name, "entry": entry},
        "",
        errors,
        issued_on=conclusion.issued_on,
    )
    v.raise_if(errors)
    with transaction.atomic():
        conclusion = Conclusion.objects.select_related("session__unit").get(pk=conclusion.pk)
        require_writer(actor, conclusion.session.unit)
        return _create_task(actor=actor, conclusion=conclusion, **values)


def complete_follow_up_task(*, actor: Any, task: FollowUpTask, result: Any, done_on: Any) -> FollowUpTask:
    """Report a follow-up task done: by the unit that owns it or the unit whose head concluded it."""
    errors: v.Errors = {}
    result_text = v.text(result, "result", errors, required=True, limit=MAX_BODY)
    day = v.a_date(done_on, "done_on", errors)
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        task = (
            FollowUpTask.objects.select_for_update()
            .select_related("conclusion__session__unit", "owner_unit")
            .get(pk=task.pk)
        )
        session_unit = task.conclusion.session.unit
        if not (can_write(actor, session_unit) or can_write(actor, task.owner_unit)):
            require_writer(actor, session_unit)
        if task.done_on is not None:
            raise InvalidTransition(_("Việc này đã được báo cáo hoàn thành."))
        if day < task.conclusion.issued_on or day > timezone.localdate():
            raise InvalidInput(fields={"done_on": [_("Ngày hoàn thành phải từ ngày kết luận đến hôm nay.")]})
        task.done_on, task.result = day, result_text
        follow_up.reported_now(task)  # the citizen is asked whether it was really done
        task.save(update_fields=["done_on", "result", "reported_at", "review_digest"])
        record_activity(
            "task_done",
            task,
            actor=actor,
            unit=session_unit,
            data={"done_on": day.isoformat(), "late": day > task.due_on},
        )
        return task
