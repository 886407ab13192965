"""The chair commends the ward's mobile reception team as a good model, and a journalist finds it in the public
library with the ward's figures of the day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"])
def test_a_good_model_reaches_the_public_library(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from pakn.org.models import Unit

    make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")

    head = new_page(js=js, viewport=viewport)
    head.goto("/staff/login/")
    head.get_by_label("Tên đăng nhập").fill("chutich")
    head.get_by_label("Mật khẩu").fill(PASSWORD)
    head.get_by_role("button", name="Đăng nhập").click()
    head.goto("/oversight/")
    head.get_by_role("link", name="Khen thưởng").click()
    head.get_by_text("Ghi nhận khen thưởng mới").click()
    head.get_by_label("Tập thể (đơn vị)").check()
    commended = head.get_by_label("Đơn vị được khen (tập thể, hoặc nơi cán bộ công tác)")
    commended.select_option(value=str(Unit.objects.get(code=f"UBND-{COMMUNE}").pk))
    head.get_by_label("Hình thức khen thưởng").fill("Giấy khen")
    head.get_by_label("Thành tích").fill("Trả lời mọi phản ánh đúng hạn trong năm.")
    head.get_by_label("Số quyết định").fill("31/QĐ-UBND")
    head.get_by_label("Công khai trong thư viện mô hình, cách làm hay").check()
    head.get_by_role("button", name="Ghi nhận").click()  # a published model needs its name: refused, kept
    expect(head.get_by_label("Thành tích")).to_have_value("Trả lời mọi phản ánh đúng hạn trong năm.")
    head.get_by_label("Tên mô hình, cách làm hay").fill("Tổ tiếp nhận ý kiến lưu động")
    head.get_by_label("Mô tả mô hình, cách làm").fill("Cán bộ đến nhà văn hóa tổ dân phố mỗi sáng thứ Bảy.")
    head.get_by_role("button", name="Ghi nhận").click()
    expect(head.get_by_role("status")).to_contain_text("Đã ghi nhận khen thưởng.")

    reader = new_page(js=js, viewport=PHONE)
    reader.goto("/public/")
    reader.get_by_role("link", name="Mô hình, cách làm hay").click()
    expect(reader.get_by_role("heading", name="Tổ tiếp nhận ý kiến lưu động")).to_be_visible()
    expect(reader.get_by_text("Tỷ lệ người dân hài lòng")).to_be_visible()
