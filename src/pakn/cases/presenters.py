"""Read-side views of a case shared by the HTML pages and the API. The public ones never include the
reporter's identity or staff names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Answer, AuditEvent, Case
from pakn.cases.workflow import Status, allowed_actions

EVENT_LABELS: dict[str, Any] = {
    "submitted": _("Tiếp nhận đơn"),
    "accepted": _("Thụ lý"),
    "refused": _("Không thụ lý"),
    "forwarded": _("Chuyển đơn đến đơn vị có thẩm quyền"),
    "escalated": _("Người gửi đề nghị cấp trên xem xét"),
    "started": _("Bắt đầu giải quyết"),
    "extended": _("Gia hạn giải quyết"),
    "resolved": _("Trả lời / kết luận"),
    "closed": _("Kết thúc hồ sơ"),
    "suspended": _("Tạm đình chỉ"),
    "resumed": _("Tiếp tục giải quyết"),
    "merged": _("Gộp vào hồ sơ khác"),
    "merge_received": _("Nhận hồ sơ gộp"),
    "merged_answered": _("Vụ việc đã gộp đã có kết quả giải quyết chung"),
    "information_added": _("Người gửi bổ sung thông tin"),
    "withdrawn": _("Người gửi rút đơn"),
    "rated": _("Người gửi đánh giá kết quả"),
    "overdue": _("Quá hạn – đã báo cáo người đứng đầu và cấp trên"),
    "topic_set": _("Xác định lĩnh vực"),
    "deadline_recomputed": _("Tính lại thời hạn theo quy định"),
    "acceptance_extended": _("Kéo dài thời hạn thụ lý tố cáo"),
    "acceptance_notified": _("Thông báo việc thụ lý cho người tố cáo"),
    "conclusion_published": _("Công khai kết luận nội dung tố cáo"),
    "handling_continued": _("Tiếp tục giải quyết tố cáo dù người tố cáo đã rút"),
    "complaint_terminated": _("Quyết định đình chỉ giải quyết khiếu nại"),
    "false_report_recorded": _("Ghi nhận việc xử lý tố cáo sai sự thật"),
    "assigned": _("Giao hồ sơ cho cán bộ"),
    "dialogue_held": _("Đối thoại với người khiếu nại (Luật Khiếu nại 2011, Điều 30, 39)"),
    "note_added": _("Ghi chú nội bộ"),
    "tagged": _("Gắn nhãn"),
    "untagged": _("Bỏ nhãn"),
    "reporter_commended": _("Đơn vị cảm ơn, khen thưởng người gửi"),
    "repeat_received": _("Nhận đơn trùng vụ việc đã giải quyết, trả lời theo văn bản đã ban hành"),
}

# Shown next to a citation whose rule is not confirmed against the official text (DeadlineRule.confirmed).
UNCONFIRMED_NOTE = _("chưa xác nhận căn cứ pháp lý")

# Fields of event data that may appear on the public page. Never "into": the tracking code of the case a
# submission was merged into is another citizen's key to their case.
PUBLIC_DETAIL_KEYS = (
    "to",
    "previous_due_on",
    "due_on",
    "resolve_by",
    "answer_by",
    "respond_by",
    "reason_code",
    "level",
    "finding",
)

# How each field of an event's data reads in a sentence; a field whose meaning depends on the act is
# labelled per act first.
DETAIL_LABELS: dict[str, Any] = {
    "from": _("Từ"),
    "to": _("Đến"),
    "due_on": _("Hạn"),
    "resolve_by": _("Hạn giải quyết"),
    "answer_by": _("Hạn trả lời"),
    "respond_by": _("Hạn đơn vị nhận đơn xử lý"),
    "reason_code": _("Căn cứ"),
    "into": _("Gộp vào hồ sơ"),
    "level": _("Mức độ hài lòng"),
    "extensions": _("Lần gia hạn thứ"),
    "obligation": _("Nghĩa vụ"),
    "accepted_on": _("Ngày thụ lý"),
    "complexity": _("Mức độ phức tạp"),
    "answer_kind": _("Loại văn bản"),
    "channel": _("Kênh tiếp nhận"),
    "days_paused": _("Số ngày tạm dừng"),
    "reason": _("Lý do"),
    "explanation": _("Giải thích"),
    "track": _("Luồng xử lý"),
    "unit": _("Đơn vị"),
    "on": _("Ngày"),
    "previous_due_on": _("Hạn cũ"),
    "finding": _("Kết luận nội dung tố cáo"),
    "intentional": _("Có căn cứ cố ý tố cáo sai sự thật"),
    "action": _("Cách xử lý"),
    "referred_to": _("Cơ quan được kiến nghị, chuyển xử lý"),
    "document": _("Văn bản"),
    "received_on": _("Ngày nhận"),
    "count": _("Lần thứ"),
}
ACT_DETAIL_LABELS: dict[tuple[str, str], Any] = {
    ("forwarded", "from"): _("Từ đơn vị"),
    ("forwarded", "to"): _("Chuyển đến"),
    ("escalated", "to"): _("Chuyển đến"),
    ("merged_answered", "to"): _("Đơn vị trả lời"),
    ("extended", "from"): _("Hạn cũ"),
    ("extended", "to"): _("Hạn mới"),
    ("merge_received", "from"): _("Từ hồ sơ"),
    ("topic_set", "from"): _("Lĩnh vực trước đó"),
    ("topic_set", "to"): _("Lĩnh vực"),
    ("submitted", "unit"): _("Đơn vị nhận"),
}


def _choice_labels() -> dict[str, dict[Any, Any]]:
    from pakn.cases.models import (
        AnswerKind,
        Channel,
        Complexity,
        FalseReportAction,
        Finding,
        ObligationKind,
        Satisfaction,
        Track,
    )

    return {
        "finding": dict(Finding.choices),
        "action": dict(FalseReportAction.choices),
        "intentional": {True: _("có"), False: _("không")},
        "level": dict(Satisfaction.choices),
        "obligation": dict(ObligationKind.choices),
        "complexity": dict(Complexity.choices),
        "answer_kind": dict(AnswerKind.choices),
        "channel": dict(Channel.choices),
        "track": dict(Track.choices),
    }


def _readable_value(key: str, value: Any) -> str:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    labels = _choice_labels().get(key)
    if labels is not None and value in labels:
        return str(labels[value])
    if key == "reason_code":
        from pakn.cases import services

        label = refusal_reason_label(services, str(value))
        return label or str(value)
    return str(value)


def refusal_reason_label(services: Any, code: str) -> str:
    reasons = getattr(services, "REFUSAL_REASONS", {})
    label = reasons.get(code) if hasattr(reasons, "get") else None
    if label is None:
        return ""
    return str(label.get("label", "")) if isinstance(label, dict) else str(label)


def event_detail(
    action: str, data: Any, *, keys: tuple[str, ...], mask: Any = None, masked: tuple[str, ...] = ()
) -> str:
    """The fields ``keys`` of an event's data as sentences (``Hạn giải quyết: 16/12/2026.``), in the
    reader's language, dates as dd/mm/yyyy; fields in ``masked`` go through ``mask`` first."""
    if not isinstance(data, dict):
        return ""
    sentences = []
    for key in keys:
        value = data.get(key)
        if value in (None, ""):
            continue
        label = ACT_DETAIL_LABELS.get((action, key)) or DETAIL_LABELS.get(key, key)
        shown = mask(str(value)) if mask is not None and key in masked else _readable_value(key, value)
        sentences.append(f"{label}: {shown}.")
    return " ".join(sentences)


