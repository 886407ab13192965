"""After the reception day: the commune's reception clerk enters the visit of a citizen who had booked a slot in
the register (sổ tiếp công dân), which shows a pseudonym, never the name. The plans cascade: a ward's party
committee reports progress on the task the city gave it, and the city sees it in the cascade."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.timezone import localdate

from journeys.conftest import COMMUNE, DESKTOP, OTHER_COMMUNE, PASSWORD, PHONE, expect, make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CITIZEN = {"name": "Phạm Văn Hải", "phone": "0987001122", "email": "hai.pham@example.vn"}


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    """Setup done on an earlier day (the browser itself always runs today)."""
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False):
        yield


def working_day_before(days: int) -> date:
    """A working day (no weekend, no public holiday) about ``days`` days ago."""
    from pakn.cases import policy

    calendar = policy.working_calendar()
    day = localdate() - timedelta(days=days)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def log_in(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def workbook_cells(download: Any) -> list[list[str]]:
    """Every non-empty row of every sheet of a downloaded workbook, as text."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts = [str(c).strip() for c in row if c not in (None, "")]
            if texts:
                rows.append(texts)
    return rows


def open_menu(page: Any, label: str, *, phone: bool) -> None:
    if phone:
        page.get_by_text("Danh mục").click()
        page.get_by_role("link", name=label, exact=True).click()
    else:
        page.locator("nav.nav-wide .nav-list").get_by_role("link", name=label, exact=True).click()


