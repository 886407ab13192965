"""The README's pictures, made by the browser so they stay true: the citizen's phone view of the form and of a
case's status, and the clerk's workspace on a desktop. Written to docs/screenshots/ when
PAKN_UPDATE_SCREENSHOTS=1 (`make screenshots`); otherwise to a temporary folder, so the pages are still walked."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeys.conftest import COMMUNE, DESKTOP, PHONE, expect, make_user, staff_login, submit_case

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def target(tmp_path: Path, name: str) -> Path:
    folder = DOCS if os.environ.get("PAKN_UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def test_readme_screenshots(new_page: Callable[..., Any], tmp_path: Path) -> None:
    from pakn.cases import services

    case = submit_case()
    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    services.accept_case(actor=clerk, case=case, accepted_on=case.received_on, complexity="normal")
    submit_case(kind="complaint", title="Khiếu nại quyết định thu hồi đất", content="Tôi khiếu nại quyết định số 5.")
    submit_case(kind="petition", title="Kiến nghị lắp đèn tín hiệu ngã tư", content="Đề nghị lắp đèn tín hiệu.")

    phone = new_page(viewport=PHONE)
    phone.goto("/submit/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Gửi đơn")
    phone.screenshot(path=str(target(tmp_path, "citizen-phone-submit.png")))
    phone.goto(f"/track/{case.tracking_code}/")
    expect(phone.locator("#status")).to_have_text("Đã thụ lý")
    phone.screenshot(path=str(target(tmp_path, "citizen-phone-status.png")))

    desk = new_page(viewport=DESKTOP)
    staff_login(desk, "clerk")
    desk.screenshot(path=str(target(tmp_path, "clerk-workspace.png")))
    desk.goto(f"/staff/cases/{case.pk}/")
    expect(desk.get_by_role("heading", level=1)).to_have_text(case.title)
    desk.screenshot(path=str(target(tmp_path, "clerk-case.png")))
    assert all((target(tmp_path, n)).stat().st_size > 10_000 for n in ("citizen-phone-status.png", "clerk-case.png"))
