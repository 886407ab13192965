"""A journalist, not logged in, checks the platform's figures: the statistics page for Hà Nội over a chosen
period, a published answer (the reporter agreed to publish it), and the open data for the same period, whose
figures must be the page's figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.timezone import localdate

from journeys.conftest import COMMUNE, DESKTOP, PHONE, REPORTER, expect, make_user, submit_case

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = f"UBND-{COMMUNE}"
PUBLISHED_ANSWER = (
    "Ủy ban nhân dân phường đã thay toàn bộ bóng đèn đường trên phố Kim Mã và kiểm tra lại hệ thống điện."
)


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
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


def read_csv(download: Any) -> list[dict[str, str]]:
    with open(download.path(), encoding="utf-8-sig") as file:
        return list(csv.DictReader(io.StringIO(file.read())))


def seed() -> Any:
    from pakn.cases import services

    clerk = make_user("vanthu", unit_code=UNIT)
    with on(working_day_before(40)):
        published = submit_case(
            title="Đèn đường hỏng trên phố Kim Mã",
            content="Ba cột đèn đường trên phố Kim Mã không sáng đã hai tuần, buổi tối rất tối.",
            publish=True,
        )
        services.accept_case(actor=clerk, case=published)
        services.resolve_case(actor=clerk, case=published, body=PUBLISHED_ANSWER, kind="answer")
        private = submit_case(kind="petition", title="Kiến nghị về lối đi chung trong ngõ 5 Liễu Giai")
        services.accept_case(actor=clerk, case=private)
        services.resolve_case(actor=clerk, case=private, body="Đã hòa giải giữa các hộ.", kind="answer")
    services.rate_case(case=published, level=5, comment="Rất nhanh.")
    submit_case(title="Rác thải tồn đọng ở chợ Ngọc Hà")
    submit_case(kind="complaint", title="Khiếu nại quyết định xử phạt vi phạm trật tự xây dựng")
    submit_case(title="Ổ gà trên đường Nguyễn Trãi", province_code="79", commune_code="25747")  # elsewhere
    return published


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["phone-js", "desktop-no-js"])
def test_journalist_checks_statistics_against_the_open_data(
    new_page: Callable[..., Any], js: bool, viewport: dict[str, int]
) -> None:
    published = seed()
    start = (localdate() - timedelta(days=75)).replace(day=1)
    today = localdate()

    page = new_page(js=js, viewport=viewport)
    page.goto("/public/")
    page.locator("nav.subnav").get_by_role("link", name="Thống kê", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê tiếp nhận và giải quyết")
    page.get_by_label("Tỉnh, thành phố", exact=True).select_option(label="Thành phố Hà Nội")
    page.get_by_label("Từ ngày").fill(f"{start:%d/%m/%Y}")
    page.get_by_label("Đến ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.locator("p.lead")).to_contain_text("Thành phố Hà Nội")
    expect(page.locator("#period-hint")).to_contain_text(f"{start:%d/%m/%Y}")
    received = int(page.locator("#kpi-received").inner_text().strip())
    resolved = int(page.locator("#kpi-resolved").inner_text().strip())
    assert (received, resolved) == (4, 2)  # Hà Nội only: the case in Hồ Chí Minh City is not counted
    expect(page.locator("#kpi-rated")).to_have_text("1")
    months = {
        row.get_attribute("data-key"): int(row.locator("td[data-figure=received]").inner_text().strip())
        for row in page.locator("#table-months tbody tr").all()
    }
    assert sum(months.values()) == received and months.get(f"{today:%Y-%m}", 0) >= 2, months

    # The open data of the same scope and period.
    page.get_by_role("link", name="Tải các số liệu này (CSV, JSON)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu mở")
    expect(page.locator("p.hint").first).to_contain_text("Thành phố Hà Nội")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải CSV: Thống kê theo tháng").click()
    month_rows = read_csv(caught.value)
    assert caught.value.suggested_filename == "pakn-months.csv"
    assert {r["month"]: int(r["received"]) for r in month_rows if int(r["received"])} == {
        k: v for k, v in months.items() if v
    }
    assert sum(int(r["resolved"]) for r in month_rows) == resolved
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải CSV: Thống kê theo đơn vị").click()
    unit_rows = {r["unit_code"]: r for r in read_csv(caught.value)}
    assert int(unit_rows[UNIT]["received"]) == received and int(unit_rows[UNIT]["rated"]) == 1
    assert unit_rows[UNIT]["period_start"] == start.isoformat() and unit_rows[UNIT]["period_end"] == today.isoformat()
    assert all(r["province_code"] == "01" for r in unit_rows.values())

    # The published answer, without the reporter.
    page.locator("nav.subnav").get_by_role("link", name="Trả lời, kết luận").click()
    answers = page.locator("#table-answers tbody tr")
    expect(answers).to_have_count(1)  # the other answer was not agreed for publication
    answers.get_by_role("link", name="Đèn đường hỏng trên phố Kim Mã").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đèn đường hỏng trên phố Kim Mã")
    expect(page.locator(".quote")).to_have_text(PUBLISHED_ANSWER)
    expect(page.locator("dl.facts")).to_contain_text("Ủy ban nhân dân Phường Ba Đình")
    expect(page.locator("dl.facts")).to_contain_text(f"{published.received_on:%d/%m/%Y}")
    for secret in (REPORTER["name"], REPORTER["phone"], REPORTER["email"], published.tracking_code):
        expect(page.locator("body")).not_to_contain_text(secret)
    page.goto("/public/data/")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải CSV: Trả lời, kết luận được công khai").click()
    [answer] = read_csv(caught.value)
    assert PUBLISHED_ANSWER in answer.values() and REPORTER["name"] not in ",".join(answer.values())