def _detail(event: AuditEvent) -> str:
    return event_detail(event.action, event.data, keys=PUBLIC_DETAIL_KEYS)


def timeline(case: Case, *, public: bool = True) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(case=case).select_related("unit").order_by("seq")
    if public:
        events = events.filter(public=True)
    return [
        {
            "at": timezone.localtime(e.created_at),
            "action": e.action,
            "label": str(EVENT_LABELS.get(e.action, e.action)),
            "unit": e.unit.name if e.unit else None,
            "detail": _detail(e),
        }
        for e in events
    ]


def answers(case: Case) -> list[dict[str, Any]]:
    rows = list(Answer.objects.filter(case=case).select_related("unit").prefetch_related("files"))
    numbers = {f.number for a in rows for f in a.files.all()}
    # The case's stored files (protection.Attachment, reached through the relation: no import of the feature).
    stored = {f.number: f for f in case.attachments.filter(number__in=numbers)} if numbers else {}  # type: ignore[attr-defined]
    return [
        {
            "kind": a.kind,
            "body": a.body,
            "unit": a.unit.name,
            "at": timezone.localtime(a.created_at),
            "finding": a.finding,
            "finding_label": a.get_finding_display() if a.finding else "",
            "files": [
                {"number": f.number, "name": stored[f.number].name, "id": stored[f.number].pk, "public": f.public}
                for f in a.files.all()
                if f.number in stored
            ],
        }
        for a in rows
    ]


