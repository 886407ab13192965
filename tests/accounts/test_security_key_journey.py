"""In Debian's Chromium with a virtual FIDO2 authenticator (the DevTools protocol's WebAuthn domain: a real
ceremony, real signatures checked by py_webauthn): a protection officer who must enrol chooses a security key
instead of the app, keeps the recovery codes the page shows once and reaches the vault; the next login passes
the second step by touching the key; the account page lists the key and removes it. Without JavaScript the key
is not offered and the code form works as before. axe-core checks every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.test_journey import log_in
from journeys import conftest as journeys
from journeys.conftest import COMMUNE, DESKTOP, PHONE, SKIP_REASON, expect, make_user

browser = journeys.browser
new_page = journeys.new_page

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(SKIP_REASON), reason=SKIP_REASON or "browser")]


def plug_in_key(page: Any) -> tuple[Any, str]:
    """A FIDO2 key with a fingerprint reader, plugged into this tab (what Chromium's DevTools offer for tests)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1366px"])
def test_an_officer_enrols_a_security_key_then_passes_the_second_step_with_it(
    new_page: Callable[..., Any], viewport: dict[str, int]
) -> None:
    from django_otp_webauthn.models import WebAuthnCredential

    from pakn.reception.models import Activity

    officer = make_user("baove", unit_code=f"UBND-{COMMUNE}", role="protection_officer")
    page = new_page(viewport=viewport)
    cdp, authenticator = plug_in_key(page)
    page.goto("/protection/")
    page.get_by_label("Tên đăng nhập").fill("baove")
    page.get_by_label("Mật khẩu").fill(journeys.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai bước")

    expect(page.get_by_role("heading", name="Hoặc dùng khóa bảo mật, passkey")).to_be_visible()
    page.get_by_role("button", name="Thêm khóa bảo mật").click()
    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_focused()
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(len(c) == 11 for c in codes)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảo vệ người tố cáo")

    key = WebAuthnCredential.objects.get(user=officer)
    assert key.confirmed and key.sign_count >= 0
    assert Activity.objects.filter(app="accounts", action="security_key_added", object_id=str(officer.pk)).count() == 1
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1  # the private key stayed in the authenticator; the server has only the public key

    # The next login: the password, then a touch of the key instead of a code.
    page.context.clear_cookies()
    page.goto("/protection/")
    page.get_by_label("Tên đăng nhập").fill("baove")
    page.get_by_label("Mật khẩu").fill(journeys.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực bước hai")
    page.get_by_role("button", name="Xác thực bằng khóa bảo mật").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảo vệ người tố cáo")
    assert page.url.endswith("/protection/")
    key.refresh_from_db()
    assert key.last_used_at is not None

    # The account page lists the key; the only factor of an officer cannot be removed.
    page.goto("/staff/account/")
    expect(page.locator("#two-factor-status")).to_have_text("Đang bật: sau khi nhập mật khẩu, bạn dùng khóa bảo mật.")
    expect(page.get_by_role("cell", name="Khóa 1 (passkey)")).to_be_visible()
    expect(page.get_by_text("Để thêm hoặc dùng khóa bảo mật, cần")).to_be_hidden()
    page.get_by_role("button", name="Xóa khóa 1").click()
    expect(page.get_by_text("Đây là cách xác thực bước hai duy nhất của bạn.")).to_be_visible()
    assert WebAuthnCredential.objects.filter(user=officer).count() == 1


def test_without_javascript_the_key_is_not_offered_and_codes_still_work(new_page: Callable[..., Any]) -> None:
    from accounts.conftest import SECRET, code_for, enrolled

    enrolled(make_user("baove", unit_code=f"UBND-{COMMUNE}", role="protection_officer"))
    phone = new_page(js=False, viewport=PHONE)
    log_in(phone, "baove")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Xác thực bước hai")
    expect(phone.get_by_role("button", name="Xác thực bằng khóa bảo mật")).to_have_count(0)
    phone.get_by_label("Mã xác thực").fill(code_for(SECRET))
    phone.get_by_role("button", name="Xác thực").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bảo vệ người tố cáo")
    phone.goto("/staff/account/")
    note = "Để thêm hoặc dùng khóa bảo mật, cần một trình duyệt hỗ trợ WebAuthn và bật JavaScript."
    expect(phone.get_by_text(note)).to_be_visible()
    expect(phone.get_by_role("button", name="Thêm khóa bảo mật")).to_have_count(0)
