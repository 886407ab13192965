"""A citizen's rights over their personal data: a copy of it, and its erasure where the law allows (Nghị định
13/2023/NĐ-CP, Điều 9, 14, 16; Luật Bảo vệ dữ liệu cá nhân 2025, số 91/2025/QH15, Điều 4, 14). docs/retention.md.

Who asks: the holder of a citizen account (their cases, and the account itself), or the holder of a tracking
code (that case). Every request is a ``DataRequest`` row, a line of the activity log and one event on the chain of
each case concerned; a copy carries nothing the server cannot read (the sealed identity is only described) and
the notification contact only for the account holder.

Erasure: the account is closed at once (its data erased, its cases detached); a case's personal data is erased at
once when its retention period is over, and kept otherwise, with the reason and the date until which it is kept.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import Forbidden, InvalidInput
from pakn.protection import retention
from pakn.protection.models import Attachment, DataRequest, Erasure, ProtectionRequest, VaultItem
from pakn.protection.retention_rules import (
    DONE,
    DUE,
    HOLD,
    NO_RULE,
    NOT_DUE,
    OPEN,
    PERMANENT,
    PROTECTION,
    Verdict,
)

LEGAL_BASIS = _(
    "Nghị định 13/2023/NĐ-CP, Điều 9, 14, 16; Luật Bảo vệ dữ liệu cá nhân 2025 (số 91/2025/QH15), Điều 4, 14. "
    "Dữ liệu do cơ quan nhà nước xử lý theo quy định của pháp luật, và hồ sơ mà pháp luật về lưu trữ yêu cầu giữ, "
    "không bị xóa theo yêu cầu trước thời hạn (Nghị định 13/2023/NĐ-CP, Điều 16, khoản 2)."
)
IDENTITY_NOTE = _(
    "Danh tính bạn khai khi gửi đơn (họ tên, địa chỉ, số điện thoại, giấy tờ) và bản gốc của đơn, tệp được mã hóa "
    "trong kho niêm phong: máy chủ không đọc được, chỉ cán bộ bảo vệ người tố cáo mở được khi có căn cứ pháp lý và "
    "cán bộ thứ hai phê duyệt. Để nhận bản sao các thông tin này, bạn liên hệ trực tiếp đơn vị xử lý."
)
KEPT: dict[str, Any] = {
    OPEN: _("Hồ sơ đang được giải quyết: dữ liệu cần cho việc giải quyết, được giữ đến khi hồ sơ kết thúc."),
    HOLD: _("Cơ quan có thẩm quyền đang yêu cầu giữ hồ sơ này: dữ liệu chưa được xóa."),
    PROTECTION: _("Đề nghị bảo vệ của bạn đang được xem xét hoặc đang được áp dụng: dữ liệu cần để bảo vệ bạn."),
    NO_RULE: _("Chưa có quy định thời hạn lưu trữ cho loại hồ sơ này: dữ liệu được giữ theo pháp luật về lưu trữ."),
    PERMANENT: _("Theo quy định lưu trữ %(rule)s, dữ liệu được giữ lâu dài (%(citation)s)."),
    NOT_DUE: _(
        "Theo quy định lưu trữ %(rule)s, dữ liệu được giữ đến hết ngày %(until)s (%(citation)s), sau đó được xóa."
    ),
}


def describe(verdict: Verdict, erasure: Erasure | None = None) -> dict[str, Any]:
    """What the citizen is told about a case's personal data: kept (why, until when) or erased (when, by what)."""
    rule = verdict.rule
    if erasure is not None and verdict.state in (DONE, NOT_DUE, PERMANENT, NO_RULE) and erasure.parts:
        return {
            "state": "erased",
            "text": str(
                _("Đã xóa %(parts)s ngày %(date)s theo quy định lưu trữ %(rule)s.")
                % {
                    "parts": ", ".join(str(retention.PART_LABELS[p]) for p in erasure.parts),
                    "date": timezone.localtime(erasure.erased_at).strftime("%d/%m/%Y"),
                    "rule": erasure.rule_code,
                }
            ),
            "until": None,
            "rule": erasure.rule_code,
            "confirmed": None,
        }
    if verdict.state in (DUE, DONE):
        text = _("Đã hết thời hạn lưu trữ: dữ liệu cá nhân được xóa (nếu bạn yêu cầu, xóa ngay).")
    else:
        text = KEPT[verdict.state]
        if rule is not None:
            text = text % {
                "rule": rule.code,
                "citation": rule.citation,
                "until": verdict.kept_until.strftime("%d/%m/%Y") if verdict.kept_until else "",
            }
    return {
        "state": verdict.state,
        "text": str(text),
        "until": verdict.kept_until,
        "rule": rule.code if rule else "",
        "confirmed": rule.confirmed if rule else None,
    }