def is_overdue(case: Case, today: date | None = None) -> bool:
    """Past its due date; a suspended case is not (the clock stops, resuming moves the date)."""
    return bool(case.due_on and case.due_on < (today or timezone.localdate()) and case.status != Status.SUSPENDED)


def due_basis(case: Case) -> dict[str, Any] | None:
    """The obligation behind the case's current due date: what is due, by when, and its legal basis
    (``confirmed`` False → shown as "chưa xác nhận căn cứ pháp lý")."""
    from pakn.cases import policy
    from pakn.cases.models import Obligation

    first = Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).order_by("due_on", "pk").first()
    if first is None:
        return None
    return {
        "kind": first.kind,
        "label": first.get_kind_display(),
        "due_on": first.due_on,
        "citation": first.citation,
        "confirmed": policy.citation_confirmed(first.rule_code),
    }


# The citizen's rights when the answer does not satisfy them or no decision came in time, with their basis.
RIGHTS: dict[tuple[str, int | None], Any] = {
    ("complaint", 1): _(
        "Nếu không đồng ý với quyết định giải quyết khiếu nại lần đầu, hoặc đã hết thời hạn giải quyết mà khiếu nại "
        "không được giải quyết, bạn có quyền khiếu nại lần hai đến cơ quan cấp trên hoặc khởi kiện vụ án hành chính "
        "tại Tòa án (Luật Khiếu nại 2011, Điều 7, Điều 33)."
    ),
    ("complaint", 2): _(
        "Nếu không đồng ý với quyết định giải quyết khiếu nại lần hai, hoặc đã hết thời hạn giải quyết mà khiếu nại "
        "không được giải quyết, bạn có quyền khởi kiện vụ án hành chính tại Tòa án (Luật Khiếu nại 2011, Điều 7)."
    ),
    ("denunciation", None): _(
        "Nếu đã hết thời hạn giải quyết mà tố cáo không được giải quyết, hoặc có căn cứ cho rằng việc giải quyết "
        "không đúng pháp luật, bạn có quyền tố cáo tiếp đến cấp trên trực tiếp của người giải quyết tố cáo "
        "(Luật Tố cáo 2018, Điều 37)."
    ),
}


