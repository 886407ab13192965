"""The citizen on a cheap phone: each of the five kinds with a photo, tracking, adding information, answering
the handler's question, rating, escalating and withdrawing — asserting what the person sees."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from journeys.conftest import (
    COMMUNE,
    PHONE,
    REPORTER,
    assert_no_identity,
    choose_place_with_js,
    choose_place_without_js,
    content_box,
    expect,
    make_user,
    submit_button,
    submit_case,
    tracking_code_on,
)

KINDS = {
    "report": ("Phản ánh", "Đèn đường hỏng trên phố Đội Cấn", "Đèn trước số 12 phố Đội Cấn hỏng hai tuần."),
    "petition": ("Kiến nghị", "Kiến nghị lắp thêm đèn tín hiệu", "Đề nghị lắp đèn tín hiệu ở ngã tư Đội Cấn."),
    "complaint": ("Khiếu nại", "Khiếu nại quyết định xử phạt", "Tôi khiếu nại quyết định xử phạt số 12/QĐ-XPHC."),
    "denunciation": ("Tố cáo", "Tố cáo cán bộ nhận tiền", "Cán bộ một cửa nhận 2 triệu đồng khi làm thủ tục."),
    "opinion": ("Góp ý", "Góp ý dự thảo quy định về chợ", "Đề nghị giữ giờ mở cửa chợ đến 19 giờ."),
}


def photo(path: Any) -> str:
    """A phone photo, with the place where it was taken in its EXIF."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0), 3: "E", 4: (105.0, 49.0, 5.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (40, 120, 200)).save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_with_a_photo_on_a_phone(new_page: Callable[..., Any], tmp_path: Any, kind: str) -> None:
    from pakn.cases.models import Case
    from pakn.protection.models import Attachment

    label, title, content = KINDS[kind]
    page = new_page(viewport=PHONE, js=kind != "complaint")  # one of them without JavaScript
    page.goto("/submit/")
    page.get_by_label(label, exact=True).check()
    if kind == "complaint":
        choose_place_without_js(page)
        page.get_by_label(label, exact=True).check()
        page.get_by_label("Lần đầu").check()
    else:
        choose_place_with_js(page)
    page.get_by_label("Tiêu đề").fill(title)
    content_box(page).fill(content)
    page.get_by_label("Tài liệu, ảnh, ghi âm kèm theo").set_input_files(photo(tmp_path / "anh-hien-truong.jpg"))
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill(REPORTER["name"])
    page.get_by_label("Số điện thoại").fill(REPORTER["phone"])
    page.get_by_label("Thư điện tử").fill(REPORTER["email"])
    if kind in ("complaint", "denunciation"):
        page.get_by_label("Số định danh cá nhân / CCCD").fill(REPORTER["id_number"])
        page.get_by_label("Địa chỉ liên hệ").fill(REPORTER["address"])
    submit_button(page).click()

    code = tracking_code_on(page)
    expect(page.locator(".facts")).to_contain_text(label)
    expect(page.locator(".facts")).to_contain_text("Ủy ban nhân dân Phường Ba Đình")
    assert_no_identity(page)
    case = Case.objects.get()
    assert case.kind == kind and case.commune_id == COMMUNE
    stored = Attachment.objects.get(case=case)
    assert stored.removed, "the GPS position must be removed from the photo"
    assert code.replace("-", "") == case.tracking_code


def test_track_add_information_answer_a_question_rate_and_escalate(new_page: Callable[..., Any]) -> None:
    from pakn.cases import services
    from pakn.cases.models import Case

    case = submit_case()
    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    services.ask_reporter(actor=clerk, case=case, body="Đèn hỏng ở phía số chẵn hay số lẻ?")

    page = new_page(viewport=PHONE)
    page.goto("/track/")
    page.get_by_label("Mã tra cứu").fill(case.tracking_code.lower())  # typed carelessly, no dashes
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#status")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_text("Đèn hỏng ở phía số chẵn hay số lẻ?")).to_be_visible()
    page.get_by_label("Thông tin bổ sung").fill("Phía số chẵn, trước nhà số 12 và 14.")
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi thông tin bổ sung.")
    expect(page.get_by_text("Phía số chẵn, trước nhà số 12 và 14.")).to_be_visible()

    case = Case.objects.get(pk=case.pk)
    services.accept_case(actor=clerk, case=case, accepted_on=case.received_on, complexity="normal")
    services.start_case(actor=clerk, case=Case.objects.get(pk=case.pk))
    services.resolve_case(actor=clerk, case=Case.objects.get(pk=case.pk), body="Đã thay bóng đèn số 12 và 14.")
    page.reload()
    expect(page.locator("#status")).to_have_text("Đã trả lời / kết luận")
    expect(page.get_by_role("region", name="Kết quả trả lời")).to_contain_text("Đã thay bóng đèn số 12 và 14.")

    page.get_by_label("Không hài lòng", exact=True).check()
    page.get_by_label("Nhận xét").fill("Đèn số 14 vẫn chập chờn.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá.")
    page.get_by_label("Lý do đề nghị cấp trên xem xét").fill("Đèn số 14 vẫn chưa sáng ổn định.")
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển đề nghị đến cơ quan cấp trên.")
    expect(page.locator(".facts")).to_contain_text("Ủy ban nhân dân Thành phố Hà Nội")
    assert_no_identity(page)


def test_withdraw_without_javascript(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import Case

    case = submit_case(kind="petition", title="Kiến nghị về giờ thu gom rác")
    page = new_page(js=False, viewport=PHONE)
    page.goto(f"/track/{case.tracking_code}/")
    page.get_by_role("button", name="Rút đơn").click()  # without the confirmation: refused, explained
    expect(page.get_by_role("alert")).to_contain_text("Tôi xác nhận rút đơn này")
    page.get_by_label("Lý do rút đơn (không bắt buộc)").fill("Tổ dân phố đã tự giải quyết.")
    page.get_by_label("Tôi xác nhận rút đơn này.").check()
    page.get_by_role("button", name="Rút đơn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã rút đơn.")
    expect(page.locator("#status")).to_have_text("Người gửi đã rút")
    assert Case.objects.get(pk=case.pk).status == "withdrawn"
    expect(page.get_by_role("heading", name="Rút đơn")).to_have_count(0)
