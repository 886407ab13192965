"""In Debian's Chromium (checked by axe-core, no request to another host, no console error): a protection
officer logs in, is sent to set up the second factor, reads the secret from the page, types the code an
authenticator app would show, keeps the recovery codes and reaches the vault; the next login, on a phone,
passes the second step with a recovery code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.conftest import code_for
from journeys import conftest as journeys
from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, SKIP_REASON, expect, make_user

# The browser fixtures of the journeys (Debian's Chromium, axe-core on every page), used here by name.
browser = journeys.browser
new_page = journeys.new_page

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(SKIP_REASON), reason=SKIP_REASON or "browser")]


def log_in(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_officer_enrols_with_the_secret_on_the_page_then_reaches_the_vault(
    new_page: Callable[..., Any],
) -> None:
    make_user("baove", unit_code=f"UBND-{COMMUNE}", role="protection_officer")
    page = new_page(viewport=DESKTOP)
    log_in(page, "baove")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai bước")
    expect(page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")).to_be_visible()
    page.goto("/protection/")  # any other page sends the officer back here
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai bước")

    secret = page.locator("#otp-secret").inner_text()
    page.get_by_label("Mã xác thực").fill(code_for(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã khôi phục")
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảo vệ người tố cáo")
    assert page.url.endswith("/protection/")

    # The next login, on a phone: the second step, passed with a recovery code.
    phone = new_page(viewport=PHONE)
    log_in(phone, "baove")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Xác thực bước hai")
    phone.get_by_label("Mã xác thực").fill(codes[0])
    phone.get_by_role("button", name="Xác thực").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bảo vệ người tố cáo")
    expect(phone.get_by_text("còn 9 mã")).to_be_visible()
