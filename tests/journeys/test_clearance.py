"""Land clearance (Quyết định 99-QĐ/TW: dialogue with the people "nhất là trong công tác giải phóng mặt bằng"): the
ward's reception clerk records the project to widen Đội Cấn street under its land-recovery decision, adds a household
(sealed at once: the page shows only its pseudonym), links the dialogue the chair held last week to the project and to
the complaint that required it, records who came and the signed minutes. On a cheap phone without JavaScript and on
a desktop with it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.timezone import localdate

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, staff_login, submit_case

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOUSEHOLD = {"name": "Hoàng Văn Thái", "phone": "0903111222", "parcel": "Thửa số 112, tờ bản đồ số 7"}


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    """Setup done on an earlier day (the browser itself always runs today)."""
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False):
        yield


def held_dialogue() -> tuple[Any, Any]:
    """A dialogue of the ward published two weeks before it was held, about a week ago; a complaint to the ward."""
    from pakn.cases import policy
    from pakn.org.models import Unit
    from pakn.reception import services

    calendar = policy.working_calendar()
    held_on = localdate() - timedelta(days=7)
    while not calendar.is_working_day(held_on):
        held_on -= timedelta(days=1)
    head = make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    ward = Unit.objects.get(code=f"UBND-{COMMUNE}")
    with on(held_on - timedelta(days=21)):
        session = services.schedule_session(
            actor=head, unit=ward, date=held_on, kind="dialogue", start_time=time(14), end_time=time(16),
            place="Hội trường UBND phường", presider_name="Lê Văn Cường, Chủ tịch UBND phường", publish=True,
        )  # fmt: skip
    with on(held_on, 17):
        services.record_session_held(actor=head, session=session, presider_name="Lê Văn Cường", presided_by_head=True)
    complaint = submit_case(
        kind="complaint",
        title="Khiếu nại diện tích đất bị thu hồi",
        content="Gia đình tôi khiếu nại Quyết định 1234/QĐ-UBND vì diện tích thu hồi tính cả phần đất đã hiến.",
    )
    return session, complaint


def open_action(page: Any, name: str) -> Any:
    """The form of a session action (a <details>), opened."""
    box = page.locator(f"#action-{name}")
    box.locator("summary").click()
    return box


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["phone-no-js", "desktop-js"])
def test_clerk_records_a_project_a_household_and_the_dialogues_minutes(
    new_page: Callable[..., Any], js: bool, viewport: dict[str, int]
) -> None:
    from pakn.core.tracking import format_tracking_code

    session, complaint = held_dialogue()
    make_user("canbo", unit_code=f"UBND-{COMMUNE}", role="clerk")
    page = new_page(js=js, viewport=viewport)
    staff_login(page, "canbo")

    page.goto("/reception/staff/")
    page.get_by_role("navigation", name="Tiếp công dân").get_by_role("link", name="Giải phóng mặt bằng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dự án giải phóng mặt bằng")
    expect(page.get_by_text("Chưa có dự án nào.")).to_be_visible()
    page.get_by_role("link", name="Ghi nhận dự án").click()
    page.get_by_label("Tên dự án").fill("Mở rộng phố Đội Cấn đoạn số 1–50")
    page.get_by_label("Ngày quyết định thu hồi đất").fill("02/03/2026")
    page.get_by_role("button", name="Ghi nhận dự án").click()  # no decision number: refused, what was typed kept
    expect(page.get_by_text("Trường này là bắt buộc.").first).to_be_visible()
    expect(page.get_by_label("Tên dự án")).to_have_value("Mở rộng phố Đội Cấn đoạn số 1–50")
    page.get_by_label("Số quyết định thu hồi đất").fill("1234/QĐ-UBND")
    page.get_by_role("button", name="Ghi nhận dự án").click()
    expect(page.get_by_text("Đã ghi nhận dự án giải phóng mặt bằng.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mở rộng phố Đội Cấn đoạn số 1–50")
    expect(page.locator("#project-decision")).to_have_text("1234/QĐ-UBND ngày 02/03/2026")
    expect(page.locator("#household-count")).to_have_text("0")
    project_url = page.url

    page.get_by_role("link", name="Thêm hộ bị ảnh hưởng").click()
    page.get_by_label("Họ và tên người đại diện hộ").fill(HOUSEHOLD["name"])
    page.get_by_label("Số điện thoại").fill(HOUSEHOLD["phone"])
    page.get_by_label("Thửa đất bị thu hồi").fill(HOUSEHOLD["parcel"])
    page.get_by_role("button", name="Thêm hộ").click()
    added = re.compile(r"Đã thêm Hộ #[0-9A-Z]{4}; thông tin của hộ đã được niêm phong\.")
    expect(page.get_by_text(added)).to_be_visible()
    expect(page.locator("#household-count")).to_have_text("1")
    pseudonym = page.locator("#households li").first.inner_text().split(" (")[0].strip()
    assert re.fullmatch(r"Hộ #[0-9A-Z]{4}", pseudonym), pseudonym
    for secret in HOUSEHOLD.values():
        assert secret not in page.content()

    page.goto(f"/reception/staff/sessions/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đối thoại với Nhân dân")
    link = open_action(page, "link")
    link.get_by_label("Dự án giải phóng mặt bằng").select_option(label="Mở rộng phố Đội Cấn đoạn số 1–50")
    link.get_by_label("Mã hồ sơ khiếu nại").fill(format_tracking_code(complaint.tracking_code))
    link.get_by_role("button", name="Gắn dự án, hồ sơ khiếu nại").click()
    expect(page.get_by_text("Đã thực hiện: Gắn dự án, hồ sơ khiếu nại.")).to_be_visible()
    expect(page.locator("#dialogue-project")).to_contain_text("Mở rộng phố Đội Cấn đoạn số 1–50")
    expect(page.locator("#dialogue-complaint")).to_contain_text(format_tracking_code(complaint.tracking_code))

    attendance = open_action(page, "attendance")
    attendance.get_by_label(pseudonym).check()
    attendance.get_by_role("button", name="Ghi danh sách hộ tham dự").click()
    expect(page.locator("#dialogue-attendance")).to_have_text(f"{pseudonym}: có mặt")

    minutes = open_action(page, "minutes")
    minutes.get_by_role("button", name="Ghi biên bản đối thoại").click()  # empty: refused, the form open again
    expect(page.locator("#action-minutes")).to_have_attribute("open", "")
    expect(page.locator("#action-minutes").get_by_text("Trường này là bắt buộc.").first).to_be_visible()
    minutes = page.locator("#action-minutes")
    minutes.get_by_label("Nội dung biên bản").fill(
        f"Ông {HOUSEHOLD['name']} đề nghị đo đạc lại diện tích thu hồi. Chủ tịch giao bộ phận địa chính đo lại."
    )
    minutes.get_by_label("Người ký biên bản").fill("Chủ tịch UBND phường; đại diện 1 hộ; thư ký")
    minutes.get_by_role("button", name="Ghi biên bản đối thoại").click()
    expect(page.get_by_text("Đã thực hiện: Ghi biên bản đối thoại.")).to_be_visible()
    signed = page.locator("#dialogue-minutes")
    expect(signed).to_contain_text("đề nghị đo đạc lại diện tích thu hồi")
    expect(signed).to_contain_text("Chủ tịch UBND phường; đại diện 1 hộ; thư ký")
    expect(signed).not_to_contain_text(HOUSEHOLD["name"])  # the household's name is removed
    expect(page.locator("#action-link")).to_have_count(0)  # signed: the dialogue's links are fixed

    page.goto(project_url)
    dialogue = page.locator(f"#dialogue-{session.pk}")
    expect(dialogue).to_contain_text("Đã tiếp")
    expect(dialogue).to_contain_text("1 hộ có mặt")
    expect(dialogue).to_contain_text("đề nghị đo đạc lại diện tích thu hồi")
    assert HOUSEHOLD["name"] not in page.content()
