"""The one writer of PAKN's reports: a PDF laid out as an administrative document of Decree 30/2020/NĐ-CP
(Appendix I), and the same content as an Excel workbook.

The PDF follows the decree's layout: top left the governing body (cơ quan chủ quản, when there is one) and the
issuing body in bold capitals, then "Số: …/BC-…"; top right the national heading in bold capitals and the motto
in bold, underlined, then "place, ngày … tháng … năm …" in italics; the document type and its title centred in
bold; page numbers in Arabic numerals centred in the top margin, not on the first page; at the end the
recipients ("Nơi nhận:") bottom left and the signer's authority, title and name bottom right, with room for the
signature. A document of a party committee or its inspection commission uses the Party's layout instead
(``Issuer.party``; Hướng dẫn 36-HD/VPTW on the format of Party documents): top left the party organisation above
(``ĐẢNG BỘ TỈNH …``) or the committee, the issuing body in bold capitals, a star "*", then "Số …-BC/…"; top right
"ĐẢNG CỘNG SẢN VIỆT NAM" in bold capitals, underlined, then the dated place line in italics; the signer block
"T/M BAN THƯỜNG VỤ" / "T/M ỦY BAN KIỂM TRA". The decree asks for Times New Roman; PAKN embeds DejaVu Serif
Condensed (a serif face with every Vietnamese glyph, shipped in ``core/fonts/`` under the DejaVu licence), or
DejaVu Sans where that is missing.

This module is in ``core``: it takes plain values (strings, numbers, dates) and knows nothing of units or cases.
The feature that builds a report decides who issues it, what the cells say and how numbers are written."""

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

from pakn.core.people import person_name
from pakn.core.spreadsheet import safe_cell
from pakn.core.text import nfc

logging.getLogger("fontTools").setLevel(logging.WARNING)  # the font subsetter logs every glyph at INFO

