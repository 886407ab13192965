"""Directives → plans → tasks → progress reports: the pure task states, a directive cascaded through
two levels with one unit late, access isolation, and the cascade report in Excel and PDF."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import COMMUNE, OTHER_COMMUNE, make_user
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.org.models import Unit
from pakn.plans import cascade, queries, services
from pakn.plans.models import Directive, Plan, ProgressReport, Task
from pakn.reception.models import Activity

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 3, 2)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=TZ)


@pytest.fixture
def travel() -> Iterator[Any]:
    traveller = time_machine.travel(at(TODAY), tick=False)
    yield traveller.start()
    traveller.stop()


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


# ---------------------------------------------------------------- pure states


@pytest.mark.parametrize(
    ("reports", "today", "code", "days_late"),
    [
        ([], date(2026, 3, 1), cascade.NOT_REPORTED, 0),
        ([(date(2026, 2, 20), 40, False)], date(2026, 3, 1), cascade.IN_PROGRESS, 0),
        ([(date(2026, 2, 20), 40, False)], date(2026, 3, 5), cascade.OVERDUE, 4),
        ([], date(2026, 3, 5), cascade.OVERDUE, 4),
        ([(date(2026, 2, 20), 40, False), (date(2026, 2, 28), 100, True)], date(2026, 3, 5), cascade.ON_TIME, 0),
        ([(date(2026, 3, 3), 100, True)], date(2026, 3, 10), cascade.DONE_LATE, 2),
    ],
)
def test_task_state(reports: list[tuple[date, int, bool]], today: date, code: str, days_late: int) -> None:
    state = cascade.task_state(due_on=date(2026, 3, 1), today=today, reports=reports, planned=True)
    assert (state.code, state.days_late) == (code, days_late)
    assert state.late == (code in (cascade.OVERDUE, cascade.DONE_LATE))
    assert state.reported == bool(reports)
    if code in (cascade.ON_TIME, cascade.DONE_LATE):
        assert state.percent == 100


# ---------------------------------------------------------------- the cascade through two levels


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return {
        "city": make_user("thanhuy", unit_code="DU-01", role="clerk"),
        "ward": make_user("danguy_badinh", unit_code=f"DU-{COMMUNE}", role="clerk"),
        "other_ward": make_user("danguy_ngocha", unit_code=f"DU-{OTHER_COMMUNE}", role="clerk"),
        "ward_pc": make_user("ubnd_badinh", unit_code=f"UBND-{COMMUNE}", role="clerk"),
        "outsider": make_user("ubnd_hcm", unit_code="UBND-79", role="clerk"),
        "city_head": make_user("bithu", unit_code="DU-01", role="head", include_subunits=True),
    }


def build(people: dict[str, Any], travel: Any) -> dict[str, Any]:
    """54-KL/TW → Thành ủy Hà Nội 165-KH/TU → tasks for two ward party committees; Ba Đình issues
    141-KH/ĐU with a task for its People's Committee and reports; Ngọc Hà does nothing and is late."""
    travel.move_to(at(date(2026, 1, 5)))
    directive = services.record_directive(
        actor=people["city"],
        number="54-KL/TW",
        title="Kết luận về tiếp tục thực hiện Quyết định số 99-QĐ/TW",
        issuer="Ban Bí thư Trung ương Đảng",
        issued_on=date(2023, 5, 9),
    )
    city_plan = services.issue_plan(
        actor=people["city"],
        directive=directive,
        unit=unit("DU-01"),
        number="165-KH/TU",
        title="Kế hoạch thực hiện Kết luận 54-KL/TW",
        issued_on=date(2026, 1, 5),
    )
    ward_task = services.assign_task(
        actor=people["city"],
        plan=city_plan,
        assignee=unit(f"DU-{COMMUNE}"),
        title="Xây dựng kế hoạch, tổ chức tiếp dân định kỳ",
        due_on=date(2026, 2, 27),
    )
    late_task = services.assign_task(
        actor=people["city"],
        plan=city_plan,
        assignee=unit(f"DU-{OTHER_COMMUNE}"),
        title="Xây dựng kế hoạch, tổ chức tiếp dân định kỳ",
        due_on=date(2026, 2, 27),
    )
    travel.move_to(at(date(2026, 1, 12)))
    ward_plan = services.issue_plan(
        actor=people["ward"],
        directive=directive,
        unit=unit(f"DU-{COMMUNE}"),
        parent=city_plan,
        number="141-KH/ĐU",
        title="Kế hoạch của Đảng ủy phường Ba Đình",
        issued_on=date(2026, 1, 12),
    )
    pc_task = services.assign_task(
        actor=people["ward"],
        plan=ward_plan,
        assignee=unit(f"UBND-{COMMUNE}"),
        title="Công khai lịch tiếp công dân của Chủ tịch UBND phường",
        due_on=date(2026, 3, 31),
    )
    travel.move_to(at(date(2026, 2, 20)))
    services.report_progress(
        actor=people["ward"],
        task=ward_task,
        number="12-BC/ĐU",
        percent=100,
        is_final=True,
        body="Đã ban hành Kế hoạch 141-KH/ĐU, tổ chức tiếp dân tháng 1, 2.",
        reported_on=date(2026, 2, 20),
    )
    services.report_progress(
        actor=people["ward_pc"],
        task=pc_task,
        percent=30,
        body="Đã công khai lịch quý I.",
        reported_on=date(2026, 2, 20),
    )
    travel.move_to(at(TODAY))
    return {
        "directive": directive,
        "city_plan": city_plan,
        "ward_plan": ward_plan,
        "ward_task": ward_task,
        "late_task": late_task,
        "pc_task": pc_task,
    }


