"""Excel (openpyxl) and PDF (fpdf2) renderings of a report made of titled tables, shared by the
reception and plans reports. The PDF embeds DejaVu Sans (shipped in ``core/fonts/``, Bitstream Vera
licence with DejaVu changes in the public domain: see ``core/fonts/LICENSE-DejaVu.txt``), which has every
Vietnamese glyph; text is NFC-normalised before it is written."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from pakn.core.spreadsheet import safe_cell
from pakn.core.text import nfc

FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
logging.getLogger("fontTools").setLevel(logging.WARNING)  # the font subsetter logs every glyph at INFO
NATIONAL_HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[float] = field(default_factory=tuple)  # relative column widths (PDF and Excel)


@dataclass
class Report:
    title: str
    subtitle: str
    tables: Sequence[Table]
    issuer: str = ""  # the unit or area the report covers, shown top left in the PDF


def _cell(value: Any) -> Any:
    """An Excel cell value: every cell of every sheet passes here, so typed text never becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(nfc(value))
    return safe_cell(value)


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return nfc(str(value))


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join(c for c in nfc(title) if c not in "[]:*?/\\")[:31] or "Sheet"
    name, n = cleaned, 2
    while name in used:
        suffix = f" ({n})"
        name, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def xlsx_bytes(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([_cell(report.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([_cell(report.subtitle)])
        sheet.append([_cell(table.title)])
        sheet["A3"].font = bold
        sheet.append([_cell(h) for h in table.headers])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        widths = table.widths or [1.0] * len(table.headers)
        total = sum(widths) or 1.0
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(8.0, 160.0 * width / total)
    workbook.properties.title = nfc(report.title)
    workbook.properties.creator = "PAKN"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(report: Report) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    below: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}  # every block starts on the left margin

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(12, 12, 12)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(nfc(report.title))
    pdf.set_creator("PAKN")
    pdf.set_lang("vi")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(width / 2 - 5, 5, _text(report.issuer) or "PAKN", align="C", **below)
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width / 2, top)
    pdf.multi_cell(width / 2, 5, NATIONAL_HEADER[0], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.multi_cell(width / 2, 5, NATIONAL_HEADER[1], align="C", **below)
    pdf.set_y(max(left_bottom, pdf.get_y()))
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(width, 7, _text(report.title).upper(), align="C", **below)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width, 6, _text(report.subtitle), align="C", **below)
    pdf.ln(3)
    heading = FontFace(emphasis="BOLD", fill_color=(221, 221, 221))
    for table in report.tables:
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(width, 7, _text(table.title), **below)
        pdf.set_font("DejaVu", "", 8)
        if not table.rows:
            pdf.multi_cell(width, 6, "Không có dữ liệu.", **below)
            pdf.ln(2)
            continue
        widths = tuple(table.widths) if table.widths else None
        with pdf.table(
            col_widths=widths,
            headings_style=heading,
            line_height=4.5,
            text_align="LEFT",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as pdf_table:
            header = pdf_table.row()
            for h in table.headers:
                header.cell(_text(h))
            for row in table.rows:
                line = pdf_table.row()
                for value in row:
                    line.cell(_text(value))
        pdf.ln(4)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(width, 5, f"Lập ngày {timezone.localdate():%d/%m/%Y} trên hệ thống PAKN.", **below)
    return bytes(pdf.output())


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(report: Report, filename: str) -> HttpResponse:
    return _download(xlsx_bytes(report), XLSX_TYPE, f"{filename}.xlsx")


def pdf_response(report: Report, filename: str) -> HttpResponse:
    return _download(pdf_bytes(report), "application/pdf", f"{filename}.pdf")
