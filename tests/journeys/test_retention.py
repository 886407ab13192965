"""Personal data and its retention, as people use it (docs/retention.md): a citizen with an account reads what is
kept about them and until when, downloads a copy and closes their account (an old case's data erased at once, a
recent one kept with its date); a citizen with only a tracking code downloads what they submitted and asks for
erasure; an administrator reads the retention schedule with its unconfirmed citations and the last runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, REPORTER, expect, make_user, submit_case

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _schedule(transactional_db: Any) -> None:
    """The live server's tests flush the tables, and with them the schedule migration 0007 seeded: seed it again."""
    import importlib

    from django.apps import apps

    importlib.import_module("pakn.protection.migrations.0007_default_retention_rules").seed(apps, None)


def answered(**overrides: Any) -> Any:
    from pakn.cases import services
    from pakn.org.models import Membership

    clerk = Membership.objects.filter(unit__code=f"UBND-{COMMUNE}", role="clerk").first()
    actor = clerk.user if clerk else make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    case = submit_case(**overrides)
    services.accept_case(actor=actor, case=case)
    services.resolve_case(actor=actor, case=case, body="Đèn đường đã được thay.")
    return case


def kept_until(case: Any) -> str:
    from pakn.protection import retention

    verdict = retention.verdict_for(case)
    assert verdict.kept_until is not None
    return verdict.kept_until.strftime("%d/%m/%Y")


@pytest.mark.parametrize(("js", "viewport"), [(False, PHONE), (True, DESKTOP)], ids=["no-js-phone", "js-desktop"])
def test_a_citizen_downloads_their_data_and_closes_the_account(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    from pakn.protection.models import VaultItem

    citizen = make_user("nguoidan", email="nguoidan@example.vn")
    with time_machine.travel(datetime(2019, 5, 6, 9, tzinfo=TZ)):  # answered in 2019: kept until 31/12/2024
        old = answered(actor=citizen, citizen=citizen, title="Cống thoát nước bị tắc")
    recent = answered(actor=citizen, citizen=citizen, title="Đèn đường hỏng trên phố Đội Cấn")
    until = kept_until(recent)

    page = new_page(js=js, viewport=viewport)
    page.goto("/account/login/")
    page.get_by_label("Tên đăng nhập").fill("nguoidan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn của tôi")
    page.get_by_role("link", name="Dữ liệu cá nhân của bạn: xem, tải bản sao, đề nghị xóa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân của bạn")
    expect(page.locator(f"#case-{recent.tracking_code}")).to_contain_text(f"giữ đến hết ngày {until}")
    expect(page.locator(f"#case-{recent.tracking_code}")).to_contain_text("chưa xác nhận căn cứ pháp lý")
    expect(page.locator(f"#case-{old.tracking_code}")).to_contain_text("Đã hết thời hạn lưu trữ")
    expect(page.get_by_text("máy chủ không đọc được")).to_be_visible()

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Tải bản sao (JSON)").click()
    copy = json.loads(Path(downloading.value.path()).read_text("utf-8"))
    assert copy["account"]["username"] == "nguoidan"
    assert {c["tracking_code"] for c in copy["cases"]} == {old.tracking_code, recent.tracking_code}
    assert all(c["contact"]["address"] == REPORTER["email"] for c in copy["cases"])

    page.get_by_role("link", name="Đóng tài khoản và đề nghị xóa dữ liệu").click()
    expect(page.get_by_text("Hãy ghi lại mã tra cứu các đơn")).to_be_visible()
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi hiểu: tài khoản bị đóng hẳn").check()
    page.get_by_role("button", name="Đóng tài khoản").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã đóng tài khoản")
    results = page.locator(".data-answers li")
    expect(results.filter(has_text=old.title)).to_contain_text("Đã xóa")
    expect(results.filter(has_text=recent.title)).to_contain_text("Chưa xóa: Theo quy định lưu trữ da-tra-loi")
    expect(results.filter(has_text=recent.title)).to_contain_text(until)
    assert not VaultItem.objects.filter(case=old).exists()
    assert VaultItem.objects.filter(case=recent, kind="identity").exists()

    page.goto("/account/data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")  # logged out, cannot come back


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["js-phone", "no-js-desktop"])
def test_a_citizen_with_a_tracking_code_downloads_and_asks_for_erasure(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    case = answered()
    until = kept_until(case)
    page = new_page(js=js, viewport=viewport)
    page.goto(f"/track/{case.tracking_code}/data")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân của bạn")
    expect(page.get_by_text("Địa chỉ liên hệ không có trong tệp")).to_be_visible()

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Tải bản sao (JSON)").click()
    text = Path(downloading.value.path()).read_text("utf-8")
    assert json.loads(text)["cases"][0]["tracking_code"] == case.tracking_code
    assert REPORTER["email"] not in text and REPORTER["name"] not in text

    page.get_by_role("button", name="Gửi đề nghị xóa").click()  # not confirmed: the form says so
    expect(page.locator(".error-summary, .errorbox, .errorlist").first).to_be_visible()
    page.get_by_label("Tôi đề nghị xóa dữ liệu cá nhân của đơn này").check()
    page.get_by_role("button", name="Gửi đề nghị xóa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã ghi nhận đề nghị xóa dữ liệu")
    expect(page.locator(".data-answers")).to_contain_text("Chưa xóa: Theo quy định lưu trữ da-tra-loi")
    expect(page.locator(".data-answers")).to_contain_text(until)


# Without JavaScript only: Django's own admin pages fail axe-core's link-in-text-block rule (their breadcrumbs).
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["no-js-phone", "no-js-desktop"])
def test_an_administrator_reads_the_retention_schedule(new_page: Callable[..., Any], viewport: Any) -> None:
    from pakn.protection import retention

    answered()
    retention.run(dry_run=True)
    make_user("quantri", superuser=True)
    page = new_page(js=False, viewport=viewport)
    page.goto("/admin/protection/retentionrule/")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Các lần chạy gần nhất")).to_be_visible()
    expect(page.locator("#retention-runs")).to_contain_text("chạy thử")
    expect(page.locator("#result_list")).to_contain_text("khieu-nai-da-giai-quyet")
    expect(page.locator("#result_list")).to_contain_text("to-cao-sai-su-that")
