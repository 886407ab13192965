"""The new pages of this stop reached as people reach them, by links, never by typing an address: a clerk opens
the map of her cases from the menu ("Bản đồ"), a journalist the public map from the portal's menu ("Bản đồ phản
ánh"), a citizen the page about her personal data from her letter's status page. At 360 px and 1366 px,
JavaScript on and off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, staff_login, submit_case

VARIANTS = pytest.mark.parametrize(
    ("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"]
)


def open_menu(page: Any, viewport: Any) -> None:
    if viewport == PHONE:
        page.get_by_text("Danh mục").click()


@VARIANTS
def test_a_clerk_opens_the_map_of_her_cases_from_the_menu(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    lat, lon = 21.0340, 105.8190
    case = submit_case(title="Cây đổ chắn ngang phố Đội Cấn", latitude=lat, longitude=lon, location_accuracy_m=10)
    page = new_page(js=js, viewport=viewport)
    staff_login(page, "canbo")
    open_menu(page, viewport)
    page.get_by_role("link", name="Bản đồ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ hồ sơ đang xử lý")
    expect(page.locator("#map-cases")).to_contain_text(case.title)


@VARIANTS
def test_a_journalist_finds_the_public_map_in_the_portal_menu(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    page = new_page(js=js, viewport=viewport)
    page.goto("/public/")
    page.locator("nav.subnav").get_by_role("link", name="Bản đồ phản ánh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ phản ánh, kiến nghị")
    expect(page.locator("nav.subnav a[aria-current=page]")).to_have_text("Bản đồ phản ánh")


@VARIANTS
def test_a_citizen_finds_her_personal_data_from_the_status_page(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    case = submit_case(title="Rác thải ùn ứ đầu ngõ 12")
    page = new_page(js=js, viewport=viewport)
    page.goto(f"/track/{case.tracking_code}/")
    page.get_by_role("link", name="Dữ liệu cá nhân của bạn trong đơn này: xem, tải bản sao, đề nghị xóa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân của bạn")
