"""The commune clerk's working day: a letter that came by post entered with its real date (dd/mm/yyyy), accepted,
a question to the reporter, extended, answered and closed; a duplicate merged; a search typed without marks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from journeys.conftest import COMMUNE, DESKTOP, PHONE, content_box, expect, make_user, staff_login, submit_case


def act(
    page: Any,
    label: str,
    status: str,
    fill: dict[str, str] | None = None,
    select: dict[str, str] | None = None,
    check: tuple[str, ...] = (),
) -> None:
    """Open one of the case's actions, fill it in, do it, and see the new status."""
    summary = page.locator("summary").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    details = page.locator("details").filter(has=summary)
    details.locator("summary").click()
    for field, value in (fill or {}).items():
        details.get_by_label(field).fill(value)
    for field, value in (select or {}).items():
        details.get_by_label(field).select_option(label=value)
    for choice in check:
        details.get_by_label(choice, exact=True).check()
    details.get_by_role("button", name=label).click()
    if label == "Trả lời / kết luận":  # the answer check: the clerk looks again and confirms
        expect(page.locator("#answer-check")).to_be_visible()
        page.get_by_label("Tôi đã xem các lưu ý trên, vẫn gửi câu trả lời này").check()
        page.locator("#action-resolve").get_by_role("button", name=label).click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện: {label}.")
    expect(page.locator("#status")).to_have_text(status)


def test_letter_by_post_to_closure(new_page: Callable[..., Any]) -> None:
    from django.utils import timezone

    from pakn.cases.models import Case, Message
    from pakn.notify.models import Outbox

    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    received = timezone.localdate() - timedelta(days=3)
    page = new_page(viewport=DESKTOP)
    staff_login(page, "clerk")
    page.get_by_role("link", name="Vào sổ đơn").click()
    page.get_by_label("Tố cáo", exact=True).check()
    page.get_by_label("Kênh tiếp nhận").select_option(label="Thư, đơn qua bưu điện")
    page.get_by_label("Ngày nhận thực tế").fill(f"{received:%d/%m/%Y}")
    page.get_by_label("Tiêu đề").fill("Tố cáo cán bộ địa chính nhận tiền")
    content_box(page).fill("Ông cán bộ địa chính phường nhận 20 triệu đồng để làm nhanh hồ sơ đất của gia đình tôi.")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill("Trần Thị Bình")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Số định danh cá nhân / CCCD").fill("001190012345")
    page.get_by_label("Địa chỉ liên hệ").fill("25 Kim Mã, Ba Đình")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã vào sổ đơn, mã tra cứu")
    expect(page.locator(".facts")).to_contain_text(f"Thư, đơn qua bưu điện · {received:%d/%m/%Y}")
    expect(page.locator("#reporter")).not_to_contain_text("Trần Thị Bình")  # the clerk sees a pseudonym
    case = Case.objects.get()
    assert (case.kind, case.track, case.received_on) == ("denunciation", "statutory", received)

    act(page, "Thụ lý", "Đã thụ lý", fill={"Ngày thụ lý": f"{timezone.localdate():%d/%m/%Y}"})
    page.locator("summary", has_text="Hỏi người gửi").click()
    page.get_by_label("Câu hỏi cho người gửi").fill("Xin cho biết ngày, giờ và nơi ông cán bộ nhận tiền.")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.get_by_text("Xin cho biết ngày, giờ và nơi ông cán bộ nhận tiền.")).to_be_visible()
    assert Message.objects.filter(case=case, from_citizen=False).count() == 1
    act(page, "Bắt đầu giải quyết", "Đang giải quyết")
    act(
        page,
        "Gia hạn",
        "Đang giải quyết",
        fill={"Lý do gia hạn": "Cần xác minh tại hai nơi."},
        select={"Mức độ": "Phức tạp"},
    )
    expect(page.locator("aside .facts")).to_contain_text("gia hạn 1 lần")
    act(
        page,
        "Trả lời / kết luận",
        "Đã trả lời / kết luận",
        fill={"Nội dung trả lời / kết luận": "Kết luận: nội dung tố cáo đúng một phần; đã kiểm điểm cán bộ."},
        select={"Loại văn bản": "Kết luận / quyết định giải quyết"},
        check=("Tố cáo đúng một phần",),  # a denunciation's conclusion says what it found (Luật Tố cáo, Điều 35)
    )
    act(page, "Kết thúc hồ sơ", "Đã kết thúc")
    timeline = page.locator("ol.timeline")
    for step in ("Tiếp nhận đơn", "Thụ lý", "Gia hạn", "Kết thúc"):
        expect(timeline).to_contain_text(step)
    assert Outbox.objects.filter(case=case).exists()  # the reporter is told, through the sealed contact


