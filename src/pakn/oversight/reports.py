"""Periodic reports (month, quarter, year) for a unit and the units under it, as Excel (openpyxl) and PDF
(fpdf2). The figures come from ``public.stats`` — the same functions as the portal and the scorecards — and
one ``Report`` object feeds the HTML preview, the workbook and the PDF, so the three cannot disagree."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases.models import Channel, Kind
from pakn.core.spreadsheet import safe_cell
from pakn.org.models import Unit
from pakn.public import stats

FONT_DIRS = [
    Path(__file__).resolve().parent.parent / "core" / "fonts",  # shipped with PAKN (DejaVu licence)
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian fonts-dejavu-core
]


@dataclass
class Report:
    unit: Unit
    period: stats.Period
    scope: stats.Scope
    total: stats.Measures
    rows: list[stats.Row]
    generated_at: datetime
    lines: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Báo cáo tiếp nhận, giải quyết đơn – %(period)s") % {"period": self.period.label}

    @property
    def filename(self) -> str:
        return f"pakn-bao-cao-{self.unit.code}-{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}"


def build_report(unit: Unit, period: stats.Period, *, today: date | None = None) -> Report:
    scope = stats.Scope.units(unit)
    total = stats.totals(scope, period, today=today)
    rows = stats.unit_rows(scope, period, today=today)
    if not any(r.key == unit.pk for r in rows):
        rows.append(stats.Row(unit.pk, unit.name, stats.Measures.empty(), unit))
    rows.sort(key=lambda r: (r.key != unit.pk, r.label))
    report = Report(unit=unit, period=period, scope=scope, total=total, rows=rows, generated_at=timezone.localtime())
    report.lines = summary_lines(total)
    return report


def summary_lines(m: stats.Measures) -> list[tuple[str, Any]]:
    """(label, value) of the summary, in the order a superior reads it. Rates are percentages (one decimal)."""
    lines: list[tuple[str, Any]] = [(_("Tổng số đơn tiếp nhận"), m["received"])]
    lines += [("  " + _("Loại: %(kind)s") % {"kind": Kind(k).label}, n) for k, n in m.by_kind]
    lines += [("  " + _("Kênh: %(channel)s") % {"channel": Channel(c).label}, n) for c, n in m.by_channel]
    lines += [
        (_("Đã thụ lý (hoặc đã trả lời)"), m["accepted"]),
        (_("Không thụ lý"), m["refused"]),
        (_("Chuyển cơ quan có thẩm quyền"), m["forwarded"]),
        (_("Đã giải quyết (trả lời, kết luận)"), m["resolved"]),
        ("  " + _("Giải quyết đúng hạn"), m["resolved_on_time"]),
        ("  " + _("Giải quyết trễ hạn"), m["resolved_late"]),
        (_("Đang giải quyết"), m["still_open"]),
        ("  " + _("Trong đó đang quá hạn"), m["overdue_open"]),
        (_("Người gửi rút đơn"), m["withdrawn"]),
        (_("Gộp vào hồ sơ khác"), m["merged"]),
        (_("Người gửi đề nghị cấp trên xem xét"), m["escalated_away"]),
        (_("Tỷ lệ đúng hạn (%)"), stats.pct(m.on_time_rate)),
        (_("Số ngày trả lời (trung vị)"), m["median_days"]),
        (_("Số đánh giá của người gửi"), m["rated"]),
        (_("Tỷ lệ hài lòng (%)"), stats.pct(m.satisfaction_rate)),
        (_("Điểm hài lòng trung bình (1–5)"), None if m.average_rating is None else round(m.average_rating, 2)),
    ]
    return lines


def unit_columns() -> list[tuple[str, Any]]:
    """(heading, function of Measures) of the per-unit table."""
    return [
        (_("Tiếp nhận"), lambda m: m["received"]),
        (_("Thụ lý"), lambda m: m["accepted"]),
        (_("Không thụ lý"), lambda m: m["refused"]),
        (_("Chuyển đơn"), lambda m: m["forwarded"]),
        (_("GQ đúng hạn"), lambda m: m["resolved_on_time"]),
        (_("GQ trễ hạn"), lambda m: m["resolved_late"]),
        (_("Đang GQ"), lambda m: m["still_open"]),
        (_("Quá hạn"), lambda m: m["overdue_open"]),
        (_("Đúng hạn (%)"), lambda m: stats.pct(m.on_time_rate)),
        (_("Đánh giá"), lambda m: m["rated"]),
        (_("Hài lòng (%)"), lambda m: stats.pct(m.satisfaction_rate)),
    ]


def _heading(report: Report) -> list[str]:
    return [
        report.title,
        _("Đơn vị: %(scope)s") % {"scope": report.scope.label},
        _("Kỳ báo cáo: %(start)s – %(end)s")
        % {"start": f"{report.period.start:%d/%m/%Y}", "end": f"{report.period.end:%d/%m/%Y}"},
        _("Lập lúc: %(at)s (số liệu đang giải quyết, quá hạn tính đến thời điểm này)")
        % {"at": f"{report.generated_at:%H:%M %d/%m/%Y}"},
    ]


# ---------------------------------------------------------------- Excel


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")[:31]
    for index, text in enumerate(_heading(report), start=1):
        heading = summary.cell(row=index, column=1, value=safe_cell(text))  # holds the unit's name
        heading.font = Font(bold=index == 1, size=14 if index == 1 else 11)
    start = len(_heading(report)) + 2
    summary.cell(row=start, column=1, value=_("Chỉ tiêu")).font = Font(bold=True)
    summary.cell(row=start, column=2, value=_("Số liệu")).font = Font(bold=True)
    for offset, (label, value) in enumerate(report.lines, start=1):
        summary.cell(row=start + offset, column=1, value=safe_cell(label))
        summary.cell(row=start + offset, column=2, value=safe_cell(value))
    summary.column_dimensions["A"].width = 52
    summary.column_dimensions["B"].width = 14

    units = book.create_sheet(_("Theo đơn vị")[:31])
    headings = [_("Mã đơn vị"), _("Đơn vị")] + [h for h, _f in unit_columns()]
    units.append(headings)
    for cell in units[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in report.rows:  # unit names are typed by administrators: never a formula
        cells = [row.unit.code if row.unit else "", row.label] + [f(row.measures) for _h, f in unit_columns()]
        units.append([safe_cell(c) for c in cells])
    units.append(["", _("Cộng")] + [f(report.total) for _h, f in unit_columns()])
    for cell in units[units.max_row]:
        cell.font = Font(bold=True)
    units.freeze_panes = "C2"
    units.column_dimensions["A"].width = 14
    units.column_dimensions["B"].width = 44
    for column in range(3, len(headings) + 1):
        units.column_dimensions[get_column_letter(column)].width = 12

    notes = book.create_sheet(_("Cách tính")[:31])
    notes.append([_("Chỉ tiêu"), _("Cách tính")])
    for term, text in stats.FORMULAS:
        notes.append([safe_cell(str(term)), safe_cell(str(text))])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 110
    book.properties.title = report.title
    book.properties.creator = "PAKN"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def font_paths() -> tuple[Path, Path]:
    """A Unicode TTF with Vietnamese glyphs: the copy shipped in pakn/core/fonts, else Debian's."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists():
            return regular, bold if bold.exists() else regular
    raise FileNotFoundError("DejaVuSans.ttf not found: install fonts-dejavu-core or reinstall PAKN")


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def to_pdf(report: Report) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    regular, bold = font_paths()
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(report.title)
    pdf.set_author("PAKN")
    pdf.set_creator("PAKN")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    heading = _heading(report)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, heading[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in heading[1:]:
        pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, _("Tổng hợp"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9.5)
    head_style = FontFace(emphasis="BOLD", fill_color=(230, 235, 242))
    with pdf.table(
        col_widths=(110, 30),
        width=140,
        align="LEFT",
        headings_style=head_style,
        text_align=("LEFT", "RIGHT"),
        line_height=5.2,
    ) as table:
        table.row([_("Chỉ tiêu"), _("Số liệu")])
        for label, value in report.lines:
            table.row([label.replace("  ", "    "), _cell(value)])
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, _("Theo đơn vị"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    columns = unit_columns()
    widths = (70, *(18,) * len(columns))
    with pdf.table(
        col_widths=widths, headings_style=head_style, line_height=4.5, text_align=("LEFT", *("RIGHT",) * len(columns))
    ) as table:
        table.row([_("Đơn vị"), *(h for h, _f in columns)])
        for row in report.rows:
            table.row([row.label, *(_cell(f(row.measures)) for _h, f in columns)])
        table.row([_("Cộng"), *(_cell(f(report.total)) for _h, f in columns)])
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, _("Cách tính"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)
    for term, text in stats.FORMULAS:
        pdf.multi_cell(0, 4.4, f"{term}: {text}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
