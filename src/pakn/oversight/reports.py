"""Periodic reports (month, quarter, year) for a unit and the units under it, as Excel and PDF, written by the one
document writer of PAKN (``core.documents``: the PDF laid out per Decree 30/2020/NĐ-CP). The figures come from
``public.stats`` — the same definitions (``stats.FIGURES``: label, formula, rounding) as the portal, the open
data and the scorecards — and one ``Report`` object feeds the HTML preview, the workbook and the PDF, so the three
cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases.models import Channel, Kind
from pakn.core import documents
from pakn.core.people import person_name
from pakn.org.models import Membership, Role, Unit
from pakn.public import stats

# The summary, in the order a superior reads it: (figure, indented under the line above).
SUMMARY: list[tuple[str, bool]] = [
    ("received", False),
    ("accepted", False),
    ("refused", False),
    ("forwarded", False),
    ("resolved", False),
    ("resolved_on_time", True),
    ("resolved_late", True),
    ("still_open", False),
    ("overdue_open", True),
    ("withdrawn", False),
    ("merged", False),
    ("escalated_away", False),
    ("done", False),
    ("done_on_time", True),
    ("done_late", True),
    ("judged", False),
    ("on_time_rate", False),
    ("median_answer_days", False),
    ("rated", False),
    ("satisfied", True),
    ("satisfaction_rate", False),
    ("average_rating", False),
]
# The per-unit table: every count that the on-time rate is made of stands next to it.
UNIT_COLUMNS = [
    "received",
    "accepted",
    "refused",
    "forwarded",
    "resolved",
    "still_open",
    "done_on_time",
    "done_late",
    "overdue_open",
    "on_time_rate",
    "median_answer_days",
    "rated",
    "satisfaction_rate",
]


@dataclass
class Report:
    unit: Unit
    period: stats.Period
    scope: stats.Scope
    total: stats.Measures
    rows: list[stats.Row]
    generated_at: datetime
    issuer: Unit | None = None
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text): the preview and the PDF
    items: list[tuple[str, Any]] = field(default_factory=list)  # (label, published value): Excel

    @property
    def title(self) -> str:
        return _("Báo cáo tiếp nhận, giải quyết đơn – %(period)s") % {"period": self.period.label}

    @property
    def document_title(self) -> str:
        return _("Kết quả tiếp nhận, giải quyết phản ánh, kiến nghị, khiếu nại, tố cáo – %(period)s") % {
            "period": self.period.label
        }

    @property
    def filename(self) -> str:
        return f"pakn-bao-cao-{self.unit.code}-{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}"


def build_report(unit: Unit, period: stats.Period, *, today: date | None = None, issuer: Unit | None = None) -> Report:
    """``issuer``: the unit issuing the report (the user's unit); by default the unit the report is about."""
    scope = stats.Scope.units(unit)
    total = stats.totals(scope, period, today=today)
    rows = stats.unit_rows(scope, period, today=today)
    if not any(r.key == unit.pk for r in rows):
        rows.append(stats.Row(unit.pk, unit.name, stats.Measures.empty(), unit))
    rows.sort(key=lambda r: (r.key != unit.pk, r.label))
    report = Report(
        unit=unit,
        period=period,
        scope=scope,
        total=total,
        rows=rows,
        generated_at=timezone.localtime(),
        issuer=issuer,
    )
    report.lines = summary_lines(total)
    report.items = summary_items(total)
    return report


def _summary(m: stats.Measures) -> list[tuple[str, stats.Figure | None, Any]]:
    """(label, figure or None for a breakdown line, value) of the summary."""
    entries: list[tuple[str, stats.Figure | None, Any]] = []
    for key, indented in SUMMARY:
        fig = stats.FIGURES[key]
        label = ("  " if indented else "") + fig.heading
        entries.append((label, fig, None))
        if key == "received":
            entries += [("  " + _("Loại: %(kind)s") % {"kind": Kind(k).label}, None, n) for k, n in m.by_kind]
            entries += [
                ("  " + _("Kênh: %(channel)s") % {"channel": Channel(c).label}, None, n) for c, n in m.by_channel
            ]
    return entries


def summary_lines(m: stats.Measures) -> list[tuple[str, str]]:
    """(label, text) of the summary, as read in the preview and the PDF (rates under "(%)" headings)."""
    return [(label, fig.column_text(m) if fig else stats.format_value(value)) for label, fig, value in _summary(m)]


def summary_items(m: stats.Measures) -> list[tuple[str, Any]]:
    """(label, published value) of the summary, for Excel: numbers stay numbers; "–" where undefined."""
    items = []
    for label, fig, value in _summary(m):
        published = fig.published(m) if fig else value
        items.append((label, stats.UNDEFINED if published is None else published))
    return items


def unit_columns() -> list[tuple[str, Any]]:
    """(heading, text of a Measures) of the per-unit table: the same headings and texts as the PDF."""
    return [(stats.FIGURES[k].heading, stats.FIGURES[k].column_text) for k in UNIT_COLUMNS]


def _published(key: str, m: stats.Measures) -> Any:
    value = stats.FIGURES[key].published(m)
    return stats.UNDEFINED if value is None else value


def _intro(report: Report) -> list[str]:
    return [
        _("Phạm vi: %(scope)s.") % {"scope": report.scope.label},
        _("Kỳ báo cáo: %(start)s – %(end)s (đơn đến đơn vị trong kỳ).")
        % {"start": f"{report.period.start:%d/%m/%Y}", "end": f"{report.period.end:%d/%m/%Y}"},
        _("Số liệu lập lúc %(at)s; số đơn đang xử lý, đang quá hạn tính đến thời điểm này.")
        % {"at": f"{report.generated_at:%H:%M %d/%m/%Y}"},
    ]


def _head_name(unit: Unit) -> str:
    """The name of the unit's head when it has exactly one with a recorded name (never a login name)."""
    heads = list(Membership.objects.filter(unit=unit, role=Role.HEAD).select_related("user")[:2])
    if len(heads) != 1 or not (heads[0].user.last_name or heads[0].user.first_name):
        return ""
    return person_name(heads[0].user)


def document(report: Report, *, for_excel: bool = False) -> documents.Document:
    """The report as an administrative document: issued by ``report.issuer`` (default: the unit it is about)."""
    issuing = report.issuer or report.unit
    issuer, signer = documents.parties_of(issuing, signer_name=_head_name(issuing))
    summary_rows = [list(item) for item in report.items] if for_excel else [list(line) for line in report.lines]
    if for_excel:
        unit_rows = [
            [row.unit.code if row.unit else "", row.label, *(_published(k, row.measures) for k in UNIT_COLUMNS)]
            for row in report.rows
        ]
        unit_rows.append(["", _("Cộng"), *(_published(k, report.total) for k in UNIT_COLUMNS)])
        unit_headers = [_("Mã đơn vị"), _("Đơn vị"), *(stats.FIGURES[k].heading for k in UNIT_COLUMNS)]
        widths: tuple[float, ...] = (14, 44, *(12,) * len(UNIT_COLUMNS))
    else:
        unit_rows = [[row.label, *(f(row.measures) for _h, f in unit_columns())] for row in report.rows]
        unit_rows.append([_("Cộng"), *(f(report.total) for _h, f in unit_columns())])
        unit_headers = [_("Đơn vị"), *(h for h, _f in unit_columns())]
        widths = (44, *(15,) * len(UNIT_COLUMNS))
    parent = report.unit.parent.name if report.unit.parent is not None else ""
    return documents.Document(
        title=report.document_title,
        issuer=issuer,
        signer=signer,
        dated=report.generated_at.date(),
        intro=_intro(report),
        recipients=[r for r in (parent, _("Lưu: VT")) if r],
        notes_title=_("Cách tính"),
        notes=list(stats.FORMULAS),
        tables=[
            documents.Table(
                _("Tổng hợp"), [_("Chỉ tiêu"), _("Số liệu")], summary_rows, (110, 30), ("L", "R"), page_width=0.6
            ),
            documents.Table(
                _("Theo đơn vị"),
                unit_headers,
                unit_rows,
                widths,
                ("L",) * (len(unit_headers) - len(UNIT_COLUMNS)) + ("R",) * len(UNIT_COLUMNS),
                True,
            ),
        ],
    )


def to_xlsx(report: Report) -> bytes:
    return documents.xlsx_bytes(document(report, for_excel=True))


def to_pdf(report: Report) -> bytes:
    return documents.pdf_bytes(document(report))
