"""A citizen follows the answers of her commune by e-mail, as she does it: on the answers page she gives her address
and chooses Hà Nội and Phường Ba Đình (on a phone without JavaScript the communes come with a button, on a desktop
with JavaScript they load by themselves), opens the confirmation link of the one e-mail she got and presses its
button, and when the ward publishes an answer her e-mail arrives with it and a link to stop; its page's button, and
the page says she stopped."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import outbox_to
from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, submit_case

LAN = "lan.tran@example.vn"
LINK = re.compile(r"https?://\S+/public/alerts/(confirm|stop|manage)/[0-9a-f]{40}/")


def link(mail: Any, kind: str) -> str:
    (found,) = [urlsplit(m.group(0)).path for m in LINK.finditer(mail.body) if m.group(1) == kind]
    return found


@pytest.mark.parametrize(
    ("js", "viewport"),
    [(False, PHONE), (True, DESKTOP), (True, PHONE), (False, DESKTOP)],
    ids=["no-js-phone", "js-desktop", "js-phone", "no-js-desktop"],
)
def test_a_citizen_follows_her_communes_answers_by_e_mail(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    from pakn.cases import services

    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    page = new_page(js=js, viewport=viewport)
    page.goto("/public/answers/")
    section = page.get_by_role("region", name="Theo dõi qua thư điện tử")
    expect(section).to_be_visible()
    # What she is promised: nothing until she confirms, and a way to stop in every e-mail.
    expect(section).to_contain_text("chưa mở đường dẫn trong thư và bấm xác nhận thì không có thư nào khác")
    expect(section).to_contain_text("Mỗi thư đều có đường dẫn để ngừng theo dõi.")
    section.get_by_label("Địa chỉ thư điện tử").fill(LAN)
    section.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    if js:
        commune = section.get_by_label("Xã/phường/đặc khu")
        expect(commune.locator("option", has_text="Phường Ba Đình")).to_have_count(1)  # loaded by pakn.js
    else:
        section.get_by_role("button", name="Chọn tỉnh để hiện danh sách xã/phường").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi qua thư điện tử")
        expect(page.get_by_label("Địa chỉ thư điện tử")).to_have_value(LAN)  # what she typed is kept
        commune = page.get_by_label("Xã/phường/đặc khu")
    commune.select_option(label="Phường Ba Đình")
    page.get_by_role("button", name="Theo dõi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hãy mở hộp thư của bạn")

    (confirmation,) = outbox_to(LAN)  # one e-mail, and nothing else until she opens its link
    assert "Phường Ba Đình, Thành phố Hà Nội" in confirmation.body
    page.goto(link(confirmation, "confirm"))  # the link asks, the button confirms
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận theo dõi")
    page.get_by_role("button", name="Xác nhận nhận thư").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã xác nhận theo dõi")
    expect(page.get_by_text("Phường Ba Đình, Thành phố Hà Nội")).to_be_visible()
    expect(page.get_by_text("Mỗi thư đều có đường dẫn để ngừng theo dõi.")).to_be_visible()

    case = submit_case(publish=True, title="Cây đổ chắn lối vào chợ Ngọc Hà")
    services.resolve_case(actor=clerk, case=case, body="Đội cây xanh đã cắt và dọn cây đổ trong ngày.")
    (alert,) = [m for m in outbox_to(LAN) if m.dedupe_key.startswith("alert:")]
    assert "Cây đổ chắn lối vào chợ Ngọc Hà" in alert.subject
    assert "Đội cây xanh đã cắt và dọn cây đổ trong ngày." in alert.body

    page.goto(link(alert, "manage"))  # the page of her address lists what she follows
    expect(page.get_by_role("listitem").filter(has_text="Phường Ba Đình, Thành phố Hà Nội")).to_contain_text(
        "Đang theo dõi"
    )

    page.goto(link(alert, "stop"))  # the e-mail's link, then the page's button
    expect(page.get_by_role("heading", level=1)).to_have_text("Ngừng theo dõi?")
    page.get_by_role("button", name="Ngừng theo dõi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã ngừng theo dõi")
    expect(page.get_by_text("Bạn sẽ không nhận thêm thư về")).to_be_visible()
    page.get_by_role("link", name="Xem và ngừng mọi theo dõi của địa chỉ này").click()
    expect(page.get_by_text("Địa chỉ này không còn theo dõi mục nào.")).to_be_visible()
    later = submit_case(publish=True, title="Nắp cống vỡ trước chợ")
    services.resolve_case(actor=clerk, case=later, body="Đã thay nắp cống.")
    assert len([m for m in outbox_to(LAN) if m.dedupe_key.startswith("alert:")]) == 1