# ---------------------------------------------------------------- 4. the reception register


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_reception_clerk_registers_a_booked_visit_under_a_pseudonym(new_page: Callable[..., Any], js: bool) -> None:
    from pakn.org.models import Unit
    from pakn.reception import services
    from pakn.reception.models import Entry

    clerk = make_user("tiepdan", unit_code=f"UBND-{COMMUNE}")
    held_on = working_day_before(10)
    with on(held_on - timedelta(days=21)):
        session = services.schedule_session(
            actor=clerk,
            unit=Unit.objects.get(code=f"UBND-{COMMUNE}"),
            date=held_on,
            start_time=time(8, 0),
            end_time=time(11, 0),
            place="Phòng tiếp công dân, trụ sở UBND phường",
            presider_name="Lê Văn Cường, Chủ tịch UBND phường",
            publish=True,
        )
    with on(held_on - timedelta(days=7)):  # the citizen books (as test_workspaces does in the browser)
        booking = services.book_slot(
            session=session, summary="Hỏi về việc cấp giấy chứng nhận quyền sử dụng đất ở ngõ 12 Đội Cấn.", **CITIZEN
        )
    with on(held_on, 15):
        services.record_session_held(actor=clerk, session=session, presider_name="Lê Văn Cường", presided_by_head=True)

    page = new_page(js=js, viewport=PHONE)
    log_in(page, "tiepdan")
    if js:
        open_menu(page, "Tiếp công dân", phone=True)
    else:
        page.goto("/reception/staff/")
    page.get_by_role("link", name=f"{held_on:%d/%m/%Y} 08:00").first.click()
    bookings = page.locator("table.stack").first
    expect(bookings).to_contain_text(booking.pseudonym)
    expect(bookings).not_to_contain_text(CITIZEN["name"])
    bookings.get_by_role("link", name="Vào sổ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vào sổ tiếp công dân")
    expect(page.get_by_label("Ngày tiếp")).to_have_value(f"{held_on:%d/%m/%Y}")
    expect(page.get_by_label("Nội dung vụ việc")).to_have_value(re.compile("cấp giấy chứng nhận"))
    page.get_by_label("Phân loại").select_option(label="Kiến nghị")
    page.get_by_label("Hướng dẫn, chuyển đơn (số văn bản)").fill("Hướng dẫn nộp hồ sơ tại bộ phận một cửa")
    page.get_by_role("button", name="Vào sổ").click()
    entry = Entry.objects.get()
    expect(page.get_by_role("status")).to_contain_text(f"Đã vào sổ tiếp công dân số {entry.reference}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Lượt tiếp số {entry.reference}")
    expect(page.locator("dl.facts")).to_contain_text(entry.pseudonym)
    expect(page.locator("body")).not_to_contain_text(CITIZEN["name"])

    page.locator("nav.subnav").get_by_role("link", name="Sổ tiếp công dân").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sổ tiếp công dân")
    row = page.locator("table tbody tr", has_text=entry.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(entry.pseudonym)
    expect(row).to_contain_text("(danh tính niêm phong)")
    expect(row).to_contain_text(f"{held_on:%d/%m/%Y}")
    expect(row).to_contain_text("Kiến nghị")
    for secret in CITIZEN.values():
        expect(page.locator("body")).not_to_contain_text(secret)
    assert re.fullmatch(r"Công dân #\S+", entry.pseudonym), entry.pseudonym

    # The register downloaded for the unit: the pseudonym again, never the person.
    page.get_by_label("Đơn vị", exact=True).select_option(label="Ủy ban nhân dân Phường Ba Đình")
    page.get_by_role("button", name="Lọc").click()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải sổ (Excel)").click()
    cells = workbook_cells(caught.value)
    row = next(r for r in cells if entry.pseudonym in r)
    joined = " ".join(row)
    assert "Kiến nghị" in row and (f"{held_on:%d/%m/%Y}" in joined or held_on.isoformat() in joined), row
    flat = " ".join(" ".join(r) for r in cells)
    for secret in CITIZEN.values():
        assert secret not in flat, secret


# ---------------------------------------------------------------- 5. the plans cascade


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_ward_reports_progress_and_the_city_sees_it_in_the_cascade(new_page: Callable[..., Any], js: bool) -> None:
    from pakn.org.models import Unit
    from pakn.plans import services

    city = make_user("thanhuy", unit_code="DU-01")
    make_user("danguy_ngocha", unit_code=f"DU-{OTHER_COMMUNE}")
    issued = working_day_before(14)
    due = localdate() + timedelta(days=30)
    with on(issued):
        directive = services.record_directive(
            actor=city,
            number="54-KL/TW",
            title="Kết luận về tiếp tục thực hiện Quyết định số 99-QĐ/TW",
            issuer="Ban Bí thư Trung ương Đảng",
            issued_on=date(2023, 5, 9),
        )
        plan = services.issue_plan(
            actor=city,
            directive=directive,
            unit=Unit.objects.get(code="DU-01"),
            number="165-KH/TU",
            title="Kế hoạch thực hiện Kết luận 54-KL/TW",
            issued_on=issued,
        )
        services.assign_task(
            actor=city,
            plan=plan,
            assignee=Unit.objects.get(code=f"DU-{OTHER_COMMUNE}"),
            title="Tổ chức tiếp dân định kỳ của Bí thư Đảng ủy phường",
            due_on=due,
        )

    ward = new_page(js=js, viewport=PHONE)
    log_in(ward, "danguy_ngocha")
    if js:
        open_menu(ward, "Kế hoạch, nhiệm vụ", phone=True)
    else:
        ward.goto("/plans/")
    mine = ward.locator("table", has=ward.get_by_role("columnheader", name="Theo kế hoạch"))
    expect(mine).to_contain_text("165-KH/TU")
    mine.get_by_role("link", name="Tổ chức tiếp dân định kỳ của Bí thư Đảng ủy phường").click()
    expect(ward.locator("#task-state")).to_contain_text("Chưa báo cáo")
    expect(ward.get_by_label("Ngày báo cáo")).to_have_value(f"{localdate():%d/%m/%Y}")
    ward.get_by_label("Số báo cáo").fill("07-BC/ĐU")
    ward.get_by_label("Mức độ hoàn thành (%)").fill("60")
    ward.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 2 buổi tiếp dân định kỳ, tiếp 9 lượt công dân.")
    ward.get_by_role("button", name="Gửi báo cáo").click()
    expect(ward.get_by_role("status")).to_contain_text("Đã gửi báo cáo.")
    report = ward.locator("article.answer").first
    expect(report).to_contain_text(f"{localdate():%d/%m/%Y} · 07-BC/ĐU · 60%")
    expect(report).to_contain_text("tiếp 9 lượt công dân")

    city_page = new_page(viewport=DESKTOP)
    log_in(city_page, "thanhuy")
    city_page.locator("nav.nav-wide .nav-list").get_by_role("link", name="Kế hoạch, nhiệm vụ", exact=True).click()
    city_page.get_by_role("link", name="54-KL/TW").click()
    units = city_page.locator("#units tbody tr", has_text="Đảng ủy Phường Ngọc Hà")
    cells = units.locator("td")
    expect(cells.nth(3)).to_have_text("1")  # reported
    expect(cells.nth(5)).to_have_text("0")  # nothing late
    task_row = city_page.locator(".plan-node tbody tr", has_text="Tổ chức tiếp dân định kỳ của Bí thư Đảng ủy phường")
    expect(task_row).to_contain_text("Đảng ủy Phường Ngọc Hà")
    expect(task_row).to_contain_text(f"{localdate():%d/%m/%Y} · 60%")
    expect(task_row).to_contain_text(f"{due:%d/%m/%Y}")
    with city_page.expect_download() as caught:
        city_page.get_by_role("link", name="Tải Excel").click()
    row = next(r for r in workbook_cells(caught.value) if "Tổ chức tiếp dân định kỳ của Bí thư Đảng ủy phường" in r)
    assert "Đảng ủy Phường Ngọc Hà" in row and any(c in ("60", "60%") for c in row), row
    task_row.get_by_role("link").click()
    expect(city_page.locator("article.answer")).to_contain_text("tiếp 9 lượt công dân")
    expect(city_page.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)  # the city reads, the ward reports
