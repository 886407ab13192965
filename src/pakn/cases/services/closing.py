"""Ending a case: the answer or conclusion (and its publication), closing, and what follows a withdrawal
(going on with a withdrawn denunciation, or the decision that stops a withdrawn complaint)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import deadlines
from pakn.cases.models import (
    Answer,
    AnswerFile,
    AnswerKind,
    AuditEvent,
    Case,
    Finding,
    Kind,
    Obligation,
    ObligationKind,
    Track,
)
from pakn.cases.services.common import (
    MAX_CONTENT,
    STATUTORY_KINDS,
    checked_text,
    clean_text,
    handled,
    move,
    public_url,
    transition,
)
from pakn.cases.services.events import notify_reporter, record_event
from pakn.cases.services.grounds import CONTINUE_GROUNDS, PUBLICATION_METHODS
from pakn.cases.services.merging import tell_merged_reporters
from pakn.cases.services.obligations import close_obligations, open_rule_obligation, pending, refresh_due
from pakn.cases.workflow import Action, Status
from pakn.core.errors import InvalidInput, InvalidTransition


def resolve_case(
    *,
    actor: Any,
    case: Case,
    body: str,
    kind: str = AnswerKind.ANSWER,
    finding: str = "",
    uploads: Any = (),
    files_public: bool = False,
) -> Case:
    """The answer, or the conclusion; a conclusion on a denunciation says whether it was true, partly true or
    false (``finding``: Luật Tố cáo 2018, Điều 35(1)(c)), and only such a conclusion has a finding. ``uploads``
    (checked by ``protection.check_uploads``) are the evidence of what was done, stored like the case's other
    files; ``files_public``: they may be published with the answer (never for a denunciation)."""
    from pakn.protection.vault import files_guard

    errors: dict[str, list[Any]] = {}
    body = clean_text(body, "body", errors, required=True, limit=MAX_CONTENT)
    if kind not in (AnswerKind.ANSWER, AnswerKind.CONCLUSION):
        errors["kind"] = [_("Loại văn bản không hợp lệ.")]
    finding = finding or ""
    if case.kind == Kind.DENUNCIATION and kind == AnswerKind.CONCLUSION:
        if finding not in Finding.values:
            errors["finding"] = [_("Kết luận nội dung tố cáo phải nêu: tố cáo đúng, đúng một phần hay sai sự thật.")]
    elif finding:
        errors["finding"] = [_("Chỉ kết luận nội dung tố cáo mới nêu tố cáo đúng hay sai.")]
    if errors:
        raise InvalidInput(fields=errors)
    with files_guard(), handled(case, actor) as case:
        resolution = case.track == Track.STATUTORY or (
            case.track == Track.PARTY and case.kind in STATUTORY_KINDS and not case.reference
        )
        if resolution and case.status == Status.RECEIVED:
            raise InvalidTransition(_("Cần thụ lý trước khi giải quyết."))
        if case.status in (Status.RECEIVED, Status.FORWARDED) and not resolution:
            # Reports, petitions and anonymous tips can be answered straight away.
            case.status, case.accepted_on = Status.ACCEPTED, case.accepted_on or timezone.localdate()
        case.status = transition(case, Action.RESOLVE)
        case.save(update_fields=["status", "accepted_on", "updated_at"])
        answer = Answer.objects.create(case=case, unit=case.unit, kind=kind, body=body, author=actor, finding=finding)
        files = _store_answer_files(case, answer, list(uploads or ()), public=files_public)
        close_obligations(case)
        if resolution:  # a conclusion to publish, where the rule table has the period
            _open_publication(case)
        data = {"answer_kind": kind, **({"finding": finding} if finding else {}), **({"files": files} if files else {})}
        event = record_event(case, "resolved", actor=actor, data=data)
        notify_reporter(
            case,
            event,
            str(_("Đơn %(code)s đã có kết quả") % {"code": case.tracking_code}),
            str(
                _("%(unit)s đã trả lời đơn của bạn. Xem và đánh giá mức độ hài lòng tại: %(url)s")
                % {"unit": case.unit.name, "url": public_url(case)}
            ),
        )
        tell_merged_reporters(case)
        return case


def _store_answer_files(case: Case, answer: Answer, uploads: list[Any], *, public: bool) -> int:
    if not uploads:
        return 0
    from pakn.protection import services as protection

    stored = protection.store_uploads(case=case, uploads=uploads, source="staff")
    public = public and case.kind != Kind.DENUNCIATION
    AnswerFile.objects.bulk_create([AnswerFile(answer=answer, number=f.number, public=public) for f in stored])
    return len(stored)


def _open_publication(case: Case) -> None:
    """Publish the conclusion within the PUBLISH_CONCLUSION period (tố cáo: 7 working days, Luật Tố cáo
    2018, Điều 40), never revealing the denouncer; nothing when no rule is in force for the kind."""
    open_rule_obligation(
        case,
        kind=ObligationKind.PUBLISH_CONCLUSION,
        item=deadlines.Item.PUBLISH_CONCLUSION,
        start=timezone.localdate(),
    )


def publish_conclusion(*, actor: Any, case: Case, method: str) -> Case:
    """Record that the conclusion was made public (Luật Tố cáo 2018, Điều 40): meets the obligation."""
    if method not in PUBLICATION_METHODS:
        raise InvalidInput(fields={"method": [_("Chọn hình thức công khai.")]})
    with handled(case, actor) as case:
        if not pending(case, ObligationKind.PUBLISH_CONCLUSION):
            raise InvalidTransition(_("Không có kết luận nào đang chờ công khai."))
        close_obligations(case, kinds=(ObligationKind.PUBLISH_CONCLUSION,))
        record_event(case, "conclusion_published", actor=actor, data={"method": method})
        return case


def close_case(*, actor: Any, case: Case) -> Case:
    with handled(case, actor) as case:
        move(case, Action.CLOSE, actor=actor, event="closed")
        return case


def continue_withdrawn(*, actor: Any, case: Case, ground: str, reason: str) -> Case:
    """The handler decides to go on with a withdrawn denunciation (Luật Tố cáo 2018, Điều 33): the case goes
    back to where it was (waiting for acceptance, or being resolved) and the deadlines cancelled by the
    withdrawal run again, with the ground and the reason in the audit trail."""
    errors: dict[str, list[Any]] = {}
    reason = clean_text(reason, "reason", errors, required=True, limit=2000)
    if ground not in CONTINUE_GROUNDS:
        errors["ground"] = [_("Chọn căn cứ tiếp tục giải quyết.")]
    if errors:
        raise InvalidInput(fields=errors)
    with handled(case, actor) as case:
        target = transition(case, Action.CONTINUE)
        if case.kind != Kind.DENUNCIATION:
            raise InvalidTransition(_("Chỉ tố cáo đã rút mới có thể tiếp tục giải quyết."))
        withdrawn = AuditEvent.objects.filter(case=case, action="withdrawn").order_by("-seq").first()
        data = withdrawn.data if withdrawn is not None else {}
        before = data.get("from_status") or (Status.ACCEPTED if case.accepted_on else Status.RECEIVED)
        if before in (Status.RECEIVED, Status.FORWARDED):
            target = Status(before)  # not accepted yet: acceptance is still to be decided
        case.status = target
        case.save(update_fields=["status", "updated_at"])
        Obligation.objects.filter(case=case, pk__in=data.get("obligations") or [], cancelled=True).update(
            cancelled=False
        )
        refresh_due(case)
        record_event(
            case, "handling_continued", actor=actor, data={"ground": ground, "reason": reason, "status": target}
        )
        return case


def terminate_complaint(*, actor: Any, case: Case, body: str) -> Case:
    """A withdrawn complaint ends with a decision to stop handling it (đình chỉ giải quyết khiếu nại, Luật
    Khiếu nại 2011, Điều 10), an answer document of kind TERMINATION sent to the complainant."""
    body = checked_text(body, "body", limit=MAX_CONTENT)
    with handled(case, actor) as case:
        if case.kind != Kind.COMPLAINT or case.status != Status.WITHDRAWN:
            raise InvalidTransition(_("Chỉ ra quyết định đình chỉ với khiếu nại người khiếu nại đã rút."))
        if Answer.objects.filter(case=case, kind=AnswerKind.TERMINATION).exists():
            raise InvalidTransition(_("Đã có quyết định đình chỉ giải quyết khiếu nại này."))
        Answer.objects.create(case=case, unit=case.unit, kind=AnswerKind.TERMINATION, body=body, author=actor)
        event = record_event(case, "complaint_terminated", actor=actor, data={"answer_kind": AnswerKind.TERMINATION})
        notify_reporter(
            case,
            event,
            str(_("Đình chỉ giải quyết khiếu nại %(code)s") % {"code": case.tracking_code}),
            str(
                _("%(unit)s đã ra quyết định đình chỉ giải quyết khiếu nại bạn đã rút. Xem tại: %(url)s")
                % {"unit": case.unit.name, "url": public_url(case)}
            ),
        )
        return case
