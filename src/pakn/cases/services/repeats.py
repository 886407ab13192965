"""A letter on a matter already settled: filed with the case that settled it, answered with a reference to
the earlier answer, counted, instead of opening a new case that would run the whole course again.

The rules on handling letters (Thông tư 05/2021/TT-TTCP on the procedure for handling petitions and letters; the
clause is not confirmed here) and the laws (a complaint already decided at the second round, a denunciation
repeated without new facts: Luật Khiếu nại 2011, Luật Tố cáo 2018) do not ask a unit to handle the same matter
again. A letter that brings new facts is not a repeat: it is filed as a new case (``submit``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Answer, AnswerKind, Case, Channel, RepeatLetter
from pakn.cases.services.common import MAX_CONTENT, clean_text, handled, redacted
from pakn.cases.services.events import record_event
from pakn.cases.workflow import Status
from pakn.core.errors import InvalidInput, InvalidTransition

SETTLED = (Status.RESOLVED, Status.CLOSED, Status.REFUSED)


def settled(case: Case) -> bool:
    return case.status in SETTLED


def default_reply(case: Case) -> str:
    """The answer to a repeat, pointing at the earlier one (the clerk may rewrite it)."""
    last = Answer.objects.filter(case=case).exclude(kind=AnswerKind.TERMINATION).order_by("-created_at").first()
    if last is None:
        return ""
    return str(
        _(
            "Nội dung đơn trùng với vụ việc đã được %(unit)s xem xét, trả lời ngày %(date)s (mã hồ sơ %(code)s). "
            "Đơn không nêu thông tin, tình tiết mới nên không được xem xét lại; đề nghị ông/bà xem văn bản trả lời "
            "đã gửi. Nếu có thông tin, tình tiết mới, ông/bà có thể gửi đơn mới kèm tài liệu."
        )
        % {
            "unit": last.unit.name,
            "date": timezone.localtime(last.created_at).strftime("%d/%m/%Y"),
            "code": case.tracking_code,
        }
    )


def record_repeat_letter(
    *, actor: Any, case: Case, received_on: date | None, channel: str, summary: str, reply: str = ""
) -> RepeatLetter:
    errors: dict[str, list[Any]] = {}
    summary_text = clean_text(summary, "summary", errors, required=True, limit=MAX_CONTENT)
    reply_text = clean_text(reply, "reply", errors, required=False, limit=MAX_CONTENT)
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    day = received_on or timezone.localdate()
    if day > timezone.localdate() or day < case.received_on:
        errors["received_on"] = [_("Ngày nhận phải từ ngày nhận đơn đầu tiên đến hôm nay.")]
    if errors:
        raise InvalidInput(fields=errors)
    with handled(case, actor) as case:
        if not settled(case):
            raise InvalidTransition(
                _("Vụ việc chưa được giải quyết xong: thông tin mới được bổ sung vào hồ sơ đang giải quyết.")
            )
        letter = RepeatLetter.objects.create(
            case=case,
            received_on=day,
            channel=channel,
            summary=redacted(case, summary_text),
            reply=reply_text or default_reply(case),
            created_by=actor,
        )
        count = RepeatLetter.objects.filter(case=case).count()
        record_event(
            case,
            "repeat_received",
            actor=actor,
            public=False,
            data={"received_on": day.isoformat(), "channel": channel, "count": count},
        )
        return letter
