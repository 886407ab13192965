"""A ward chair gives ten new cases to a clerk at once; the clerk finds them under "Giao cho tôi", sorts them by
title and leaves an internal note the citizen never sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user, staff_login, submit_case


@pytest.mark.parametrize(("js", "viewport"), [(True, DESKTOP), (False, PHONE)], ids=["js-desktop", "no-js-phone"])
def test_ten_cases_given_at_once_and_a_note(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    clerk.last_name, clerk.first_name = "Trần Thị", "Bình"
    clerk.save()
    cases = [submit_case(title=f"Ổ gà trên phố Kim Mã, đoạn {i:02d}") for i in range(10)]

    head = new_page(js=js, viewport=viewport)
    head.goto("/staff/login/")
    head.get_by_label("Tên đăng nhập").fill("chutich")
    head.get_by_label("Mật khẩu").fill(PASSWORD)
    head.get_by_role("button", name="Đăng nhập").click()
    head.goto("/staff/?status=open&sort=title")
    for case in cases:
        head.locator(f"#pick-{case.pk}").check()
    head.get_by_label("Giao cho cán bộ").select_option(label="Trần Thị Bình")
    head.get_by_role("button", name="Giao hồ sơ").click()
    expect(head.get_by_role("status").first).to_contain_text("Đã giao 10 hồ sơ.")

    staff = new_page(js=js, viewport=viewport)
    staff_login(staff, "canbo")
    expect(staff.locator("#count-mine")).to_have_text("10")
    staff.get_by_role("link", name="Giao cho tôi").click()
    rows = staff.locator("tbody tr")
    expect(rows).to_have_count(10)
    staff.goto(f"/staff/cases/{cases[0].pk}/")
    expect(staff.locator("#assignee")).to_have_text("Trần Thị Bình")
    staff.get_by_label("Ghi chú nội bộ").fill("Đã hẹn tổ trưởng dân phố kiểm tra chiều thứ Hai.")
    staff.get_by_role("button", name="Thêm ghi chú").click()
    expect(staff.get_by_text("Đã hẹn tổ trưởng dân phố kiểm tra chiều thứ Hai.")).to_be_visible()

    citizen = new_page(js=js, viewport=PHONE)
    citizen.goto(f"/track/{cases[0].tracking_code}/")
    expect(citizen.get_by_role("heading", level=1)).to_be_visible()
    assert "tổ trưởng dân phố" not in citizen.content()