def case_retention(case: Any) -> dict[str, Any]:
    return describe(retention.verdict_for(case), Erasure.objects.filter(case_id=case.pk).first())


def account_cases(user: Any) -> Any:
    from pakn.cases.models import Case

    return Case.objects.filter(citizen_id=user.pk).select_related("unit").order_by("-created_at")


# ---------------------------------------------------------------- the copy


def _local(moment: Any) -> str:
    return timezone.localtime(moment).isoformat()


def _contact(case: Any, *, with_address: bool) -> dict[str, Any] | None:
    from pakn.cases.models import Reporter
    from pakn.protection.notifier import KeysUnavailable, open_contact

    reporter = Reporter.objects.filter(case=case).first()
    if reporter is None or not reporter.notify_sealed:
        return None
    found: dict[str, Any] = {"channel": reporter.get_notify_by_display()}
    if with_address:
        try:
            found["address"] = open_contact(reporter.notify_sealed)
        except KeysUnavailable:
            found["address"] = str(_("(tạm thời không mở được)"))
    return found


def case_copy(case: Any, *, with_contact: bool) -> dict[str, Any]:
    """What the platform holds about one case, as the citizen may read it (text redacted as stored)."""
    from pakn.cases import presenters
    from pakn.cases.models import Message, Rating

    files: dict[int | None, list[str]] = {}
    for attachment in Attachment.objects.filter(case=case).order_by("number"):
        files.setdefault(attachment.message_id, []).append(attachment.name)
    copy: dict[str, Any] = {
        "tracking_code": case.tracking_code,
        "kind": case.get_kind_display(),
        "title": case.title,
        "content": case.content,
        "received_on": case.received_on,
        "status": case.status_label,
        "unit": case.unit.name,
        "address": case.address,
        "location": {"latitude": case.latitude, "longitude": case.longitude} if case.latitude is not None else None,
        "files": files.get(None, []),
        "messages": [
            {"at": _local(m.created_at), "from_you": m.from_citizen, "body": m.body, "files": files.get(m.pk, [])}
            for m in Message.objects.filter(case=case).order_by("created_at", "pk")
        ],
        "answers": [
            {"at": _local(a["at"]), "unit": a["unit"], "body": a["body"], "finding": a["finding_label"]}
            for a in presenters.answers(case) or presenters.joint_answers(case)
        ],
        "timeline": [{"at": e["at"].isoformat(), "event": e["label"]} for e in presenters.timeline(case)],
        "ratings": [{"level": r.get_level_display(), "comment": r.comment} for r in Rating.objects.filter(case=case)],
        "protection_requests": [
            {"received_on": p.received_on, "status": p.get_status_display()}
            for p in ProtectionRequest.objects.filter(case=case)
        ],
        "identity": {
            "held": VaultItem.objects.filter(case=case, kind=VaultItem.Kind.IDENTITY).exists(),
            "note": str(IDENTITY_NOTE),
        },
        "contact": _contact(case, with_address=with_contact),
        "retention": case_retention(case),
    }
    return copy


def _notice() -> dict[str, Any]:
    return {
        "format": "pakn-du-lieu-ca-nhan/1",
        "exported_at": _local(timezone.now()),
        "redaction": str(
            _("Nội dung đơn và tin nhắn là bản đã che thông tin cá nhân ([đã che]) như được lưu trên hệ thống.")
        ),
        "legal_basis": str(LEGAL_BASIS),
    }


def _record_request(kind: str, via: str, *, user: Any, cases: list[Any], outcome: dict[str, Any]) -> DataRequest:
    from pakn.core.activity import log_activity

    request = DataRequest.objects.create(kind=kind, via=via, user=user, cases=[c.pk for c in cases], outcome=outcome)
    log_activity("protection", f"data_{kind}_requested", request, actor=None, unit=None, data={"via": via})
    return request


