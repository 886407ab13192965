"""After reception and dialogues: the citizen and the Fatherland Front confirm or dispute what a unit reports
done, and the citizens are told of the conclusion that concerns them.

Quyết định 99-QĐ/TW asks for "kiểm tra, giám sát việc trả lời, giải quyết ý kiến, kiến nghị của Nhân dân sau khi
tiếp công dân, đối thoại": a task reported done (``services.complete_follow_up_task``) is not taken on the unit's
word alone. The citizen whose matter it was gets a link (sent to their sealed contact, never shown to staff) to
say "done" or "not done" in a sentence; the Front committee of the area says the same from its pages. A dispute
tells the head who concluded it, who may reopen the task. Every act is logged (``reception.Activity``)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import InvalidTransition, NotFound
from pakn.org.models import Role
from pakn.reception import validation as v
from pakn.reception.access import require_writer
from pakn.reception.models import AffectedHousehold, Conclusion, FollowUpTask, TaskReview

MAX_NOTE = 2_000
REVIEW_PATH = "/reception/follow-up/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _log(action: str, task: FollowUpTask, *, actor: Any, data: dict[str, Any]) -> None:
    from pakn.reception.services.common import write_activity

    write_activity("reception", action, task, actor=actor, unit=task.conclusion.session.unit, data=data)


def _queue_to_citizen(entry: Any, *, key: str, subject: str, body: str) -> bool:
    """``entry``: whoever holds a sealed contact (a register entry, a land-clearance household)."""
    from pakn.notify.services import queue

    if entry is None or not entry.notify_sealed:
        return False
    queue(channel=entry.notify_channel, sealed_recipient=entry.notify_sealed, subject=subject, body=body, key=key)
    return True


def _person(task: FollowUpTask) -> Any:
    """Whom a task is about: the register entry's citizen, else the household of a land-clearance dialogue (or
    nobody). Both keep a sealed contact and redaction terms."""
    if task.entry_id is not None:
        return task.entry
    if task.household_id is not None:
        return task.household
    return None


def ask_citizen(task: FollowUpTask) -> bool:
    """Inside the transaction that reported ``task`` done: a new link to the citizen whose matter it was, asking
    whether it was really done (the last link sent is the one that works). False when nobody can be asked."""
    from pakn.core.site import public_base_url

    person = _person(task)
    if person is None or not person.notify_sealed:
        task.review_digest = ""
        return False
    token = secrets.token_urlsafe(18)
    task.review_digest = _digest(token)
    unit = task.owner_unit.name
    return _queue_to_citizen(
        person,
        key=f"task-review:{task.pk}:{task.review_digest[:16]}",
        subject=str(_("Đơn vị báo đã thực hiện việc sau buổi tiếp công dân")),
        body=str(
            _(
                "%(unit)s báo đã thực hiện: %(title)s. Xin cho biết việc này đã được làm đúng chưa: %(link)s "
                "(đường dẫn chỉ dành cho bạn)."
            )
            % {"unit": unit, "title": task.title, "link": f"{public_base_url()}{REVIEW_PATH}{token}/"}
        ),
    )


def _by_link(rows: Any, field: str, token: str) -> Any:
    """The row a citizen's link (``token``) opens, found by its digest in ``field``; NotFound for any other text,
    a link replaced by a newer one included."""
    token = (token or "").strip()
    row = rows.filter(**{field: _digest(token)}).first() if 16 <= len(token) <= 64 else None
    if row is None:
        raise NotFound(_("Đường dẫn không đúng hoặc đã được thay bằng đường dẫn mới hơn."))
    return row


def task_for_citizen(token: str) -> FollowUpTask:
    """The task a citizen's link is about."""
    tasks = FollowUpTask.objects.select_related("conclusion__session__unit", "owner_unit", "entry", "household")
    return _by_link(tasks, "review_digest", token)  # type: ignore[no-any-return]


def citizen_word(task: FollowUpTask) -> TaskReview | None:
    """What the citizen said of the current report, if they did."""
    if task.reported_at is None:
        return None
    return (
        task.reviews.filter(by=TaskReview.By.CITIZEN, created_at__gte=task.reported_at).order_by("-created_at").first()
    )


def _clean(verdict: Any, note: Any) -> tuple[str, str]:
    errors: v.Errors = {}
    if verdict not in TaskReview.Verdict.values:
        errors["verdict"] = [_("Chọn: đã thực hiện đúng, hoặc chưa.")]
    note_text = v.text(note, "note", errors, required=verdict == TaskReview.Verdict.DISPUTED, limit=MAX_NOTE)
    if verdict == TaskReview.Verdict.DISPUTED and "note" in errors:
        errors["note"] = [_("Xin cho biết điều gì chưa được làm hoặc làm chưa đúng.")]
    v.raise_if(errors)
    return str(verdict), note_text


