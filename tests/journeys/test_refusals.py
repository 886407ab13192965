"""A ward clerk on a phone records that a man who came for the twelfth time about a settled land matter was
refused: the ground of Điều 9 he chose needs the settled matter, the page says so and keeps what he typed; then
the refusal is in the register with a pseudonym, and the Front committee reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user, staff_login


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_refusal_on_a_settled_matter(new_page: Callable[..., Any], js: bool) -> None:
    make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    make_user("mttq", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")

    clerk = new_page(js=js, viewport=PHONE)
    staff_login(clerk, "canbo")
    clerk.goto("/reception/staff/refusals/")
    clerk.get_by_role("link", name="Ghi trường hợp từ chối").click()
    clerk.get_by_label("Người tiếp công dân từ chối").fill("Nguyễn Văn Hải")
    clerk.get_by_label("khoản 3", exact=False).check()
    clerk.get_by_label("Sự việc").fill("Ông Lê Văn Tám đến lần thứ 12 về việc thu hồi đất năm 2019.")
    clerk.get_by_label("Họ và tên người bị từ chối (nếu biết)").fill("Lê Văn Tám")
    clerk.get_by_role("button", name="Ghi vào sổ").click()
    expect(clerk.get_by_text("căn cứ khoản 3 Điều 9 cần vụ việc đó").first).to_be_visible()
    expect(clerk.get_by_label("Sự việc")).to_have_value("Ông Lê Văn Tám đến lần thứ 12 về việc thu hồi đất năm 2019.")
    clerk.get_by_label("Vụ việc đã được giải quyết (số văn bản, mã hồ sơ)").fill("QĐ 45/QĐ-UBND ngày 02/3/2025")
    clerk.get_by_role("button", name="Ghi vào sổ").click()
    expect(clerk.get_by_role("status")).to_contain_text("Đã ghi vào sổ từ chối tiếp công dân.")
    expect(clerk.get_by_text("QĐ 45/QĐ-UBND ngày 02/3/2025")).to_be_visible()
    assert "Lê Văn Tám" not in clerk.content()  # sealed: a pseudonym, the name removed from the text

    front = new_page(js=js, viewport=DESKTOP)
    front.goto("/staff/login/")
    front.get_by_label("Tên đăng nhập").fill("mttq")
    front.get_by_label("Mật khẩu").fill(PASSWORD)
    front.get_by_role("button", name="Đăng nhập").click()
    front.goto("/reception/staff/refusals/")
    expect(front.get_by_role("heading", level=1)).to_have_text("Sổ từ chối tiếp công dân")
    expect(front.get_by_text("Người bị từ chối #")).to_be_visible()
    expect(front.get_by_role("link", name="Ghi trường hợp từ chối")).to_have_count(0)  # the Front reads only
