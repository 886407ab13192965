"""A unit's review file (hồ sơ phục vụ kiểm điểm) for a period: what the people said to and about the unit, for
the self-criticism and criticism meeting Quyết định 99-QĐ/TW asks for ("kiểm điểm tự phê bình và phê bình … những
vấn đề phức tạp, dư luận bức xúc").

It gathers what already exists, for the unit and the period: the letters received and their outcomes by field
(topic) and kind; the lowest ratings with the citizens' comments (without their identity: the comments are
redacted at rating time); the supervision recommendations addressed to the unit and their answers; the reception
conclusions and the follow-up tasks the citizen or the Front disputed; the refusals of reception. From those it
suggests **review topics**: the fields where complaints and denunciations cluster, or where answers came late or
left people unsatisfied, each with the figures that put it there. Heads of the unit and of the units above, and
supervisors of the area (who read it; the Front takes part in the review)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases.models import Case, Kind, Rating
from pakn.core import documents
from pakn.org.models import Unit
from pakn.public.models import HandlingFact
from pakn.reception.models import Conclusion, Entry, FollowUpTask, RefusedVisit, TaskReview

# A field is suggested for review when at least this many complaints and denunciations, or late answers, or
# unsatisfied ratings, fall in it in the period.
CLUSTER_MIN = 3
UNSATISFIED = 2  # ratings 1 and 2
LOWEST_RATINGS = 20


@dataclass
class TopicRow:
    topic: str
    received: int = 0
    grievances: int = 0  # complaints and denunciations
    late: int = 0
    rated: int = 0
    unsatisfied: int = 0

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.grievances >= CLUSTER_MIN:
            found.append(_("%(n)s khiếu nại, tố cáo") % {"n": self.grievances})
        if self.late >= CLUSTER_MIN:
            found.append(_("%(n)s đơn trả lời trễ hạn") % {"n": self.late})
        if self.unsatisfied >= CLUSTER_MIN:
            found.append(_("%(n)s/%(rated)s đánh giá không hài lòng") % {"n": self.unsatisfied, "rated": self.rated})
        return found


@dataclass
class ReviewFile:
    unit: Unit
    start: date
    end: date
    topics: list[TopicRow] = field(default_factory=list)
    kinds: list[tuple[str, int]] = field(default_factory=list)
    lowest: list[tuple[str, int, str]] = field(default_factory=list)  # (code, level, comment)
    recommendations: list[Any] = field(default_factory=list)
    conclusions: list[Any] = field(default_factory=list)
    disputed: list[Any] = field(default_factory=list)
    refusals: int = 0
    reception_ratings: list[int] = field(default_factory=list)  # citizens' ratings (1–5) of how they were received

    @property
    def reception_average(self) -> str:
        from pakn.oversight.official_sheet import mean_text

        return mean_text(self.reception_ratings)

    @property
    def suggested(self) -> list[TopicRow]:
        return [t for t in self.topics if t.reasons]


def build(unit: Unit, start: date, end: date) -> ReviewFile:
    review = ReviewFile(unit=unit, start=start, end=end)
    cases = Case.objects.filter(unit=unit, received_on__range=(start, end)).select_related("topic")
    rows: dict[str, TopicRow] = {}
    kinds: Counter[str] = Counter()
    for case in cases.only("pk", "kind", "topic__name"):
        name = case.topic.name if case.topic else _("Chưa xác định lĩnh vực")
        row = rows.setdefault(name, TopicRow(name))
        row.received += 1
        row.grievances += case.kind in (Kind.COMPLAINT, Kind.DENUNCIATION)
        kinds[str(Kind(case.kind).label)] += 1
    topic_of = {c.pk: (c.topic.name if c.topic else _("Chưa xác định lĩnh vực")) for c in cases}
    facts = HandlingFact.objects.filter(unit=unit, case_id__in=list(topic_of))
    for fact in facts.only("case_id", "on_time", "rating"):
        row = rows[topic_of[fact.case_id]]
        row.late += fact.on_time is False
        if fact.rating:
            row.rated += 1
            row.unsatisfied += fact.rating <= UNSATISFIED
    review.topics = sorted(rows.values(), key=lambda r: (-len(r.reasons), -r.grievances, -r.received, r.topic))
    review.kinds = kinds.most_common()
    ratings = (
        Rating.objects.filter(unit=unit, case__received_on__range=(start, end), level__lte=UNSATISFIED)
        .select_related("case")
        .order_by("level", "-created_at")[:LOWEST_RATINGS]
    )
    review.lowest = [(r.case.tracking_code, r.level, r.comment) for r in ratings]
    from pakn.oversight.models import Recommendation

    review.recommendations = list(
        Recommendation.objects.filter(to_unit=unit, sent_on__range=(start, end)).select_related("from_unit")
    )
    review.conclusions = list(Conclusion.objects.filter(session__unit=unit, issued_on__range=(start, end)))
    review.disputed = list(
        FollowUpTask.objects.filter(
            conclusion__session__unit=unit,
            conclusion__issued_on__range=(start, end),
            reviews__verdict=TaskReview.Verdict.DISPUTED,
        )
        .distinct()
        .prefetch_related("reviews")
    )
    review.refusals = RefusedVisit.objects.filter(unit=unit, refused_on__range=(start, end)).count()
    rated = Entry.objects.filter(unit=unit, received_on__range=(start, end), rating__isnull=False)
    review.reception_ratings = [level for level in rated.values_list("rating", flat=True) if level]
    return review


def document(review: ReviewFile) -> documents.Document:
    issuer, signer = documents.issuer_and_signer(review.unit)
    period = f"{review.start:%d/%m/%Y} – {review.end:%d/%m/%Y}"
    topic_rows = [[t.topic, t.received, t.grievances, t.late, f"{t.unsatisfied}/{t.rated}"] for t in review.topics]
    suggested = [[t.topic, "; ".join(t.reasons)] for t in review.suggested]
    return documents.Document(
        title=_("Tổng hợp ý kiến của Nhân dân phục vụ kiểm điểm tự phê bình và phê bình, %(period)s")
        % {"period": period},
        issuer=issuer,
        signer=signer,
        dated=timezone.localdate(),
        intro=[
            _(
                "Tổng hợp phản ánh, kiến nghị, khiếu nại, tố cáo của Nhân dân gửi đến đơn vị, kết quả giải quyết, mức "
                "độ hài lòng, kiến nghị giám sát, kết luận sau tiếp công dân, phục vụ kiểm điểm tự phê bình và phê "
                "bình (Quyết định 99-QĐ/TW)."
            ),
            _("Đơn vị: %(unit)s. Kỳ: %(period)s.") % {"unit": review.unit.name, "period": period},
            _("Người dân đánh giá buổi tiếp công dân: %(n)s ý kiến, điểm trung bình %(avg)s/5.")
            % {"n": len(review.reception_ratings), "avg": review.reception_average},
        ],
        notes_title=_("Cách chọn vấn đề đề nghị kiểm điểm"),
        notes=[
            (
                _("Vấn đề đề nghị kiểm điểm"),
                _(
                    "Lĩnh vực có từ %(n)s khiếu nại, tố cáo, hoặc từ %(n)s đơn trễ hạn, hoặc từ %(n)s đánh giá "
                    "không hài lòng (mức 1–2) trong kỳ."
                )
                % {"n": CLUSTER_MIN},  # fmt: skip
            ),
        ],
        recipients=[_("Cấp ủy, Ủy ban MTTQ cùng cấp"), _("Lưu: VT")],
        tables=[
            documents.Table(_("Vấn đề đề nghị đưa ra kiểm điểm"), [_("Lĩnh vực"), _("Căn cứ")], suggested, (50, 90)),
            documents.Table(
                _("Đơn theo lĩnh vực"),
                [_("Lĩnh vực"), _("Số đơn"), _("Khiếu nại, tố cáo"), _("Trễ hạn"), _("Không hài lòng / được đánh giá")],
                topic_rows,
                (50, 18, 22, 18, 30),
                ("L", "R", "R", "R", "R"),
            ),
            documents.Table(
                _("Đánh giá không hài lòng và nhận xét của người dân"),
                [_("Mã hồ sơ"), _("Mức"), _("Nhận xét")],
                [list(row) for row in review.lowest],
                (26, 10, 100),
            ),
            documents.Table(
                _("Kiến nghị giám sát gửi đơn vị"),
                [_("Cơ quan giám sát"), _("Tiêu đề"), _("Ngày gửi"), _("Tình trạng")],
                [
                    [r.from_unit.name, r.title, f"{r.sent_on:%d/%m/%Y}", r.get_status_display()]
                    for r in review.recommendations
                ],  # fmt: skip
                (40, 60, 20, 30),
            ),
            documents.Table(
                _("Việc sau tiếp công dân bị phản hồi chưa thực hiện đúng"),
                [_("Việc"), _("Hạn"), _("Ý kiến")],
                [
                    [
                        t.title,
                        f"{t.due_on:%d/%m/%Y}",
                        "; ".join(
                            f"{r.get_by_display()}: {r.note}"
                            for r in t.reviews.all()
                            if r.verdict == TaskReview.Verdict.DISPUTED
                        ),
                    ]
                    for t in review.disputed
                ],  # fmt: skip
                (50, 20, 80),
            ),
        ],
    )