def _locked_done(task: FollowUpTask) -> FollowUpTask:
    task = (
        FollowUpTask.objects.select_for_update(of=("self",))  # entry, household: outer joins (PostgreSQL)
        .select_related("conclusion__session__unit", "owner_unit", "entry", "household")
        .get(pk=task.pk)
    )
    if task.done_on is None:
        raise InvalidTransition(_("Việc này chưa được báo cáo hoàn thành."))
    return task


@sensitive_variables("note")
def review_as_citizen(*, token: str, verdict: Any, note: Any = "") -> TaskReview:
    """The citizen's word on the current report. Their note is kept without their own details (the entry's or the
    household's redaction terms), as everything staff read."""
    from pakn.reception.services.common import redacted

    verdict_value, note_text = _clean(verdict, note)
    task = task_for_citizen(token)
    with transaction.atomic():
        task = _locked_done(task)
        if citizen_word(task) is not None:
            raise InvalidTransition(_("Bạn đã cho ý kiến về lần báo cáo này."))
        person = _person(task)
        terms = list(person.redaction_terms) if person is not None else []
        review = TaskReview.objects.create(
            task=task, by=TaskReview.By.CITIZEN, verdict=verdict_value, note=redacted(note_text, terms)
        )
        _after_review(task, review, actor=None)
        return review


def front_tasks(actor: Any) -> QuerySet[FollowUpTask]:
    """Follow-up tasks of the units in a supervisor's area (the unit that concluded, or the one that owns it)."""
    from pakn.oversight.access import area_units, is_supervisor

    if not is_supervisor(actor):
        return FollowUpTask.objects.none()
    area = area_units(actor)
    return FollowUpTask.objects.filter(Q(conclusion__session__unit__in=area) | Q(owner_unit__in=area)).distinct()


def review_as_front(*, actor: Any, task: FollowUpTask, verdict: Any, note: Any = "") -> TaskReview:
    """The Front's word, by a supervisor of the area."""
    verdict_value, note_text = _clean(verdict, note)
    if not front_tasks(actor).filter(pk=task.pk).exists():
        raise NotFound()
    with transaction.atomic():
        task = _locked_done(task)
        review = TaskReview.objects.create(
            task=task, by=TaskReview.By.FRONT, verdict=verdict_value, note=note_text, reviewer=actor
        )
        _after_review(task, review, actor=actor)
        return review


def _after_review(task: FollowUpTask, review: TaskReview, *, actor: Any) -> None:
    from pakn.notify.services import queue_to_staff

    _log("task_reviewed", task, actor=actor, data={"by": review.by, "verdict": review.verdict})
    if review.verdict != TaskReview.Verdict.DISPUTED:
        return
    who = review.get_by_display()
    queue_to_staff(
        unit=task.conclusion.session.unit,
        roles=(Role.HEAD, Role.CLERK),
        key=f"task-disputed:{review.pk}",
        subject=str(_("Việc sau buổi tiếp bị phản hồi chưa thực hiện đúng")),
        body=str(
            _("%(who)s cho biết việc “%(title)s” (kết luận %(number)s) chưa được thực hiện đúng: %(note)s")
            % {"who": who, "title": task.title, "number": task.conclusion.number, "note": review.note}
        ),
    )


def reopen_task(*, actor: Any, task: FollowUpTask, reason: Any) -> FollowUpTask:
    """The unit that concluded takes the task back (after a dispute, usually): open again until reported done
    anew; the earlier report stays in the log."""
    errors: v.Errors = {}
    reason_text = v.text(reason, "reason", errors, required=True, limit=MAX_NOTE)
    v.raise_if(errors)
    with transaction.atomic():
        task = _locked_done(task)
        require_writer(actor, task.conclusion.session.unit)
        _log(
            "task_reopened",
            task,
            actor=actor,
            data={"reason": reason_text, "done_on": task.done_on.isoformat() if task.done_on else None},
        )
        task.done_on, task.reported_at, task.review_digest = None, None, ""
        task.reminded_at = task.overdue_at = None
        task.save(update_fields=["done_on", "reported_at", "review_digest", "reminded_at", "overdue_at"])
        return task


def _task_lines(tasks: list[FollowUpTask]) -> list[str]:
    return [
        str(_("- %(title)s: %(unit)s, hạn %(due)s"))
        % {"title": t.title, "unit": t.owner_unit.name, "due": t.due_on.strftime("%d/%m/%Y")}
        for t in tasks
    ]


