"""The one write path for cases. Every function here is a business act: keyword-only arguments, the
acting user explicit, one transaction, one audit event per change, notifications queued in the same
transaction (the outbox) and delivered by ``pakn worker`` after commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases import deadlines, persons, policy
from pakn.cases.jobs import enqueue_case_jobs
from pakn.cases.models import (
    Answer,
    AnswerKind,
    AuditEvent,
    Case,
    CaseSubject,
    Channel,
    Complexity,
    Forward,
    Kind,
    Message,
    NotifyChannel,
    Obligation,
    ObligationKind,
    Rating,
    Reporter,
    SubjectSource,
    Topic,
    Track,
)
from pakn.cases.routing import choose_rule, unit_code_for
from pakn.cases.workflow import OPEN, Action, Status, next_status
from pakn.core import validate
from pakn.core.audit import GENESIS, chain_hash
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound, PaknError
from pakn.core.tracking import new_tracking_code
from pakn.org.access import handling_units, require_handler
from pakn.org.models import Role, Unit
from pakn.org.places import resolve_place

MAX_TITLE = 200
MAX_CONTENT = validate.MAX_CONTENT
MAX_MESSAGE = 10_000
PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")
ID_RE = re.compile(r"^([0-9]{9}|[0-9]{12})$")
STATUTORY_KINDS = {Kind.COMPLAINT, Kind.DENUNCIATION}
# Tracks on which a complaint or denunciation is accepted, then resolved within a period: the law's, and the
# Party's (Quy định 296-QĐ/TW) when the case is not an unsigned letter kept for reference.
RESOLUTION_TRACKS = (Track.STATUTORY, Track.PARTY)

# Legal grounds for refusing to accept (không thụ lý), per kind: a complaint is refused only on the grounds of
# Luật Khiếu nại 2011, Điều 11; a denunciation on those of Luật Tố cáo 2018, Điều 23 (and Điều 24, 25); reports,
# petitions and opinions have no statutory list (Nghị định 20/2008/NĐ-CP applies only to feedback on
# administrative regulations). The staff form and ``GET /refusal-reasons?kind=`` offer ``refusal_reasons_for``.
_COMPLAINT = ("complaint",)
_DENUNCIATION = ("denunciation",)
_FEEDBACK = ("report", "petition", "opinion")
_ALL_KINDS = _COMPLAINT + _DENUNCIATION + _FEEDBACK
REFUSAL_REASON_KINDS: dict[str, tuple[str, ...]] = {
    "not_subject_to_complaint": _COMPLAINT,
    "not_directly_concerned": _COMPLAINT,
    "no_legal_capacity": _COMPLAINT,
    "invalid_representative": _COMPLAINT,
    "not_signed": _COMPLAINT,
    "time_limit_passed": _COMPLAINT,
    "already_decided": _COMPLAINT,
    "not_continued_after_termination": _COMPLAINT,
    "court_accepted": _COMPLAINT,
    "complaint_not_competent": _COMPLAINT,
    "repeated": _DENUNCIATION,
    "no_basis": _DENUNCIATION,
    "cannot_verify": _DENUNCIATION,
    "unidentified": _DENUNCIATION,
    "not_competent": _DENUNCIATION,
    "regulation_not_competent": _FEEDBACK,
    "feedback_not_competent": _FEEDBACK,
    "feedback_answered": _FEEDBACK,
    "feedback_unclear": _FEEDBACK,
    "complaint_or_denunciation": _FEEDBACK,
    "other": _ALL_KINDS,
}
REFUSAL_REASONS: dict[str, Any] = {
    "not_subject_to_complaint": _(
        "Quyết định, hành vi bị khiếu nại không thuộc đối tượng khiếu nại (quyết định, hành vi trong nội bộ cơ "
        "quan nhà nước, chỉ đạo điều hành của cấp trên với cấp dưới, văn bản quy phạm pháp luật, bí mật nhà nước) "
        "(Luật Khiếu nại 2011, Điều 11 khoản 1)."
    ),
    "not_directly_concerned": _(
        "Quyết định hành chính, hành vi hành chính bị khiếu nại không liên quan trực tiếp đến quyền, lợi ích hợp "
        "pháp của người khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 2)."
    ),
    "no_legal_capacity": _(
        "Người khiếu nại không có năng lực hành vi dân sự đầy đủ mà không có người đại diện hợp pháp "
        "(Luật Khiếu nại 2011, Điều 11 khoản 3)."
    ),
    "invalid_representative": _(
        "Người đại diện không hợp pháp thực hiện khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 4)."
    ),
    "not_signed": _(
        "Đơn khiếu nại không có chữ ký hoặc điểm chỉ của người khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 5)."
    ),
    "time_limit_passed": _(
        "Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng (Luật Khiếu nại 2011, Điều 9, "
        "Điều 11 khoản 6)."
    ),
    "already_decided": _(
        "Khiếu nại đã có quyết định giải quyết khiếu nại lần hai (Luật Khiếu nại 2011, Điều 11 khoản 7)."
    ),
    "not_continued_after_termination": _(
        "Đã có văn bản thông báo đình chỉ việc giải quyết khiếu nại mà sau 30 ngày người khiếu nại không tiếp tục "
        "khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 8)."
    ),
    "court_accepted": _(
        "Việc khiếu nại đã được Tòa án thụ lý hoặc đã được giải quyết bằng bản án, quyết định của Tòa án "
        "(Luật Khiếu nại 2011, Điều 11 khoản 9)."
    ),
    "complaint_not_competent": _(
        "Khiếu nại không thuộc thẩm quyền giải quyết: hướng dẫn người khiếu nại gửi đơn đến cơ quan có thẩm quyền."
    ),
    "repeated": _(
        "Tố cáo về vụ việc đã được giải quyết mà người tố cáo không cung cấp thông tin, tình tiết mới "
        "(Luật Tố cáo 2018, Điều 23 khoản 1)."
    ),
    "no_basis": _(
        "Nội dung, thông tin người tố cáo cung cấp không có cơ sở để xác định người vi phạm, hành vi vi phạm pháp "
        "luật (Luật Tố cáo 2018, Điều 23 khoản 2)."
    ),
    "cannot_verify": _(
        "Người có thẩm quyền giải quyết tố cáo không đủ điều kiện để kiểm tra, xác minh hành vi vi phạm pháp luật, "
        "người vi phạm (Luật Tố cáo 2018, Điều 23 khoản 3)."
    ),
    "unidentified": _(
        "Tố cáo nặc danh, mạo danh hoặc không xác định được người tố cáo: không xử lý theo thủ tục giải quyết tố "
        "cáo (Luật Tố cáo 2018, Điều 25)."
    ),
    "not_competent": _(
        "Tố cáo không thuộc thẩm quyền giải quyết: chuyển đơn đến người có thẩm quyền (Luật Tố cáo 2018, "
        "Điều 24 khoản 2)."
    ),
    "regulation_not_competent": _(
        "Phản ánh, kiến nghị về quy định hành chính không thuộc thẩm quyền xử lý: chuyển đến cơ quan có thẩm "
        "quyền (Nghị định 20/2008/NĐ-CP, Điều 9)."
    ),
    "feedback_not_competent": _(
        "Không thuộc thẩm quyền xử lý của đơn vị: chuyển đến hoặc hướng dẫn gửi cơ quan có thẩm quyền."
    ),
    "feedback_answered": _("Nội dung đã được trả lời, không có thông tin, tình tiết mới."),
    "feedback_unclear": _("Nội dung không rõ ràng, không đủ thông tin để xem xét dù đã đề nghị người gửi bổ sung."),
    "complaint_or_denunciation": _(
        "Nội dung là khiếu nại hoặc tố cáo: hướng dẫn người gửi thực hiện theo thủ tục khiếu nại, tố cáo."
    ),
    "other": _("Lý do khác (ghi rõ trong văn bản)."),
}


def refusal_reasons_for(kind: str | None) -> list[tuple[str, Any]]:
    """(code, label) of the refusal grounds that apply to ``kind`` (all of them when ``kind`` is None)."""
    return [
        (code, label)
        for code, label in REFUSAL_REASONS.items()
        if kind is None or kind in REFUSAL_REASON_KINDS.get(code, ())
    ]


# ---------------------------------------------------------------- validation


@dataclass(frozen=True)
class ReporterInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""
    notify_by: str = NotifyChannel.EMAIL

    @property
    def verifiable(self) -> bool:
        """A name and some way to find the person: the statutory track needs an identifiable sender."""
        return bool(self.name and (self.phone or self.email or self.id_number or self.address))

    @property
    def given(self) -> bool:
        return any((self.name, self.phone, self.email, self.id_number, self.address))

    def identity(self) -> dict[str, str]:
        return {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "id_number": self.id_number,
            "address": self.address,
        }

    def contact(self) -> tuple[str, str] | None:
        """The one contact the reporter chose for notifications, or None."""
        if self.notify_by == NotifyChannel.EMAIL and self.email:
            return "email", self.email
        if self.notify_by == NotifyChannel.SMS and self.phone:
            return "sms", self.phone
        return None


@dataclass(frozen=True)
class SealedReporter:
    """A reporter whose identity is already in the vault (a person in the reception register): the case
    gets a copy of the sealed item, never the plaintext. ``terms`` are the keyed redaction hashes;
    ``notify_sealed`` a contact already sealed to the notifier key (``notify_by`` says which channel)."""

    item: Any
    terms: list[str]
    verifiable: bool
    notify_by: str = "none"
    notify_sealed: str = ""


def _text(value: Any, field: str, errors: dict[str, list[Any]], *, required: bool, limit: int) -> str:
    return validate.text(value, field, errors, required=required, limit=limit)


@sensitive_variables()
def clean_reporter(raw: Any, errors: dict[str, list[Any]]) -> ReporterInput:
    if raw in (None, ""):
        return ReporterInput()
    if not isinstance(raw, dict):
        errors.setdefault("reporter", []).append(_("Thông tin người gửi không hợp lệ."))
        return ReporterInput()
    name = _text(raw.get("name"), "reporter.name", errors, required=False, limit=150)
    phone = (
        _text(raw.get("phone"), "reporter.phone", errors, required=False, limit=20).replace(" ", "").replace(".", "")
    )
    email = _text(raw.get("email"), "reporter.email", errors, required=False, limit=254)
    id_number = _text(raw.get("id_number"), "reporter.id_number", errors, required=False, limit=12)
    address = _text(raw.get("address"), "reporter.address", errors, required=False, limit=300)
    notify_by = raw.get("notify_by") or (NotifyChannel.EMAIL if email else NotifyChannel.SMS if phone else "none")
    if phone and not PHONE_RE.match(phone):
        errors.setdefault("reporter.phone", []).append(_("Số điện thoại không hợp lệ."))
    if email:
        try:
            validate_email(email)
        except Exception:
            errors.setdefault("reporter.email", []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    if id_number and not ID_RE.match(id_number):
        errors.setdefault("reporter.id_number", []).append(
            _("Số định danh cá nhân / CCCD gồm 12 chữ số (CMND cũ 9 chữ số).")
        )
    if notify_by not in NotifyChannel.values:
        errors.setdefault("reporter.notify_by", []).append(_("Kênh nhận thông báo không hợp lệ."))
    return ReporterInput(name=name, phone=phone, email=email, id_number=id_number, address=address, notify_by=notify_by)


def _track_for(kind: str, verifiable: bool, *, party: bool = False) -> str:
    """The anonymous track is Art. 25 of the Law on Denunciations: denunciations only. A complaint must
    carry the complainant's name and address (Luật Khiếu nại 2011, Điều 8), so ``submit`` refuses an
    unsigned one and a complaint is always on the statutory track. ``party``: the competence rule that routed
    the case is one of the Party's (``CompetenceRule.party``): the case follows Quy định 296-QĐ/TW, signed or
    not (an unsigned one is kept for reference, ``party_reference``)."""
    if party and kind != Kind.COMPLAINT:
        return Track.PARTY
    if kind not in STATUTORY_KINDS:
        return Track.FEEDBACK
    if kind == Kind.COMPLAINT:
        return Track.STATUTORY
    return Track.STATUTORY if verifiable else Track.ANONYMOUS


def party_reference(track: str, verifiable: bool) -> bool:
    """An unsigned party-track letter (anonymous, under a false name or without a clear address) is not handled
    as a denunciation: it is kept as information for reference (the REFERENCE rules of ``cases.deadlines``)."""
    return track == Track.PARTY and not verifiable


UNSIGNED_COMPLAINT = _(
    "Đơn khiếu nại phải ghi rõ họ tên, địa chỉ của người khiếu nại (Luật Khiếu nại 2011, Điều 8). Nếu bạn không "
    "muốn ghi tên, bạn có thể gửi nội dung này dưới dạng phản ánh."
)


def needs_receipt(*, kind: str, conduct: bool, dropbox: bool) -> bool:
    """A drop-box receipt (and the whistleblower advice) protects someone only in the drop box, and for a
    denunciation or a report on an official's conduct filed without a name; an unnamed ordinary report
    (a street light) is followed with its tracking code, and costs no Argon2 hashing."""
    return dropbox or kind == Kind.DENUNCIATION or (conduct and kind in (Kind.REPORT, Kind.PETITION))


# ---------------------------------------------------------------- audit and outbox


def record_event(
    case: Case,
    action: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> AuditEvent:
    """Append one event to the case's hash chain. Call inside the transaction that made the change."""
    now = timezone.now()
    seq = case.audit_count + 1
    prev = case.audit_head or GENESIS
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (f"staff:{user.pk}" if user else "citizen")
    payload = {
        "case": case.tracking_code,
        "seq": seq,
        "action": action,
        "actor": label,
        "unit": case.unit_id,
        "public": public,
        "data": data or {},
        "created_at": now.isoformat(),
    }
    event = AuditEvent.objects.create(
        case=case,
        seq=seq,
        action=action,
        actor=user,
        actor_label=label,
        unit_id=case.unit_id,
        public=public,
        data=data or {},
        created_at=now,
        prev_hash=prev,
        hash=chain_hash(prev, payload),
    )
    Case.objects.filter(pk=case.pk).update(audit_head=event.hash, audit_count=seq)
    case.audit_head, case.audit_count = event.hash, seq
    enqueue_case_jobs(event)  # search, statistics, routing, duplicates, webhooks… after the commit (jobs.py)
    return event


