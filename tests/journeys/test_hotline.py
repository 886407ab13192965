"""Leaders' hotlines: a resident on a phone without JavaScript finds the ward chair's hotline; the official on
duty logs a call and turns it into a case in one step, and the caller's name never shows in the log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from journeys.conftest import COMMUNE, PHONE, expect, make_user, staff_login


def test_resident_finds_the_hotline_and_the_official_on_duty_turns_a_call_into_a_case(
    new_page: Callable[..., Any],
) -> None:
    from pakn.hotline import services
    from pakn.hotline.models import Call
    from pakn.org.models import Unit

    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    hotline = services.create_hotline(
        actor=clerk,
        unit=Unit.objects.get(code=f"UBND-{COMMUNE}"),
        official_name="Lê Văn Cường",
        position="Chủ tịch UBND phường Ba Đình",
        phone="024 3823 4567",
        hours="Thứ 2–6, 7:30–17:00",
    )
    now = timezone.now()
    services.add_shift(
        actor=clerk,
        hotline=hotline,
        official=clerk,
        starts_at=now - timedelta(hours=3),
        ends_at=now + timedelta(hours=3),
    )

    resident = new_page(js=False, viewport=PHONE)
    resident.goto("/hotlines/")
    resident.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    resident.get_by_label("Xã/phường, cơ quan hoặc tên lãnh đạo").fill("ba dinh")
    resident.get_by_role("button", name="Tìm").click()
    expect(resident.get_by_role("link", name="024 3823 4567")).to_have_attribute("href", "tel:02438234567")
    expect(resident.get_by_text("Thứ 2–6, 7:30–17:00")).to_be_visible()

    official = new_page()
    staff_login(official, "canbo")
    official.locator("nav.nav-wide .nav-list").get_by_role("link", name="Đường dây nóng", exact=True).click()
    official.get_by_role("link", name="Lê Văn Cường").click()
    official.get_by_role("link", name="Ghi nhận cuộc gọi").click()
    official.get_by_label("Thời lượng (phút)").fill("6")
    official.get_by_label("Tóm tắt nội dung cuộc gọi").fill("Cống thoát nước ngõ 12 Đào Tấn bị tắc, nước tràn vào nhà.")
    official.get_by_label("Tiếp nhận thành đơn").check()
    official.get_by_label("Loại đơn").select_option("report")
    official.get_by_label("Họ và tên người gọi").fill("Đặng Thị Mai")
    official.get_by_label("Số điện thoại người gọi").fill("0903123456")
    official.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(official.get_by_role("status")).to_contain_text("Đã ghi nhận cuộc gọi và lập đơn")
    call = Call.objects.get()
    assert call.case is not None and call.on_duty == clerk
    log = official.locator("table").first
    expect(log).to_contain_text("Cống thoát nước ngõ 12 Đào Tấn")
    html = official.content()
    assert "Đặng Thị Mai" not in html and "0903123456" not in html
