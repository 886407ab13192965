"""Requests for protection (Luật Tố cáo 2018, Điều 47–50): received, decided, measures, deadlines."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.org.access import can_handle
from pakn.org.models import Membership, Role
from pakn.protection import crypto, vault
from pakn.protection.access import is_officer_for
from pakn.protection.defaults import DEFAULT_DEADLINE_RULES
from pakn.protection.models import (
    Measure,
    Person,
    ProtectionDeadlineRule,
    ProtectionRequest,
    RecipientKey,
    VaultConfig,
    VaultItem,
)
from pakn.protection.services.common import lock_case, logger, record_case_event
from pakn.protection.services.submissions import redact_for_case

# ---------------------------------------------------------------- protection requests (Art. 47–50)


def protection_deadline(*, urgent: bool, received: Any) -> tuple[Any, ProtectionDeadlineRule | None, str, str]:
    from pakn.cases import policy

    rule = (
        ProtectionDeadlineRule.objects.filter(urgent=urgent, effective_from__lte=received)
        .order_by("-effective_from")
        .first()
    )
    if rule is not None:
        amount, working, code, citation = rule.amount, rule.working_days, rule.code, rule.citation
    else:
        default = next(r for r in DEFAULT_DEADLINE_RULES if r["urgent"] == urgent)
        amount, working, code, citation = (
            default["amount"],
            default["working_days"],
            default["code"],
            default["citation"],
        )
    calendar = policy.working_calendar()
    due = calendar.add_working_days(received, amount) if working else calendar.add_days(received, amount)
    return due, rule, code, citation


def can_request_protection(case: Any) -> bool:
    """Protection is for a denouncer (Luật Tố cáo 2018, Điều 47) whose denunciation still stands, and for anyone
    whose report, petition or complaint is about an official's conduct (``reports_conduct``)."""
    from pakn.cases.models import Kind

    if case.status in ("withdrawn", "merged"):
        return False
    return bool(case.kind == Kind.DENUNCIATION or reports_conduct(case))


def reports_conduct(case: Any) -> bool:
    """A case other than a denunciation about a person's conduct (a person is named or described). Quyết định
    99-QĐ/TW asks to "bảo vệ, khuyến khích người dân phát hiện, tố giác": such a reporter may ask for protection
    too; the Law on Denunciations' measures and periods are the ones the unit applies, by analogy, within its
    powers (the law binds them for denouncers only)."""
    from pakn.cases.models import CaseSubject, Kind

    if case.kind == Kind.DENUNCIATION:
        return False
    subject = CaseSubject.objects.filter(case_id=case.pk).first()
    return bool(subject and (subject.name or subject.position or subject.user_id or subject.party_member))


@sensitive_variables()
def request_protection(
    *,
    case: Any,
    persons: list[str],
    measures: list[str],
    details: str = "",
    urgent: bool = False,
    actor: Any = None,
) -> ProtectionRequest:
    """By the reporter (tracking code or receipt; ``actor`` None) or by a handler or officer on their
    behalf (``actor``), e.g. after an urgent phone call."""
    errors: dict[str, list[Any]] = {}
    persons = [p for p in dict.fromkeys(persons or []) if p]
    measures = [m for m in dict.fromkeys(measures or []) if m]
    if not persons or any(p not in Person.values for p in persons):
        errors["persons"] = [_("Chọn người cần được bảo vệ.")]
    if not measures or any(m not in Measure.values for m in measures):
        errors["measures"] = [_("Chọn biện pháp bảo vệ đề nghị.")]
    details = (details or "").strip()
    if len(details) > 10_000:
        errors["details"] = [_("Quá dài: tối đa %(limit)s ký tự.") % {"limit": 10_000}]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        case = lock_case(case)
        if actor is not None and not (can_handle(actor, case) or is_officer_for(actor, case)):
            raise Forbidden()
        if not can_request_protection(case):
            raise InvalidTransition(
                _("Chỉ đề nghị bảo vệ cho đơn tố cáo, hoặc đơn phản ánh hành vi của cán bộ, chưa rút, chưa gộp.")
            )
        today = timezone.localdate()
        due, _rule, code, citation = protection_deadline(urgent=urgent, received=today)
        if reports_conduct(case):
            citation = str(
                _("Quyết định 99-QĐ/TW (bảo vệ người phát hiện, tố giác); thời hạn áp dụng tương tự: %(citation)s")
                % {"citation": citation}
            )[:300]
        summary = redact_for_case(case, details)
        item = (
            vault.seal_json(case=case, kind=VaultItem.Kind.PROTECTION_DETAILS, data={"details": details})
            if details
            else None
        )
        request = ProtectionRequest.objects.create(
            case=case,
            origin=ProtectionRequest.Origin.HANDLER if actor else ProtectionRequest.Origin.REPORTER,
            filed_by=actor if getattr(actor, "is_authenticated", False) else None,
            urgent=urgent,
            persons=persons,
            measures=measures,
            summary=summary.text,
            details=item,
            received_on=today,
            due_on=due,
            rule_code=code,
            citation=citation,
        )
        record_case_event(
            case,
            "protection_requested",
            actor=actor,
            actor_label="" if actor else "citizen",
            public=False,
            data={
                "request": request.pk,
                "urgent": urgent,
                "due_on": due.isoformat(),
                "persons": persons,
                "measures": measures,
            },
        )
        _notify_officers(case, request)
        return request


