"""Forms and error pages as a person meets them: every error at once in a linked summary that takes focus,
long text refused with its limit stated and nothing lost, the framework's refusals (CSRF, 404, too large) in
the site's layout and language, the API docs served from the package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import DESKTOP, PHONE, REPORTER, content_box, expect, submit_button

LONG = "Đèn đường trước số 12 phố Đội Cấn hỏng. " * 26_000  # about a megabyte, pasted from a document


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_every_error_at_once_linked_and_focused(new_page: Callable[..., Any], js: bool) -> None:
    from pakn.cases.models import Case

    page = new_page(js=js, viewport=PHONE)
    page.goto("/submit/")
    expect(page.locator(".field.required", has=page.get_by_role("textbox", name="Tiêu đề"))).to_contain_text("*")
    submit_button(page).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Vui lòng sửa các lỗi sau")
    # One round: the title, the content and the place, all at once.
    for text in ("Tiêu đề: Trường này là bắt buộc", "Nội dung: Trường này là bắt buộc", "Tỉnh/thành phố:"):
        expect(summary).to_contain_text(text)
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Nội dung: Trường này là bắt buộc.").click()
    expect(content_box(page)).to_be_focused()
    assert Case.objects.count() == 0


def test_long_text_is_refused_with_its_limit_and_kept_without_javascript(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import Case

    page = new_page(js=False)
    page.goto("/submit/")
    page.get_by_label("Tiêu đề").fill("Đèn đường hỏng")
    content_box(page).fill(LONG)
    page.get_by_label("Địa chỉ nơi xảy ra sự việc").fill("Phường Ba Đình, Thành phố Hà Nội")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill(REPORTER["name"])
    submit_button(page).click()

    page.wait_for_load_state(timeout=60_000)  # seven megabytes come back
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi đơn")
    expect(page.get_by_role("alert")).to_contain_text("Quá dài: tối đa 20.000 ký tự")  # the limit, stated
    assert content_box(page).input_value() == LONG  # nothing the person typed is lost
    expect(page.get_by_label("Tiêu đề")).to_have_value("Đèn đường hỏng")
    assert Case.objects.count() == 0


def test_long_text_counter_stops_the_form_before_sending(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=PHONE)
    page.goto("/submit/")
    box = content_box(page)
    counter = page.locator("#id_content_counter")
    expect(counter).to_contain_text("Còn 20.000 ký tự")
    box.fill("Nội dung ngắn.")
    expect(counter).to_contain_text("Còn 19.986 ký tự")
    box.fill("x" * 20_050)
    expect(counter).to_have_text("Quá 50 ký tự")
    page.get_by_label("Tiêu đề").fill("Tiêu đề")
    submit_button(page).click()
    expect(box).to_be_focused()  # not sent: the field with the problem has the focus
    assert page.url.endswith("/submit/") and box.input_value() == "x" * 20_050


def test_csrf_refusal_in_the_site_layout_gives_back_the_text(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=PHONE)
    page.goto("/submit/")
    page.get_by_label("Tiêu đề").fill("Rác thải ven sông")
    content_box(page).fill("Rác thải đổ ven sông Hồng nhiều ngày không ai thu gom, mùi hôi khắp khu phố.")
    page.context.clear_cookies()  # the session and CSRF cookie expired while the person wrote
    submit_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Chưa gửi được")
    expect(page.get_by_text("không gửi cookie của trang này")).to_be_visible()
    expect(page.get_by_label("Nội dung", exact=True)).to_have_value(
        "Rác thải đổ ven sông Hồng nhiều ngày không ai thu gom, mùi hôi khắp khu phố."
    )
    expect(page.get_by_role("link", name="Mở lại trang")).to_have_attribute("href", "/submit/")
    assert page.locator("meta[name=viewport]").count() == 1
    expect(page.locator(".site-header")).to_be_visible()


def test_not_found_and_too_large_pages_speak_the_persons_language(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=DESKTOP)
    response = page.goto("/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    page.locator(".utility").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")

    page = new_page()
    response = page.goto("/errors/413/")
    assert response is not None and response.status == 413
    expect(page.get_by_role("heading", level=1)).to_have_text("Nội dung quá lớn")
    expect(page.locator(".lead")).to_contain_text("tối đa 5 tệp, mỗi tệp tối đa 10 MB")


def test_api_docs_are_served_from_the_package(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/submissions").first).to_be_visible()
