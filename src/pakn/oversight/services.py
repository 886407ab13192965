"""The one write path for supervision: send, answer and withdraw a recommendation, and the deadline job.
Keyword-only arguments, the acting user explicit, one transaction, one event per change, notifications
queued in the same transaction (delivered by ``pakn worker``). Cases are only read here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases import policy
from pakn.cases.models import Case
from pakn.core import validate
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from pakn.org.models import Role, Unit
from pakn.oversight.access import answering_units, area_cases, recommendable_units, supervisor_memberships
from pakn.oversight.models import (
    RECOMMENDATION_PERIOD,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
    ResponsePeriod,
)

MAX_TITLE = 200
MAX_BODY = 20_000
DEFAULT_WORKING_DAYS = 15  # used only if the ResponsePeriod table is empty (see the migration's note)
REMIND_WORKING_DAYS_BEFORE = 3


def _text(value: Any, field: str, errors: dict[str, list[Any]], *, limit: int, required: bool = True) -> str:
    return validate.text(value, field, errors, required=required, limit=limit)


def response_period(on: date) -> tuple[int, str]:
    """(working days, note) of the period in force on ``on``."""
    row = (
        ResponsePeriod.objects.filter(code=RECOMMENDATION_PERIOD, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return DEFAULT_WORKING_DAYS, _("Mặc định của PAKN (chưa cấu hình).")
    return row.working_days, row.note


def _event(recommendation: Recommendation, action: str, actor: Any, **data: Any) -> RecommendationEvent:
    return RecommendationEvent.objects.create(recommendation=recommendation, action=action, actor=actor, data=data)


def _notify(
    recommendation: Recommendation, key: str, subject: str, body: str, *, unit: Unit, roles: tuple[str, ...]
) -> None:
    from pakn.notify.services import queue_to_staff

    queue_to_staff(
        unit=unit,
        roles=roles,
        # The due date is part of the key: after "ask again" the new period's notices are new.
        key=f"rec:{recommendation.pk}:{recommendation.due_on.isoformat()}:{key}",
        subject=subject,
        body=body,
        case=recommendation.case,
    )


def send_recommendation(
    *,
    actor: Any,
    to_unit: Unit,
    title: Any,
    body: Any,
    case: Case | None = None,
    from_unit: Unit | None = None,
    today: date | None = None,
) -> Recommendation:
    """A supervisor sends a recommendation to a unit of their area, optionally about one case of the area.
    The answer is due ``response_period`` working days after the day it is sent."""
    memberships = supervisor_memberships(actor)
    if not memberships:
        raise NotFound()
    errors: dict[str, list[Any]] = {}
    title_text = _text(title, "title", errors, limit=MAX_TITLE)
    body_text = _text(body, "body", errors, limit=MAX_BODY)
    if not recommendable_units(actor).filter(pk=to_unit.pk).exists():
        errors.setdefault("to_unit", []).append(_("Chọn một đơn vị thuộc địa bàn giám sát."))
    if case is not None and not area_cases(actor).filter(pk=case.pk).exists():
        raise NotFound()
    if from_unit is None:
        from_unit = memberships[0].unit
    elif not any(m.unit_id == from_unit.pk for m in memberships):
        raise Forbidden()
    if errors:
        raise InvalidInput(fields=errors)
    sent_on = today or timezone.localdate()
    days, note = response_period(sent_on)
    due_on = policy.working_calendar().add_working_days(sent_on, days)
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            from_unit=from_unit,
            to_unit=to_unit,
            case=case,
            title=title_text,
            body=body_text,
            author=actor,
            sent_on=sent_on,
            due_on=due_on,
            period_note=f"{days} {_('ngày làm việc')} – {note}"[:300],
        )
        _event(recommendation, "sent", actor, due_on=due_on.isoformat(), working_days=days)
        _notify(
            recommendation,
            "sent",
            _("Kiến nghị giám sát: %(title)s") % {"title": title_text},
            _("%(from)s gửi kiến nghị giám sát. Hạn trả lời: %(due)s.")
            % {"from": from_unit.name, "due": due_on.strftime("%d/%m/%Y")},
            unit=to_unit,
            roles=(Role.HEAD, Role.CLERK),
        )
    return recommendation


def answer_recommendation(
    *, actor: Any, recommendation: Recommendation, answer: Any, today: date | None = None
) -> Recommendation:
    """The addressed unit answers. An answer after the due date is recorded as late, never refused."""
    errors: dict[str, list[Any]] = {}
    text = _text(answer, "answer", errors, limit=MAX_BODY)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if not answering_units(actor).filter(pk=recommendation.to_unit_id).exists():
            raise NotFound()
        if recommendation.status != RecommendationStatus.AWAITING:
            raise InvalidTransition(_("Kiến nghị này không còn chờ trả lời."))
        recommendation.status = RecommendationStatus.ANSWERED
        recommendation.answer, recommendation.answered_by = text, actor
        recommendation.answered_on = today or timezone.localdate()
        recommendation.save(update_fields=["status", "answer", "answered_by", "answered_on"])
        _event(
            recommendation,
            "answered",
            actor,
            late=recommendation.answered_late,
            answered_on=recommendation.answered_on.isoformat(),
        )
        _notify(
            recommendation,
            "answered",
            _("Đã có trả lời kiến nghị: %(title)s") % {"title": recommendation.title},
            _("%(unit)s đã trả lời kiến nghị giám sát.") % {"unit": recommendation.to_unit.name},
            unit=recommendation.from_unit,
            roles=(Role.SUPERVISOR,),
        )
    return recommendation


def withdraw_recommendation(*, actor: Any, recommendation: Recommendation, reason: Any) -> Recommendation:
    errors: dict[str, list[Any]] = {}
    text = _text(reason, "reason", errors, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if not any(m.unit_id == recommendation.from_unit_id for m in supervisor_memberships(actor)):
            raise NotFound()
        if recommendation.status != RecommendationStatus.AWAITING:
            raise InvalidTransition(_("Chỉ rút được kiến nghị đang chờ trả lời."))
        recommendation.status = RecommendationStatus.WITHDRAWN
        recommendation.save(update_fields=["status"])
        _event(recommendation, "withdrawn", actor, reason=text)
    return recommendation


ASSESSMENTS = ("accept", "ask_again", "escalate")


def assess_answer(
    *, actor: Any, recommendation: Recommendation, decision: str, note: Any = "", today: date | None = None
) -> Recommendation:
    """The supervising body judges the unit's answer: ``accept`` it; ``ask_again`` (the unit answers again
    within a new period; the earlier answer stays in the history); or ``escalate``: recommend the same to
    the unit above, also when no answer came in time. Asking again or escalating needs a reason."""
    if decision not in ASSESSMENTS:
        raise InvalidInput(fields={"decision": [_("Chọn: chấp nhận, đề nghị trả lời lại hoặc kiến nghị cấp trên.")]})
    errors: dict[str, list[Any]] = {}
    text = _text(note, "note", errors, limit=MAX_BODY, required=decision != "accept")
    if errors:
        raise InvalidInput(fields=errors)
    today = today or timezone.localdate()
    with transaction.atomic():
        recommendation = (
            Recommendation.objects.select_for_update(of=("self",))
            .select_related("to_unit__parent", "from_unit")
            .get(pk=recommendation.pk)
        )
        if not any(m.unit_id == recommendation.from_unit_id for m in supervisor_memberships(actor)):
            raise NotFound()
        answered = recommendation.status == RecommendationStatus.ANSWERED
        if decision in ("accept", "ask_again") and not answered:
            raise InvalidTransition(_("Chỉ đánh giá được khi đơn vị đã trả lời."))
        if decision == "escalate" and not (answered or recommendation.is_overdue(today)):
            raise InvalidTransition(_("Kiến nghị lên cấp trên khi đơn vị đã trả lời hoặc đã quá hạn trả lời."))
        if decision == "accept":
            recommendation.status = RecommendationStatus.ACCEPTED
            recommendation.save(update_fields=["status"])
            _event(recommendation, "accepted", actor, note=text)
            return recommendation
        if decision == "ask_again":
            return _ask_again(recommendation, actor=actor, note=text, today=today)
        return _escalate(recommendation, actor=actor, note=text, today=today)


def _ask_again(recommendation: Recommendation, *, actor: Any, note: str, today: date) -> Recommendation:
    """The unit answers again within a new period; the earlier answer stays in the history (locked by the caller)."""
    days, period = response_period(today)
    due_on = policy.working_calendar().add_working_days(today, days)
    _event(
        recommendation,
        "asked_again",
        actor,
        note=note,
        previous_answer=recommendation.answer,
        previous_answered_on=recommendation.answered_on.isoformat() if recommendation.answered_on else None,
        due_on=due_on.isoformat(),
    )
    recommendation.status = RecommendationStatus.AWAITING
    recommendation.answer, recommendation.answered_by, recommendation.answered_on = "", None, None
    recommendation.due_on = due_on
    recommendation.period_note = f"{days} {_('ngày làm việc')} – {period}"[:300]
    recommendation.reminded_at = recommendation.overdue_notified_at = None
    recommendation.save()
    _notify(
        recommendation,
        f"again:{due_on.isoformat()}",
        _("Đề nghị trả lời lại kiến nghị: %(title)s") % {"title": recommendation.title},
        _("%(from)s đề nghị trả lời lại. Lý do: %(note)s Hạn trả lời: %(due)s.")
        % {"from": recommendation.from_unit.name, "note": note, "due": due_on.strftime("%d/%m/%Y")},
        unit=recommendation.to_unit,
        roles=(Role.HEAD, Role.CLERK),
    )
    return recommendation


def _escalate(recommendation: Recommendation, *, actor: Any, note: str, today: date) -> Recommendation:
    """Recommend the same to the unit above (locked by the caller): a new recommendation that carries the first
    one and its answer (or its lateness)."""
    above = recommendation.to_unit.parent
    if above is None or not above.is_active:
        raise InvalidInput(fields={"decision": [_("Đơn vị này không có cơ quan cấp trên trong hệ thống.")]})
    answer = recommendation.answer or _("(chưa trả lời, đã quá hạn %(due)s)") % {
        "due": recommendation.due_on.strftime("%d/%m/%Y")
    }
    body = "\n\n".join(
        [
            note,
            _("Kiến nghị ban đầu gửi %(unit)s ngày %(sent)s:")
            % {
                "unit": recommendation.to_unit.name,
                "sent": recommendation.sent_on.strftime("%d/%m/%Y"),
            },
            recommendation.body,
            _("Trả lời của %(unit)s: %(answer)s") % {"unit": recommendation.to_unit.name, "answer": answer},
        ]
    )[:MAX_BODY]
    days, period = response_period(today)
    due_on = policy.working_calendar().add_working_days(today, days)
    followed = Recommendation.objects.create(
        from_unit=recommendation.from_unit,
        to_unit=above,
        case=recommendation.case,
        title=(_("Kiến nghị cấp trên: %(title)s") % {"title": recommendation.title})[:MAX_TITLE],
        body=body,
        author=actor,
        sent_on=today,
        due_on=due_on,
        period_note=f"{days} {_('ngày làm việc')} – {period}"[:300],
        follows=recommendation,
    )
    _event(followed, "sent", actor, due_on=due_on.isoformat(), working_days=days, follows=recommendation.pk)
    recommendation.status = RecommendationStatus.ESCALATED
    recommendation.save(update_fields=["status"])
    _event(recommendation, "escalated", actor, note=note, to=above.name, followed_by=followed.pk)
    _notify(
        followed,
        "sent",
        _("Kiến nghị giám sát: %(title)s") % {"title": followed.title},
        _("%(from)s kiến nghị lên cấp trên vì %(unit)s chưa tiếp thu. Hạn trả lời: %(due)s.")
        % {
            "from": recommendation.from_unit.name,
            "unit": recommendation.to_unit.name,
            "due": due_on.strftime("%d/%m/%Y"),
        },
        unit=above,
        roles=(Role.HEAD, Role.CLERK),
    )
    return followed


def check_recommendations(*, today: date | None = None) -> dict[str, int]:
    """Remind the unit a few working days before the due date, and tell its head and the supervisor once
    it is overdue. Idempotent: each recommendation is reminded and reported at most once."""
    today = today or timezone.localdate()
    horizon = policy.working_calendar().add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    counts = {"reminded": 0, "overdue": 0}
    awaiting = Recommendation.objects.filter(status=RecommendationStatus.AWAITING).select_related(
        "to_unit", "from_unit"
    )
    for rec in awaiting.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon):
        with transaction.atomic():
            if Recommendation.objects.filter(pk=rec.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                _notify(
                    rec,
                    "remind",
                    _("Sắp đến hạn trả lời kiến nghị: %(title)s") % {"title": rec.title},
                    _("Hạn trả lời: %(due)s.") % {"due": rec.due_on.strftime("%d/%m/%Y")},
                    unit=rec.to_unit,
                    roles=(Role.HEAD, Role.CLERK),
                )
                counts["reminded"] += 1
    for rec in awaiting.filter(overdue_notified_at__isnull=True, due_on__lt=today):
        with transaction.atomic():
            if Recommendation.objects.filter(pk=rec.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            ):
                subject = _("Quá hạn trả lời kiến nghị: %(title)s") % {"title": rec.title}
                body = _("%(unit)s chưa trả lời kiến nghị giám sát, hạn %(due)s.") % {
                    "unit": rec.to_unit.name,
                    "due": rec.due_on.strftime("%d/%m/%Y"),
                }
                _notify(rec, "overdue", subject, body, unit=rec.to_unit, roles=(Role.HEAD,))
                _notify(rec, "overdue-sup", subject, body, unit=rec.from_unit, roles=(Role.SUPERVISOR,))
                _event(rec, "overdue", None, due_on=rec.due_on.isoformat())
                counts["overdue"] += 1
    return counts


def visible_recommendations(user: Any) -> Any:
    """Recommendations sent by the user's supervising units or addressed to the units they handle."""
    if not getattr(user, "is_authenticated", False):
        return Recommendation.objects.none()
    if user.is_superuser:
        return Recommendation.objects.all()
    supervising = [m.unit_id for m in supervisor_memberships(user)]
    return Recommendation.objects.filter(Q(from_unit_id__in=supervising) | Q(to_unit__in=answering_units(user)))


def access_recommendation(user: Any, pk: int | str) -> Recommendation:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    rec = (
        visible_recommendations(user).select_related("from_unit", "to_unit", "case", "author").filter(pk=number).first()
    )
    if rec is None:
        raise NotFound()
    return rec
