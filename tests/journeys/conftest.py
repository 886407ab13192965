"""Browser fixtures and helpers shared by the journeys: Debian's Chromium driven by Playwright against
pytest-django's live server. One browser per module, a fresh context (cookies, session) per person,
Vietnamese locale, a phone (360x740) or a desktop (1366x900) viewport."""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
# XXXX-XXXX-XXC: Crockford base32 letters and digits only, the check character included (read aloud on the phone).
CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$")
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


ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Runs in every document of a JavaScript-enabled context, before the page's own scripts, as DevTools injects
# it (the site's CSP does not apply to it): axe-core checks WCAG 2.1 A/AA once the page has loaded and hands
# the violations to the test through an exposed binding.
AXE_INIT = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const run = () => {
    axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}).then(result => {
      const overflow = document.documentElement.scrollWidth - window.innerWidth;
      window.__paknAxe(location.pathname + location.search, overflow, result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
      })));
      window.__paknAxeDone = true;
    });
  };
  if (document.readyState === 'complete') run(); else window.addEventListener('load', run);
})();
"""


@dataclass
class Visits:
    """What a person's browser met: axe violations per page, requests to other hosts, console errors, pages
    wider than the screen (a sideways scroll on a phone)."""

    checked: list[str] = field(default_factory=list)
    violations: list[tuple[str, Any]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)


AXE_WARNED: list[bool] = []


@contextlib.contextmanager
def checked_pages(
    browser: Any, live_server: Any, *, navigation_hosts: tuple[str, ...] = ()
) -> Iterator[Callable[..., Any]]:
    """Opens pages, each in a new browser context (a new person), and checks every page of the portal they opened
    when the block ends: no WCAG 2.1 A/AA violation (axe-core, in JavaScript-enabled contexts), no request to
    another host, no console error (a CSP violation is one), no page wider than the screen. ``navigation_hosts``:
    other hosts the person may visit as whole pages (an OpenID provider); nothing else may load from them and
    their pages are not the portal's to check. ``server_errors`` (per page): 5xx statuses the test provokes on
    purpose, so the browser's console line about them is expected."""
    contexts: list[tuple[Any, bool]] = []  # each context, and whether axe-core runs in it
    visits = Visits()
    server = urlsplit(live_server.url).netloc
    axe_source = AXE_JS.read_text("utf-8") if AXE_JS.exists() else ""
    if not axe_source and not AXE_WARNED:
        AXE_WARNED.append(True)
        warnings.warn(f"axe-core not installed ({AXE_JS}): run `npm ci`; pages are not checked for WCAG", stacklevel=1)
    allowed_console: list[str] = []

    def _new(
        *,
        js: bool = True,
        viewport: dict[str, int] | None = None,
        geolocation: dict[str, float] | None = None,
        server_errors: tuple[int, ...] = (),
    ) -> Any:
        # geolocation: the phone's position, {"latitude", "longitude", "accuracy"}, with the permission granted.
        allowed_console.extend(f"status of {status}" for status in server_errors)
        located = {"geolocation": geolocation, "permissions": ["geolocation"]} if geolocation else {}
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", java_script_enabled=js, viewport=viewport or DESKTOP, **located
        )
        context.set_default_timeout(10_000)
        if js and axe_source:

            def on_axe(source: Any, path: str, overflow: int, found: list[Any]) -> None:
                if urlsplit(source["page"].url).netloc != server:
                    return  # another host's page (an identity provider) is not the portal's
                visits.checked.append(path)
                visits.violations.extend((path, v) for v in found)
                if overflow > 0:
                    visits.overflow.append(f"{path}: {overflow}px wider than the {source['page'].viewport_size} screen")

            context.expose_binding("__paknAxe", on_axe)
            context.add_init_script(script=axe_source + "\n" + AXE_INIT)

        def on_request(request: Any) -> None:
            parts = urlsplit(request.url)
            if parts.scheme not in ("http", "https") or parts.netloc == server:
                return
            if parts.netloc in navigation_hosts and request.is_navigation_request():
                return
            visits.foreign.append(request.url)

        def on_console(message: Any) -> None:
            # A page answered with 4xx on purpose (a refused form, a hidden case) is not a console error.
            text = message.text
            expected = text.startswith("Failed to load resource: the server responded with a status of 4") or any(
                allowed in text for allowed in allowed_console
            )
            if message.type == "error" and not expected:
                visits.console.append(text)

        context.on("request", on_request)
        context.on("console", on_console)
        contexts.append((context, bool(js and axe_source)))
        return context.new_page()

    yield _new
    for context, axe_runs in contexts:
        for open_page in context.pages:
            # Without JavaScript axe never runs: waiting for it cost 5 s per open page (most of a no-JS walk).
            if urlsplit(open_page.url).netloc != server or not axe_runs:
                continue
            with contextlib.suppress(Exception):  # a page left mid-navigation: its predecessor was checked
                open_page.wait_for_function("window.__paknAxeDone === true", timeout=5_000)
        context.close()
    problems = [f"{path}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for path, v in visits.violations]
    assert not problems, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(problems)
    assert not visits.foreign, f"pages loaded from other hosts: {visits.foreign}"
    assert not visits.console, f"console errors: {visits.console}"
    assert not visits.overflow, f"pages wider than the screen: {visits.overflow}"


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """A page in a new browser context (a new person): ``new_page()``, ``new_page(js=False, viewport=PHONE)``;
    checked as ``checked_pages`` says when the test ends."""
    with checked_pages(browser, live_server) as opener:
        yield opener


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