def _notify_officers(case: Any, request: ProtectionRequest) -> None:
    from pakn.cases.services import notify_unit_staff

    subject = str(_("Đề nghị bảo vệ người tố cáo: %(who)s") % {"who": case.pseudonym})
    body = str(
        _("Hạn xem xét: %(date)s. Xem tại trang Bảo vệ người tố cáo.") % {"date": request.due_on.strftime("%d/%m/%Y")}
    )
    for unit in filter(None, [case.unit, case.unit.parent]):
        notify_unit_staff(
            case, unit, f"protection:{request.pk}:{unit.pk}", subject, body, roles=(Role.PROTECTION_OFFICER, Role.HEAD)
        )


def can_decide_protection(user: Any, case: Any) -> bool:
    return (
        is_officer_for(user, case)
        or Membership.objects.filter(user=user, unit_id__in=vault.case_unit_ids(case), role=Role.HEAD).exists()
    )


def decide_protection(*, actor: Any, request: ProtectionRequest, status: str, decision: str) -> ProtectionRequest:
    decision = (decision or "").strip()
    if status not in (
        ProtectionRequest.Status.GRANTED,
        ProtectionRequest.Status.REFUSED,
        ProtectionRequest.Status.ENDED,
    ):
        raise InvalidInput(fields={"status": [_("Chọn kết quả.")]})
    if len(decision) < 5:
        raise InvalidInput(fields={"decision": [_("Ghi rõ quyết định, biện pháp hoặc lý do.")]})
    with transaction.atomic():
        case = lock_case(request.case)
        request = ProtectionRequest.objects.select_for_update().get(pk=request.pk)
        if not can_decide_protection(actor, case):
            raise Forbidden()
        allowed: dict[str, set[str]] = {
            ProtectionRequest.Status.RECEIVED: {ProtectionRequest.Status.GRANTED, ProtectionRequest.Status.REFUSED},
            ProtectionRequest.Status.GRANTED: {ProtectionRequest.Status.ENDED},
        }
        if status not in allowed.get(request.status, set()):
            raise InvalidTransition()
        request.status, request.decision = status, redact_for_case(case, decision).text[:5000]
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save()
        record_case_event(
            case, "protection_decided", actor=actor, public=False, data={"request": request.pk, "status": status}
        )
        return request


def rotate_escrow_key(*, actor: Any, old_private: bytes, new_public: bytes) -> int:
    """Replace the escrow key: every item sealed to the old key is sealed to the new one, in one transaction;
    the old key is retired. Returns the number of items moved. Logged (no key material) in the activity log
    and the ``pakn.protection`` log."""
    from pakn.core.activity import log_activity

    config = VaultConfig.objects.select_related("escrow").filter(pk=1).first()
    if config is None:
        raise InvalidTransition(_("Chưa có khóa dự phòng để thay."))
    if crypto.public_of(old_private) != crypto.b64d(config.escrow.public_key):
        raise InvalidInput(fields={"old_key": [_("Đây không phải khóa dự phòng hiện hành.")]})
    with transaction.atomic():
        new = RecipientKey.objects.create(kind=RecipientKey.Kind.ESCROW, public_key=crypto.b64e(new_public))
        old = config.escrow
        moved = vault.move_wraps(old=old, old_private=old_private, new=new)
        config.escrow = new
        config.save(update_fields=["escrow"])
        old.retired_at = new.created_at
        old.save(update_fields=["retired_at"])
        log_activity(
            "protection",
            "escrow_key_rotated",
            new,
            actor=actor,
            unit=None,
            data={
                "old": crypto.fingerprint(crypto.b64d(old.public_key)),
                "new": crypto.fingerprint(new_public),
                "items": moved,
            },
        )
    logger.info("escrow key rotated (%s items re-sealed)", moved)
    return moved
