"""A denunciation found false: the clerk's conclusion must say what it found (Luật Tố cáo 2018, Điều 35); a
conclusion without it comes back with the reason and what was typed; then the clerk records that the
denouncer lied on purpose and the matter was referred to the police. The denouncer, on their tracking page, reads
the finding; never the referral."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, staff_login, submit_case


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["js-phone", "no-js-desktop"])
def test_a_false_denunciation_and_its_referral(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from pakn.cases import services

    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    case = submit_case(kind="denunciation", title="Tố cáo cán bộ địa chính nhận tiền", subject="Cán bộ địa chính")
    services.accept_case(actor=clerk, case=case)

    staff = new_page(js=js, viewport=viewport)
    staff_login(staff, "clerk")
    staff.goto(f"/staff/cases/{case.pk}/")
    summary = staff.locator("summary").filter(has_text=re.compile("^Trả lời / kết luận$"))
    details = staff.locator("details").filter(has=summary)
    summary.click()
    details.get_by_label("Loại văn bản").select_option(label="Kết luận / quyết định giải quyết")
    body = "Qua xác minh, cán bộ địa chính không nhận tiền; nội dung tố cáo không có căn cứ."
    details.get_by_label("Nội dung trả lời / kết luận").fill(body)
    details.get_by_role("button", name="Trả lời / kết luận").click()  # no finding: refused, text kept
    expect(staff.get_by_text("Kết luận nội dung tố cáo phải nêu").first).to_be_visible()
    details = staff.locator("#action-resolve")
    expect(details.get_by_label("Nội dung trả lời / kết luận")).to_have_value(body)
    details.get_by_label("Tố cáo sai sự thật").check()
    details.get_by_role("button", name="Trả lời / kết luận").click()
    expect(staff.locator("#answer-check")).to_contain_text("căn cứ pháp lý")  # the answer check: a second look
    staff.get_by_label("Tôi đã xem các lưu ý trên, vẫn gửi câu trả lời này").check()
    staff.locator("#action-resolve").get_by_role("button", name="Trả lời / kết luận").click()
    expect(staff.get_by_role("status")).to_contain_text("Đã thực hiện: Trả lời / kết luận.")
    expect(staff.get_by_text("Tố cáo sai sự thật").first).to_be_visible()

    step = staff.locator("#action-false_report")
    step.locator("summary").click()
    step.get_by_label("Có", exact=True).check()
    step.get_by_label("Kiến nghị, chuyển cơ quan có thẩm quyền xử lý").check()
    step.get_by_label("Cơ quan được kiến nghị, chuyển xử lý").fill("Cơ quan Cảnh sát điều tra Công an quận Ba Đình")
    step.get_by_label("Số, ngày văn bản").fill("15/UBND-TTr")
    step.get_by_role("button", name="Xử lý tố cáo sai sự thật").click()
    expect(staff.get_by_role("status")).to_contain_text("Đã thực hiện: Xử lý tố cáo sai sự thật.")
    section = staff.get_by_role("region", name="Xử lý tố cáo sai sự thật")
    expect(section).to_contain_text("Cơ quan Cảnh sát điều tra Công an quận Ba Đình")
    expect(section).to_contain_text("hai cán bộ bảo vệ")

    denouncer = new_page(js=js, viewport=PHONE)
    denouncer.goto(f"/track/{case.tracking_code}/")
    expect(denouncer.get_by_text("Tố cáo sai sự thật")).to_be_visible()
    assert "Cảnh sát điều tra" not in denouncer.content()
