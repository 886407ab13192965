"""The chair of the ward prints a clerk's yearly sheet for the annual evaluation: from the officials' ranking he
opens the clerk's name and reads what she signed, on time or late, the citizens' ratings, with each case behind the
figures, then downloads it as PDF. On a phone and on a desktop, with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user, submit_case


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["js-phone", "no-js-desktop"])
def test_the_chair_reads_and_prints_a_clerks_yearly_sheet(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    from pakn.cases import services

    make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    clerk.last_name, clerk.first_name = "Trần Thị", "Bình"
    clerk.save()
    case = submit_case()
    services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn số 12.")
    services.rate_case(case=case, level=5)

    head = new_page(js=js, viewport=viewport)
    head.goto("/staff/login/")
    head.get_by_label("Tên đăng nhập").fill("chutich")
    head.get_by_label("Mật khẩu").fill(PASSWORD)
    head.get_by_role("button", name="Đăng nhập").click()
    head.goto("/oversight/scorecards/officials/")
    head.get_by_role("link", name="Trần Thị Bình").click()
    expect(head.get_by_role("heading", level=1)).to_contain_text("Phiếu kết quả năm")
    expect(head.get_by_role("heading", level=1)).to_contain_text("Trần Thị Bình")
    summary = head.locator("#sheet-summary")
    expect(summary).to_contain_text("Hài lòng, rất hài lòng / được đánh giá")
    expect(summary).to_contain_text("1/1 (100,0 %)")
    expect(head.locator("#table-handled")).to_contain_text(case.tracking_code)
    with head.expect_download() as download:
        head.get_by_role("link", name="Tải phiếu (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"])
def test_the_chair_prepares_the_review_meeting(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from django.utils import timezone

    from pakn.cases.models import Topic

    make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    land = Topic.objects.order_by("pk").first()
    for i in range(3):
        submit_case(kind="complaint", title=f"Khiếu nại bồi thường thu hồi đất số {i}", topic_code=land.code,
                    reporter={"name": "Nguyễn Văn An", "address": "12 Đội Cấn", "phone": "0912345678"})  # fmt: skip

    head = new_page(js=js, viewport=viewport)
    head.goto("/staff/login/")
    head.get_by_label("Tên đăng nhập").fill("chutich")
    head.get_by_label("Mật khẩu").fill(PASSWORD)
    head.get_by_role("button", name="Đăng nhập").click()
    head.goto("/oversight/")
    head.get_by_role("link", name="Phục vụ kiểm điểm").click()
    head.get_by_label("Đơn vị (gồm cả các đơn vị trực thuộc)").select_option(value=f"UBND-{COMMUNE}")
    head.get_by_label("Loại báo cáo").select_option(value="year")
    head.get_by_label("Năm").fill(str(timezone.localdate().year))
    head.get_by_role("button", name="Xem").click()
    expect(head.locator("#suggested")).to_contain_text(f"{land.name}: 3 khiếu nại, tố cáo")
    with head.expect_download() as download:
        head.get_by_role("link", name="Tải (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
