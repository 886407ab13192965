"""An official's yearly sheet: the figures a head needs for the annual evaluation and grading of an official
("lấy kết quả công việc và sự hài lòng của người dân làm thước đo đánh giá cán bộ", Quyết định 99-QĐ/TW), each
with the cases behind it.

Two sides, never mixed: what the official *did* (the answers, conclusions and refusals they signed: on time or
late, the citizens' ratings, how many went on to the unit above) and what was *said about* them (the reports,
complaints and denunciations naming them as the person concerned, and what the conclusions found). A case about
the official counts nothing against them until a conclusion finds it true; the sheet shows the findings, not the
accusations alone. Heads only, for the officials of the units they head and those under them; the cases about
the official are only those the head may see (conflict of interest: ``org.access``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases.models import Answer, AnswerKind, Case, CaseSubject, Finding, Kind
from pakn.core import documents
from pakn.core.errors import NotFound
from pakn.core.people import person_name
from pakn.org.access import visible_cases
from pakn.org.models import Membership, Unit
from pakn.oversight.access import official_units
from pakn.public.models import HandlingFact, Outcome

SATISFIED = 4  # a rating of 4 or 5 ("Hài lòng", "Rất hài lòng")


@dataclass
class HandledCase:
    code: str
    kind: str
    unit: str
    received_on: date
    answered_on: date | None
    outcome: str
    on_time: bool | None
    rating: int | None
    escalated: bool


@dataclass
class ConcernedCase:
    code: str
    kind: str
    received_on: date
    status: str
    finding: str  # "" until a conclusion on a denunciation says it


@dataclass
class OfficialSheet:
    official: Any
    name: str
    unit: Unit
    year: int
    handled: list[HandledCase] = field(default_factory=list)
    concerned: list[ConcernedCase] = field(default_factory=list)

    def summary(self) -> list[tuple[str, str]]:
        answered = [c for c in self.handled if c.outcome == Outcome.RESOLVED]
        refused = [c for c in self.handled if c.outcome == Outcome.REFUSED]
        judged = [c for c in self.handled if c.on_time is not None]
        on_time = [c for c in judged if c.on_time]
        rated = [c.rating for c in self.handled if c.rating]
        satisfied = [r for r in rated if r >= SATISFIED]
        findings = [c.finding for c in self.concerned if c.finding]
        return [
            (_("Đơn đã ký trả lời, kết luận"), str(len(answered))),
            (_("Đơn đã ký thông báo không thụ lý"), str(len(refused))),
            (_("Đúng hạn / có hạn để xét"), f"{len(on_time)}/{len(judged)} ({_percent(len(on_time), len(judged))})"),
            (_("Được người dân đánh giá"), str(len(rated))),
            (
                _("Hài lòng, rất hài lòng / được đánh giá"),
                f"{len(satisfied)}/{len(rated)} ({_percent(len(satisfied), len(rated))})",
            ),  # fmt: skip
            (_("Điểm hài lòng trung bình (1–5)"), mean_text(rated)),
            (_("Người dân đề nghị cấp trên xem xét"), str(sum(c.escalated for c in self.handled))),
            (_("Đơn nêu cán bộ là người bị phản ánh, khiếu nại, tố cáo"), str(len(self.concerned))),
            (_("Trong đó tố cáo được kết luận đúng"), str(findings.count(Finding.TRUE))),
            (_("Tố cáo được kết luận đúng một phần"), str(findings.count(Finding.PARTLY))),
            (_("Tố cáo được kết luận sai sự thật"), str(findings.count(Finding.FALSE))),
        ]


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f} %".replace(".", ",") if whole else "–"


def mean_text(values: list[int]) -> str:
    """The mean of ratings as the sheets write it ("3,50"), "–" for none."""
    return f"{sum(values) / len(values):.2f}".replace(".", ",") if values else "–"


def build(viewer: Any, official_id: int | str, year: int) -> OfficialSheet:
    """The sheet of ``official_id`` for ``year``; NotFound unless the official belongs to a unit ``viewer`` heads
    (or one under it)."""
    units = official_units(viewer)
    try:
        pk = int(official_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    membership = Membership.objects.filter(user_id=pk, unit__in=units).select_related("unit", "user").first()
    if membership is None:
        raise NotFound()
    official = membership.user
    sheet = OfficialSheet(official=official, name=person_name(official), unit=membership.unit, year=year)
    sheet.handled = _handled(viewer, pk, year, units)
    sheet.concerned = _concerned(viewer, pk, year)
    return sheet


def _handled(viewer: Any, pk: int, year: int, units: Any) -> list[HandledCase]:
    # Only cases the head may see: never one about the head (conflict of interest, ``org.access``).
    facts = list(
        HandlingFact.objects.filter(handler_id=pk, answered_on__year=year, unit__in=units)
        .filter(case_id__in=visible_cases(viewer).values("pk"))
        .select_related("unit")
        .order_by("answered_on", "case_id")
    )
    codes = Case.objects.in_bulk([f.case_id for f in facts])
    return [
        HandledCase(
            code=codes[f.case_id].tracking_code if f.case_id in codes else str(f.case_id),
            kind=str(Kind(f.kind).label),
            unit=f.unit.name,
            received_on=f.received_on,
            answered_on=f.answered_on,
            outcome=f.outcome,
            on_time=f.on_time,
            rating=f.rating,
            escalated=f.escalated_away,
        )
        for f in facts
    ]


def _concerned(viewer: Any, pk: int, year: int) -> list[ConcernedCase]:
    subjects = (
        CaseSubject.objects.filter(user_id=pk, case__received_on__year=year, case__in=visible_cases(viewer))
        .select_related("case")
        .order_by("case__received_on", "case_id")
    )
    cases = [s.case for s in subjects]
    findings: dict[int, str] = {}
    for answer in Answer.objects.filter(case__in=cases, kind=AnswerKind.CONCLUSION).order_by("created_at", "pk"):
        findings[answer.case_id] = answer.finding  # the last conclusion's
    return [
        ConcernedCase(
            code=case.tracking_code,
            kind=str(Kind(case.kind).label),
            received_on=case.received_on,
            status=str(case.status_label),
            finding=findings.get(case.pk, ""),
        )
        for case in cases
    ]


def finding_label(value: str) -> str:
    return str(Finding(value).label) if value else "–"


def _yes_no(value: bool | None) -> str:
    return "–" if value is None else (_("Đúng hạn") if value else _("Trễ hạn"))


def document(sheet: OfficialSheet) -> documents.Document:
    issuer, signer = documents.issuer_and_signer(sheet.unit)
    handled_rows = [
        [c.code, c.kind, c.unit, c.received_on.strftime("%d/%m/%Y"),
         c.answered_on.strftime("%d/%m/%Y") if c.answered_on else "–", str(Outcome(c.outcome).label),
         _yes_no(c.on_time), str(c.rating) if c.rating else "–", _("Có") if c.escalated else ""]
        for c in sheet.handled
    ]  # fmt: skip
    concerned_rows = [
        [c.code, c.kind, c.received_on.strftime("%d/%m/%Y"), c.status, finding_label(c.finding)]
        for c in sheet.concerned
    ]
    return documents.Document(
        title=_("Kết quả giải quyết đơn và sự hài lòng của người dân năm %(year)s: %(name)s")
        % {"year": sheet.year, "name": sheet.name},
        kind="BÁO CÁO",
        issuer=issuer,
        signer=signer,
        dated=timezone.localdate(),
        intro=[
            _(
                "Số liệu phục vụ đánh giá, xếp loại cán bộ cuối năm, lấy kết quả công việc và sự hài lòng của người "
                "dân làm thước đo (Quyết định 99-QĐ/TW). Mỗi số liệu kèm danh sách hồ sơ làm căn cứ."
            ),
            _("Đơn vị: %(unit)s.") % {"unit": sheet.unit.name},
        ],
        notes_title=_("Cách tính"),
        notes=[
            (
                _("Đúng hạn"),
                _("Mọi thời hạn của đơn vị với hồ sơ đều được đáp ứng (ngày làm việc theo lịch nhà nước)."),
            ),
            (_("Hài lòng"), _("Người gửi đánh giá 4 hoặc 5 trên thang 1–5 sau khi nhận kết quả.")),
            (_("Đơn nêu cán bộ"), _("Chỉ tính là vi phạm khi kết luận nội dung tố cáo là đúng hoặc đúng một phần.")),
        ],
        recipients=[_("Lưu: VT, hồ sơ cán bộ")],
        tables=[
            documents.Table(
                _("Tổng hợp"), [_("Chỉ tiêu"), _("Số liệu")], sheet.summary(), (110, 40), ("L", "R"), page_width=0.7
            ),  # fmt: skip
            documents.Table(
                _("Hồ sơ cán bộ đã ký trả lời, kết luận, thông báo"),
                [
                    _("Mã hồ sơ"),
                    _("Loại"),
                    _("Đơn vị"),
                    _("Ngày nhận"),
                    _("Ngày trả lời"),
                    _("Kết quả"),
                    _("Thời hạn"),
                    _("Đánh giá"),
                    _("Lên cấp trên"),
                ],  # fmt: skip
                handled_rows,
                (26, 18, 40, 18, 18, 26, 16, 12, 14),
            ),
            documents.Table(
                _("Đơn nêu cán bộ là người bị phản ánh, khiếu nại, tố cáo"),
                [_("Mã hồ sơ"), _("Loại"), _("Ngày nhận"), _("Tình trạng"), _("Kết luận nội dung tố cáo")],
                concerned_rows,
                (26, 22, 20, 40, 40),
            ),
        ],
    )


def officials_of(viewer: Any) -> list[Any]:
    """The officials whose sheets ``viewer`` may open, by name."""
    users = get_user_model().objects.filter(memberships__unit__in=official_units(viewer)).distinct()
    return sorted(users, key=person_name)