def test_cascade_through_two_levels_shows_who_planned_reported_and_is_late(people: dict[str, Any], travel: Any) -> None:
    data = build(people, travel)
    result = queries.build_cascade(data["directive"], user=people["city_head"], today=TODAY)
    assert [n.plan.number for n in result.roots] == ["165-KH/TU"]
    assert [c.plan.number for c in result.roots[0].children] == ["141-KH/ĐU"]
    summary = {u.code: s for u, s in result.units}
    assert summary[f"DU-{COMMUNE}"].plan_number == "141-KH/ĐU" and summary[f"DU-{COMMUNE}"].done == 1
    assert summary[f"DU-{COMMUNE}"].late == 0 and summary[f"DU-{COMMUNE}"].status == "Đã hoàn thành"
    late = summary[f"DU-{OTHER_COMMUNE}"]
    assert (late.planned, late.reported, late.late) == (False, 0, 1)
    assert summary[f"UBND-{COMMUNE}"].reported == 1 and summary[f"UBND-{COMMUNE}"].late == 0
    assert [u.code for u in result.late_units] == [f"DU-{OTHER_COMMUNE}"]
    states = {r.task.pk: r.state for r in result.rows}
    assert states[data["late_task"].pk].code == cascade.OVERDUE and states[data["late_task"].pk].days_late == 3
    assert states[data["ward_task"].pk].code == cascade.ON_TIME and states[data["ward_task"].pk].planned
    assert states[data["pc_task"].pk].code == cascade.IN_PROGRESS and states[data["pc_task"].pk].percent == 30
    assert Activity.objects.filter(app="plans").count() == 8


def test_cascade_page_lists_the_late_unit(people: dict[str, Any], travel: Any, login: Any) -> None:
    data = build(people, travel)
    page = login(people["city"]).get(reverse("plans_directive", args=[data["directive"].pk])).content.decode()
    assert "165-KH/TU" in page and "141-KH/ĐU" in page
    assert "Đảng ủy Phường Ngọc Hà" in page and "Chưa có kế hoạch" in page and "Quá hạn" in page


def test_services_refuse_what_the_rules_forbid(people: dict[str, Any], travel: Any) -> None:
    data = build(people, travel)
    with pytest.raises(InvalidInput) as caught:  # a city plan cannot task a unit of another province
        services.assign_task(
            actor=people["city"], plan=data["city_plan"], assignee=unit("UBND-79"), title="X", due_on=date(2026, 6, 1)
        )
    assert "assignee" in caught.value.fields
    with pytest.raises(InvalidInput):  # a ward plan cannot task another ward's units
        services.assign_task(
            actor=people["ward"],
            plan=data["ward_plan"],
            assignee=unit(f"UBND-{OTHER_COMMUNE}"),
            title="X",
            due_on=date(2026, 6, 1),
        )
    with pytest.raises(Forbidden):  # only the plan's unit assigns its tasks
        services.assign_task(
            actor=people["other_ward"],
            plan=data["city_plan"],
            assignee=unit(f"DU-{COMMUNE}"),
            title="X",
            due_on=date(2026, 6, 1),
        )
    with pytest.raises(Forbidden):  # only the assigned unit reports
        services.report_progress(
            actor=people["other_ward"], task=data["pc_task"], percent=50, body="X", reported_on=TODAY
        )
    with pytest.raises(InvalidTransition):  # a finished task takes no more reports
        services.report_progress(actor=people["ward"], task=data["ward_task"], percent=100, body="X", reported_on=TODAY)
    with pytest.raises(InvalidInput):  # one plan per unit and directive
        services.issue_plan(
            actor=people["ward"],
            directive=data["directive"],
            unit=unit(f"DU-{COMMUNE}"),
            number="142-KH/ĐU",
            title="Trùng",
            issued_on=TODAY,
        )
    with pytest.raises(InvalidInput) as caught:
        services.record_directive(
            actor=people["city"], number="54-KL/TW", title="Trùng số", issuer="X", issued_on=TODAY
        )
    assert "number" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        services.report_progress(
            actor=people["ward_pc"], task=data["pc_task"], percent=120, body="", reported_on="ngày mai"
        )
    assert {"percent", "body", "reported_on"} <= set(caught.value.fields)
    assert ProgressReport.objects.count() == 2