FONT_DIRS = [
    Path(__file__).resolve().parent / "fonts",  # shipped with PAKN (DejaVu licence)
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian fonts-dejavu-core / fonts-dejavu-extra
]
# (family, {style: file}) in order of preference; a missing italic falls back to the upright face.
FONT_FAMILIES = [
    (
        "DejaVuSerifCondensed",
        {
            "": "DejaVuSerifCondensed.ttf",
            "B": "DejaVuSerifCondensed-Bold.ttf",
            "I": "DejaVuSerifCondensed-Italic.ttf",
            "BI": "DejaVuSerifCondensed-BoldItalic.ttf",
        },
    ),
    (
        "DejaVuSans",
        {
            "": "DejaVuSans.ttf",
            "B": "DejaVuSans-Bold.ttf",
            "I": "DejaVuSans-Oblique.ttf",
            "BI": "DejaVuSans-BoldOblique.ttf",
        },
    ),
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
PARTY_KINDS = ("party_committee", "inspection_commission")
FONT = "Doc"


@dataclass(frozen=True)
class Issuer:
    """Who issues the document. ``symbol`` is the abbreviation of the issuing body in the document number
    ("UBND" → "Số:      /BC-UBND"); ``place`` the place name of the dated line ("Hà Nội")."""

    name: str
    parent: str = ""
    place: str = ""
    symbol: str = ""
    party: bool = False  # the Party's layout (Hướng dẫn 36-HD/VPTW), not Decree 30's


@dataclass(frozen=True)
class Signer:
    """The signature block: ``authority`` "TM. ỦY BAN NHÂN DÂN" (on behalf of a collective) or "KT. CHỦ TỊCH"
    (for the head), ``title`` "CHỦ TỊCH", ``name`` the person's name (empty: written by hand when signing)."""

    title: str
    authority: str = ""
    name: str = ""


# Per kind of body (the codes of ``org.UnitKind``, as plain strings): the abbreviation in document numbers, who
# signs on its behalf (Decree 30, Appendix I, VIII: "TM." for a collective body, the head's title), and whether
# its name is printed under the name of the body that governs it (cơ quan chủ quản).
BODY_STYLES: dict[str, dict[str, Any]] = {
    "peoples_committee": {"symbol": "UBND", "authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH"},
    "front_committee": {"symbol": "MTTQ", "authority": "TM. BAN THƯỜNG TRỰC", "title": "CHỦ TỊCH"},
    "party_committee": {"symbol": "ĐU", "authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ"},
    "inspection_commission": {"symbol": "UBKT", "authority": "T/M ỦY BAN KIỂM TRA", "title": "CHỦ NHIỆM"},
    "inspection_board": {
        "symbol": "BTTND",
        "authority": "TM. BAN THANH TRA NHÂN DÂN",
        "title": "TRƯỞNG BAN",
        "governed": True,
    },
    "department": {"symbol": "", "authority": "", "title": "GIÁM ĐỐC", "governed": True},
    "agency": {"symbol": "", "authority": "", "title": "THỦ TRƯỞNG CƠ QUAN", "governed": True},
}


def issuer_for(*, name: str, code: str, kind: str, parent_name: str = "", place: str = "") -> Issuer:
    """The issuer block of a body, from plain values: the governing body is printed only for bodies that have one
    (a department under its People's Committee, a People's Inspection Board under its Front committee)."""
    style = BODY_STYLES.get(kind, {})
    symbol = style.get("symbol") or (code.split("-")[0] if "-" in code else "")
    if kind == "party_committee" and name.startswith(("Thành ủy", "Tỉnh ủy")):
        symbol = "TU"
    if kind in PARTY_KINDS:
        return _party_issuer(name=name, kind=kind, parent_name=parent_name, place=place, symbol=symbol)
    return Issuer(name=name, parent=parent_name if style.get("governed") else "", place=place, symbol=symbol)


_PROVINCE_COMMITTEE = (
    ("Tỉnh ủy ", "Đảng bộ tỉnh "),
    ("Thành ủy Thành phố ", "Đảng bộ Thành phố "),
    ("Thành ủy ", "Đảng bộ thành phố "),
)
_COMMISSION = "Ủy ban Kiểm tra"


def party_organisation(committee_name: str) -> str:
    """The party organisation a province committee leads: "Tỉnh ủy Hà Nam" → "Đảng bộ tỉnh Hà Nam"."""
    for prefix, organisation in _PROVINCE_COMMITTEE:
        if committee_name.startswith(prefix):
            return organisation + committee_name[len(prefix) :]
    return committee_name


def _party_issuer(*, name: str, kind: str, parent_name: str, place: str, symbol: str) -> Issuer:
    """Hướng dẫn 36-HD/VPTW: a commune committee under the organisation above ("ĐẢNG BỘ TỈNH …" / "ĐẢNG ỦY XÃ …");
    a province committee alone ("TỈNH ỦY …"); an inspection commission under its committee ("ĐẢNG ỦY XÃ …" / "ỦY BAN
    KIỂM TRA"), numbered "…/UBKTĐU", "…/UBKTTU"."""
    if kind == "inspection_commission":
        committee = parent_name or name.removeprefix(_COMMISSION).strip()
        above = "TU" if committee.startswith(("Tỉnh ủy", "Thành ủy")) else "ĐU"
        return Issuer(name=_COMMISSION, parent=committee, place=place, symbol=f"UBKT{above}", party=True)
    parent = party_organisation(parent_name) if parent_name else ""
    return Issuer(name=name, parent=parent, place=place, symbol=symbol, party=True)


def signer_for(*, kind: str, name: str = "") -> Signer:
    style = BODY_STYLES.get(kind, {})
    return Signer(title=style.get("title", "THỦ TRƯỞNG CƠ QUAN"), authority=style.get("authority", ""), name=name)


def parties_of(unit: Any, *, signer_name: str = "") -> tuple[Issuer, Signer]:
    """The issuer and signer blocks of a document issued by ``unit``: anything with the attributes of an
    ``org.Unit`` (``name``, ``code``, ``kind``, ``parent``, ``province.short_name``), read here, never imported.
    The place name is the unit's province ("Hà Nội")."""
    parent = getattr(unit, "parent", None)
    province = getattr(unit, "province", None)
    place = (getattr(province, "short_name", "") or getattr(province, "name", "")) if province else ""
    issuer = issuer_for(
        name=unit.name, code=unit.code, kind=unit.kind, parent_name=parent.name if parent else "", place=place
    )
    return issuer, signer_for(kind=unit.kind, name=signer_name)


def issuer_and_signer(unit: Any) -> tuple[Issuer, Signer]:
    """The issuer block and the signature block of a report issued by ``unit`` (an ``org.Unit``, read through its
    ``memberships``, never imported): signed by the unit's head when the unit has exactly one with a name, else
    with the name left for the signer to write."""
    heads = list(unit.memberships.filter(role="head").select_related("user")[:2])
    named = len(heads) == 1 and bool(heads[0].user.last_name or heads[0].user.first_name)
    return parties_of(unit, signer_name=person_name(heads[0].user) if named else "")


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[float] = field(default_factory=tuple)  # relative column widths (PDF and Excel)
    align: Sequence[str] = field(default_factory=tuple)  # "L" or "R" per column (PDF); default: left
    bold_last_row: bool = False  # a total row
    page_width: float = 1.0  # share of the text width the table takes in the PDF (a two-column summary: less)


@dataclass
class Document:
    """A report. ``tables`` hold cell values: text is written as given, numbers by ``text`` (in the PDF) and
    as numbers (in Excel); a feature that wants "–" or "12,5 %" passes that text."""

    title: str
    issuer: Issuer
    dated: date
    tables: Sequence[Table]
    kind: str = "BÁO CÁO"
    code: str = "BC"  # the kind's abbreviation in the number (BC = báo cáo)
    intro: Sequence[str] = ()  # paragraphs before the tables
    notes_title: str = ""
    notes: Sequence[tuple[str, str]] = ()  # (term, explanation), after the tables (e.g. how figures are computed)
    recipients: Sequence[str] = ()
    signer: Signer | None = None
    landscape: bool = True

    @property
    def number(self) -> str:
        """ "Số:      /BC-UBND": the number is left blank for the records office (văn thư) to assign. The Party's
        documents write "Số       -BC/ĐU" (Hướng dẫn 36-HD/VPTW)."""
        if self.issuer.party:
            symbol = f"/{self.issuer.symbol}" if self.issuer.symbol else ""
            return f"Số        -{self.code}{symbol}"
        symbol = f"-{self.issuer.symbol}" if self.issuer.symbol else ""
        return f"Số:        /{self.code}{symbol}"

    @property
    def heading(self) -> str:
        """The kind and the title as one line ("Báo cáo tình hình …"), for the workbook and the file's title."""
        kind = self.kind.capitalize()
        if self.title.lower().startswith(self.kind.lower()):
            return self.title
        return f"{kind} {self.title[:1].lower()}{self.title[1:]}"

    @property
    def dated_line(self) -> str:
        place = f"{self.issuer.place}, " if self.issuer.place else ""
        return f"{place}ngày {self.dated:%d} tháng {self.dated:%m} năm {self.dated:%Y}"


def text(value: Any) -> str:
    """A cell as written in the PDF: dates dd/mm/yyyy, 12,5 for a float, Có/Không, "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return nfc(str(value))


def _cell(value: Any) -> Any:
    """An Excel cell value: every cell of every sheet passes here, so typed text never becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(nfc(value))
    return safe_cell(value)


# ---------------------------------------------------------------- PDF


def _font_files() -> dict[str, Path]:
    for _family, files in FONT_FAMILIES:
        for folder in FONT_DIRS:
            if (folder / files[""]).exists():
                found = {"": folder / files[""]}
                for style in ("B", "I", "BI"):
                    candidates = [d / files[style] for d in FONT_DIRS if (d / files[style]).exists()]
                    found[style] = candidates[0] if candidates else found["B" if style == "BI" else ""]
                return found
    raise FileNotFoundError("DejaVu fonts not found: install fonts-dejavu-core or reinstall PAKN")


def _pdf_class() -> Any:
    from fpdf import FPDF

    class AdministrativePDF(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            """Decree 30, Appendix I: page numbers centred in the top margin, from the second page."""
            if self.page_no() > 1:
                self.set_font(FONT, "", 12)
                self.set_y(8)
                self.cell(0, 6, str(self.page_no()), align="C")
                self.set_y(self.t_margin)

    return AdministrativePDF


def _rule(pdf: Any, centre_x: float, width: float) -> None:
    """A thin line under a heading, centred, clear of the descenders."""
    y = pdf.get_y() + 1.8
    pdf.set_line_width(0.3)
    pdf.line(centre_x - width / 2, y, centre_x + width / 2, y)


def pdf_bytes(doc: Document) -> bytes:
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    below: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf = _pdf_class()(orientation="L" if doc.landscape else "P", unit="mm", format="A4")
    # Decree 30 margins: top 20-25, bottom 20-25, left 30-35, right 15-20 mm.
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(auto=True, margin=20)
    for style, path in _font_files().items():
        pdf.add_font(FONT, style, str(path))
    pdf.set_title(nfc(doc.heading))
    pdf.set_author(nfc(doc.issuer.name))
    pdf.set_creator("PAKN")
    pdf.set_lang("vi")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w = width * 0.42
    right_x, right_w = pdf.l_margin + left_w, width - left_w
    top = pdf.get_y()

    # Top left: the governing body, the issuing body (bold), a short rule (the Party: a star), the number.
    if doc.issuer.parent:
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(left_w, 5.5, nfc(doc.issuer.parent).upper(), align="C", **below)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(left_w, 5.5, nfc(doc.issuer.name).upper(), align="C", **below)
    if doc.issuer.party:
        pdf.set_font(FONT, "", 12)
        pdf.multi_cell(left_w, 5.5, "*", align="C", **below)
    else:
        _rule(pdf, pdf.l_margin + left_w / 2, min(left_w / 3, 30))
    left_bottom = pdf.get_y()

    # Top right: the national heading and the motto (bold, underlined by a rule as long as it); the Party's
    # documents: "ĐẢNG CỘNG SẢN VIỆT NAM", underlined.
    pdf.set_xy(right_x, top)
    if doc.issuer.party:
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(right_w, 6, PARTY_NAME, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        _rule(pdf, right_x + right_w / 2, pdf.get_string_width(PARTY_NAME))
    else:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(right_w, 5.5, NATIONAL_NAME, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(right_w, 6, NATIONAL_MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        _rule(pdf, right_x + right_w / 2, pdf.get_string_width(NATIONAL_MOTTO))
    right_bottom = pdf.get_y()

    # The number (left) and the place and date (right, italics), on one line.
    line_y = max(left_bottom, right_bottom) + 3
    pdf.set_xy(pdf.l_margin, line_y)
    pdf.set_font(FONT, "", 12)
    pdf.cell(left_w, 6, doc.number, align="C")
    pdf.set_xy(right_x, line_y)
    pdf.set_font(FONT, "I", 13)
    pdf.cell(right_w, 6, nfc(doc.dated_line), align="C")
    pdf.set_y(line_y + 12)

    # The kind and the title, centred, bold, with a short rule.
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(width, 7, nfc(doc.kind).upper(), align="C", **below)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(width, 6.5, nfc(doc.title), align="C", **below)
    _rule(pdf, pdf.l_margin + width / 2, 40)
    pdf.ln(5)

    pdf.set_font(FONT, "", 12)
    for paragraph in doc.intro:
        pdf.multi_cell(width, 6, nfc(paragraph), align="J", **below)
    pdf.ln(2)

    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    for table in doc.tables:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(width, 7, nfc(table.title), **below)
        pdf.set_font(FONT, "", 9.5)
        if not table.rows:
            pdf.multi_cell(width, 6, "Không có dữ liệu.", **below)
            pdf.ln(2)
            continue
        align = tuple(("RIGHT" if a == "R" else "LEFT") for a in table.align) if table.align else "LEFT"
        with pdf.table(
            col_widths=tuple(table.widths) if table.widths else None,
            width=width * min(1.0, table.page_width),
            align="LEFT",  # from the left margin, like the text
            headings_style=heading,
            line_height=4.8,
            text_align=align,
            first_row_as_headings=True,
            repeat_headings=1,
        ) as pdf_table:
            header = pdf_table.row()
            for h in table.headers:
                header.cell(text(h), align="CENTER")
            for index, row in enumerate(table.rows):
                total_row = table.bold_last_row and index == len(table.rows) - 1
                line = pdf_table.row(style=FontFace(emphasis="BOLD") if total_row else None)
                for value in row:
                    line.cell(text(value))
        pdf.ln(4)

    if doc.notes:
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, 6, nfc(doc.notes_title), **below)
        for term, explanation in doc.notes:
            pdf.set_font(FONT, "B", 10)
            pdf.write(5, nfc(term) + ": ")
            pdf.set_font(FONT, "", 10)
            pdf.write(5, nfc(explanation))
            pdf.ln(5.5)
        pdf.ln(3)

    _closing(pdf, doc, width)
    return bytes(pdf.output())


def _closing(pdf: Any, doc: Document, width: float) -> None:
    """ "Nơi nhận:" bottom left, the signer bottom right, kept together on one page."""
    recipients = list(doc.recipients) or ["Lưu: VT."]
    needed = 12 + max(5 * len(recipients), 45)
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 4
    left_w = width * 0.45
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(FONT, "BI", 12)
    pdf.cell(left_w, 6, "Nơi nhận:", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    for index, recipient in enumerate(recipients):
        ending = "." if index == len(recipients) - 1 else ";"
        pdf.multi_cell(left_w, 5, f"- {nfc(recipient).rstrip(';.')}{ending}", new_x="LEFT", new_y="NEXT")
    if doc.signer is None:
        return
    right_x, right_w = pdf.l_margin + width * 0.5, width * 0.5
    pdf.set_xy(right_x, top)
    pdf.set_font(FONT, "B", 13)
    for line in (doc.signer.authority, doc.signer.title):
        if line:
            pdf.multi_cell(right_w, 6, nfc(line).upper(), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "I", 11)
    pdf.multi_cell(right_w, 5, "(Ký, ghi rõ họ tên, đóng dấu)", align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(22)
    pdf.set_x(right_x)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(right_w, 6, nfc(doc.signer.name), align="C", new_x="LEFT", new_y="NEXT")


# ---------------------------------------------------------------- Excel


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join(c for c in nfc(title) if c not in "[]:*?/\\")[:31] or "Sheet"
    name, n = cleaned, 2
    while name in used:
        suffix = f" ({n})"
        name, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def xlsx_bytes(doc: Document) -> bytes:
    """One sheet per table (then one for the notes): the issuing body, the title and the intro above the table,
    whose first column holds the row labels, so a reader can look a figure up by its label."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    tables = list(doc.tables)
    if doc.notes:
        tables.append(Table(doc.notes_title, ["", ""], [list(n) for n in doc.notes], (28, 110)))
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        issued_by = " – ".join(nfc(n).upper() for n in (doc.issuer.parent, doc.issuer.name) if n)
        if doc.issuer.party:
            issued_by = f"{PARTY_NAME} – {issued_by}"
        for line in [doc.heading, issued_by, doc.dated_line, *doc.intro, table.title]:
            sheet.append([_cell(line)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([_cell(h) for h in table.headers])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, row in enumerate(table.rows):
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if table.bold_last_row and index == len(table.rows) - 1:
                    cell.font = bold
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        widths = table.widths or [1.0] * len(table.headers)
        total = sum(widths) or 1.0
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(8.0, 160.0 * width / total)
    workbook.properties.title = nfc(doc.heading)
    workbook.properties.creator = nfc(doc.issuer.name) or "PAKN"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- downloads


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(doc: Document, filename: str) -> HttpResponse:
    return _download(xlsx_bytes(doc), XLSX_TYPE, f"{filename}.xlsx")


def pdf_response(doc: Document, filename: str) -> HttpResponse:
    return _download(pdf_bytes(doc), "application/pdf", f"{filename}.pdf")
