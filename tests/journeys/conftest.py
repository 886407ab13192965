"""Browser fixtures and helpers shared by the journeys: Debian's Chromium driven by Playwright against
pytest-django's live server. One browser per module, a fresh context (cookies, session) per person,
Vietnamese locale, a phone (360x740) or a desktop (1366x900) viewport."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
SKIP_REASON = ""
if not os.path.exists(CHROMIUM):
    SKIP_REASON = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
try:
    from playwright import sync_api
except ImportError:  # pragma: no cover - playwright is a test dependency
    SKIP_REASON = SKIP_REASON or "browser tests need the playwright package"
    sync_api = None  # type: ignore[assignment]


def expect(*args: Any, **kwargs: Any) -> Any:
    return sync_api.expect(*args, **kwargs)


from conftest import COMMUNE, OTHER_COMMUNE, PASSWORD, REPORTER, make_user  # noqa: E402,F401

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items: list[Any]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# XXXX-XXXX-XXC: Crockford base32 body, the check character may also be one of * ~ $ = U.
CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}[0-9A-Z*~$=]$")
REQUIRED = re.compile(r"Trường này là bắt buộc\.?")


# ---------------------------------------------------------------- browser-only fixtures


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would refuse the ORM
    # calls the tests make themselves (fixtures, checks); they are plain synchronous code and safe here.
    # Set only while this module's browser runs, so the rest of the suite keeps Django's check.
    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """A page in a new browser context (a new person): ``new_page()``, ``new_page(js=False, viewport=PHONE)``."""
    contexts: list[Any] = []

    def _new(*, js: bool = True, viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", java_script_enabled=js, viewport=viewport or DESKTOP
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


def submit_case(**overrides: Any) -> Any:
    """A case filed through the real service (for the staff paths that start from an existing case)."""
    from pakn.cases import services

    data: dict[str, Any] = {
        "actor": None,
        "kind": "report",
        "title": "Đèn đường hỏng trên phố Đội Cấn",
        "content": "Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, buổi tối rất tối và nguy hiểm.",
        "province_code": "01",
        "commune_code": COMMUNE,
        "reporter": dict(REPORTER),
    }
    data.update(overrides)
    return services.submit(**data)


def staff_login(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của đơn vị")


def choose_place_with_js(page: Any) -> None:
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    commune = page.get_by_label("Xã/phường/đặc khu")
    expect(commune.locator("option", has_text="Phường Ba Đình")).to_have_count(1)  # loaded by pakn.js
    commune.select_option(label="Phường Ba Đình")


def choose_place_without_js(page: Any) -> None:
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_role("button", name="Chọn tỉnh để hiện danh sách xã/phường").click()
    page.get_by_label("Xã/phường/đặc khu").select_option(label="Phường Ba Đình")


def content_box(page: Any) -> Any:
    # By accessible name: "Nội dung" is also the legend of the fieldset around it.
    return page.get_by_role("textbox", name="Nội dung", exact=True)


def submit_button(page: Any) -> Any:
    return page.get_by_role("button", name="Gửi đơn", exact=True)


def tracking_code_on(page: Any) -> str:
    expect(page.get_by_role("heading", name="Đã gửi đơn thành công")).to_be_visible()
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE_RE.match(code), code
    return code


def assert_no_identity(
    page: Any, name: str = REPORTER["name"], phone: str = REPORTER["phone"], email: str = REPORTER["email"]
) -> None:
    html = page.content()
    for secret in (name, phone, email):
        assert secret not in html, f"the public status page shows {secret!r}"