def event_payload(event: AuditEvent, tracking_code: str) -> dict[str, Any]:
    return {
        "case": tracking_code,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_label,
        "unit": event.unit_id,
        "public": event.public,
        "data": event.data,
        "created_at": event.created_at.isoformat(),
    }


def notify_reporter(case: Case, event: AuditEvent, subject: str, body: str) -> bool:
    """Queue a notification to the reporter's sealed contact (the worker opens it at send time). Subjects
    and bodies carry the tracking code and the unit, never the identity. True when one was queued."""
    from pakn.notify.services import queue

    reporter = Reporter.objects.filter(case_id=case.pk).first()
    if reporter is None or reporter.notify_by == NotifyChannel.NONE or not reporter.notify_sealed:
        return False
    queue(
        channel=reporter.notify_by,
        sealed_recipient=reporter.notify_sealed,
        subject=subject,
        body=body,
        key=f"{event.hash}:{reporter.notify_by}",
        case=case,
    )
    return True


def notify_unit_staff(
    case: Case, unit: Unit, event_key: str, subject: str, body: str, *, roles: tuple[str, ...]
) -> None:
    from pakn.notify.services import queue_to_staff

    queue_to_staff(unit=unit, roles=roles, key=event_key, subject=subject, body=body, case=case)


# ---------------------------------------------------------------- deadlines


