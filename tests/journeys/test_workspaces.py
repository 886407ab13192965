"""Each role lands on its own workspace and its menu shows only what it may open; the clerk forwards a case by
choosing the unit from a searchable list (with and without JavaScript); a citizen books a reception slot on a
phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user, submit_case


def log_in(page: Any, username: str, path: str = "/staff/login/") -> None:
    page.goto(path)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def menu_links(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("nav.nav-wide .nav-list a").all_inner_texts()]


def test_supervisor_lands_on_oversight_and_sees_no_handling_links(new_page: Callable[..., Any]) -> None:
    make_user("mttq", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    page = new_page(viewport=DESKTOP)
    log_in(page, "mttq")
    assert page.url.endswith("/oversight/")
    links = menu_links(page)
    assert "Giám sát" in links and "Tìm kiếm" in links
    for hidden in ("Vào sổ đơn", "Bảo vệ người tố cáo", "Hồ sơ"):
        assert hidden not in links, links
    expect(page.get_by_text("Không tìm thấy")).to_have_count(0)


def test_protection_officer_lands_on_protection(new_page: Callable[..., Any]) -> None:
    make_user("baove", unit_code=f"UBND-{COMMUNE}", role="protection_officer")
    page = new_page(viewport=DESKTOP)
    log_in(page, "baove")
    assert page.url.endswith("/protection/")
    assert "Bảo vệ người tố cáo" in menu_links(page) and "Vào sổ đơn" not in menu_links(page)


def test_clerk_logging_in_from_the_public_header_reaches_the_case_list(new_page: Callable[..., Any]) -> None:
    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    page = new_page(viewport=PHONE)
    page.goto("/")
    page.get_by_text("Danh mục").click()
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của đơn vị")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 72, header  # one line on a phone


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_clerk_forwards_by_choosing_the_unit_from_a_search(new_page: Callable[..., Any], js: bool) -> None:
    from pakn.cases.models import Case

    case = submit_case(kind="petition", title="Kiến nghị sửa quy định về giờ mở cửa chợ")
    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    page = new_page(js=js)
    log_in(page, "clerk")
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("summary", has_text="Chuyển đơn").click()
    form = page.locator("#action-forward")
    expect(form.get_by_label("Mã đơn vị nhận")).to_have_count(0)  # no internal code to type
    form.get_by_label("Tìm đơn vị nhận").fill("ubnd thanh pho ha noi")
    if not js:
        form.get_by_role("button", name="Tìm", exact=True).click()
        form = page.locator("#action-forward")
    target = form.get_by_role("combobox", name="Đơn vị nhận")
    expect(target.locator("option", has_text="Ủy ban nhân dân Thành phố Hà Nội").first).to_be_attached()
    target.select_option(label="Ủy ban nhân dân Thành phố Hà Nội")
    form.get_by_label("Lý do chuyển").fill("Thuộc thẩm quyền của Ủy ban nhân dân Thành phố.")
    form.get_by_role("button", name="Chuyển đơn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện: Chuyển đơn.")
    assert Case.objects.select_related("unit").get(pk=case.pk).unit.code == "UBND-01"


def test_citizen_books_a_reception_slot_on_a_phone(new_page: Callable[..., Any]) -> None:
    from datetime import time, timedelta

    from django.utils import timezone

    from pakn.org.models import Unit
    from pakn.reception import services

    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    day = timezone.localdate() + timedelta(days=14)
    while day.weekday() >= 5:  # a working day
        day += timedelta(days=1)
    services.schedule_session(
        actor=clerk,
        unit=Unit.objects.get(code=f"UBND-{COMMUNE}"),
        date=day,
        start_time=time(8, 0),
        end_time=time(11, 0),
        place="Phòng tiếp công dân, trụ sở UBND phường",
        presider_name="Lê Văn Cường, Chủ tịch UBND phường",
        publish=True,
    )
    page = new_page(viewport=PHONE)
    page.goto("/reception/")
    book = page.get_by_role("link", name="Đăng ký lượt tiếp").first
    box = book.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    book.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng ký")
