"""The Fatherland Front forwards what voters said at a meeting with their deputies: the ward's Front committee
records the batch, one opinion becomes a case of the ward's People's Committee and one joins a case that
already exists; when the ward answers, the committee reads the answer on the batch page to report back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from journeys.conftest import COMMUNE, PASSWORD, PHONE, expect, make_user, submit_case


def log_in(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_front_forwards_voters_opinions_and_reads_the_answers(new_page: Callable[..., Any]) -> None:
    from pakn.cases import services as case_services
    from pakn.frontdesk.models import FrontBatch

    make_user("mttq", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    existing = submit_case()

    front = new_page(viewport=PHONE)
    log_in(front, "mttq")
    front.get_by_text("Danh mục").click()
    front.get_by_role("link", name="Ý kiến MTTQ chuyển đến", exact=True).click()
    front.get_by_role("link", name="Ghi nhận đợt chuyển mới").first.click()
    front.get_by_label("Nguồn ý kiến").select_option("voters_meeting")
    front.get_by_label("Hội nghị, cuộc tiếp xúc").fill("Tiếp xúc cử tri của Đại biểu Quốc hội trước kỳ họp")
    front.get_by_label("Ngày tổ chức").fill((timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y"))
    front.get_by_label("Địa điểm").fill("Nhà văn hóa phường Ba Đình")
    front.get_by_label("Số văn bản chuyển").fill("25/MTTQ-BTT")
    front.locator("#id_o0_kind").select_option("petition")
    front.locator("#id_o0_title").fill("Đề nghị sửa vỉa hè phố Quán Thánh")
    front.locator("#id_o0_content").fill("Vỉa hè trước số 5 Quán Thánh lún, bong gạch.")
    front.get_by_text("Người nêu ý kiến 1 (nếu có, được niêm phong)").click()
    front.locator("#id_o0_resident_name").fill("Phạm Thị Hoa")
    front.locator("#id_o1_title").fill("Đèn đường phố Đội Cấn hỏng")
    front.locator("#id_o1_join").fill(existing.tracking_code)
    front.get_by_role("button", name="Ghi nhận và chuyển").click()
    expect(front.get_by_role("status")).to_contain_text("Đã ghi nhận 2 ý kiến")
    expect(front.get_by_text("0/2 ý kiến đã có trả lời.")).to_be_visible()
    expect(front.get_by_text("gộp vào hồ sơ đã có")).to_be_visible()

    batch = FrontBatch.objects.get()
    new_case = batch.opinions.get(number=1).case
    case_services.resolve_case(
        actor=clerk, case=new_case, body="Kính gửi bà Phạm Thị Hoa: phường sẽ sửa vỉa hè phố Quán Thánh trong tháng 12."
    )
    front.reload()
    expect(front.get_by_text("1/2 ý kiến đã có trả lời.")).to_be_visible()
    expect(front.get_by_text("phường sẽ sửa vỉa hè phố Quán Thánh")).to_be_visible()
    assert "Phạm Thị Hoa" not in front.content()