def _unit_days(unit: Unit) -> int | None:
    return unit.answer_working_days


def rule_track(case: Case) -> deadlines.Track:
    """The rules a case's periods come from: the Party's on the party track, the law's otherwise."""
    return deadlines.Track.PARTY if case.track == Track.PARTY else deadlines.Track.LAW


def _rule_level(case: Case) -> str | None:
    return case.unit.level if case.track == Track.PARTY else None


def compute_for_case(case: Case, *, received: date, accepted: date | None = None) -> deadlines.DeadlineResult:
    kind = case.kind if case.track != Track.ANONYMOUS else Kind.REPORT
    party = case.track == Track.PARTY
    return deadlines.compute_deadlines(
        policy.deadline_rules(),
        policy.working_calendar(),
        kind=kind,
        received=received,
        accepted=accepted,
        complaint_round=case.complaint_round or 1,
        complex=case.complexity != Complexity.NORMAL,
        remote=case.remote_area,
        extensions=case.extensions if kind == Kind.DENUNCIATION else 0,
        answer_working_days=_unit_days(case.unit) if kind not in STATUTORY_KINDS and not party else None,
        track=rule_track(case),
        level=_rule_level(case),
    )


def _open_obligation(case: Case, *, kind: str, opened_on: date, due_on: date, rule: deadlines.Rule) -> Obligation:
    obligation = Obligation.objects.create(
        case=case,
        unit=case.unit,
        kind=kind,
        opened_on=opened_on,
        due_on=due_on,
        rule_code=rule.code,
        citation=rule.citation,
    )
    _refresh_due(case)
    return obligation


def _close_obligations(
    case: Case, *, kinds: tuple[str, ...] | None = None, met: bool = True, on: date | None = None
) -> None:
    queryset = Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if met:
        queryset.update(met_on=on or timezone.localdate())
    else:
        queryset.update(cancelled=True)
    _refresh_due(case)


def _refresh_due(case: Case) -> None:
    first = Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).order_by("due_on").first()
    case.due_on = first.due_on if first else None
    Case.objects.filter(pk=case.pk).update(due_on=case.due_on)


def _first_obligation(case: Case, today: date) -> tuple[str, date, deadlines.Rule]:
    """The obligation a new (or newly forwarded) case starts with, counted from ``today``."""
    if case.reference:
        due, rule = deadlines.period_end(
            policy.deadline_rules(),
            policy.working_calendar(),
            case_kind=case.kind,
            item=deadlines.Item.REFERENCE,
            start=today,
            track=deadlines.Track.PARTY,
            level=_rule_level(case),
        )
        return ObligationKind.REFERENCE, due, rule
    result = compute_for_case(case, received=today)
    if case.track == Track.ANONYMOUS:
        assert result.answer_by is not None
        return ObligationKind.TRIAGE, result.answer_by, result.rules[0]
    if result.answer_by is not None:
        return ObligationKind.ANSWER, result.answer_by, result.rules[0]
    assert result.accept_by is not None
    return ObligationKind.ACCEPT, result.accept_by, result.rules[0]


# ---------------------------------------------------------------- routing


def route(*, province_code: str, commune_code: str | None, kind: str, topic_code: str | None) -> Unit:
    rule = choose_rule(
        policy.route_rules(), province_code=province_code, commune_code=commune_code, kind=kind, topic_code=topic_code
    )
    candidates: list[str] = []
    if rule is not None and rule.unit_id:
        unit = Unit.objects.filter(pk=rule.unit_id, is_active=True).first()
        if unit:
            return unit
    if rule is not None:
        code = unit_code_for(rule.target, province_code=province_code, commune_code=commune_code)
        if code:
            candidates.append(code)
    candidates += [f"UBND-{commune_code}" if commune_code else "", f"UBND-{province_code}"]
    for code in filter(None, candidates):
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit:
            return unit
    raise InvalidInput(
        _("Chưa có đơn vị tiếp nhận cho địa bàn này."), fields={"province_code": [_("Chưa có đơn vị tiếp nhận.")]}
    )


def _record_subject(
    case: Case, subject: persons.SubjectInput, routing: persons.Routing | None, *, actor: Any
) -> CaseSubject:
    """Store the person concerned with the competence decision (part of the submission: its one audit event
    is ``submitted``, which is public and so carries nothing about the person)."""
    return CaseSubject.objects.create(
        case=case,
        name=subject.name,
        position=subject.position,
        body=subject.body,
        party_member=subject.party_member,
        party_unit=subject.party_unit,
        user=subject.user,
        source=subject.source,
        signs=list(subject.signs),
        conflict_unit=routing.conflict_unit if routing else None,
        rule_code=routing.rule.code if routing else "",
        competent_unit=routing.unit if routing else None,
    )


def set_subject_person(
    *,
    actor: Any,
    case: Case,
    name: str = "",
    position: str = "",
    body_code: str = "",
    party_member: bool | None = None,
    party_unit_code: str = "",
    username: str = "",
    signs: Any = None,
) -> CaseSubject:
    """The clerk confirms or completes who the case is about. Recomputes the competent unit (shown with its
    citation; moving the case there is a forward, ``forward_case``) and the conflict-of-interest unit,
    which may take the case out of the clerk's own sight. One staff-only audit event."""
    errors: dict[str, list[Any]] = {}
    raw = {
        "name": name,
        "position": position,
        "body_code": body_code,
        "party_member": party_member,
        "party_unit_code": party_unit_code,
        "signs": list(signs or ()),
    }
    user = None
    if username:
        user = persons.find_user(username)
        if user is None:
            errors["username"] = [_("Không có tài khoản này.")]
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        subject = persons.clean_subject_person(
            raw,
            errors,
            kind=case.kind,
            subject_text="",
            province_code=case.province_id,
            commune_code=case.commune_id,
            complaint_round=case.complaint_round,
        )
        if errors:
            raise InvalidInput(fields=errors)
        if subject is None:
            subject = persons.SubjectInput(name=name.strip()[:150], position=position)
        subject = persons.SubjectInput(
            name=subject.name,
            position=subject.position,
            body=subject.body,
            party_member=subject.party_member,
            party_unit=subject.party_unit,
            user=user,
            source=SubjectSource.CLERK,
            signs=subject.signs,
        )
        routing = persons.route_for_subject(kind=case.kind, complaint_round=case.complaint_round, subject=subject)
        row, _created = CaseSubject.objects.get_or_create(case=case, defaults={"source": SubjectSource.CLERK})
        before = {"position": row.position, "body": row.body.code if row.body else None, "rule": row.rule_code}
        row.name, row.position, row.body = subject.name, subject.position, subject.body
        row.party_member, row.party_unit, row.user = subject.party_member, subject.party_unit, user
        if signs is not None:  # None: the signs recorded before stay
            row.signs = list(subject.signs)
        row.source = SubjectSource.CLERK
        row.conflict_unit = routing.conflict_unit if routing else None
        if routing is None and user is not None and subject.body is not None:
            row.conflict_unit = persons.conflict_unit_for(kind=case.kind, subject=subject, target=None)
        row.rule_code = routing.rule.code if routing else ""
        row.competent_unit = routing.unit if routing else None
        row.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        row.confirmed_at = timezone.now()
        row.save()
        record_event(
            case,
            "subject_confirmed",
            actor=actor,
            public=False,
            data={
                "before": before,
                "position": row.position,
                "body": row.body.code if row.body else None,
                "party_member": row.party_member,
                "party_unit": row.party_unit.code if row.party_unit else None,
                "account_linked": user is not None,
                "signs": len(row.signs),
                "rule": row.rule_code,
                "competent_unit": row.competent_unit.code if row.competent_unit else None,
            },
        )
        return row