PARTY_REFERENCE_NOTE = _(
    "Đơn liên quan đến đảng viên nhưng không ghi rõ họ tên, địa chỉ người gửi. Theo quy định của Đảng (Quy định "
    "296-QĐ/TW), đơn giấu tên, mạo tên, không rõ địa chỉ không được giải quyết như một đơn tố cáo: nội dung được "
    "ghi nhận làm thông tin tham khảo. Nếu nội dung cụ thể, có tài liệu, chứng cứ để kiểm tra, ủy ban kiểm tra có "
    "thể sử dụng trong công tác kiểm tra, giám sát. Không có văn bản trả lời và không có thời hạn giải quyết tố cáo; "
    "bạn có thể bổ sung thông tin, tài liệu bằng mã này."
)
PARTY_TRACK_NOTE = _(
    "Đơn liên quan đến đảng viên được cấp ủy, ủy ban kiểm tra cấp quản lý đảng viên xem xét, giải quyết theo quy "
    "định của Đảng (Quy định 296-QĐ/TW), với thời hạn riêng, không theo thời hạn của Luật Tố cáo."
)


def citizen_rights(case: Case) -> list[str]:
    """What the law lets the citizen do next, for a complaint or a denunciation on the statutory track; on the
    Party's track, what will happen to the letter (kept for reference when unsigned)."""
    from pakn.cases.models import Track

    if case.track == Track.PARTY:
        return [str(PARTY_REFERENCE_NOTE if case.reference else PARTY_TRACK_NOTE)]
    if case.track != Track.STATUTORY:
        return []
    key = (case.kind, (case.complaint_round or 1) if case.kind == "complaint" else None)
    text = RIGHTS.get(key)
    return [str(text)] if text is not None else []


def public_status(case: Case) -> dict[str, Any]:
    return {
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "title": case.title,
        "status": case.status,
        "status_label": case.status_label,
        "received_on": case.received_on,
        "unit": case.unit.name,
        "due_on": case.due_on,
        "overdue": is_overdue(case),
        "timeline": timeline(case),
        "answers": answers(case) or joint_answers(case),
        "due_basis": due_basis(case),
        "rights": citizen_rights(case),
    }


def joint_answers(case: Case) -> list[dict[str, Any]]:
    """For a case merged into another: the answers given on the surviving case, redacted of every reporter
    of that matter (the survivor's and each merged case's details, plus any phone, e-mail, ID-like number or
    self-introduction), because they were written to another reporter."""
    if case.status != Status.MERGED or case.merged_into_id is None:
        return []
    from pakn.protection import keys, redact
    from pakn.protection.services import redaction_terms

    survivor = case.merge_survivor()
    terms = set(redaction_terms(survivor))
    for other in survivor.merged_family():
        terms.update(redaction_terms(other))
    key = keys.redaction_key()
    return [{**a, "body": redact.redact(a["body"], sorted(terms), key).text, "joint": True} for a in answers(survivor)]


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "complaint_round": case.complaint_round,
        "track": case.track,
        "title": case.title,
        "status": case.status,
        "status_label": case.status_label,
        "unit_code": case.unit.code,
        "unit": case.unit.name,
        "province_code": case.province_id,
        "commune_code": case.commune_id,
        "topic_code": case.topic.code if case.topic else None,
        "channel": case.channel,
        "received_on": case.received_on,
        "accepted_on": case.accepted_on,
        "due_on": case.due_on,
        "overdue": is_overdue(case),
        "complexity": case.complexity,
        "extensions": case.extensions,
        "reporter_pseudonym": case.pseudonym,
    }


def case_detail(case: Case) -> dict[str, Any]:
    from pakn.cases import policy

    unconfirmed = policy.unconfirmed_codes()
    return {
        **case_summary(case),
        "content": case.content,
        "address": case.address,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "location_accuracy_m": case.location_accuracy_m,
        "subject": case.subject,
        "obligations": [
            {
                "kind": o.kind,
                "due_on": o.due_on,
                "opened_on": o.opened_on,
                "met_on": o.met_on,
                "cancelled": o.cancelled,
                "citation": o.citation,
                "citation_confirmed": o.rule_code not in unconfirmed,
                "unit": o.unit.name,
            }
            for o in case.obligations.select_related("unit").order_by("opened_on", "id")
        ],
        "answers": answers(case),
        "allowed_actions": [a.value for a in allowed_actions(case.status)],
    }
