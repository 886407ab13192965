"""Every published figure reads the same wherever it is published.

A realistic half-year at two wards of Hà Nội, made through the real services (received, accepted, refused on
time and late, forwarded, answered on time and late, rated, withdrawn, overdue, and a month where the only case
is overdue), is read back from: the portal home page, the statistics page (nationwide, the province, one unit),
the open data (CSV and JSON), the supervisor scorecard, and the periodic report (HTML preview, Excel, PDF). Each
figure is compared across all of them, against a count made by hand from the scenario, and against counts taken
straight from the case tables."""

from __future__ import annotations

import csv
import html
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from conftest import COMMUNE, OTHER_COMMUNE, make_user
from pakn.cases import services
from pakn.cases.models import Answer, AnswerKind, Case, Forward, Rating
from pakn.cases.workflow import OPEN
from pakn.org.models import Unit
from pakn.public import stats

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 6, 15)
UNIT = f"UBND-{COMMUNE}"  # Ủy ban nhân dân Phường Ba Đình
OTHER = f"UBND-{OTHER_COMMUNE}"  # Ủy ban nhân dân Phường Ngọc Hà
START = date(2026, 1, 1)  # year to date, as in the demo walk: 01/01/2026 – 15/06/2026
DATES = f"date_from={START:%Y-%m-%d}&date_to={TODAY:%Y-%m-%d}"

# Worked out by hand from ``build`` (see the comments there), at Ba Đình, year to date, seen on 15/06/2026.
UNIT_EXPECTED = {
    "received": 12,
    "accepted": 4,  # the three answered and the accepted complaint (the forwarded case was not accepted here)
    "refused": 2,
    "forwarded": 1,
    "resolved": 3,
    "done": 6,
    "done_on_time": 3,
    "done_late": 3,  # one answer and one refusal in April, one answer in March: more than April's answers
    "still_open": 5,
    "overdue_open": 4,
    "withdrawn": 1,
    "judged": 10,
    "on_time_rate": 30.0,  # 3 ÷ (3 + 3 + 4)
    "median_answer_days": 27,  # 2, 27, 28
    "rated": 2,
    "satisfied": 1,
    "satisfaction_rate": 50.0,
}
NATION_EXPECTED = {
    **UNIT_EXPECTED,
    "received": 13,  # + the forwarded case, again at Ngọc Hà
    "accepted": 5,
    "resolved": 4,
    "done": 7,
    "done_on_time": 4,
    "judged": 11,
    "on_time_rate": 36.4,  # 4 ÷ (4 + 3 + 4)
    "median_answer_days": 14.5,  # 2, 2, 27, 28
    "rated": 3,
    "satisfied": 2,
    "satisfaction_rate": 66.7,
}
# Per month at Ba Đình: (received, resolved, done on time, done late, overdue open, on-time rate).
MONTHS_EXPECTED = {
    "2026-01": (0, 0, 0, 0, 0, None),
    "2026-03": (7, 2, 3, 1, 2, 50.0),
    "2026-04": (3, 1, 0, 2, 1, 0.0),
    "2026-05": (1, 0, 0, 0, 1, 0.0),  # nothing answered, one overdue: 0 ÷ (0 + 0 + 1), and the 1 is shown
    "2026-06": (1, 0, 0, 0, 0, None),  # nothing judged yet: undefined, "–"
}
COMPARED = list(UNIT_EXPECTED)


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False):
        yield


def refusal_reason(kind: str) -> str:
    """A legal ground for refusing a case of this kind (the grounds are kept by ``cases.services``)."""
    kinds = getattr(services, "REFUSAL_REASON_KINDS", {})
    return next((code for code, allowed in kinds.items() if kind in allowed and code != "other"), "other")


def refuse(actor: Any, case: Case) -> None:
    code = refusal_reason(case.kind)
    services.refuse_case(actor=actor, case=case, reason_code=code, explanation="Không thuộc thẩm quyền giải quyết.")