def test_merge_a_duplicate_and_search_without_marks(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import Case

    kept = submit_case(title="Ổ gà lớn trên đường Hoàng Hoa Thám", content="Ổ gà sâu trước số 50 Hoàng Hoa Thám.")
    duplicate = submit_case(title="Đường Hoàng Hoa Thám có ổ gà", content="Ổ gà trước số 50, xe máy bị ngã.")
    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    page = new_page(viewport=PHONE)
    staff_login(page, "clerk")

    page.goto("/language/search/?q=o+ga+hoang+hoa+tham")
    results = page.locator("ol.search-results")
    expect(results).to_contain_text("Ổ gà lớn trên đường Hoàng Hoa Thám")
    expect(results).to_contain_text("Đường Hoàng Hoa Thám có ổ gà")

    page.goto(f"/staff/cases/{duplicate.pk}/")
    act(
        page,
        "Gộp vào hồ sơ khác",
        "Đã gộp vào hồ sơ khác",
        fill={"Mã tra cứu của hồ sơ giữ lại": kept.tracking_code.lower()},
    )
    assert Case.objects.get(pk=duplicate.pk).merged_into_id == kept.pk


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, PHONE), (True, DESKTOP), (False, DESKTOP)])
def test_search_that_no_case_fully_matches_and_a_broad_one(
    new_page: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, js: bool, viewport: dict[str, int]
) -> None:
    """The clerk types words that no case has together: the page says so and shows the closest cases first;
    a word with more matches than are ranked says "at least", not a false total."""
    from pakn.language import search

    lamp = submit_case(title="Đèn đường hỏng trên phố Đội Cấn", content="Đèn đường trước số 12 không sáng.")
    submit_case(title="Rác thải tập kết trên đường Kim Mã", content="Điểm tập kết rác ở ngõ 45 bốc mùi.")
    make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    page = new_page(js=js, viewport=viewport)
    staff_login(page, "clerk")

    if viewport == PHONE:
        page.get_by_text("Danh mục").click()  # the menu folds on a phone, with or without JavaScript
    page.get_by_role("link", name="Tìm kiếm").first.click()
    page.get_by_label("Tìm kiếm", exact=True).fill("den duong karaoke")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator("#result-count")).to_contain_text("Không có hồ sơ nào có đủ mọi từ của “den duong karaoke”")
    first = page.locator("ol.search-results > li").first
    expect(first).to_contain_text("Đèn đường hỏng trên phố Đội Cấn")
    expect(first).to_contain_text(lamp.tracking_code)

    monkeypatch.setattr(search, "RANK_WINDOW", 1)  # one ranked match, as 2,000 are at a province's scale
    monkeypatch.setattr(search, "SMALL_SCOPE", -1)  # the index path, as for a scope of many cases
    page.get_by_label("Tìm kiếm", exact=True).fill("duong")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator("#result-count")).to_contain_text("Ít nhất 1 hồ sơ khớp với “duong”")
    expect(page.locator("ol.search-results > li")).to_have_count(1)
