"""Reporter protection, four eyes: a protection officer asks to see a denouncer's identity with a legal basis,
a second officer of the same unit (who sees who asked) approves, the first officer sees the identity once, and
the reveal log names both, family name first."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, REPORTER, expect, make_user, submit_case

UNIT = f"UBND-{COMMUNE}"
BASIS = "Cần làm việc trực tiếp với người tố cáo để xác minh (Luật Tố cáo 2018, Điều 9, 31)"


def officer(username: str, given: str, family: str) -> Any:
    """A protection officer of the commune with a vault key locked by their password (as /protection/key/
    creates it)."""
    from pakn.protection import services as protection

    user = make_user(username, unit_code=UNIT, role="protection_officer")
    user.first_name, user.last_name = given, family
    user.save(update_fields=["first_name", "last_name"])
    protection.setup_key(user=user, password=PASSWORD)
    return user


def log_in(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảo vệ người tố cáo")


def test_four_eyes_reveal_of_a_denouncers_identity(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import AuditEvent
    from pakn.protection.models import RevealRequest

    officer("baove_lan", "Lan", "Phạm Thị")
    officer("baove_minh", "Minh", "Đỗ Văn")
    case = submit_case(
        kind="denunciation",
        title="Tố cáo cán bộ địa chính thu tiền ngoài quy định",
        content="Cán bộ địa chính phường thu 5.000.000 đồng ngoài quy định khi làm hồ sơ cấp giấy chứng nhận.",
    )

    # Officer A: the sealed case, a request with its legal basis.
    first = new_page(viewport=DESKTOP)
    log_in(first, "baove_lan")
    first.get_by_role("link", name=case.pseudonym).click()
    expect(first.get_by_role("heading", name="Mở danh tính (hai người phê duyệt)")).to_be_visible()
    expect(first.locator("body")).not_to_contain_text(REPORTER["name"])
    first.locator("summary", has_text="Đề nghị mở danh tính").click()
    first.get_by_label("Căn cứ pháp lý").select_option(label=BASIS)
    first.get_by_label("Lý do, văn bản yêu cầu").fill("Tổ xác minh cần gặp người tố cáo theo Kế hoạch 15/KH-UBND.")
    first.get_by_role("button", name="Gửi đề nghị").click()
    expect(first.get_by_role("status")).to_contain_text("Đã gửi đề nghị. Cần một cán bộ bảo vệ khác phê duyệt.")
    request = RevealRequest.objects.get()
    row = first.locator(f"#reveal-{request.pk}")
    expect(row).to_contain_text("Bạn")
    expect(row).to_contain_text("Chờ phê duyệt")
    expect(row.get_by_role("button", name="Phê duyệt")).to_have_count(0)  # not their own

    # Officer B: the request waits for them, naming who asked; they read it and approve.
    second = new_page(viewport=PHONE)
    log_in(second, "baove_minh")
    waiting = second.locator("h2:has-text('Đề nghị mở danh tính chờ bạn phê duyệt') + ul li")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Phạm Thị Lan")
    expect(waiting).to_contain_text(BASIS)
    waiting.get_by_role("link", name=case.pseudonym).click()
    row = second.locator(f"#reveal-{request.pk}")
    expect(row.locator("td[data-label='Người đề nghị']")).to_have_text("Phạm Thị Lan")  # labelled on a phone
    expect(row).to_contain_text("Tổ xác minh cần gặp người tố cáo")
    row.get_by_label("Ghi chú").fill("Đúng căn cứ, đồng ý.")
    row.get_by_role("button", name="Phê duyệt").click()
    expect(second.get_by_role("status")).to_contain_text("Đã phê duyệt.")
    expect(second.locator(f"#reveal-{request.pk}")).to_contain_text("Đã phê duyệt (Đỗ Văn Minh)")
    expect(second.locator("body")).not_to_contain_text(REPORTER["name"])  # the approver does not see it

    # Officer A: the approval names officer B; the password opens the identity, once.
    first.reload()
    row = first.locator(f"#reveal-{request.pk}")
    expect(row).to_contain_text("Đã phê duyệt (Đỗ Văn Minh)")
    row.get_by_label("Mật khẩu của bạn (để mở khóa)").fill(PASSWORD)
    row.get_by_role("button", name="Mở danh tính").click()
    expect(first.get_by_role("heading", level=1)).to_contain_text("Danh tính người gửi")
    identity = first.locator("#identity")
    expect(identity).to_contain_text(REPORTER["name"])
    expect(identity).to_contain_text(REPORTER["phone"])
    first.get_by_role("link", name="Đóng").click()
    row = first.locator(f"#reveal-{request.pk}")
    expect(row).to_contain_text("Đã xem")
    expect(row.get_by_role("button", name="Mở danh tính")).to_have_count(0)  # used up
    expect(first.locator("body")).not_to_contain_text(REPORTER["name"])

    # The reveal log: both officers named, family name first.
    first.goto("/protection/")
    log = first.locator("table", has=first.get_by_role("columnheader", name="Người phê duyệt"))
    entry = log.locator("tbody tr").first
    expect(entry).to_contain_text("Phạm Thị Lan")
    expect(entry).to_contain_text("Đỗ Văn Minh")
    expect(entry).to_contain_text("Đã xem")
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert {"reveal_requested", "reveal_approved", "identity_revealed"} <= set(actions), actions

    # The reporter's status page says it happened, without names.
    reporter = new_page(viewport=PHONE)
    reporter.goto(f"/track/{case.tracking_code}/")
    expect(reporter.locator("body")).to_contain_text("Danh tính người gửi đã được mở theo quy định")
    for name in ("Phạm Thị Lan", "Đỗ Văn Minh"):
        expect(reporter.locator("body")).not_to_contain_text(name)
    assert re.fullmatch(r".*/track/.*", reporter.url)
