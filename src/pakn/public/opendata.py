"""Open data: the datasets, their documented columns, and CSV/JSON writers. The statistics datasets are
built by ``stats`` (the same functions as the portal pages and the reports); the published answers and
discipline results by ``presenters``. No dataset has a column about the reporter."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from pakn.core.spreadsheet import safe_cell
from pakn.public import stats
from pakn.public.facts import CHANNELS, KINDS, STORED_MEASURES
from pakn.public.models import DisciplineResult
from pakn.public.presenters import mask, published_cases, published_items


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer | number | string | date
    description: Any


# Columns only in the open data (sums a re-user needs to add periods up, and the breakdowns).
_RAW_COLUMNS = {
    "answer_days_sum": _("Tổng số ngày từ khi đơn đến đến khi trả lời, của các đơn đã giải quyết."),
    "rating_sum": _("Tổng điểm đánh giá (Rất hài lòng = 5 … Rất không hài lòng = 1)."),
    **{f"kind_{k}": _("Tiếp nhận theo loại: %(kind)s.") % {"kind": k} for k in KINDS},
    **{f"channel_{c}": _("Tiếp nhận theo kênh: %(channel)s.") % {"channel": c} for c in CHANNELS},
}
_FIGURE_TYPES = {"count": "integer", "rate": "number", "days": "number", "score": "number"}


def _figure_column(key: str) -> Column:
    """A published figure: its label and formula, as on the pages (``stats.FIGURES``); rates in %, empty (JSON
    null) where the pages show "–"."""
    figure = stats.FIGURES[key]
    unit = " (%)" if figure.kind == "rate" else ""
    return Column(key, _FIGURE_TYPES[figure.kind], lazy_description(figure, unit))


class lazy_description:  # noqa: N801 - evaluated in the language of the request, like gettext_lazy
    def __init__(self, figure: stats.Figure, unit: str) -> None:
        self.figure, self.unit = figure, unit

    def __str__(self) -> str:
        return f"{self.figure.label}{self.unit}: {stats.formula_text(self.figure)}"


MEASURE_COLUMNS = [
    _figure_column(k) if k in stats.FIGURES else Column(k, "integer", _RAW_COLUMNS[k])
    for k in [*STORED_MEASURES, "overdue_open", "done", "judged"]
] + [_figure_column(k) for k in ("median_answer_days", "on_time_rate", "satisfaction_rate", "average_rating")]

PERIOD_COLUMNS = [
    Column("period_start", "date", _("Ngày đầu kỳ (YYYY-MM-DD).")),
    Column("period_end", "date", _("Ngày cuối kỳ (YYYY-MM-DD), tính cả ngày này.")),
]

DATASETS: dict[str, dict[str, Any]] = {
    "units": {
        "title": _("Thống kê theo đơn vị"),
        "description": _(
            "Mỗi dòng một đơn vị có đơn trong kỳ, trong phạm vi đã chọn (cả nước, một tỉnh hoặc một đơn vị "
            "và các đơn vị trực thuộc)."
        ),
        "columns": [
            *PERIOD_COLUMNS,
            Column("unit_code", "string", _("Mã đơn vị (ví dụ UBND-00004).")),
            Column("unit_name", "string", _("Tên đơn vị.")),
            Column("province_code", "string", _("Mã tỉnh, thành phố của đơn vị (mã chính thức, 2 chữ số).")),
            *MEASURE_COLUMNS,
        ],
    },
    "months": {
        "title": _("Thống kê theo tháng"),
        "description": _("Mỗi dòng một tháng của kỳ, cộng cho cả phạm vi đã chọn."),
        "columns": [Column("month", "string", _("Tháng (YYYY-MM).")), *MEASURE_COLUMNS],
    },
    "topics": {
        "title": _("Thống kê theo lĩnh vực"),
        "description": _("Mỗi dòng một lĩnh vực, cộng cho cả phạm vi và kỳ đã chọn."),
        "columns": [
            *PERIOD_COLUMNS,
            Column("topic", "string", _("Lĩnh vực (trống: chưa phân loại).")),
            *MEASURE_COLUMNS,
        ],
    },
    "answers": {
        "title": _("Trả lời, kết luận được công khai"),
        "description": _(
            "Các đơn người gửi đồng ý công khai và đã có văn bản trả lời hoặc kết luận. Không có thông tin người gửi."
        ),
        "columns": [
            Column("id", "integer", _("Số hiệu công khai của hồ sơ (không phải mã tra cứu).")),
            Column("kind", "string", _("Loại: report, petition, complaint, denunciation, opinion.")),
            Column("topic", "string", _("Lĩnh vực.")),
            Column("title", "string", _("Tiêu đề (số điện thoại, thư điện tử, số định danh đã được ẩn).")),
            Column("province", "string", _("Tỉnh, thành phố.")),
            Column("unit", "string", _("Đơn vị trả lời, kết luận.")),
            Column("received_on", "date", _("Ngày nhận đơn.")),
            Column("answered_on", "date", _("Ngày trả lời, kết luận.")),
            Column("answer_kind", "string", _("answer (văn bản trả lời) hoặc conclusion (kết luận, quyết định).")),
            Column("answer", "string", _("Nội dung trả lời, kết luận (thông tin liên lạc đã được ẩn).")),
        ],
    },
    "discipline": {
        "title": _("Kết quả xử lý cán bộ vi phạm"),
        "description": _(
            "Kết quả kỷ luật cán bộ vi phạm được phát hiện qua phản ánh, tố cáo của người dân, do người "
            "đứng đầu đơn vị công bố."
        ),
        "columns": [
            Column("id", "integer", _("Số hiệu.")),
            Column("unit", "string", _("Đơn vị công bố.")),
            Column("case_kind", "string", _("Loại đơn dẫn đến việc xử lý.")),
            Column("official_position", "string", _("Chức vụ của người vi phạm.")),
            Column("official_name", "string", _("Họ tên (nếu đơn vị công bố).")),
            Column("violation", "string", _("Hành vi vi phạm.")),
            Column("measure", "string", _("Hình thức kỷ luật (mã).")),
            Column("measure_label", "string", _("Hình thức kỷ luật.")),
            Column(
                "regime",
                "string",
                _(
                    "cadre (cán bộ) hoặc civil_servant (công chức): kỷ luật hành chính; party (đảng viên): kỷ "
                    "luật đảng; trống: chưa phân loại."
                ),
            ),
            Column("legal_basis", "string", _("Căn cứ của hình thức kỷ luật vào ngày quyết định.")),
            Column("decision_number", "string", _("Số quyết định.")),
            Column("decided_on", "date", _("Ngày quyết định.")),
        ],
    },
}


def column_names(dataset: str) -> list[str]:
    return [c.name for c in DATASETS[dataset]["columns"]]


def _measure_values(measures: stats.Measures) -> dict[str, Any]:
    return measures.as_row()


def statistics_rows(dataset: str, scope: stats.Scope, period: stats.Period) -> list[dict[str, Any]]:
    bounds = {"period_start": period.start.isoformat(), "period_end": period.end.isoformat()}
    if dataset == "units":
        rows = []
        for row in sorted(stats.unit_rows(scope, period), key=lambda r: r.unit.code if r.unit else str(r.key)):
            unit = row.unit
            rows.append(
                {
                    **bounds,
                    "unit_code": unit.code if unit else "",
                    "unit_name": row.label,
                    "province_code": unit.province_id if unit else "",
                    **_measure_values(row.measures),
                }
            )
        return rows
    if dataset == "months":
        return [{"month": f"{r.key:%Y-%m}", **_measure_values(r.measures)} for r in stats.month_rows(scope, period)]
    if dataset == "topics":
        return [
            {**bounds, "topic": r.label if r.key else "", **_measure_values(r.measures)}
            for r in stats.topic_rows(scope, period)
        ]
    raise KeyError(dataset)


def answer_rows(limit: int | None = None) -> list[dict[str, Any]]:
    cases = published_cases().order_by("-received_on", "-pk")
    if limit:
        cases = cases[:limit]
    names = column_names("answers")
    return [{k: item.get(k) for k in names} for item in published_items(cases)]


def discipline_rows() -> list[dict[str, Any]]:
    results = DisciplineResult.objects.filter(retracted_at__isnull=True).select_related("unit", "case")
    return [
        {
            "id": r.pk,
            "unit": r.unit.name,
            "case_kind": r.case.kind,
            "official_position": r.official_position,
            "official_name": r.official_name,
            "violation": mask(r.violation),
            "measure": r.measure,
            "measure_label": r.get_measure_display(),
            "regime": r.regime,
            "legal_basis": r.legal_basis,
            "decision_number": r.decision_number,
            "decided_on": r.decided_on.isoformat(),
        }
        for r in results
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(dataset: str, rows: Iterable[dict[str, Any]]) -> str:
    """UTF-8 CSV (the view adds a BOM so spreadsheet programs read Vietnamese correctly), header row first.
    Published titles and answers are typed by people, so text that a spreadsheet would run as a formula
    gets a leading apostrophe (``safe_cell``); the JSON twin carries the values unchanged."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=column_names(dataset), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else safe_cell(_plain(v)) for k, v in row.items()})
    return out.getvalue()


def to_json(dataset: str, rows: Iterable[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "dataset": dataset,
        **meta,
        "columns": [
            {"name": c.name, "type": c.type, "description": str(c.description)} for c in DATASETS[dataset]["columns"]
        ],
        "rows": [{k: _plain(row.get(k)) for k in column_names(dataset)} for row in rows],
    }
