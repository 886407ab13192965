"""The whistleblower's journey through the anonymous drop box, in Chromium as a person does it: file a tip
with a photo, keep the receipt, come back with it, read the handler's question, reply, add evidence, ask for
protection. At a phone and a desktop size, with JavaScript off (the drop box uses none)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from journeys.conftest import DESKTOP, PHONE, expect, make_user

COMMUNE = "00004"


def jpeg_with_gps(path: Any) -> Any:
    """A photo as a phone takes it: with the position where it was taken in its EXIF."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (21.0, 2.0, 3.0), 3: "E", 4: (105.0, 49.0, 5.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_whistleblower_files_reads_question_replies_and_asks_protection(
    new_page: Callable[..., Any], tmp_path: Any, viewport: dict[str, int]
) -> None:
    from pakn.cases import services
    from pakn.cases.models import Case, Message
    from pakn.protection.models import ProtectionRequest

    page = new_page(js=False, viewport=viewport)
    page.goto("/dropbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp thư tố cáo ẩn danh")

    # Choosing the province is a form post (no JavaScript here): it must not be refused.
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_role("button", name="Chọn tỉnh để hiện danh sách xã/phường").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp thư tố cáo ẩn danh")
    page.get_by_label("Xã/phường/đặc khu").select_option(label="Phường Ba Đình")
    page.get_by_label("Tiêu đề").fill("Cán bộ địa chính nhận tiền để cấp giấy")
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Cán bộ địa chính phường nhận 20 triệu đồng của một hộ dân để làm nhanh giấy chứng nhận, "
        "vào chiều thứ Ba tuần trước tại bộ phận một cửa."
    )
    page.get_by_label("Tài liệu, chứng cứ").set_input_files(str(jpeg_with_gps(tmp_path / "anh.jpg")))
    page.get_by_role("button", name="Gửi ẩn danh").click()

    expect(page.get_by_role("heading", name="Đã gửi đơn thành công")).to_be_visible()
    receipt = page.locator("#receipt").inner_text().strip()
    assert re.fullmatch(r"[0-9 ]{16,24}", receipt) and len(receipt.replace(" ", "")) == 16, receipt
    case = Case.objects.get()
    assert (case.kind, case.commune_id, case.track) == ("denunciation", COMMUNE, "anonymous")

    # The handler asks a question.
    clerk = make_user(f"clerk-{viewport['width']}", unit_code=f"UBND-{COMMUNE}")
    services.ask_reporter(actor=clerk, case=case, body="Bạn có biết số hồ sơ của hộ dân đó không?")

    # Back later, in a new browser session, with the receipt typed with spaces.
    page = new_page(js=False, viewport=viewport)
    page.goto("/dropbox/")
    page.get_by_role("link", name="Đã có mã biên nhận?").click()
    page.get_by_label("Mã biên nhận (16 chữ số)").fill(receipt)
    page.get_by_role("button", name="Mở", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp thư ẩn danh")
    expect(page.get_by_text("Bạn có biết số hồ sơ của hộ dân đó không?")).to_be_visible()

    page.get_by_label("Trả lời, bổ sung thông tin").fill("Hồ sơ số 123/ĐC, nộp ngày 02/11/2026.")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi.")
    expect(page.get_by_text("Hồ sơ số 123/ĐC, nộp ngày 02/11/2026.")).to_be_visible()
    assert Message.objects.filter(case=case, from_citizen=True).count() == 1

    page.get_by_label("Trả lời, bổ sung thông tin").fill("Thêm ảnh chụp biên lai.")
    page.get_by_label("Tài liệu, chứng cứ").set_input_files(str(jpeg_with_gps(tmp_path / "bien-lai.jpg")))
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi.")

    page.get_by_label("Bản thân tôi (người gửi đơn)").check()
    page.get_by_label("Giữ bí mật thông tin").check()
    page.get_by_label("Nội dung, nguy cơ cụ thể").fill("Tôi lo bị trù dập ở nơi làm việc.")
    page.get_by_role("button", name="Gửi đề nghị bảo vệ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi đề nghị bảo vệ.")
    assert ProtectionRequest.objects.filter(case=case).count() == 1

    page.get_by_role("button", name="Thoát (xóa phiên làm việc)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp thư tố cáo ẩn danh")
    page.goto("/dropbox/case/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mở hộp thư ẩn danh")
