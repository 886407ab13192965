"""Who and what a case is about: the person concerned (with the competent unit and the conflict of
interest it implies) and the topic, as the citizen gave them and as the clerk confirms them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import persons
from pakn.cases.models import Case, CaseSubject, SubjectSource, Topic
from pakn.cases.services.common import handled
from pakn.cases.services.events import record_event
from pakn.core.errors import InvalidInput


def record_subject(case: Case, subject: persons.SubjectInput, routing: persons.Routing | None) -> CaseSubject:
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
    with handled(case, actor) as case:
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
        subject = replace(
            subject or persons.SubjectInput(name=name.strip()[:150], position=position),
            user=user,
            source=SubjectSource.CLERK,
        )
        row, _created = CaseSubject.objects.get_or_create(case=case, defaults={"source": SubjectSource.CLERK})
        before = {"position": row.position, "body": row.body.code if row.body else None, "rule": row.rule_code}
        _confirm(row, case, subject, actor=actor, keep_signs=signs is None)
        record_event(case, "subject_confirmed", actor=actor, public=False, data=_confirmed(row, before))
        return row


def _confirm(row: CaseSubject, case: Case, subject: persons.SubjectInput, *, actor: Any, keep_signs: bool) -> None:
    """Write the confirmed person and the competence decision it leads to on ``row``."""
    routing = persons.route_for_subject(kind=case.kind, complaint_round=case.complaint_round, subject=subject)
    row.name, row.position, row.body = subject.name, subject.position, subject.body
    row.party_member, row.party_unit, row.user = subject.party_member, subject.party_unit, subject.user
    if not keep_signs:  # no signs given: the signs recorded before stay
        row.signs = list(subject.signs)
    row.source = SubjectSource.CLERK
    row.conflict_unit = routing.conflict_unit if routing else None
    if routing is None and subject.user is not None and subject.body is not None:
        row.conflict_unit = persons.conflict_unit_for(kind=case.kind, subject=subject, target=None)
    row.rule_code = routing.rule.code if routing else ""
    row.competent_unit = routing.unit if routing else None
    row.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    row.confirmed_at = timezone.now()
    row.save()


def _confirmed(row: CaseSubject, before: dict[str, Any]) -> dict[str, Any]:
    """The staff-only event's data: what changed, without the person's name."""
    return {
        "before": before,
        "position": row.position,
        "body": row.body.code if row.body else None,
        "party_member": row.party_member,
        "party_unit": row.party_unit.code if row.party_unit else None,
        "account_linked": row.user is not None,
        "signs": len(row.signs),
        "rule": row.rule_code,
        "competent_unit": row.competent_unit.code if row.competent_unit else None,
    }


def set_topic(*, actor: Any, case: Case, topic_code: str) -> Case:
    """A clerk confirms or corrects the topic (e.g. from the classifier's suggestion)."""
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None:
        raise InvalidInput(fields={"topic_code": [_("Lĩnh vực không hợp lệ.")]})
    with handled(case, actor) as case:
        old = case.topic.code if case.topic else None
        if old == topic.code:
            return case
        case.topic = topic
        case.save(update_fields=["topic", "updated_at"])
        record_event(case, "topic_set", actor=actor, data={"from": old, "to": topic.code}, public=False)
        return case
