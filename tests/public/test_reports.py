"""The same numbers everywhere: one scenario worked out by hand, then the public statistics page, the open data,
the unit scorecard, the Excel and the PDF report, and counts taken straight from the case tables must all say
the same. Also: the month table and the facts agree for any period, and a rebuild gives what the signal kept."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
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
from pakn.oversight import reports
from pakn.public import facts, stats
from pakn.public.models import HandlingFact, ProvinceDaysStat, UnitMonthStat

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 4, 15)
MARCH = stats.Period.month(2026, 3)
UNIT = f"UBND-{COMMUNE}"
OTHER = f"UBND-{OTHER_COMMUNE}"

# Worked out by hand from the scenario below (UBND phường Ba Đình, March 2026, seen on 15/04/2026).
EXPECTED = {
    "received": 7,
    "accepted": 3,
    "refused": 1,
    "forwarded": 1,
    "resolved": 2,
    "resolved_on_time": 1,
    "resolved_late": 1,
    "done_on_time": 3,
    "done_late": 1,
    "still_open": 2,
    "overdue_open": 2,
    "withdrawn": 1,
    "merged": 0,
    "escalated_away": 0,
    "rated": 2,
    "rating_sum": 7,
    "satisfied": 1,
    "kind_report": 4,
    "kind_petition": 1,
    "kind_complaint": 1,
    "kind_opinion": 1,
    "kind_denunciation": 0,
    "channel_web": 7,
}
EXPECTED_RATES = {"on_time_rate": 50.0, "satisfaction_rate": 50.0, "median_days": 15, "average_rating": 3.5}


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False):
        yield


def build_scenario(make_case: Any) -> dict[str, Any]:
    clerk = make_user("ba_dinh_clerk", unit_code=UNIT)
    other = make_user("ngoc_ha_clerk", unit_code=OTHER)
    unit, other_unit = Unit.objects.get(code=UNIT), Unit.objects.get(code=OTHER)
    with on(date(2026, 3, 2)):
        c1 = make_case(publish=True)
        c2 = make_case(title="Rác thải ùn ứ")
        c3 = make_case(kind="petition", title="Đề nghị sửa nhà văn hóa")
        c4 = make_case(title="Cây đổ trên phố Ngọc Hà")
        c5 = make_case(kind="complaint", title="Khiếu nại quyết định xử phạt")
        c6 = make_case(title="Nước thải tràn ra đường")
        c7 = make_case(kind="opinion", title="Góp ý giờ mở cửa chợ")
        services.withdraw_case(case=c7, reason="Đã được giải quyết")
    with on(date(2026, 3, 3)):
        services.refuse_case(actor=clerk, case=c3, reason_code="feedback_not_competent")
        services.forward_case(actor=clerk, case=c4, to_unit=other_unit, reason="Thuộc địa bàn phường Ngọc Hà")
        services.accept_case(actor=clerk, case=c5)
    with on(date(2026, 3, 4)):
        services.resolve_case(actor=clerk, case=c1, body="Đã thay bóng đèn. Liên hệ 0912345678 nếu còn hỏng.")
        services.rate_case(case=c1, level=5)
    with on(date(2026, 3, 5)):
        services.resolve_case(actor=other, case=Case.objects.get(pk=c4.pk), body="Đã dọn cây đổ.")
        services.rate_case(case=c4, level=4)
    with on(date(2026, 3, 30)):
        services.resolve_case(actor=clerk, case=c2, body="Đã thu gom rác.")
        services.rate_case(case=c2, level=2)
    return {"unit": unit, "other_unit": other_unit, "clerk": clerk, "cases": [c1, c2, c3, c4, c5, c6, c7]}


def direct_counts(unit: Unit, period: stats.Period, today: date) -> dict[str, Any]:
    """Counted straight from the case tables, without the statistics tables: cases that arrived at the unit in
    the period (routed to it on receipt, or forwarded to it) and what the unit did with them."""
    in_period = {"received_on__gte": period.start, "received_on__lte": period.end}
    forwards_away = Forward.objects.filter(
        from_unit=unit, case__received_on__gte=period.start, case__received_on__lte=period.end
    )
    cases_here = Case.objects.filter(unit=unit, **in_period).exclude(forwards__isnull=False)
    answers = Answer.objects.filter(unit=unit, case__received_on__gte=period.start, case__received_on__lte=period.end)
    resolved = answers.filter(kind__in=[AnswerKind.ANSWER, AnswerKind.CONCLUSION]).values("case").distinct()
    ratings = Rating.objects.filter(unit=unit, case__received_on__gte=period.start, case__received_on__lte=period.end)
    return {
        "received": cases_here.count() + forwards_away.count(),
        "refused": answers.filter(kind=AnswerKind.REFUSAL).count(),
        "forwarded": forwards_away.filter(actor__isnull=False).count(),
        "resolved": resolved.count(),
        "still_open": cases_here.filter(status__in=[s.value for s in OPEN]).count(),
        "overdue_open": cases_here.filter(status__in=[s.value for s in OPEN], due_on__lt=today).count(),
        "withdrawn": cases_here.filter(status="withdrawn").count(),
        "rated": ratings.count(),
        "satisfied": ratings.filter(level__gte=4).count(),
        "rating_sum": sum(ratings.values_list("level", flat=True)),
    }


@pytest.fixture
def scenario(make_case: Any) -> dict[str, Any]:
    return build_scenario(make_case)


def test_figures_match_the_hand_count_and_the_database(scenario: dict[str, Any]) -> None:
    unit = scenario["unit"]
    with on(TODAY):
        m = stats.totals(stats.Scope.units(unit), MARCH)
        direct = direct_counts(unit, MARCH, TODAY)
    for key, value in EXPECTED.items():
        assert m[key] == value, key
    for key, value in direct.items():
        assert m[key] == value, key
    row = m.as_row()
    assert row["on_time_rate"] == EXPECTED_RATES["on_time_rate"]
    assert row["satisfaction_rate"] == EXPECTED_RATES["satisfaction_rate"]
    assert row["median_answer_days"] == EXPECTED_RATES["median_days"]
    assert row["average_rating"] == EXPECTED_RATES["average_rating"]


def test_the_forwarded_case_counts_at_the_unit_that_answered_it(scenario: dict[str, Any]) -> None:
    with on(TODAY):
        m = stats.totals(stats.Scope.units(scenario["other_unit"]), MARCH)
    assert (m["received"], m["resolved"], m["done_on_time"], m["rated"], m["satisfied"]) == (1, 1, 1, 1, 1)


def _summary_values(lines: list[tuple[str, Any]]) -> dict[str, Any]:
    return {label.strip(): value for label, value in lines}


def test_portal_scorecard_excel_pdf_and_open_data_agree(scenario: dict[str, Any]) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    unit = scenario["unit"]
    head = make_user("ba_dinh_head", unit_code=UNIT, role="head")
    anonymous, staff = Client(), Client()
    staff.force_login(head)
    dates = "date_from=2026-03-01&date_to=2026-03-31"
    with on(TODAY, 10):
        portal = anonymous.get(f"/public/statistics/?province=01&unit={UNIT}&{dates}")
        data = anonymous.get(f"/public/data/units.json?province=01&unit={UNIT}&{dates}").json()
        scorecard = staff.get(f"/oversight/scorecards/?unit={UNIT}&{dates}")
        xlsx = staff.get(f"/oversight/reports/download.xlsx?unit={UNIT}&kind=month&year=2026&number=3")
        pdf = staff.get(f"/oversight/reports/download.pdf?unit={UNIT}&kind=month&year=2026&number=3")
        preview = staff.get(f"/oversight/reports/?unit={UNIT}&kind=month&year=2026&number=3")
    assert portal.status_code == scorecard.status_code == xlsx.status_code == pdf.status_code == 200
    expected = {**EXPECTED}

    portal_total = portal.context["total"]
    for key, value in expected.items():
        assert portal_total[key] == value, ("portal", key)
    assert portal_total.as_row()["on_time_rate"] == EXPECTED_RATES["on_time_rate"]
    html = portal.content.decode()
    assert 'id="kpi-received">7<' in html and 'id="kpi-on-time">50,0 %<' in html and 'id="kpi-median">15<' in html

    (open_row,) = [r for r in data["rows"] if r["unit_code"] == UNIT]
    for key, value in expected.items():
        assert open_row[key] == value, ("open data", key)
    assert open_row["on_time_rate"] == 50.0 and open_row["median_answer_days"] == 15

    (card,) = [r for r in scorecard.context["rows"] if r.key == unit.pk]
    for key, value in expected.items():
        assert card.measures[key] == value, ("scorecard", key)
    assert stats.pct(card.measures.on_time_rate) == 50.0 and stats.pct(card.measures.satisfaction_rate) == 50.0

    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    cells = {str(r[0]).strip(): r[1] for r in sheet.iter_rows(values_only=True) if r[0] is not None}
    summary = _summary_values(preview.context["report"].lines)
    assert cells["Tiếp nhận"] == 7 and summary["Tiếp nhận"] == "7"  # the preview shows text, as the PDF
    assert cells["Không thụ lý"] == 1 and cells["Chuyển đơn"] == 1
    assert cells["Giải quyết đúng hạn"] == 1 and cells["Giải quyết trễ hạn"] == 1
    assert cells["Xử lý xong đúng hạn"] == 3 and cells["Xử lý xong trễ hạn"] == 1
    assert cells["Đang xử lý"] == 2 and cells["Đang quá hạn"] == 2
    assert cells["Tỷ lệ đúng hạn (%)"] == 50.0 and cells["Tỷ lệ hài lòng (%)"] == 50.0
    assert cells["Loại: Phản ánh"] == 4 and cells["Kênh: Cổng thông tin"] == 7
    units_sheet = book.worksheets[1]
    unit_rows = {r[0]: r for r in units_sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert unit_rows[UNIT][2:6] == (7, 3, 1, 1)  # received, accepted, refused, forwarded

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for label, value in [
        ("Tiếp nhận", "7"),
        ("Không thụ lý", "1"),
        ("Giải quyết đúng hạn", "1"),
        ("Giải quyết trễ hạn", "1"),
        ("Đang quá hạn", "2"),
        ("Xử lý xong đúng hạn", "3"),
        ("Xử lý xong trễ hạn", "1"),
        ("Tỷ lệ đúng hạn (%)", "50,0"),
        ("Tỷ lệ hài lòng (%)", "50,0"),
        ("Số ngày trả lời (trung vị)", "15"),
    ]:
        assert f"{label} {value}" in text, label


def test_report_for_a_province_unit_adds_up_its_units(scenario: dict[str, Any]) -> None:
    root = Unit.objects.get(code="UBND-01")
    with on(TODAY):
        report = reports.build_report(root, MARCH)
    assert report.rows[0].key == root.pk
    for key in ("received", "resolved", "refused", "forwarded", "done_on_time", "rated", "overdue_open"):
        assert report.total[key] == sum(r.measures[key] for r in report.rows), key
    assert report.total["received"] == 8  # 7 at Ba Đình + the forwarded case at Ngọc Hà


def _snapshot() -> tuple[list[tuple[Any, ...]], ...]:
    fact_rows = sorted(
        HandlingFact.objects.values_list(
            "case_id",
            "seq",
            "unit_id",
            "received_on",
            "outcome",
            "accepted",
            "answered_on",
            "answer_days",
            "on_time",
            "due_on",
            "escalated_away",
            "rating",
            "handler_id",
        )
    )
    bucket_rows = sorted(UnitMonthStat.objects.values_list("unit_id", "month", *facts.STORED_MEASURES))
    days = sorted(ProvinceDaysStat.objects.values_list("province_id", "month", "answer_days", "resolved"))
    return fact_rows, bucket_rows, days


def test_rebuild_gives_what_the_signal_kept(scenario: dict[str, Any]) -> None:
    before = _snapshot()
    assert before[0] and before[1] and before[2]
    result = facts.rebuild()
    assert result["cases"] == Case.objects.count()
    assert _snapshot() == before


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 3, 3), date(2026, 3, 3)),
        (date(2026, 2, 15), date(2026, 4, 20)),
        (date(2026, 3, 2), date(2026, 5, 31)),
        (date(2025, 12, 31), date(2026, 3, 1)),
        (date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_month_table_and_facts_agree_for_any_period(scenario: dict[str, Any], start: date, end: date) -> None:
    period = stats.Period(start, end)
    with on(TODAY):
        for scope in (stats.Scope.nation(), stats.Scope.province("01", "Hà Nội"), stats.Scope.units(scenario["unit"])):
            for by in (None, "unit", "month", "province"):
                fast = stats.aggregate(scope, period, by=by)
                slow = stats.aggregate(scope, period, by=by, source="facts")
                assert {k: dict(v) for k, v in fast.items() if v["received"]} == {
                    k: dict(v) for k, v in slow.items() if v["received"]
                }, (scope.label, by)


def test_period_split_covers_every_day_once() -> None:
    for start, end in [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 1, 15), date(2026, 3, 10)),
        (date(2026, 2, 1), date(2026, 2, 27)),
        (date(2026, 2, 2), date(2026, 2, 28)),
    ]:
        full, edges = stats.Period(start, end).split()
        days = set()
        if full:
            month = full[0]
            while month <= full[1]:
                nxt = facts.next_month(month)
                days |= {month + timedelta(d) for d in range((nxt - month).days)}
                month = nxt
        for a, b in edges:
            days |= {a + timedelta(d) for d in range((b - a).days + 1)}
        assert days == {start + timedelta(d) for d in range((end - start).days + 1)}


def test_median() -> None:
    assert stats.median({}) is None
    assert stats.median({3: 1}) == 3
    assert stats.median({2: 1, 28: 1}) == 15
    assert stats.median({1: 1, 2: 1, 10: 1}) == 2
    assert stats.median({1: 2, 4: 1, 5: 1}) == 2.5


def test_report_needs_a_unit_the_user_may_see(scenario: dict[str, Any]) -> None:
    outsider = make_user("outsider", unit_code="UBND-79")
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/oversight/reports/download.xlsx?unit={UNIT}&kind=month&year=2026&number=3").status_code == 404
    assert client.get(f"/oversight/reports/?unit={UNIT}&kind=month&year=2026&number=3").status_code == 400
    nobody = Client()
    nobody.force_login(make_user("citizen_account"))
    assert nobody.get("/oversight/reports/").status_code == 404