def test_another_units_plans_answer_not_found(people: dict[str, Any], travel: Any, login: Any) -> None:
    data = build(people, travel)
    outsider = login(people["outsider"])
    assert outsider.get(reverse("plans_plan", args=[data["ward_plan"].pk])).status_code == 404
    assert outsider.get(reverse("plans_task", args=[data["pc_task"].pk])).status_code == 404
    assert (
        outsider.post(
            reverse("plans_task_report", args=[data["pc_task"].pk]),
            {"percent": 50, "body": "X", "reported_on": "2026-03-02"},
        ).status_code
        == 404
    )
    page = outsider.get(reverse("plans_directive", args=[data["directive"].pk])).content.decode()
    assert "141-KH/ĐU" not in page and "165-KH/TU" not in page
    # The other ward sees the city plan that tasks it, not Ba Đình's own plan.
    other = login(people["other_ward"])
    assert other.get(reverse("plans_plan", args=[data["city_plan"].pk])).status_code == 200
    assert other.get(reverse("plans_plan", args=[data["ward_plan"].pk])).status_code == 404


def test_the_whole_cascade_through_the_pages(people: dict[str, Any], travel: Any, login: Any) -> None:
    city, ward = login(people["city"]), login(people["ward"])
    response = city.post(
        reverse("plans_directive_new"),
        {"number": "54-KL/TW", "title": "Kết luận 54", "issuer": "Ban Bí thư", "issued_on": "2023-05-09"},
    )
    assert response.status_code == 302
    directive = Directive.objects.get()
    response = city.post(
        reverse("plans_plan_new", args=[directive.pk]),
        {"unit": unit("DU-01").pk, "number": "165-KH/TU", "title": "Kế hoạch của Thành ủy", "issued_on": "2026-03-02"},
    )
    assert response.status_code == 302
    city_plan = Plan.objects.get()
    response = city.post(
        reverse("plans_plan_task", args=[city_plan.pk]),
        {"assignee": unit(f"DU-{COMMUNE}").pk, "title": "Ban hành kế hoạch của phường", "due_on": "2026-03-31"},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    form = ward.get(reverse("plans_plan_new", args=[directive.pk]) + f"?parent={city_plan.pk}").content.decode()
    assert "165-KH/TU" in form
    response = ward.post(
        reverse("plans_plan_new", args=[directive.pk]),
        {
            "unit": unit(f"DU-{COMMUNE}").pk,
            "parent": city_plan.pk,
            "number": "141-KH/ĐU",
            "title": "Kế hoạch của phường",
            "issued_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    bad = ward.post(
        reverse("plans_task_report", args=[task.pk]), {"percent": 50, "body": "", "reported_on": "2026-03-02"}
    )
    assert bad.status_code == 400
    response = ward.post(
        reverse("plans_task_report", args=[task.pk]),
        {
            "number": "3-BC/ĐU",
            "percent": 100,
            "body": "Đã ban hành 141-KH/ĐU",
            "reported_on": "2026-03-02",
            "is_final": "on",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_on == TODAY
    assert Plan.objects.get(number="141-KH/ĐU").parent_id == city_plan.pk


# ---------------------------------------------------------------- reports


def test_cascade_excel_contains_the_figures(people: dict[str, Any], travel: Any, login: Any) -> None:
    from openpyxl import load_workbook

    data = build(people, travel)
    response = login(people["city_head"]).get(reverse("plans_directive", args=[data["directive"].pk]) + "?format=xlsx")
    assert response.status_code == 200 and "trien-khai-54-kl-tw" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    units = {r[0]: r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0]}
    assert units["Đảng ủy Phường Ngọc Hà"][1:8] == ("Chưa có kế hoạch", None, 1, 0, 0, 1, "Có nhiệm vụ trễ hạn")
    assert units["Đảng ủy Phường Ba Đình"][1] == "141-KH/ĐU" and units["Đảng ủy Phường Ba Đình"][5] == 1
    tasks = [r for r in book.worksheets[1].iter_rows(values_only=True)]
    assert any(r[3] == "Đảng ủy Phường Ngọc Hà" and r[8] == "Quá hạn" and r[9] == 3 for r in tasks)


def test_cascade_pdf_has_vietnamese_text(people: dict[str, Any], travel: Any, login: Any) -> None:
    data = build(people, travel)
    response = login(people["city_head"]).get(reverse("plans_directive", args=[data["directive"].pk]) + "?format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    text = unicodedata.normalize(
        "NFC", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    )
    assert "BÁO CÁO" in text and "Tình hình triển khai 54-KL/TW" in text  # Decree 30: kind in capitals, title not
    assert "Đảng ủy Phường Ngọc Hà" in text and "Quá hạn" in text and "141-KH/ĐU" in text