def build(make_case: Any) -> dict[str, Any]:
    clerk = make_user("ba_dinh_clerk", unit_code=UNIT)
    other = make_user("ngoc_ha_clerk", unit_code=OTHER)
    other_unit = Unit.objects.get(code=OTHER)
    with on(date(2026, 3, 2)):  # March: 7 cases
        a = make_case(publish=True)  # answered in 2 days, on time, "very satisfied"
        b = make_case(title="Rác thải ùn ứ")  # answered after 28 days: late, "unsatisfied"
        c = make_case(title="Đề nghị sửa nhà văn hóa")  # refused the next day: on time
        d = make_case(title="Cây đổ trên phố Ngọc Hà")  # forwarded to Ngọc Hà, answered there
        e = make_case(kind="complaint", title="Khiếu nại quyết định xử phạt")  # accepted, still open: overdue
        make_case(title="Nước thải tràn ra đường")  # nothing done: overdue
        g = make_case(kind="opinion", title="Góp ý giờ mở cửa chợ")  # withdrawn
        services.withdraw_case(case=g, reason="Đã được giải quyết")
    with on(date(2026, 3, 3)):
        refuse(clerk, c)
        services.forward_case(actor=clerk, case=d, to_unit=other_unit, reason="Thuộc địa bàn phường Ngọc Hà")
        services.accept_case(actor=clerk, case=e)
    with on(date(2026, 3, 4)):
        services.resolve_case(actor=clerk, case=a, body="Đã thay bóng đèn.")
        services.rate_case(case=a, level=5)
    with on(date(2026, 3, 5)):
        services.resolve_case(actor=other, case=Case.objects.get(pk=d.pk), body="Đã dọn cây đổ.")
        services.rate_case(case=Case.objects.get(pk=d.pk), level=4)
    with on(date(2026, 3, 30)):
        services.resolve_case(actor=clerk, case=b, body="Đã thu gom rác.")
        services.rate_case(case=b, level=2)
    with on(date(2026, 4, 1)):  # April: 3 cases
        h = make_case(title="Lấn chiếm vỉa hè")  # refused after seven weeks: late
        i = make_case(title="Ổ gà trên phố Đội Cấn")  # answered after 27 days: late
        make_case(title="Tiếng ồn công trình ban đêm")  # nothing done: overdue
    with on(date(2026, 4, 28)):
        services.resolve_case(actor=clerk, case=i, body="Đã vá ổ gà.")
    with on(date(2026, 5, 20)):
        refuse(clerk, h)
    with on(date(2026, 5, 4)):  # May: one case, nothing done: overdue by June
        make_case(title="Cống thoát nước bị tắc")
    with on(date(2026, 6, 10)):  # June: one case, not yet due
        make_case(title="Biển báo bị che khuất")
    return {"unit": Unit.objects.get(code=UNIT), "other_unit": other_unit, "clerk": clerk}


def direct_counts(unit: Unit, start: date, end: date, today: date) -> dict[str, Any]:
    """Counted straight from the case tables, without the statistics tables (see tests/public/test_reports.py)."""
    span = {"case__received_on__gte": start, "case__received_on__lte": end}
    cases_here = Case.objects.filter(unit=unit, received_on__gte=start, received_on__lte=end).exclude(
        forwards__isnull=False
    )
    forwards_away = Forward.objects.filter(from_unit=unit, **span)
    answers = Answer.objects.filter(unit=unit, **span)
    resolved = answers.filter(kind__in=[AnswerKind.ANSWER, AnswerKind.CONCLUSION]).values("case").distinct().count()
    refused = answers.filter(kind=AnswerKind.REFUSAL).count()
    forwarded = forwards_away.filter(actor__isnull=False).count()
    ratings = Rating.objects.filter(unit=unit, **span)
    open_here = cases_here.filter(status__in=[s.value for s in OPEN])
    return {
        "received": cases_here.count() + forwards_away.count(),
        "refused": refused,
        "forwarded": forwarded,
        "resolved": resolved,
        "done": resolved + refused + forwarded,
        "still_open": open_here.count(),
        "overdue_open": open_here.filter(due_on__lt=today).count(),
        "withdrawn": cases_here.filter(status="withdrawn").count(),
        "rated": ratings.count(),
        "satisfied": ratings.filter(level__gte=4).count(),
    }


# ---------------------------------------------------------------- reading what was published


