"""The clerk answers a street-light report from a model answer: the template comes into the box with the case's
code and its legal basis; sent as it is, the page asks to fill the brackets; written out, it goes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, staff_login, submit_case


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"])
def test_an_answer_from_a_template(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from pakn.cases import services

    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    case = services.accept_case(actor=clerk, case=submit_case())

    page = new_page(js=js, viewport=viewport)
    staff_login(page, "canbo")
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("summary").filter(has_text=re.compile("^Trả lời / kết luận$")).click()
    form = page.locator("#action-resolve")
    form.get_by_label("Mẫu trả lời").select_option(label="Trả lời phản ánh: đã xử lý tại hiện trường")
    form.get_by_role("button", name="Dùng mẫu").click()
    body = page.locator("#action-resolve").get_by_label("Nội dung trả lời / kết luận")
    expect(body).to_have_value(re.compile(case.tracking_code))
    expect(body).to_have_value(re.compile("Căn cứ: "))
    page.locator("#action-resolve").get_by_role("button", name="Trả lời / kết luận").click()
    expect(page.locator("#answer-check")).to_contain_text("ngoặc vuông")
    text = body.input_value()
    text = re.sub(r"\[ngày\]", "05/12/2026", text)
    text = re.sub(r"\[bộ phận\]", "địa chính – xây dựng", text)
    text = re.sub(r"\[ghi rõ việc đã làm[^\]]*\]", "đã thay hai bóng đèn hỏng trước số 12", text)
    body.fill(text)
    page.locator("#action-resolve").get_by_role("button", name="Trả lời / kết luận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện: Trả lời / kết luận.")
    expect(page.get_by_text("đã thay hai bóng đèn hỏng trước số 12")).to_be_visible()


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["js-phone", "no-js-desktop"])
def test_an_answer_with_a_photo_of_the_repair(
    new_page: Callable[..., Any], js: bool, viewport: Any, tmp_path: Any
) -> None:
    """The clerk attaches the photo taken after the repair and allows it to be published; the citizen opens it
    from the status page, and the public answer page shows it."""
    from PIL import Image

    from pakn.cases import services

    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    case = services.accept_case(actor=clerk, case=submit_case(publish=True))
    photo = tmp_path / "IMG_2026_den_sau_sua.jpg"
    Image.new("RGB", (64, 48), "orange").save(photo, "JPEG")

    page = new_page(js=js, viewport=viewport)
    staff_login(page, "canbo")
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("summary").filter(has_text=re.compile("^Trả lời / kết luận$")).click()
    form = page.locator("#action-resolve")
    form.get_by_label("Nội dung trả lời / kết luận").fill(
        "Ngày 05/12/2026, tổ địa chính – xây dựng của phường đã kiểm tra và thay hai bóng đèn hỏng trước số 12 "
        "phố Đội Cấn; đèn đã sáng. Căn cứ Nghị định 79/2009/NĐ-CP về quản lý chiếu sáng đô thị."
    )
    form.get_by_label("Ảnh, văn bản chứng minh kết quả").set_input_files(str(photo))
    form.get_by_label("Cho phép công khai các tệp này").check()
    form.get_by_role("button", name="Trả lời / kết luận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện: Trả lời / kết luận.")
    expect(page.get_by_text("(được công khai)")).to_be_visible()

    citizen = new_page(js=js, viewport=PHONE)
    citizen.goto(f"/track/{case.tracking_code}/")
    link = citizen.get_by_role("link", name=re.compile(r"^tep-\d+\.jpg$"))
    expect(link).to_be_visible()
    assert "IMG_2026" not in citizen.content()
    response = citizen.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"

    journalist = new_page(js=js, viewport=viewport)
    journalist.goto(f"/public/answers/{case.pk}/")
    expect(journalist.get_by_role("link", name=re.compile(r"^tep-\d+\.jpg$"))).to_be_visible()
