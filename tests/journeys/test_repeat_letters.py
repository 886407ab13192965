"""A letter arrives by post about a street light the ward already answered: the clerk files it with the settled
case, the reply already pointing at the earlier answer, and the case counts the repeat; no new case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, staff_login, submit_case


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"])
def test_a_repeat_letter_on_a_settled_case(new_page: Callable[..., Any], js: bool, viewport: Any) -> None:
    from pakn.cases import services
    from pakn.cases.models import Case

    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    case = submit_case()
    services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn số 12 và 14.")
    cases = Case.objects.count()

    staff = new_page(js=js, viewport=viewport)
    staff_login(staff, "clerk")
    staff.goto(f"/staff/cases/{case.pk}/")
    step = staff.locator("#action-repeat_letter")
    step.locator("summary").click()
    expect(step.get_by_label("Trả lời, hướng dẫn")).to_contain_text("không được xem xét lại")
    step.get_by_label("Tóm tắt nội dung đơn").fill("Đơn gửi qua bưu điện, lại đề nghị sửa đèn trước số 12.")
    step.get_by_role("button", name="Ghi nhận đơn trùng vụ việc đã giải quyết").click()
    expect(staff.get_by_role("status")).to_contain_text("Đã thực hiện: Ghi nhận đơn trùng vụ việc đã giải quyết.")
    expect(staff.get_by_role("heading", name="Đơn trùng đã nhận sau khi giải quyết: 1")).to_be_visible()
    expect(staff.get_by_text("Đơn gửi qua bưu điện, lại đề nghị sửa đèn trước số 12.")).to_be_visible()
    assert Case.objects.count() == cases