# ---------------------------------------------------------------- submit


@sensitive_variables()
def submit(
    *,
    actor: Any,
    kind: Any,
    title: Any,
    content: Any,
    province_code: Any = None,
    commune_code: Any = None,
    address: Any = "",
    subject: Any = "",
    reporter: Any = None,
    complaint_round: Any = None,
    publish: Any = False,
    topic_code: Any = None,
    channel: str = Channel.WEB,
    received_on: Any = None,
    citizen: Any = None,
    attachments: Any = (),
    original_letter: Any = None,
    sealed_reporter: SealedReporter | None = None,
    staff_record: bool = False,
    subject_person: Any = None,
    dropbox: bool = False,
) -> Case:
    """File a submission. Validates everything first, so nothing is stored half-way. ``staff_record``
    (through ``record_submission``): the actor must handle the unit the case is routed to.

    Identity protection (docs/protection.md): the title, content, address and subject are stored redacted;
    the reporter's details, the original text and the files are sealed in the vault; the notification
    contact is sealed to the notifier key. A drop-box tip, and a denunciation or a report on an official's
    conduct filed without a name, gets a drop-box receipt (``needs_receipt``), set on the returned case as
    ``case.new_receipt`` (shown once, stored only as a slow hash); what was removed from each file is
    ``case.attachment_report``. An unsigned complaint is refused (Luật Khiếu nại 2011, Điều 8).

    Competence (``cases.competence``): the person concerned (``subject_person``: name, position, body_code,
    party_member, party_unit_code), completed from the words of ``subject``, decides the unit when a rule
    applies; otherwise the place, kind and topic do (``route``). The person is stored as ``CaseSubject``,
    with the unit whose members may not see the case (``org.access.conflicted_cases``)."""
    from pakn.protection import keys as vault_keys
    from pakn.protection import redact
    from pakn.protection import services as protection
    from pakn.protection.models import Attachment as StoredFile
    from pakn.protection.models import Receipt, VaultItem
    from pakn.protection.notifier import seal_contact
    from pakn.protection.vault import files_guard, seal_json, share_with_case

    errors: dict[str, list[Any]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Loại đơn không hợp lệ: chọn phản ánh, kiến nghị, khiếu nại, tố cáo hoặc góp ý.")]
    title_text = _text(title, "title", errors, required=True, limit=MAX_TITLE)
    content_text = _text(content, "content", errors, required=True, limit=MAX_CONTENT)
    address_text = _text(address, "address", errors, required=False, limit=300)
    subject_text = _text(subject, "subject", errors, required=False, limit=300)
    reporter_input = clean_reporter(reporter, errors)
    if sealed_reporter is not None and reporter_input.given:
        raise ValueError("a submission has a plaintext reporter or a sealed one, not both")
    if kind == Kind.COMPLAINT:
        if complaint_round in (None, ""):
            complaint_round = 1
        if isinstance(complaint_round, bool) or str(complaint_round) not in {"1", "2"}:
            errors["complaint_round"] = [_("Lần khiếu nại phải là 1 hoặc 2.")]
        else:
            complaint_round = int(complaint_round)
    else:
        complaint_round = None
    if not isinstance(publish, bool):
        errors["publish"] = [_("Giá trị phải là đúng hoặc sai.")]
    topic = None
    if topic_code:
        topic = Topic.objects.filter(code=str(topic_code)).first()
        if topic is None:
            errors["topic_code"] = [_("Lĩnh vực không hợp lệ.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    today = timezone.localdate()
    received = today
    if received_on not in (None, ""):
        try:
            received = received_on if isinstance(received_on, date) else date.fromisoformat(str(received_on))
        except ValueError:
            errors["received_on"] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
        else:
            if received > today:
                errors["received_on"] = [_("Ngày nhận không được ở tương lai.")]
            elif received.year < 2000:
                errors["received_on"] = [_("Ngày nhận không hợp lệ.")]
    for value, field in ((province_code, "province_code"), (commune_code, "commune_code")):
        if value is not None and not isinstance(value, str):
            errors[field] = [_("Mã đơn vị hành chính không hợp lệ.")]
    place = None
    if "province_code" not in errors and "commune_code" not in errors:
        try:
            place = resolve_place(
                province_code=province_code or None, commune_code=commune_code or None, address=address_text
            )
        except InvalidInput as exc:
            errors.update(exc.fields)
    uploads: list[Any] = []
    letter: list[Any] = []
    try:
        uploads = protection.check_uploads(list(attachments or ()))
    except InvalidInput as exc:
        errors.update(exc.fields)
    if original_letter:
        try:
            letter = protection.check_uploads([original_letter], field="original_letter", max_files=1)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if kind == Kind.COMPLAINT and not (
        sealed_reporter.verifiable if sealed_reporter is not None else reporter_input.verifiable
    ):
        field = "reporter.address" if reporter_input.name else "reporter.name"
        errors.setdefault(field, []).append(UNSIGNED_COMPLAINT)
    subject_input = None
    if place is not None and kind in Kind.values:
        subject_input = persons.clean_subject_person(
            subject_person,
            errors,
            kind=kind,
            subject_text=subject_text,
            province_code=place.province_code,
            commune_code=place.commune_code,
            complaint_round=complaint_round,
        )
    if errors or place is None:
        raise InvalidInput(fields=errors)

    # Redaction: the reporter's own details and generic identifiers leave the text staff and search see.
    redaction_key = vault_keys.redaction_key()
    terms = (
        list(sealed_reporter.terms)
        if sealed_reporter is not None
        else redact.identity_terms(reporter_input.identity(), redaction_key)
    )
    redacted = {
        name: redact.redact(value, terms, redaction_key)
        for name, value in (
            ("title", title_text),
            ("content", content_text),
            ("address", address_text),
            ("subject", subject_text),
        )
    }
    originals_changed = any(r.count for r in redacted.values())
    contact = reporter_input.contact()
    sealed_contact = seal_contact(*contact) if contact else ""
    notify_by = reporter_input.notify_by if contact else NotifyChannel.NONE
    verifiable = reporter_input.verifiable
    if sealed_reporter is not None:
        sealed_contact, verifiable = sealed_reporter.notify_sealed, sealed_reporter.verifiable
        notify_by = sealed_reporter.notify_by if sealed_contact else NotifyChannel.NONE
    receipt, receipt_digest = ("", "")
    conduct = subject_input is not None and subject_input.about_person
    if (
        not reporter_input.name
        and sealed_reporter is None
        and channel in (Channel.WEB, Channel.API)
        and needs_receipt(kind=kind, conduct=conduct, dropbox=dropbox)
    ):
        receipt, receipt_digest = protection.new_receipt()

    # Competence follows the person concerned (cases.competence); a case about nobody in particular is
    # routed by place, kind and topic.
    routing = (
        persons.route_for_subject(kind=kind, complaint_round=complaint_round, subject=subject_input)
        if subject_input is not None
        else None
    )
    unit = (
        routing.unit
        if routing is not None
        else route(
            province_code=place.province_code,
            commune_code=place.commune_code,
            kind=kind,
            topic_code=topic.code if topic else None,
        )
    )
    track = _track_for(kind, verifiable, party=routing is not None and routing.rule.party)
    if staff_record and not _may_record(actor, unit=unit, competence=routing is not None, place=place, kind=kind):
        raise Forbidden(
            _("Đơn này thuộc thẩm quyền của %(unit)s. Bạn chỉ vào sổ được đơn của đơn vị mình xử lý.")
            % {"unit": unit.name}
        )
    for _attempt in range(5):
        try:
            with files_guard(), transaction.atomic():
                case = Case(
                    tracking_code=new_tracking_code(),
                    kind=kind,
                    complaint_round=complaint_round,
                    track=track,
                    reference=party_reference(track, verifiable),
                    title=redacted["title"].text[:MAX_TITLE],
                    content=redacted["content"].text,
                    topic=topic,
                    province_id=place.province_code,
                    commune_id=place.commune_code,
                    address=redacted["address"].text[:300],
                    subject=redacted["subject"].text[:300],
                    unit=unit,
                    status=Status.RECEIVED,
                    channel=channel,
                    received_on=received,
                    remote_area=unit.remote_area,
                    publish=bool(publish),
                    # A denunciation is never linked to the citizen's account: the account (e-mail, name) would
                    # name the denouncer in plaintext (Law on Denunciations Art. 8, 9).
                    citizen=citizen
                    if getattr(citizen, "is_authenticated", False) and kind != Kind.DENUNCIATION
                    else None,
                )
                case.save()
                if subject_input is not None:
                    _record_subject(case, subject_input, routing, actor=actor)
                if sealed_reporter is not None:
                    share_with_case(sealed_reporter.item, case=case)
                    if originals_changed:
                        seal_json(
                            case=case,
                            kind=VaultItem.Kind.ORIGINAL_MESSAGE,
                            data={
                                "title": title_text,
                                "content": content_text,
                                "case_address": address_text,
                                "subject": subject_text,
                            },
                        )
                elif reporter_input.given or originals_changed:
                    seal_json(
                        case=case,
                        kind=VaultItem.Kind.IDENTITY,
                        data={
                            **reporter_input.identity(),
                            "notify_by": reporter_input.notify_by,
                            "title": title_text,
                            "content": content_text,
                            "case_address": address_text,
                            "subject": subject_text,
                        },
                    )
                if reporter_input.given or sealed_reporter is not None:
                    Reporter.objects.create(
                        case=case,
                        notify_by=notify_by,
                        notify_sealed=sealed_contact,
                        redaction_terms=terms,
                    )
                if receipt_digest:
                    Receipt.objects.create(case=case, digest=receipt_digest)
                stored = protection.store_uploads(
                    case=case,
                    uploads=uploads,
                    source=(
                        StoredFile.Source.CITIZEN if channel in (Channel.WEB, Channel.API) else StoredFile.Source.STAFF
                    ),
                )
                if letter:
                    protection.store_uploads(
                        case=case, uploads=letter, source=StoredFile.Source.STAFF, kind=StoredFile.Kind.ORIGINAL_LETTER
                    )
                kind_, due, rule = _first_obligation(case, received)
                _open_obligation(case, kind=kind_, opened_on=received, due_on=due, rule=rule)
                event = record_event(
                    case,
                    "submitted",
                    actor=actor,
                    actor_label="" if getattr(actor, "is_authenticated", False) else "citizen",
                    data={
                        "channel": channel,
                        "unit": unit.name,
                        "track": case.track,
                        "due_on": due.isoformat(),
                        "converted_from": redacted["address"].text if place.converted_from else None,
                        "attachments": len(stored) + len(letter),
                    },
                )
                notify_reporter(
                    case,
                    event,
                    str(_("Đã tiếp nhận đơn %(code)s") % {"code": case.tracking_code}),
                    str(
                        _("Đơn của bạn đã được %(unit)s tiếp nhận. Mã tra cứu: %(code)s. Hạn xử lý: %(due)s.")
                        % {"unit": unit.name, "code": case.tracking_code, "due": due.strftime("%d/%m/%Y")}
                    ),
                )
                notify_unit_staff(
                    case,
                    unit,
                    f"{event.hash}:new",
                    str(_("Đơn mới %(code)s") % {"code": case.tracking_code}),
                    case.title,
                    roles=(Role.CLERK,),
                )
            case.new_receipt = receipt  # type: ignore[attr-defined]
            case.attachment_report = protection.removal_report(stored)  # type: ignore[attr-defined]
            return case
        except IntegrityError:  # a tracking-code collision (2^-50): try another code
            continue
    raise PaknError(code="server_busy")


def _may_record(actor: Any, *, unit: Unit, competence: bool, place: Any, kind: str) -> bool:
    """A clerk records letters for the units they handle. A letter about a matter of their area that the law
    sends elsewhere because of the person it concerns (their own chair, a party member) is recorded and goes
    straight to the competent body, as the receiving body must forward it (Luật Tố cáo 2018, Điều 24(2))."""
    handled = handling_units(actor)
    if handled.filter(pk=unit.pk).exists():
        return True
    if not competence:
        return False
    by_place = route(province_code=place.province_code, commune_code=place.commune_code, kind=kind, topic_code=None)
    return handled.filter(pk=by_place.pk).exists()


def record_submission(*, actor: Any, channel: Any, received_on: Any = None, **fields: Any) -> Case:
    """A letter, call, e-mail or visit recorded by staff with its real date received: the intake page and
    ``POST /api/v1/cases`` share this right. Only a handler (clerk, head, unit admin) may, and only into a
    unit they handle; Forbidden otherwise (supervisors and protection officers read, they never file)."""
    if not handling_units(actor).exists():
        raise Forbidden()
    return submit(actor=actor, channel=channel, received_on=received_on, staff_record=True, **fields)


# ---------------------------------------------------------------- staff acts


def _transition(case: Case, action: Action) -> Status:
    target = next_status(action, case.status)
    if target is None:
        raise InvalidTransition()
    return target


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


def accept_case(
    *, actor: Any, case: Case, accepted_on: date | None = None, complexity: str = Complexity.NORMAL
) -> Case:
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        target = _transition(case, Action.ACCEPT)
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
            _close_obligations(case, on=accepted)
        if case.kind in STATUTORY_KINDS and case.track in RESOLUTION_TRACKS and not case.reference:
            result = compute_for_case(case, received=case.received_on, accepted=accepted)
            assert result.resolve_by is not None
            _open_obligation(
                case, kind=ObligationKind.RESOLVE, opened_on=accepted, due_on=result.resolve_by, rule=result.rules[1]
            )
            data["resolve_by"] = result.resolve_by.isoformat()
            notice = _open_rule_obligation(
                case, kind=ObligationKind.NOTIFY_ACCEPTANCE, item=deadlines.Item.NOTIFY_ACCEPTANCE, start=accepted
            )
            if notice is not None:
                data["notify_by"] = notice.due_on.isoformat()
        elif case.track == Track.ANONYMOUS:
            result = compute_for_case(case, received=accepted)
            assert result.answer_by is not None
            _open_obligation(
                case, kind=ObligationKind.ANSWER, opened_on=accepted, due_on=result.answer_by, rule=result.rules[0]
            )
            data["answer_by"] = result.answer_by.isoformat()
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
            _close_obligations(case, kinds=(ObligationKind.NOTIFY_ACCEPTANCE,))
        return case


def _open_rule_obligation(case: Case, *, kind: str, item: deadlines.Item, start: date) -> Obligation | None:
    """Open the obligation of ``item`` (a rule in the table, counted from ``start``); None when no rule is in
    force for the case's kind (nothing to do)."""
    try:
        due, rule = deadlines.period_end(
            policy.deadline_rules(),
            policy.working_calendar(),
            case_kind=case.kind,
            item=item,
            start=start,
            complaint_round=case.complaint_round,
            complex=case.complexity != Complexity.NORMAL,
            remote=case.remote_area,
            track=rule_track(case),
            level=_rule_level(case),
        )
    except deadlines.NoRuleError:
        return None
    return _open_obligation(case, kind=kind, opened_on=start, due_on=due, rule=rule)


def notify_acceptance(*, actor: Any, case: Case, body: str = "") -> Case:
    """The handler sends the denouncer the notice of acceptance (Luật Tố cáo 2018, Điều 29 khoản 3) — for a
    denouncer without a contact, by the letter recorded here: the notice is posted on the status page and
    queued to any contact, and the obligation is met."""
    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=False, limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if not Obligation.objects.filter(
            case=case, kind=ObligationKind.NOTIFY_ACCEPTANCE, met_on__isnull=True, cancelled=False
        ).exists():
            raise InvalidTransition(_("Không có thông báo thụ lý nào đang chờ gửi."))
        assert case.accepted_on is not None
        text = str(
            _("%(unit)s đã thụ lý tố cáo của bạn ngày %(date)s.")
            % {"unit": case.unit.name, "date": case.accepted_on.strftime("%d/%m/%Y")}
        )
        if body:
            text = f"{text}\n{_redacted(case, body)}"
        message = Message.objects.create(case=case, body=text, from_citizen=False)
        _close_obligations(case, kinds=(ObligationKind.NOTIFY_ACCEPTANCE,))
        event = record_event(case, "acceptance_notified", actor=actor, data={"message": message.pk})
        notify_reporter(case, event, str(_("Đơn %(code)s đã được thụ lý") % {"code": case.tracking_code}), text)
        return case


def extend_acceptance(*, actor: Any, case: Case, reason: str) -> Case:
    """A denunciation that needs verification in several places: the acceptance period becomes the
    ACCEPT_EXTENSION rule's (10 working days from receipt, Luật Tố cáo 2018, Điều 24 khoản 1), once, decided
    before the 7 working days run out."""
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        obligation = Obligation.objects.filter(
            case=case,
            kind__in=(ObligationKind.ACCEPT, ObligationKind.FORWARD_RESPONSE),
            met_on__isnull=True,
            cancelled=False,
        ).first()
        if (
            case.kind != Kind.DENUNCIATION
            or case.track != Track.STATUTORY
            or case.status not in (Status.RECEIVED, Status.FORWARDED)
            or obligation is None
        ):
            raise InvalidTransition(_("Chỉ kéo dài thời hạn thụ lý được với tố cáo đang chờ thụ lý."))
        if AuditEvent.objects.filter(case=case, action="acceptance_extended", seq__gt=_last_arrival(case)).exists():
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
        _refresh_due(case)
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


def _last_arrival(case: Case) -> int:
    """Seq of the event that brought the case to its current unit (0 = submitted there)."""
    last = (
        AuditEvent.objects.filter(case=case, action__in=("forwarded", "escalated"))
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return last or 0


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
    Obligation.objects.filter(case=case, kind=ObligationKind.ACCEPT, met_on__isnull=True, cancelled=False).update(
        met_on=accepted
    )
    for other in merged:
        result = compute_for_case(other, received=other.received_on, accepted=accepted)
        assert result.resolve_by is not None
        _open_obligation(
            case, kind=ObligationKind.RESOLVE, opened_on=accepted, due_on=result.resolve_by, rule=result.rules[1]
        )
    return [other.tracking_code for other in merged]


def refuse_case(*, actor: Any, case: Case, reason_code: str, explanation: str = "") -> Case:
    if reason_code not in REFUSAL_REASONS:
        raise InvalidInput(fields={"reason_code": [_("Chọn căn cứ pháp lý của việc không thụ lý.")]})
    errors: dict[str, list[Any]] = {}
    explanation = _text(explanation, "explanation", errors, required=reason_code == "other", limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if case.kind not in REFUSAL_REASON_KINDS[reason_code]:
            raise InvalidInput(
                fields={"reason_code": [_("Căn cứ này không áp dụng cho loại đơn của hồ sơ; chọn căn cứ phù hợp.")]}
            )
        case.status = _transition(case, Action.REFUSE)
        case.save(update_fields=["status", "updated_at"])
        body = f"{REFUSAL_REASONS[reason_code]}\n{explanation}".strip()
        Answer.objects.create(case=case, unit=case.unit, kind=AnswerKind.REFUSAL, body=body, author=actor)
        _close_obligations(case)
        event = record_event(
            case, "refused", actor=actor, data={"reason_code": reason_code, "explanation": explanation}
        )
        notify_reporter(case, event, str(_("Đơn %(code)s không được thụ lý") % {"code": case.tracking_code}), body)
        return case


def forward_case(*, actor: Any, case: Case, to_unit: Unit, reason: str, escalation: bool = False) -> Case:
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        if not escalation:
            require_handler(actor, case)
        if to_unit.pk == case.unit_id or not to_unit.is_active:
            raise InvalidInput(fields={"to_unit": [_("Chọn một đơn vị khác đang hoạt động.")]})
        target = _transition(case, Action.ESCALATE if escalation else Action.FORWARD)
        from_unit = case.unit
        today = timezone.localdate()
        _close_obligations(case, on=today, met=not escalation)
        case.status, case.unit = target, to_unit
        if escalation:
            case.escalated = True
            if case.kind == Kind.COMPLAINT:
                case.complaint_round = 2
            case.accepted_on = None
        case.save(update_fields=["status", "unit", "escalated", "complaint_round", "accepted_on", "updated_at"])
        kind_, due, rule = _first_obligation(case, today)
        _open_obligation(case, kind=ObligationKind.FORWARD_RESPONSE, opened_on=today, due_on=due, rule=rule)
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
        return case


def start_case(*, actor: Any, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.START)
        case.save(update_fields=["status", "updated_at"])
        record_event(case, "started", actor=actor)
        return case


def _days_paused(case: Case) -> int:
    """Days the case was suspended since its current acceptance: they do not count towards the period."""
    events = AuditEvent.objects.filter(case=case)
    accepted = events.filter(action="accepted").order_by("-seq").values_list("seq", flat=True).first()
    resumed = events.filter(action="resumed", seq__gt=accepted or 0)
    return sum(int(e.data.get("days_paused", 0)) for e in resumed)


def extend_deadline(*, actor: Any, case: Case, complexity: str, reason: str, subject_notified: bool = False) -> Case:
    """Denunciations only (Law on Denunciations Art. 30): complex → one 30-day extension, especially
    complex → two. The extension decision goes to both parties (Art. 30 khoản 2): the denouncer's notice is
    queued here; ``subject_notified`` records that the written notice to the denounced person was sent
    (the event says which parties were told)."""
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if complexity not in (Complexity.COMPLEX, Complexity.ESPECIALLY_COMPLEX):
        errors["complexity"] = [_("Gia hạn cần xác định vụ việc phức tạp hoặc đặc biệt phức tạp.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
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
        assert case.accepted_on is not None
        try:
            result = compute_for_case(case, received=case.received_on, accepted=case.accepted_on)
        except ValueError as exc:
            raise InvalidTransition(str(exc)) from None
        case.save(update_fields=["extensions", "complexity", "updated_at"])
        obligation = Obligation.objects.filter(
            case=case, kind=ObligationKind.RESOLVE, met_on__isnull=True, cancelled=False
        ).first()
        old_due = obligation.due_on if obligation else None
        assert result.resolve_by is not None
        paused = _days_paused(case)
        new_due = policy.working_calendar().add_days(result.resolve_by, paused) if paused else result.resolve_by
        if obligation:
            obligation.due_on, obligation.rule_code = new_due, result.rules[-1].code
            obligation.citation, obligation.escalated_at, obligation.reminded_at = result.rules[-1].citation, None, None
            obligation.save()
            _refresh_due(case)
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


def resolve_case(*, actor: Any, case: Case, body: str, kind: str = AnswerKind.ANSWER) -> Case:
    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_CONTENT)
    if kind not in (AnswerKind.ANSWER, AnswerKind.CONCLUSION):
        errors["kind"] = [_("Loại văn bản không hợp lệ.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        resolution = case.track == Track.STATUTORY or (
            case.track == Track.PARTY and case.kind in STATUTORY_KINDS and not case.reference
        )
        if resolution and case.status == Status.RECEIVED:
            raise InvalidTransition(_("Cần thụ lý trước khi giải quyết."))
        if case.status in (Status.RECEIVED, Status.FORWARDED) and not resolution:
            # Reports, petitions and anonymous tips can be answered straight away.
            case.status, case.accepted_on = Status.ACCEPTED, case.accepted_on or timezone.localdate()
        case.status = _transition(case, Action.RESOLVE)
        case.save(update_fields=["status", "accepted_on", "updated_at"])
        Answer.objects.create(case=case, unit=case.unit, kind=kind, body=body, author=actor)
        _close_obligations(case)
        if resolution:  # a conclusion to publish, where the rule table has the period
            _open_publication(case)
        event = record_event(case, "resolved", actor=actor, data={"answer_kind": kind})
        notify_reporter(
            case,
            event,
            str(_("Đơn %(code)s đã có kết quả") % {"code": case.tracking_code}),
            str(
                _("%(unit)s đã trả lời đơn của bạn. Xem và đánh giá mức độ hài lòng tại: %(url)s")
                % {"unit": case.unit.name, "url": public_url(case)}
            ),
        )
        _tell_merged_reporters(case)
        return case


def _open_publication(case: Case) -> None:
    """Publish the conclusion within the PUBLISH_CONCLUSION period (tố cáo: 7 working days, Luật Tố cáo
    2018, Điều 40), never revealing the denouncer; nothing when no rule is in force for the kind."""
    _open_rule_obligation(
        case,
        kind=ObligationKind.PUBLISH_CONCLUSION,
        item=deadlines.Item.PUBLISH_CONCLUSION,
        start=timezone.localdate(),
    )


# How a conclusion is made public (Luật Tố cáo 2018, Điều 40 khoản 2).
PUBLICATION_METHODS: dict[str, Any] = {
    "meeting": _("Công bố tại cuộc họp cơ quan, tổ chức nơi người bị tố cáo công tác"),
    "posting": _("Niêm yết tại trụ sở làm việc hoặc nơi tiếp công dân"),
    "portal": _("Đăng tải trên cổng thông tin điện tử"),
}


def publish_conclusion(*, actor: Any, case: Case, method: str) -> Case:
    """Record that the conclusion was made public (Luật Tố cáo 2018, Điều 40): meets the obligation."""
    if method not in PUBLICATION_METHODS:
        raise InvalidInput(fields={"method": [_("Chọn hình thức công khai.")]})
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if not Obligation.objects.filter(
            case=case, kind=ObligationKind.PUBLISH_CONCLUSION, met_on__isnull=True, cancelled=False
        ).exists():
            raise InvalidTransition(_("Không có kết luận nào đang chờ công khai."))
        _close_obligations(case, kinds=(ObligationKind.PUBLISH_CONCLUSION,))
        record_event(case, "conclusion_published", actor=actor, data={"method": method})
        return case


def _tell_merged_reporters(case: Case) -> None:
    """The reporters of cases merged into ``case`` learn that the matter was answered, by their chosen
    contact; their status page shows the answer redacted of every reporter's details
    (``presenters.joint_answers``), since it was written to another reporter."""
    for merged in case.merged_family():  # in primary-key order, after the survivor: one lock order
        merged = _lock(merged)
        event = record_event(merged, "merged_answered", actor_label="system", data={"to": case.unit.name})
        notify_reporter(
            merged,
            event,
            str(_("Đơn %(code)s: vụ việc đã có kết quả") % {"code": merged.tracking_code}),
            str(
                _(
                    "Đơn của bạn đã được gộp với các đơn cùng nội dung; %(unit)s đã có kết quả giải quyết chung. "
                    "Xem tại: %(url)s"
                )
                % {"unit": case.unit.name, "url": public_url(merged)}
            ),
        )


def close_case(*, actor: Any, case: Case) -> Case:
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.CLOSE)
        case.save(update_fields=["status", "updated_at"])
        record_event(case, "closed", actor=actor)
        return case


def suspend_case(*, actor: Any, case: Case, reason: str) -> Case:
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.SUSPEND)
        case.save(update_fields=["status", "updated_at"])
        record_event(case, "suspended", actor=actor, data={"reason": reason, "on": timezone.localdate().isoformat()})
        return case


def resume_case(*, actor: Any, case: Case) -> Case:
    """The time a case was suspended does not count: open deadlines move by the days suspended."""
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        case.status = _transition(case, Action.RESUME)
        case.save(update_fields=["status", "updated_at"])
        last = AuditEvent.objects.filter(case=case, action="suspended").order_by("-seq").first()
        today = timezone.localdate()
        paused = (today - date.fromisoformat(last.data["on"])).days if last else 0
        calendar = policy.working_calendar()
        for obligation in Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False):
            if paused:
                obligation.due_on = calendar.add_days(obligation.due_on, paused)
                obligation.reminded_at = obligation.escalated_at = None
                obligation.save(update_fields=["due_on", "reminded_at", "escalated_at"])
        _refresh_due(case)
        record_event(case, "resumed", actor=actor, data={"days_paused": paused})
        return case


def merge_case(*, actor: Any, case: Case, into: Case) -> Case:
    """The merged case keeps its reporter and messages; its open deadline obligations move to the
    surviving case, so a statutory obligation is never dropped by merging."""
    with transaction.atomic():
        # Lock in primary-key order, the order resolve_case uses for a survivor and its merged cases, so two
        # acts on the same pair wait for each other instead of deadlocking.
        locked = {c.pk: _lock(c) for c in sorted((case, into), key=lambda c: c.pk)}
        case, into = locked[case.pk], locked[into.pk]
        require_handler(actor, case)
        require_handler(actor, into)
        if case.pk == into.pk or into.status not in OPEN:
            raise InvalidInput(fields={"into": [_("Chọn một hồ sơ khác đang mở.")]})
        case.status, case.merged_into = _transition(case, Action.MERGE), into
        case.save(update_fields=["status", "merged_into", "updated_at"])
        Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).update(case=into, unit=into.unit)
        _refresh_due(case)
        _refresh_due(into)
        record_event(case, "merged", actor=actor, data={"into": into.tracking_code})
        record_event(into, "merge_received", actor=actor, data={"from": case.tracking_code}, public=False)
        return case


# ---------------------------------------------------------------- citizen acts (by tracking code)


@sensitive_variables()
def add_information(*, case: Case, body: str, uploads: Any = (), return_attachments: bool = False) -> Any:
    """The citizen adds information (and checked ``uploads`` from ``protection.check_uploads``). The text
    is redacted like the submission; its original, if anything was removed, is sealed in the vault."""
    from pakn.protection import services as protection
    from pakn.protection.models import VaultItem
    from pakn.protection.vault import files_guard, seal_json

    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with files_guard(), transaction.atomic():
        case = _lock(case)
        if case.status in (Status.CLOSED, Status.WITHDRAWN, Status.MERGED):
            raise InvalidTransition(_("Hồ sơ đã kết thúc, không thể bổ sung."))
        redacted = protection.redact_for_case(case, body)
        message = Message.objects.create(case=case, body=redacted.text, from_citizen=True)
        if redacted.count:
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
            redacted.text[:500],
            roles=(Role.CLERK,),
        )
        if return_attachments:
            return message, attachments
        return message


def ask_reporter(*, actor: Any, case: Case, body: str) -> Message:
    """The handler asks the reporter a question. The reporter reads it on their status page (tracking
    code) or in the drop box (receipt) and answers with ``add_information``; a reporter who chose
    notifications is told that there is a question, not what it says."""
    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_MESSAGE)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        if case.status in (Status.CLOSED, Status.WITHDRAWN, Status.MERGED):
            raise InvalidTransition(_("Hồ sơ đã kết thúc."))
        # Staff may quote the reporter back to them: stored redacted like everything else on the case.
        message = Message.objects.create(case=case, body=_redacted(case, body), from_citizen=False)
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


def withdraw_case(*, case: Case, reason: str = "") -> Case:
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=False, limit=2000)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        previous = case.status
        case.status = _transition(case, Action.WITHDRAW)
        case.save(update_fields=["status", "updated_at"])
        cancelled = list(
            Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).values_list("pk", flat=True)
        )
        _close_obligations(case, met=False)
        # What the case was, so that a withdrawn denunciation can be handled all the same (continue_withdrawn).
        record_event(
            case,
            "withdrawn",
            actor_label="citizen",
            data={"reason": _redacted(case, reason), "from_status": previous, "obligations": cancelled},
        )
        return case


