"""What the public may see of a case: published answers and conclusions, without any reporter identity.

The reporter record is never read here. Free text written by people (titles, answers, rating comments) is
passed through ``mask`` so a telephone number, e-mail address or ID number typed into it does not leak."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Answer, AnswerKind, Case, Kind, Track
from pakn.cases.workflow import Status

HIDDEN = "[đã ẩn]"
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"(?<!\w)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\w)"),  # Vietnamese phone numbers
    re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)"),  # citizen ID (12 digits) or old ID card (9 digits)
]


def mask(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(HIDDEN, text)
    return text


RESULT_KINDS = (AnswerKind.ANSWER, AnswerKind.CONCLUSION)
ART_40_NOTE = _(
    "Kết luận nội dung tố cáo được công khai theo Điều 40 Luật Tố cáo 2018; họ tên, địa chỉ, bút tích và mọi "
    "thông tin có thể làm lộ danh tính người tố cáo được giữ bí mật."
)


def published_cases() -> QuerySet[Case]:
    """Cases the citizen agreed to publish that have an answer or conclusion, and every statutory
    denunciation with a conclusion: Art. 40 of the Law on Denunciations requires publishing those
    whatever the denouncer chose (never with the denouncer)."""
    has_result = Answer.objects.filter(case=OuterRef("pk"), kind__in=RESULT_KINDS)
    has_conclusion = Answer.objects.filter(case=OuterRef("pk"), kind=AnswerKind.CONCLUSION)
    art_40 = Q(kind=Kind.DENUNCIATION, track=Track.STATUTORY) & Q(Exists(has_conclusion))
    return (
        Case.objects.filter(Q(publish=True) | art_40, status__in=[Status.RESOLVED, Status.CLOSED])
        .filter(Exists(has_result))
        .select_related("unit", "topic", "province")
    )


ANSWER_BATCH = 2000  # ids per query: SQLite refuses statements with too many parameters


def published_items(cases: Any, *, with_body: bool = True) -> list[dict[str, Any]]:
    """The public view of each case (answers read in one query)."""
    cases = list(cases)
    last: dict[int, Answer] = {}
    ids = [c.pk for c in cases]
    for start in range(0, len(ids), ANSWER_BATCH):  # the open-data export can hold every published case
        for answer in (
            Answer.objects.filter(case_id__in=ids[start : start + ANSWER_BATCH], kind__in=RESULT_KINDS)
            .select_related("unit")
            .order_by("created_at", "id")
        ):
            last[answer.case_id] = answer
    return [_item(case, last.get(case.pk), with_body=with_body) for case in cases]


def published_item(case: Case, *, with_body: bool = True) -> dict[str, Any]:
    return published_items([case], with_body=with_body)[0]


def _item(case: Case, last: Answer | None, *, with_body: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": case.pk,
        "kind": case.kind,
        "kind_label": str(Kind(case.kind).label),
        "topic": case.topic.name if case.topic else "",
        "title": mask(case.title),
        "province": case.province.name,
        "unit": last.unit.name if last else case.unit.name,
        "received_on": case.received_on,
        "answered_on": timezone.localtime(last.created_at).date() if last else None,
        "answer_kind": last.kind if last else "",
        "answer_kind_label": str(AnswerKind(last.kind).label) if last else "",
        "status_label": case.status_label,
        "denunciation": case.kind == Kind.DENUNCIATION,
    }
    if with_body:
        item["answer"] = mask(last.body) if last else ""
    return item