def copy_for_account(*, user: Any) -> dict[str, Any]:
    """The account holder's copy: the account, every case filed while logged in, their contacts. Recorded."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden()
    with transaction.atomic():
        cases = list(account_cases(user))
        request = _record_request(
            DataRequest.Kind.ACCESS, DataRequest.Via.ACCOUNT, user=user, cases=cases, outcome={"copied": len(cases)}
        )
        for case in cases:
            _mark(case, retention.EXPORTED, {"request": request.pk})
        return {
            **_notice(),
            "account": {
                "username": user.get_username(),
                "email": user.email,
                "name": user.get_full_name(),
                "date_joined": _local(user.date_joined),
                "last_login": _local(user.last_login) if user.last_login else None,
            },
            "cases": [case_copy(case, with_contact=True) for case in cases],
        }


def copy_for_case(*, case: Any) -> dict[str, Any]:
    """The tracking-code holder's copy of what they submitted: the code alone does not prove who holds it, so the
    contact's address is not in it (its channel is). Recorded."""
    with transaction.atomic():
        request = _record_request(
            DataRequest.Kind.ACCESS, DataRequest.Via.TRACKING_CODE, user=None, cases=[case], outcome={"copied": 1}
        )
        _mark(case, retention.EXPORTED, {"request": request.pk})
        return {**_notice(), "cases": [case_copy(case, with_contact=False)]}


def _mark(case: Any, action: str, data: dict[str, Any]) -> None:
    from pakn.cases.services import record_event

    locked = retention._lock_case(case)
    record_event(locked, action, actor_label="citizen", public=True, data=data)


# ---------------------------------------------------------------- erasure


@dataclass
class CaseAnswer:
    """What happened to one case's personal data on an erasure request (for the page and the request's record)."""

    case: Any
    erased: bool
    text: str
    until: Any = None


def _erase_or_explain(case: Any, request: DataRequest, *, detached: bool) -> CaseAnswer:
    verdict = retention.verdict_for(case)
    extra = {"request": request.pk, **({"account_detached": True} if detached else {})}
    if verdict.state == DUE and verdict.rule is not None:
        retention.erase_case(case=case, rule=verdict.rule, actor_label="citizen", data=extra)
        return CaseAnswer(case, True, case_retention(case)["text"])
    described = case_retention(case)
    outcome = "erased" if described["state"] == "erased" else "kept"
    data = {**extra, "outcome": outcome, "reason": verdict.state}
    if verdict.kept_until:
        data["until"] = verdict.kept_until.isoformat()
    _mark(case, retention.ERASURE_REQUESTED, data)
    return CaseAnswer(case, outcome == "erased", described["text"], verdict.kept_until)


def _outcome(answers: list[CaseAnswer]) -> dict[str, Any]:
    return {
        str(a.case.pk): {"erased": a.erased, **({"until": a.until.isoformat()} if a.until else {})} for a in answers
    }


def erase_for_case(*, case: Any) -> list[CaseAnswer]:
    """The tracking-code holder asks for the case's personal data to be erased."""
    with transaction.atomic():
        request = _record_request(
            DataRequest.Kind.ERASURE, DataRequest.Via.TRACKING_CODE, user=None, cases=[case], outcome={}
        )
        answers = [_erase_or_explain(case, request, detached=False)]
        DataRequest.objects.filter(pk=request.pk).update(outcome={"cases": _outcome(answers)})
        return answers


def close_account(*, user: Any, password: str, confirm: bool) -> list[CaseAnswer]:
    """The account holder closes their account: its data is erased (name, e-mail, password, linked identities), its
    cases are detached from it (they stay reachable by their tracking codes), and each case's personal data is
    erased now where its retention period is over. Staff accounts are the administrators' to close."""
    from pakn.org.models import Membership

    if not getattr(user, "is_authenticated", False):
        raise Forbidden()
    if user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists():
        raise Forbidden(_("Tài khoản cán bộ do quản trị viên quản lý, không tự đóng được."))
    errors: dict[str, list[Any]] = {}
    if not confirm:
        errors["confirm"] = [_("Đánh dấu xác nhận để đóng tài khoản.")]
    if user.has_usable_password() and not user.check_password(password or ""):
        errors["password"] = [_("Mật khẩu không đúng.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        from pakn.cases.models import Case

        cases = list(account_cases(user))
        request = _record_request(DataRequest.Kind.ERASURE, DataRequest.Via.ACCOUNT, user=user, cases=cases, outcome={})
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(citizen=None)
        answers = [_erase_or_explain(case, request, detached=True) for case in cases]
        _close(user)
        DataRequest.objects.filter(pk=request.pk).update(outcome={"account": "closed", "cases": _outcome(answers)})
        return answers


def _close(user: Any) -> None:
    """The account's own data goes; the row stays (audit events and log lines point at it), unusable."""
    user.username = f"da-dong-{user.pk}-{secrets.token_hex(4)}"
    user.email = user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    linked = getattr(user, "citizen_identities", None)  # identities at an OpenID Connect provider, if any
    if linked is not None:
        linked.all().delete()