# Why a withdrawn denunciation is still handled (Luật Tố cáo 2018, Điều 33).
CONTINUE_GROUNDS: dict[str, Any] = {
    "signs_of_violation": _("Hành vi bị tố cáo có dấu hiệu vi phạm pháp luật (Luật Tố cáo 2018, Điều 33)."),
    "coerced": _("Có căn cứ xác định việc rút tố cáo do bị đe dọa, mua chuộc (Luật Tố cáo 2018, Điều 33)."),
}


def continue_withdrawn(*, actor: Any, case: Case, ground: str, reason: str) -> Case:
    """The handler decides to go on with a withdrawn denunciation (Luật Tố cáo 2018, Điều 33): the case goes
    back to where it was (waiting for acceptance, or being resolved) and the deadlines cancelled by the
    withdrawal run again, with the ground and the reason in the audit trail."""
    errors: dict[str, list[Any]] = {}
    reason = _text(reason, "reason", errors, required=True, limit=2000)
    if ground not in CONTINUE_GROUNDS:
        errors["ground"] = [_("Chọn căn cứ tiếp tục giải quyết.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        target = _transition(case, Action.CONTINUE)
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
        _refresh_due(case)
        record_event(
            case, "handling_continued", actor=actor, data={"ground": ground, "reason": reason, "status": target}
        )
        return case


def terminate_complaint(*, actor: Any, case: Case, body: str) -> Case:
    """A withdrawn complaint ends with a decision to stop handling it (đình chỉ giải quyết khiếu nại, Luật
    Khiếu nại 2011, Điều 10), an answer document of kind TERMINATION sent to the complainant."""
    errors: dict[str, list[Any]] = {}
    body = _text(body, "body", errors, required=True, limit=MAX_CONTENT)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
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


def _redacted(case: Case, text: str) -> str:
    """Free text from the citizen, with their identity and generic identifiers removed (docs/protection.md)."""
    from pakn.protection.services import redact_for_case

    return redact_for_case(case, text).text if text else text


def rate_case(*, case: Case, level: Any, comment: str = "") -> Rating:
    errors: dict[str, list[Any]] = {}
    comment = _text(comment, "comment", errors, required=False, limit=2000)
    if isinstance(level, str) and level.strip().isdecimal():
        level = int(level)
    if isinstance(level, bool) or not isinstance(level, int) or level not in range(1, 6):
        errors["level"] = [_("Chọn một mức độ hài lòng.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = _lock(case)
        if case.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidTransition(_("Chỉ đánh giá được khi đã có kết quả."))
        if Rating.objects.filter(case=case, unit=case.unit).exists():
            raise InvalidTransition(_("Bạn đã đánh giá kết quả này."))
        rating = Rating.objects.create(case=case, unit=case.unit, level=level, comment=_redacted(case, comment))
        record_event(case, "rated", actor_label="citizen", data={"level": level})
        return rating


def overdue_resolution(case: Case, today: date | None = None) -> date | None:
    """End of the resolution period of an accepted complaint or denunciation that passed without a
    decision (None otherwise; a suspended case's clock is stopped)."""
    if case.track not in RESOLUTION_TRACKS or case.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        return None
    obligation = (
        Obligation.objects.filter(case=case, kind=ObligationKind.RESOLVE, met_on__isnull=True, cancelled=False)
        .order_by("due_on")
        .first()
    )
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
    reason = _redacted(case, reason) if isinstance(reason, str) else reason
    return forward_case(actor=None, case=case, to_unit=case.unit.parent, reason=reason, escalation=True)


# ---------------------------------------------------------------- deadlines job


def check_deadlines(*, today: date | None = None, due_soon_days: int | None = None) -> dict[str, int]:
    """Remind units of deadlines due soon and escalate overdue ones to the heads of the unit above.
    Idempotent: each obligation is reminded and escalated at most once."""
    from django.conf import settings

    today = today or timezone.localdate()
    calendar = policy.working_calendar()
    horizon = calendar.add_working_days(
        today, due_soon_days if due_soon_days is not None else settings.DUE_SOON_WORKING_DAYS
    )
    counts = {"reminded": 0, "escalated": 0}
    open_obligations = (
        Obligation.objects.filter(met_on__isnull=True, cancelled=False)
        .exclude(case__status=Status.SUSPENDED)  # suspended time does not count (resume moves the dates)
        .select_related("case", "unit")
    )
    for obligation in open_obligations.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon):
        with transaction.atomic():
            if Obligation.objects.filter(pk=obligation.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                notify_unit_staff(
                    obligation.case,
                    obligation.unit,
                    f"remind:{obligation.pk}",
                    str(_("Sắp đến hạn: %(code)s") % {"code": obligation.case.tracking_code}),
                    str(
                        _("Hạn %(kind)s: %(date)s.")
                        % {"kind": obligation.get_kind_display(), "date": obligation.due_on.strftime("%d/%m/%Y")}
                    ),
                    roles=(Role.CLERK, Role.HEAD),
                )
                counts["reminded"] += 1
    for obligation in open_obligations.filter(escalated_at__isnull=True, due_on__lt=today):
        with transaction.atomic():
            if not Obligation.objects.filter(pk=obligation.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue
            case = _lock(obligation.case)
            event = record_event(
                case,
                "overdue",
                actor_label="system",
                data={
                    "obligation": obligation.kind,
                    "due_on": obligation.due_on.isoformat(),
                    "unit": obligation.unit.name,
                },
            )
            subject = str(_("Quá hạn: %(code)s") % {"code": case.tracking_code})
            body = str(
                _("%(unit)s chưa hoàn thành việc %(kind)s, hạn %(date)s.")
                % {
                    "unit": obligation.unit.name,
                    "kind": obligation.get_kind_display(),
                    "date": obligation.due_on.strftime("%d/%m/%Y"),
                }
            )
            notify_unit_staff(case, obligation.unit, f"{event.hash}:own", subject, body, roles=(Role.HEAD,))
            if obligation.unit.parent_id:
                notify_unit_staff(case, obligation.unit.parent, f"{event.hash}:up", subject, body, roles=(Role.HEAD,))  # type: ignore[arg-type]
            counts["escalated"] += 1
    return counts


def public_url(case: Case) -> str:
    from pakn.core.site import public_base_url

    return f"{public_base_url()}/track/{case.tracking_code}/"


def as_local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def get_case_by_code(code: str) -> Case:
    from pakn.core.tracking import normalise_tracking_code

    canonical = normalise_tracking_code(code or "")
    if canonical is None:
        raise NotFound(
            _("Mã tra cứu không đúng. Vui lòng kiểm tra lại (mã có ký tự kiểm tra)."), code="bad_tracking_code"
        )
    case = Case.objects.select_related("unit", "province", "commune").filter(tracking_code=canonical).first()
    if case is None:
        raise NotFound(_("Không tìm thấy hồ sơ với mã này."))
    return case


def set_topic(*, actor: Any, case: Case, topic_code: str) -> Case:
    """A clerk confirms or corrects the topic (e.g. from the classifier's suggestion)."""
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None:
        raise InvalidInput(fields={"topic_code": [_("Lĩnh vực không hợp lệ.")]})
    with transaction.atomic():
        case = _lock(case)
        require_handler(actor, case)
        old = case.topic.code if case.topic else None
        if old == topic.code:
            return case
        case.topic = topic
        case.save(update_fields=["topic", "updated_at"])
        record_event(case, "topic_set", actor=actor, data={"from": old, "to": topic.code}, public=False)
        return case
