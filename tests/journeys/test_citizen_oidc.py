"""A citizen logs in with VNeID (here a real OpenID provider, django-oauth-toolkit, started once for this
module in its own process): the button on the citizen login page, the provider's own login page, back on the
portal logged in on "my cases" (Đơn của tôi), a case filed, and seen there. A provider that does not answer,
or an answer that does not belong to this browser, gives a clear page in Vietnamese, never a 500; filing
without logging in keeps working. On a phone without JavaScript and on a desktop with it.

The browser here is the journeys' browser with one difference: the provider's pages are the one other host
the person visits, on purpose, as whole pages (navigations); anything else loaded from another host still
fails the test, and the portal's pages are checked as everywhere (axe-core, width, console errors)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from accounts.oidc_provider.harness import CITIZEN, PASSWORD, Provider, free_port, start_provider
from journeys.conftest import (
    DESKTOP,
    PHONE,
    checked_pages,
    choose_place_with_js,
    choose_place_without_js,
    content_box,
    expect,
    submit_button,
    tracking_code_on,
)

CASE_TITLE = "Cây đổ chắn lối vào trường mầm non"
VARIANTS = pytest.mark.parametrize(
    ("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"]
)


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    started = start_provider(
        tmp_path_factory.mktemp("idp"), redirect_uris=[f"{live_server.url}/account/oidc/callback/"]
    )
    yield started
    started.stop()


@pytest.fixture
def vneid(settings: Any, provider: Provider) -> Provider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


@pytest.fixture
def person(browser: Any, live_server: Any, provider: Provider) -> Iterator[Callable[..., Any]]:
    """``new_page`` with the provider's pages allowed as navigations (``checked_pages``)."""
    with checked_pages(browser, live_server, navigation_hosts=(urlsplit(provider.issuer).netloc,)) as opener:
        yield opener


def open_my_cases(page: Any, viewport: dict[str, int]) -> None:
    """The link in the header; on a phone it is in the "Danh mục" menu."""
    if viewport == PHONE:
        page.locator("details.menu > summary").click()
        page.locator("details.menu").get_by_role("link", name="Đơn của tôi").click()
    else:
        page.locator(".utility").get_by_role("link", name="Đơn của tôi").click()


@VARIANTS
def test_a_citizen_logs_in_with_vneid_files_a_case_and_finds_it(
    person: Callable[..., Any], vneid: Provider, js: bool, viewport: dict[str, int]
) -> None:
    from pakn.accounts.models import CitizenIdentity
    from pakn.cases.models import Case

    page = person(js=js, viewport=viewport)
    page.goto("/account/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

    # At the provider: its own page, its own password.
    expect(page.get_by_role("heading", name="Cổng định danh thử nghiệm")).to_be_visible()
    assert urlsplit(page.url).netloc == urlsplit(vneid.issuer).netloc
    page.get_by_label("Tài khoản định danh").fill(CITIZEN["username"])
    page.get_by_label("Mật khẩu định danh").fill(PASSWORD)
    page.get_by_role("button", name="Xác nhận đăng nhập").click()

    # Back on the portal, logged in, on "my cases".
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn của tôi")
    assert urlsplit(page.url).path == "/account/"
    expect(page.get_by_text("Bạn chưa gửi đơn nào khi đăng nhập.")).to_be_visible()
    identity = CitizenIdentity.objects.select_related("user").get()
    assert identity.subject == CITIZEN["claims"]["sub"] and identity.user.first_name == "Nguyễn Thị Hoa"

    page.goto("/submit/")
    page.get_by_label("Phản ánh", exact=True).check()
    (choose_place_with_js if js else choose_place_without_js)(page)
    page.get_by_label("Tiêu đề").fill(CASE_TITLE)
    content_box(page).fill("Cây xà cừ đổ từ đêm qua, chắn lối vào trường mầm non, các cháu phải đi vòng.")
    # The account's name is already in the form (from the provider's claims); the phone is typed.
    expect(page.get_by_role("textbox", name="Họ và tên", exact=True)).to_have_value("Nguyễn Thị Hoa")
    page.get_by_label("Số điện thoại").fill("0912345678")
    submit_button(page).click()
    code = tracking_code_on(page)

    open_my_cases(page, viewport)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn của tôi")
    row = page.get_by_role("row").filter(has_text=CASE_TITLE)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link")).to_have_text(code)
    assert Case.objects.get(title=CASE_TITLE).citizen_id == identity.user_id


@VARIANTS
def test_a_failing_login_explains_itself_and_filing_still_works(
    person: Callable[..., Any], vneid: Provider, settings: Any, js: bool, viewport: dict[str, int]
) -> None:
    page = person(js=js, viewport=viewport, server_errors=(502,))

    # An answer that does not belong to this browser (an old link, another tab, a forged state).
    page.goto("/account/oidc/callback/?code=abc&state=not-this-browsers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chưa đăng nhập được bằng VNeID")
    expect(page.get_by_role("alert")).to_contain_text("Phiên đăng nhập đã hết hạn hoặc không hợp lệ")
    expect(page.get_by_role("link", name="Đăng nhập bằng tên đăng nhập")).to_be_visible()

    # The provider does not answer.
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}/o"
    page.goto("/account/login/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chưa đăng nhập được bằng VNeID")
    expect(page.get_by_role("alert")).to_contain_text("Hệ thống VNeID đang không phản hồi")
    expect(page.get_by_role("link", name="Thử đăng nhập lại bằng VNeID")).to_be_visible()

    # Filing never needed a login.
    page.get_by_role("link", name="gửi đơn ngay").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi đơn")
    page.get_by_label("Phản ánh", exact=True).check()
    (choose_place_with_js if js else choose_place_without_js)(page)
    page.get_by_label("Tiêu đề").fill("Nắp cống vỡ trên vỉa hè")
    content_box(page).fill("Nắp cống trước số 5 vỡ, người đi bộ dễ sụt chân.")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill("Lê Văn Nam")
    page.get_by_label("Số điện thoại").fill("0987654321")
    submit_button(page).click()
    tracking_code_on(page)
