"""Browser tests: a person's real paths through the public and staff pages, in Debian's Chromium driven
by Playwright against pytest-django's live server. They assert on what a person sees on the page.

One browser per module, a fresh context (cookies, session) per person, Vietnamese locale."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from journeys.conftest import (
    COMMUNE,
    OTHER_COMMUNE,
    REPORTER,
    REQUIRED,
    assert_no_identity,
    choose_place_with_js,
    choose_place_without_js,
    content_box,
    expect,
    make_user,
    staff_login,
    submit_button,
    submit_case,
    tracking_code_on,
)
from pakn.core.tracking import format_tracking_code

# ---------------------------------------------------------------- 1. citizen, with JavaScript


def test_citizen_submits_report_tracks_it_and_adds_information(page: Any) -> None:
    from pakn.cases.models import Case

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Gửi đơn mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi đơn")

    page.get_by_label("Phản ánh", exact=True).check()
    expect(page.get_by_text("Khiếu nại lần thứ")).to_be_hidden()  # only shown for complaints
    page.get_by_label("Khiếu nại", exact=True).check()
    expect(page.get_by_text("Khiếu nại lần thứ")).to_be_visible()
    page.get_by_label("Phản ánh", exact=True).check()
    choose_place_with_js(page)
    page.get_by_label("Tiêu đề").fill("Đèn đường hỏng trên phố Đội Cấn")
    content_box(page).fill("Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, rất nguy hiểm.")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill(REPORTER["name"])
    page.get_by_label("Số điện thoại").fill(REPORTER["phone"])
    page.get_by_label("Thư điện tử").fill(REPORTER["email"])
    submit_button(page).click()

    code = tracking_code_on(page)
    expect(page.locator("#status")).to_have_text("Đã tiếp nhận")
    expect(page.locator(".facts")).to_contain_text("Ủy ban nhân dân Phường Ba Đình")
    assert_no_identity(page)
    case = Case.objects.get()
    assert (case.kind, case.commune_id, case.channel) == ("report", COMMUNE, "web")

    # Looked up again, typed carelessly: lower case, no dashes.
    page.get_by_role("link", name="Tra cứu", exact=True).click()
    page.get_by_label("Mã tra cứu").fill(code.replace("-", "").lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đơn {code}")
    expect(page.get_by_text("Đã gửi đơn thành công")).to_have_count(0)  # shown once, right after submitting
    assert_no_identity(page)

    page.get_by_label("Thông tin bổ sung").fill("Bổ sung: đèn số 14 cũng hỏng.")
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi thông tin bổ sung.")
    expect(page.locator("ol.timeline")).to_contain_text("Người gửi bổ sung thông tin")
    assert_no_identity(page)


def test_similar_cases_appear_while_typing_and_the_text_never_goes_into_a_url(
    page: Any, make_case: Callable[..., Any]
) -> None:
    make_case(
        title="Ổ gà lớn trên phố Đội Cấn",
        content="Ổ gà sâu trước số 30 phố Đội Cấn, xe máy ngã liên tục.",
        publish=True,
    )
    requests: list[Any] = []
    page.on("request", lambda r: requests.append(r) if "/api/similar" in r.url else None)
    page.goto("/submit/")
    choose_place_with_js(page)
    page.get_by_label("Tiêu đề").fill("Đường Đội Cấn có ổ gà")
    content_box(page).fill("Ổ gà sâu trên phố Đội Cấn, trước số 30, rất nguy hiểm cho xe máy.")
    box = page.locator("#similar-box")
    expect(box).to_be_visible(timeout=10_000)
    expect(box).to_contain_text("Ổ gà lớn trên phố Đội Cấn")
    expect(box).to_contain_text("người phản ánh việc này")
    assert requests and all(r.method == "POST" and "?" not in r.url for r in requests)
    assert all("Đội" not in r.url and "%C4%90" not in r.url for r in requests)


# ---------------------------------------------------------------- 2. citizen, without JavaScript


def test_citizen_without_javascript_complaint_and_anonymous_denunciation(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import Case

    page = new_page(js=False)
    page.goto("/submit/")
    page.get_by_label("Khiếu nại", exact=True).check()
    choose_place_without_js(page)
    expect(page.get_by_label("Khiếu nại", exact=True)).to_be_checked()  # kept across the province step
    page.get_by_label("Lần đầu").check()
    page.get_by_label("Tiêu đề").fill("Khiếu nại quyết định xử phạt")
    content_box(page).fill("Tôi khiếu nại quyết định xử phạt hành chính số 12/QĐ-XPHC.")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill(REPORTER["name"])
    page.get_by_label("Số điện thoại").fill(REPORTER["phone"])
    page.get_by_label("Thư điện tử").fill(REPORTER["email"])
    page.get_by_label("Số định danh cá nhân / CCCD").fill(REPORTER["id_number"])
    page.get_by_label("Địa chỉ liên hệ").fill(REPORTER["address"])
    submit_button(page).click()
    tracking_code_on(page)
    expect(page.get_by_text("Khiếu nại (lần 1)")).to_be_visible()
    assert_no_identity(page)
    complaint = Case.objects.get(kind="complaint")
    assert (complaint.track, complaint.complaint_round, complaint.commune_id) == ("statutory", 1, COMMUNE)

    page.goto("/submit/")
    page.get_by_label("Tố cáo", exact=True).check()
    choose_place_without_js(page)
    page.get_by_label("Tiêu đề").fill("Tố cáo cán bộ nhận tiền")
    content_box(page).fill("Một cán bộ phường nhận tiền khi làm thủ tục cho người dân.")
    submit_button(page).click()
    tracking_code_on(page)
    expect(page.get_by_text("Nặc danh")).to_be_visible()
    assert Case.objects.get(kind="denunciation").track == "anonymous"


# ---------------------------------------------------------------- 3. old address


def test_old_address_is_converted_to_a_ha_noi_unit(page: Any) -> None:
    from pakn.cases.models import Case

    page.goto("/submit/")
    page.get_by_label("Địa chỉ nơi xảy ra sự việc").fill("Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội")
    page.get_by_label("Tiêu đề").fill("Rác thải ven sông")
    content_box(page).fill("Rác thải đổ ven sông Hồng nhiều ngày không ai thu gom.")
    submit_button(page).click()
    tracking_code_on(page)
    case = Case.objects.select_related("unit").get()
    assert case.province_id == "01" and case.unit.province_id == "01"
    assert case.commune_id is not None  # the old ward was converted to a new commune
    expect(page.locator(".facts")).to_contain_text(case.unit.name)


# ---------------------------------------------------------------- 4. validation


def test_empty_form_shows_vietnamese_errors_and_stores_nothing(page: Any) -> None:
    from pakn.cases.models import Case

    page.goto("/submit/")
    submit_button(page).click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng sửa các lỗi sau")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi đơn")
    assert urlsplit(page.url).path == "/submit/"
    for label in ("Tiêu đề", "Nội dung"):
        box = page.get_by_role("textbox", name=label, exact=True)
        expect(page.locator(".field.has-error").filter(has=box).locator(".errorlist")).to_have_text(REQUIRED)
        expect(box).to_have_attribute("aria-invalid", "true")
    assert Case.objects.count() == 0


# ---------------------------------------------------------------- 5. clerk, then citizen rates and escalates


def test_clerk_resolves_and_unsatisfied_citizen_escalates(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import Case

    case = submit_case()
    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    answer = "Đã thay bóng đèn trước số 12 phố Đội Cấn ngày hôm qua."

    staff = new_page()
    staff_login(staff, "clerk")
    row = staff.get_by_role("row").filter(has_text=case.title)
    expect(row).to_contain_text("Đã tiếp nhận")
    row.get_by_role("link", name=format_tracking_code(case.tracking_code)).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(case.title)
    expect(staff.locator("#status")).to_have_text("Đã tiếp nhận")

    def act(label: str, status: str, fill: dict[str, str] | None = None) -> None:
        summary = staff.locator("summary").filter(has_text=re.compile(f"^{re.escape(label)}$"))
        details = staff.locator("details").filter(has=summary)
        details.locator("summary").click()
        for field, value in (fill or {}).items():
            details.get_by_label(field).fill(value)
        details.get_by_role("button", name=label).click()
        if label == "Trả lời / kết luận":  # the answer check asks for a second look at a short answer
            check = staff.locator("#answer-check")
            expect(check).to_contain_text("Câu trả lời rất ngắn")
            staff.get_by_label("Tôi đã xem các lưu ý trên, vẫn gửi câu trả lời này").check()
            staff.locator("#action-resolve").get_by_role("button", name=label).click()
        expect(staff.get_by_role("status")).to_contain_text(f"Đã thực hiện: {label}.")
        expect(staff.locator("#status")).to_have_text(status)

    act("Thụ lý", "Đã thụ lý")
    act("Bắt đầu giải quyết", "Đang giải quyết")
    act("Trả lời / kết luận", "Đã trả lời / kết luận", {"Nội dung trả lời / kết luận": answer})
    expect(staff.get_by_text(answer)).to_be_visible()

    citizen = new_page()
    citizen.goto(f"/track/{case.tracking_code}/")
    expect(citizen.locator("#status")).to_have_text("Đã trả lời / kết luận")
    expect(citizen.get_by_role("region", name="Kết quả trả lời")).to_contain_text(answer)
    expect(citizen.get_by_role("heading", name="Đề nghị cấp trên xem xét")).to_have_count(0)
    citizen.get_by_label("Không hài lòng", exact=True).check()
    citizen.get_by_label("Nhận xét").fill("Đèn vẫn chập chờn.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá.")

    citizen.get_by_label("Lý do đề nghị cấp trên xem xét").fill("Phường trả lời nhưng đèn vẫn chưa sáng ổn định.")
    citizen.get_by_role("button", name="Gửi đề nghị").click()
    expect(citizen.get_by_role("status")).to_contain_text("Đã chuyển đề nghị đến cơ quan cấp trên.")
    expect(citizen.locator("#status")).to_have_text("Đã chuyển đơn")
    expect(citizen.locator(".facts")).to_contain_text("Ủy ban nhân dân Thành phố Hà Nội")
    expect(citizen.get_by_role("heading", name="Đề nghị cấp trên xem xét")).to_have_count(0)  # only once
    assert_no_identity(citizen)
    assert Case.objects.select_related("unit").get(pk=case.pk).unit.code == "UBND-01"


# ---------------------------------------------------------------- 6. staff intake of a letter


def test_clerk_records_a_letter_with_its_real_received_date(page: Any) -> None:
    from django.utils import timezone

    from pakn.cases.models import Case

    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    received = timezone.localdate() - timedelta(days=10)
    staff_login(page, "clerk")
    page.get_by_role("link", name="Vào sổ đơn").click()
    expect(page.get_by_label("Xã/phường/đặc khu")).to_have_value(COMMUNE)  # the clerk's own commune
    page.get_by_label("Kênh tiếp nhận").select_option(label="Thư, đơn qua bưu điện")
    page.get_by_label("Ngày nhận thực tế").fill(received.isoformat())
    page.get_by_label("Tiêu đề").fill("Thư phản ánh về lấn chiếm vỉa hè")
    content_box(page).fill("Hộ kinh doanh số 20 phố Kim Mã lấn chiếm vỉa hè.")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill("Trần Thị Bình")
    page.get_by_role("button", name="Vào sổ").click()

    expect(page.get_by_role("status")).to_contain_text("Đã vào sổ đơn, mã tra cứu")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thư phản ánh về lấn chiếm vỉa hè")
    expect(page.locator(".facts")).to_contain_text(f"Thư, đơn qua bưu điện · {received:%d/%m/%Y}")
    case = Case.objects.get()
    assert (case.channel, case.received_on) == ("letter", received)


# ---------------------------------------------------------------- 7. isolation between communes


def test_clerk_of_another_commune_gets_404(page: Any) -> None:
    case = submit_case()
    make_user("other_clerk", unit_code=f"UBND-{OTHER_COMMUNE}")
    staff_login(page, "other_clerk")
    expect(page.get_by_text(case.title)).to_have_count(0)
    response = page.goto(f"/staff/cases/{case.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    expect(page.get_by_text(case.title)).to_have_count(0)
    assert REPORTER["name"] not in page.content()


# ---------------------------------------------------------------- 8. deadline calculator


def test_deadline_calculator_page(page: Any) -> None:
    page.goto("/deadlines/")
    page.get_by_label("Loại đơn").select_option(label="Khiếu nại")
    page.get_by_label("Ngày nhận đơn").fill("2026-03-02")
    page.get_by_label("Ngày thụ lý (nếu có)").fill("2026-03-09")
    page.get_by_role("button", name="Tính").click()
    result = page.get_by_role("region", name="Kết quả")
    expect(result).to_be_visible()
    # 10 days (Luật Khiếu nại 2011, Điều 27), not working days: from Tue 03/03 to Thu 12/03/2026.
    expect(page.locator("#accept-by")).to_contain_text("12/03/2026")
    expect(page.locator("#resolve-by")).to_contain_text("08/04/2026")


# ---------------------------------------------------------------- 9. accessibility basics

UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter(el => el.type !== "hidden" && el.checkVisibility())
  .filter(el => {
    if (el.labels && el.labels.length && Array.from(el.labels).some(l => l.textContent.trim())) return false;
    const fieldset = el.closest("fieldset");
    const legend = fieldset && fieldset.querySelector(":scope > legend");
    return !((el.type === "radio" || el.type === "checkbox") && legend && legend.textContent.trim());
  })
  .map(el => el.outerHTML)"""


@pytest.mark.parametrize("path", ["/", "/submit/", "/track/", "/deadlines/"])
def test_public_pages_accessibility_basics(page: Any, live_server: Any, path: str) -> None:
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path)
    if path == "/submit/":  # exercise the script's request too
        page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
        expect(page.get_by_label("Xã/phường/đặc khu").locator("option", has_text="Phường Ba Đình")).to_have_count(1)

    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    foreign = [u for u in requested if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != server]
    assert foreign == []

    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.hash]")
    assert focused == ["Bỏ qua, đến nội dung chính", "#main"]
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
