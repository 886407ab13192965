"""Competence as a person meets it: a resident denounces the chair of their ward's People's Committee on a phone,
naming him only in words; the case goes to the city's People's Committee, the chair and his committee never see
it (list, page, search), the city's clerk does and sees the rule's citation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeys.conftest import (
    COMMUNE,
    DESKTOP,
    PHONE,
    REPORTER,
    choose_place_with_js,
    content_box,
    expect,
    make_user,
    staff_login,
    submit_button,
    tracking_code_on,
)


def test_a_denunciation_of_the_ward_chair_reaches_the_city_and_stays_hidden_from_him(
    new_page: Callable[..., Any],
) -> None:
    from pakn.cases.models import Case

    make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    make_user("canbo.phuong", unit_code=f"UBND-{COMMUNE}", role="clerk")
    make_user("canbo.thanhpho", unit_code="UBND-01", role="clerk")

    citizen = new_page(viewport=PHONE)
    citizen.goto("/submit/")
    citizen.get_by_label("Tố cáo", exact=True).check()
    choose_place_with_js(citizen)
    citizen.get_by_label("Tiêu đề").fill("Tố cáo Chủ tịch UBND phường nhận tiền của hộ kinh doanh")
    content_box(citizen).fill(
        "Ngày 20/11/2026 ông Chủ tịch UBND phường Ba Đình nhận 20 triệu đồng của chủ quán ở số 5 phố Đội Cấn "
        "để bỏ qua việc lấn chiếm vỉa hè. Có người chứng kiến và ảnh chụp."
    )
    citizen.get_by_label("Cá nhân, cơ quan bị phản ánh/khiếu nại/tố cáo (nếu có)").fill(
        "Chủ tịch UBND phường Ba Đình"
    )
    citizen.get_by_role("textbox", name="Họ và tên", exact=True).fill(REPORTER["name"])
    citizen.get_by_label("Số điện thoại").fill(REPORTER["phone"])
    citizen.get_by_label("Số định danh cá nhân / CCCD").fill(REPORTER["id_number"])
    citizen.get_by_label("Địa chỉ liên hệ").fill(REPORTER["address"])
    submit_button(citizen).click()
    code = tracking_code_on(citizen)
    expect(citizen.locator(".facts")).to_contain_text("Ủy ban nhân dân Thành phố Hà Nội")
    case = Case.objects.get(tracking_code=code.replace("-", ""))
    assert case.unit.code == "UBND-01"

    for username in ("chutich", "canbo.phuong"):  # the chair and anyone of his committee
        ward = new_page(viewport=DESKTOP)
        staff_login(ward, username)
        expect(ward.get_by_text("Tố cáo Chủ tịch UBND phường")).to_have_count(0)
        assert ward.goto(f"/staff/cases/{case.pk}/").status == 404
        ward.goto("/language/search/?q=to+cao+chu+tich+nhan+tien")
        expect(ward.get_by_text("Tố cáo Chủ tịch UBND phường")).to_have_count(0)

    city = new_page(viewport=DESKTOP)
    staff_login(city, "canbo.thanhpho")
    expect(city.get_by_role("link", name=code)).to_be_visible()
    city.get_by_role("link", name=code).click()
    expect(city.get_by_role("heading", level=1)).to_contain_text("Tố cáo Chủ tịch UBND phường")
    expect(city.locator("main")).to_contain_text("Luật Tố cáo")  # the rule's citation shown to the clerk
