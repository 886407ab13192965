"""A denunciation concluded false: what the body that decided does about the denouncer.

Luật Tố cáo 2018: the denouncer must tell the truth and answers for a denunciation knowingly false (Điều 9(2)(b),
(c), (đ)); the conclusion says whether the denunciation was true, partly true or false (Điều 35(1)(c)); where
there are grounds to think the denouncer lied on purpose, the body deals with it within its powers or refers it
to the body that can (Điều 36). Recording that is an act of its own, after the conclusion; it never opens the
vault: the denouncer's identity is given only through the two-officer reveal, with the reason "Xử lý tố cáo sai
sự thật có dấu hiệu tội phạm" (``protection``). The event is internal (not on the public timeline)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Answer, AnswerKind, Case, FalseReport, FalseReportAction, Finding, Kind
from pakn.cases.services.common import MAX_MESSAGE, clean_text, handled
from pakn.cases.services.events import record_event
from pakn.core.errors import InvalidInput, InvalidTransition


def concluded_false(case: Case) -> bool:
    """The case is a denunciation whose last conclusion found it false."""
    if case.kind != Kind.DENUNCIATION:
        return False
    last = Answer.objects.filter(case=case, kind=AnswerKind.CONCLUSION).order_by("-created_at", "-pk").first()
    return last is not None and last.finding == Finding.FALSE


def record_false_report(
    *,
    actor: Any,
    case: Case,
    intentional: bool,
    action: str,
    referred_to: str = "",
    document: str = "",
    note: str = "",
    decided_on: date | None = None,
) -> FalseReport:
    errors: dict[str, list[Any]] = {}
    if action not in FalseReportAction.values:
        errors["action"] = [_("Chọn cách xử lý.")]
    elif intentional and action == FalseReportAction.NONE:
        errors["action"] = [_("Có căn cứ cố ý tố cáo sai sự thật thì phải xử lý theo thẩm quyền hoặc kiến nghị xử lý.")]
    elif not intentional and action != FalseReportAction.NONE:
        errors["intentional"] = [_("Chỉ xử lý người tố cáo khi có căn cứ cho rằng họ cố ý tố cáo sai sự thật.")]
    referred = clean_text(referred_to, "referred_to", errors, required=action == FalseReportAction.REFERRED, limit=300)
    document_text = clean_text(document, "document", errors, required=action != FalseReportAction.NONE, limit=120)
    note_text = clean_text(note, "note", errors, required=False, limit=MAX_MESSAGE)
    day = decided_on or timezone.localdate()
    if day > timezone.localdate():
        errors["decided_on"] = [_("Ngày quyết định không được ở tương lai.")]
    if errors:
        raise InvalidInput(fields=errors)
    with handled(case, actor) as case:
        if not concluded_false(case):
            raise InvalidTransition(_("Chỉ ghi nhận khi kết luận nội dung tố cáo là tố cáo sai sự thật."))
        if FalseReport.objects.filter(case=case).exists():
            raise InvalidTransition(_("Đã ghi nhận việc xử lý tố cáo sai sự thật của hồ sơ này."))
        if day < case.received_on:
            raise InvalidInput(fields={"decided_on": [_("Ngày quyết định phải từ ngày nhận đơn.")]})
        report = FalseReport.objects.create(
            case=case,
            intentional=bool(intentional),
            action=action,
            referred_to=referred,
            document=document_text,
            note=note_text,
            decided_on=day,
            created_by=actor,
        )
        record_event(
            case,
            "false_report_recorded",
            actor=actor,
            public=False,
            data={
                "intentional": bool(intentional),
                "action": action,
                "referred_to": referred,
                "document": document_text,
            },
        )
        return report