def tell_citizens_of_conclusion(conclusion: Conclusion) -> int:
    """Inside the transaction that issued ``conclusion``: each citizen of the session with a contact is told its
    number and date and the tasks it gives about *their* matter (never the body, which speaks of others' matters
    too); for a dialogue about a land-clearance project, so is each household that attended it or that a task
    concerns, with the tasks about that household only. Returns how many were told."""
    told = 0
    session = conclusion.session
    all_tasks = list(conclusion.tasks.select_related("owner_unit"))
    for entry in session.entries.exclude(notify_sealed=""):
        lines = _task_lines([t for t in all_tasks if t.entry_id == entry.pk])
        body = str(
            _("%(unit)s đã ban hành kết luận số %(number)s ngày %(date)s về buổi tiếp công dân ngày %(session)s.")
            % {
                "unit": session.unit.name,
                "number": conclusion.number,
                "date": conclusion.issued_on.strftime("%d/%m/%Y"),
                "session": session.date.strftime("%d/%m/%Y"),
            }
        )
        if lines:
            body += "\n" + str(_("Việc giao liên quan đến vụ việc của bạn:")) + "\n" + "\n".join(lines)
        told += _queue_to_citizen(
            entry,
            key=f"conclusion:{conclusion.pk}:{entry.pk}",
            subject=str(_("Kết luận buổi tiếp công dân")),
            body=body,
        )
    if session.project_id is not None:
        told += _tell_households(conclusion, all_tasks)
    return told


def _tell_households(conclusion: Conclusion, tasks: list[FollowUpTask]) -> int:
    session = conclusion.session
    concerned = {t.household_id for t in tasks if t.household_id is not None}
    households = (
        AffectedHousehold.objects.filter(project_id=session.project_id)
        .filter(Q(attendances__session=session, attendances__attended=True) | Q(pk__in=concerned))
        .exclude(notify_sealed="")
        .distinct()
    )
    told = 0
    for household in households:
        lines = _task_lines([t for t in tasks if t.household_id == household.pk])
        body = str(
            _(
                "%(unit)s đã ban hành kết luận số %(number)s ngày %(date)s về buổi đối thoại ngày %(session)s "
                "(dự án %(project)s)."
            )
            % {
                "unit": session.unit.name,
                "number": conclusion.number,
                "date": conclusion.issued_on.strftime("%d/%m/%Y"),
                "session": session.date.strftime("%d/%m/%Y"),
                "project": session.project.name if session.project else "",
            }
        )
        if lines:
            body += "\n" + str(_("Việc giao liên quan đến hộ của bạn:")) + "\n" + "\n".join(lines)
        told += _queue_to_citizen(
            household,
            key=f"conclusion:{conclusion.pk}:household:{household.pk}",
            subject=str(_("Kết luận buổi đối thoại")),
            body=body,
        )
    return told


def reported_now(task: FollowUpTask) -> None:
    """Inside the transaction that reported ``task`` done: the moment, and the citizen asked."""
    task.reported_at = timezone.now()
    ask_citizen(task)


# ---------------------------------------------------------------- satisfaction with the reception itself

RATE_PATH = "/reception/rate/"


def ask_rating(entry: Any) -> bool:
    """Inside the transaction that recorded the notice to the citizen: a link of their own to rate how they were
    received (Quyết định 99-QĐ/TW: the people's satisfaction as the measure). False when they cannot be asked."""
    from pakn.core.site import public_base_url

    if not entry.notify_sealed or entry.rated_on is not None:
        return False
    token = secrets.token_urlsafe(18)
    entry.rating_digest = _digest(token)
    return _queue_to_citizen(
        entry,
        key=f"reception-rating:{entry.pk}:{entry.rating_digest[:16]}",
        subject=str(_("Xin ý kiến của bạn về buổi tiếp công dân")),
        body=str(
            _("%(unit)s đã tiếp bạn ngày %(date)s. Bạn hài lòng đến đâu với cách được tiếp? Cho ý kiến tại: %(link)s")
            % {
                "unit": entry.unit.name,
                "date": entry.received_on.strftime("%d/%m/%Y"),
                "link": f"{public_base_url()}{RATE_PATH}{token}/",
            }
        ),
    )


def entry_for_rating(token: str) -> Any:
    """The register entry a citizen's rating link is about."""
    from pakn.reception.models import Entry

    return _by_link(Entry.objects.select_related("unit"), "rating_digest", token)


@sensitive_variables("comment")
def rate_reception(*, token: str, level: Any, comment: Any = "") -> Any:
    """The citizen's rating (1–5) of the reception, once; the comment without their own details."""
    from pakn.reception.models import Entry
    from pakn.reception.services.common import redacted, write_activity

    errors: v.Errors = {}
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors["level"] = [_("Chọn mức độ hài lòng từ 1 đến 5.")]
    comment_text = v.text(comment, "comment", errors, required=False, limit=MAX_NOTE)
    v.raise_if(errors)
    entry = entry_for_rating(token)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
        if entry.rated_on is not None:
            raise InvalidTransition(_("Bạn đã cho ý kiến về buổi tiếp này."))
        entry.rating, entry.rated_on = value, timezone.localdate()
        entry.rating_comment = redacted(comment_text, list(entry.redaction_terms))
        entry.save(update_fields=["rating", "rated_on", "rating_comment", "updated_at"])
        write_activity("reception", "rated", entry, actor=None, unit=entry.unit, data={"level": value})
        return entry