class Tables(HTMLParser):
    """Every table of a page (by id), with its headings and rows of cell texts; KPIs by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, Any]] = {}
        self.by_id: dict[str, str] = {}
        self._table: dict[str, Any] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._ids: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self._ids.append((tag, a["id"] or "", []))
        if tag == "table":
            self._table = {"headings": [], "rows": []}
            self.tables[a.get("id") or f"table-{len(self.tables)}"] = self._table
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            if not self._table["headings"]:
                self._table["headings"] = self._row
            else:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        if self._ids and self._ids[-1][0] == tag:
            _tag, name, parts = self._ids.pop()
            self.by_id[name] = " ".join("".join(parts).split())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for _tag, _name, parts in self._ids:
            parts.append(data)

    def row(self, table: str, first_cell: str) -> dict[str, str]:
        """One row of a table as {heading: text}, found by its first cell."""
        t = self.tables[table]
        (row,) = [r for r in t["rows"] if r and r[0] == first_cell]
        return dict(zip(t["headings"], row, strict=False))


def parse(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def label(key: str) -> str:
    return str(stats.FIGURES[key].label)


def page_text(key: str, value: Any) -> str:
    """How a page writes an expected value."""
    return stats.format_value(value, stats.FIGURES[key].kind)


def report_text(key: str, value: Any) -> str:
    """How a report table (headings with "(%)") writes an expected value."""
    if stats.FIGURES[key].kind == "rate" and value is not None:
        return f"{value:.1f}".replace(".", ",")
    return stats.format_value(value, stats.FIGURES[key].kind)


KPI_IDS = {
    "received": "kpi-received",
    "resolved": "kpi-resolved",
    "done": "kpi-done",
    "done_on_time": "kpi-done-on-time",
    "done_late": "kpi-done-late",
    "overdue_open": "kpi-overdue",
    "still_open": "kpi-open",
    "on_time_rate": "kpi-on-time",
    "median_answer_days": "kpi-median",
    "rated": "kpi-rated",
    "satisfied": "kpi-satisfied",
    "satisfaction_rate": "kpi-satisfaction",
}


def check_kpis(page: Tables, expected: dict[str, Any], where: str) -> None:
    for key, element in KPI_IDS.items():
        assert page.by_id[element] == page_text(key, expected[key]), (where, key)
    parts = f"= {expected['done_on_time']} ÷ ({expected['done_on_time']} + {expected['done_late']} + "
    assert page.by_id["kpi-on-time-parts"] == parts + f"{expected['overdue_open']})", where


def check_row(row: dict[str, str], expected: dict[str, Any], keys: list[str], where: str, heading: Any) -> None:
    for key in keys:
        assert row[heading(key)] == page_text(key, expected[key]), (where, key, row)


# ---------------------------------------------------------------- the test


@pytest.fixture
def scenario(make_case: Any) -> dict[str, Any]:
    return build(make_case)


TABLE_KEYS = ["received", "resolved", "done", "done_on_time", "done_late", "overdue_open", "on_time_rate"]
TABLE_KEYS += ["median_answer_days", "rated", "satisfaction_rate"]


def test_every_figure_agrees_everywhere(scenario: dict[str, Any], tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    unit = scenario["unit"]
    head = make_user("ba_dinh_head", unit_code=UNIT, role="head")
    staff, anonymous = Client(), Client()
    staff.force_login(head)
    with on(TODAY, 10):
        period = stats.Period(START, TODAY)
        unit_measures = stats.totals(stats.Scope.units(unit), period)
        nation_measures = stats.totals(stats.Scope.nation(), period)
        direct = direct_counts(unit, START, TODAY, TODAY)
        home = parse(anonymous.get("/public/").content.decode())
        default_stats = parse(anonymous.get("/public/statistics/").content.decode())
        nation_page = anonymous.get(f"/public/statistics/?{DATES}").content.decode()
        nation = parse(nation_page)
        province = parse(anonymous.get(f"/public/statistics/?province=01&{DATES}").content.decode())
        unit_page = parse(anonymous.get(f"/public/statistics/?province=01&unit={UNIT}&{DATES}").content.decode())
        units_csv = anonymous.get(f"/public/data/units.csv?province=01&unit={UNIT}&{DATES}").content
        units_json = anonymous.get(f"/public/data/units.json?province=01&unit={UNIT}&{DATES}").json()
        months_json = anonymous.get(f"/public/data/months.json?province=01&unit={UNIT}&{DATES}").json()
        months_csv = anonymous.get(f"/public/data/months.csv?province=01&unit={UNIT}&{DATES}").content
        scorecard = parse(staff.get(f"/oversight/scorecards/?unit={UNIT}&{DATES}").content.decode())
        report_query = f"unit={UNIT}&kind=year&year=2026"
        preview = parse(staff.get(f"/oversight/reports/?{report_query}").content.decode())
        xlsx = staff.get(f"/oversight/reports/download.xlsx?{report_query}").content
        pdf = staff.get(f"/oversight/reports/download.pdf?{report_query}").content

    # 0. The statistics agree with the hand count and with the case tables.
    unit_row, nation_row = unit_measures.as_row(), nation_measures.as_row()
    assert {k: unit_row[k] for k in UNIT_EXPECTED} == UNIT_EXPECTED
    assert {k: nation_row[k] for k in NATION_EXPECTED} == NATION_EXPECTED
    for key, value in direct.items():
        assert UNIT_EXPECTED[key] == value, ("direct count", key)

    # 1. Portal: the home page and the statistics page show the same figures for the same scope and period
    #    (the median included), and the nationwide, province and unit pages agree with the hand count.
    for key, element in KPI_IDS.items():
        assert home.by_id[element] == default_stats.by_id[element], key
    check_kpis(home, NATION_EXPECTED, "home")
    check_kpis(nation, NATION_EXPECTED, "statistics, nationwide")
    check_kpis(province, NATION_EXPECTED, "statistics, Hà Nội")
    check_kpis(unit_page, UNIT_EXPECTED, "statistics, Ba Đình")
    assert "12 tháng gần nhất" in default_stats.by_id["period-hint"]
    assert "12 tháng gần nhất" not in nation.by_id["period-hint"]
    assert "Từ đầu năm 2026 đến ngày 15/06/2026" in nation.by_id["period-hint"]
    check_row(nation.row("table-units", "Thành phố Hà Nội"), NATION_EXPECTED, TABLE_KEYS, "provinces", label)
    check_row(unit_page.row("table-units", unit.name), UNIT_EXPECTED, TABLE_KEYS, "units", label)

    # The month table shows every count the on-time rate is made of, so each month can be checked by hand.
    for month, (received, resolved, on_time, late, overdue, rate) in MONTHS_EXPECTED.items():
        row = unit_page.row("table-months", f"{month[5:]}/{month[:4]}")
        counts = ("received", "resolved", "done_on_time", "done_late", "overdue_open")
        assert [row[label(k)] for k in counts] == [str(v) for v in (received, resolved, on_time, late, overdue)], month
        assert row[label("on_time_rate")] == page_text("on_time_rate", rate), month
        if on_time + late + overdue:
            assert rate == round(100 * on_time / (on_time + late + overdue), 1)

    # 2. Open data: CSV and JSON say what the pages say (rates rounded the same way; empty = "–").
    (json_row,) = [r for r in units_json["rows"] if r["unit_code"] == UNIT]
    (csv_row,) = [r for r in csv.DictReader(io.StringIO(units_csv.decode("utf-8-sig"))) if r["unit_code"] == UNIT]
    for key, value in UNIT_EXPECTED.items():
        assert json_row[key] == value, ("json", key)
        assert csv_row[key] == ("" if value is None else str(value)), ("csv", key)
    json_months = {r["month"]: r for r in months_json["rows"]}
    csv_months = {r["month"]: r for r in csv.DictReader(io.StringIO(months_csv.decode("utf-8-sig")))}
    for month, (received, resolved, on_time, late, overdue, rate) in MONTHS_EXPECTED.items():
        for source in (json_months[month], csv_months[month]):
            got = [source[k] for k in ("received", "resolved", "done_on_time", "done_late", "overdue_open")]
            assert [int(v) for v in got] == [received, resolved, on_time, late, overdue], month
            assert source["on_time_rate"] in (rate, "" if rate is None else str(rate)), month

    # 3. Scorecard (supervisors): the same labels and texts.
    t = scorecard.tables["table-ranking"]
    (card_cells,) = [r for r in t["rows"] if len(r) > 1 and r[1] == unit.name]
    card = dict(zip(t["headings"], card_cells, strict=False))
    check_row(card, UNIT_EXPECTED, ["received", "resolved", "done_on_time", "done_late", "overdue_open"], "card", label)
    check_row(card, UNIT_EXPECTED, ["on_time_rate", "rated", "satisfaction_rate"], "card", label)

    # 4. Periodic report: preview, Excel and PDF (rates under "(%)" headings, "–" when undefined).
    heading = {k: stats.FIGURES[k].heading for k in stats.FIGURES}
    summary = {r[0].strip(): r[1] for r in preview.tables["table-summary"]["rows"]}
    preview_units = preview.tables["table-report-units"]
    (preview_row,) = [r for r in preview_units["rows"] if r[0] == unit.name]
    preview_cells = dict(zip(preview_units["headings"], preview_row, strict=False))
    book = load_workbook(io.BytesIO(xlsx))
    cells = {str(r[0]).strip(): r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r[0] is not None}
    sheet = book.worksheets[1]
    excel_headings = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Mã đơn vị")
    (excel_row,) = [r for r in sheet.iter_rows(values_only=True) if r[0] == UNIT]
    excel_cells = dict(zip(excel_headings, excel_row, strict=False))
    reader = PdfReader(io.BytesIO(pdf))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    pdf_lines = [" ".join(line.split()) for line in pdf_text.splitlines()]
    for key in COMPARED:
        value = UNIT_EXPECTED[key]
        text = report_text(key, value)
        assert summary[heading[key]] == text, ("preview summary", key)
        assert cells[heading[key]] == value, ("excel summary", key)
        assert f"{heading[key]} {text}" in pdf_lines, ("pdf summary", key)
        if heading[key] in preview_cells:
            assert preview_cells[heading[key]] == text, ("preview units", key)
            assert excel_cells[heading[key]] == value, ("excel units", key)

    # 5. One set of definitions: the page, the report preview and the PDF explain the figures with the same words.
    page_words = " ".join(html.unescape(nation_page).split())
    pdf_words = " ".join(pdf_text.split())
    for term, formula in stats.FORMULAS:
        assert f"{term} {formula}" in " ".join(" ".join(nation.by_id["formulas-h"].split()).split()) or (
            formula in page_words
        ), term
        assert f"{term}:" in pdf_words, term


def test_reports_are_laid_out_as_administrative_documents(scenario: dict[str, Any], tmp_path: Path) -> None:
    """Decree 30/2020/NĐ-CP, Appendix I: the issuing body and "Số:" top left, the national heading and motto top
    right, the place and date, page numbers from page 2, the recipients and the signer."""
    from pypdf import PdfReader

    from pakn.plans.reports import cascade_report  # noqa: F401  (the plans report uses the same writer)
    from pakn.reception.reports import compliance_report  # noqa: F401

    head = make_user("ba_dinh_head", unit_code=UNIT, role="head")
    staff = Client()
    staff.force_login(head)
    with on(TODAY, 10):
        pdf = staff.get(f"/oversight/reports/download.pdf?unit={UNIT}&kind=year&year=2026").content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    first = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
        "Số:",
        "/BC-UBND",
        "Hà Nội, ngày 15 tháng 06 năm 2026",
        "BÁO CÁO",
    ):
        assert expected in first, expected
    assert "HỆ THỐNG PAKN" not in first
    for number, page in enumerate(reader.pages[1:], start=2):
        assert page.extract_text().split()[0] == str(number), number  # centred in the top margin
    assert not reader.pages[0].extract_text().split()[0].isdigit()  # no number on the first page
    keep("oversight", pdf)
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Nơi nhận:" in last and "Lưu: VT." in last and "TM. ỦY BAN NHÂN DÂN" in last and "CHỦ TỊCH" in last

    if shutil.which("pdftoppm"):
        target = tmp_path / "report.pdf"
        target.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - a fixed program on a file this test wrote
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")],  # noqa: S607
            check=True,
        )
        assert list(tmp_path.glob("page*.png"))


def keep(name: str, pdf: bytes) -> None:
    """With PAKN_KEEP_PDF=/some/dir, the PDFs (and a PNG of each first and second page, when poppler's pdftoppm is
    installed) are kept there to be looked at."""
    folder = os.environ.get("PAKN_KEEP_PDF")
    if not folder:
        return
    target = Path(folder) / f"{name}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603 - a fixed program on a file this test wrote
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(target), str(target.with_suffix(""))],  # noqa: S607
            check=True,
        )


def test_reception_and_plans_reports_name_their_unit(scenario: dict[str, Any]) -> None:
    from pypdf import PdfReader

    from pakn.core import documents
    from pakn.plans.cascade import UnitSummary
    from pakn.plans.models import Directive
    from pakn.plans.queries import Cascade
    from pakn.plans.reports import cascade_report
    from pakn.reception.reports import compliance_report

    unit = scenario["unit"]
    directive = Directive(
        number="54-KL/TW", title="Về tiếp công dân", issuer="Ban Chấp hành Trung ương", issued_on=START
    )
    cascade = Cascade(directive=directive, roots=[], units=[(unit, UnitSummary(unit_id=unit.pk))], rows=[])
    with on(TODAY, 10):
        reports = {
            "reception": compliance_report([], start=START, end=TODAY, issuer=unit),
            "plans": cascade_report(cascade, today=TODAY),
        }
        for name, doc in reports.items():
            pdf = documents.pdf_bytes(doc)
            keep(name, pdf)
            text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
            for expected in (
                "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số:",
                "Hà Nội, ngày 15 tháng 06 năm 2026",
                "Nơi nhận:",
            ):
                assert expected in text, (name, expected)
            assert "HỆ THỐNG PAKN" not in text, name
