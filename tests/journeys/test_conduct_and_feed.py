"""Two pages this stop changed, as their people use them: a citizen who reported a ward vice-chair's rudeness
reads, on their status page, that they too may ask for protection (worded for a report, not a denunciation) and
asks; a journalist on the answers page finds the Atom feed and her reader gets the published answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, submit_case


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"])
def test_a_reporter_of_conduct_asks_for_protection(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from pakn.protection.models import ProtectionRequest

    case = submit_case(
        kind="report",
        title="Phó Chủ tịch phường quát nạt người dân khi làm thủ tục",
        subject_person={"name": "Trần Văn D", "position": "pc_vice_chair", "body_code": f"UBND-{COMMUNE}"},
    )
    page = new_page(js=js, viewport=viewport)
    page.goto(f"/track/{case.tracking_code}/")
    expect(page.get_by_role("heading", name="Đề nghị bảo vệ")).to_be_visible()
    expect(page.get_by_text("vì đã phản ánh hành vi của cán bộ")).to_be_visible()
    page.get_by_label("Bản thân tôi (người gửi đơn)").check()
    page.get_by_label("Giữ bí mật thông tin").check()
    page.get_by_label("Nội dung, nguy cơ cụ thể").fill("Sau khi phản ánh, hồ sơ của tôi bị trả lại nhiều lần.")
    page.get_by_role("button", name="Gửi đề nghị bảo vệ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi đề nghị bảo vệ.")
    request = ProtectionRequest.objects.get(case=case)
    assert request.citation.startswith("Quyết định 99-QĐ/TW")


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["js-phone", "no-js-desktop"])
def test_a_journalist_follows_the_answers_feed(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from pakn.cases import services

    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    case = submit_case(publish=True, title="Rác ùn ứ trước chợ Ngọc Hà")
    services.resolve_case(actor=clerk, case=case, body="Đã thu gom, bố trí thêm một chuyến xe rác buổi tối.")

    page = new_page(js=js, viewport=viewport)
    page.goto("/public/answers/")
    expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).to_have_count(1)
    href = page.get_by_role("link", name="Theo dõi bằng trình đọc tin (Atom)").get_attribute("href")
    feed = page.request.get(href)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    assert "Rác ùn ứ trước chợ Ngọc Hà" in feed.text() and "bố trí thêm một chuyến xe rác" in feed.text()
