"""After a reception day: the head concluded that the ward must answer the households in writing; the ward reports
it done. The citizen opens the link sent to their phone and says it was not done (on a cheap phone, with and
without JavaScript); the Front committee of the ward, which asked around, says the same from its pages; the head
sees both words on the session and reopens the task."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.utils import timezone

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user, staff_login

CITIZEN_PHONE = "0912000111"


def concluded_and_reported() -> tuple[Any, Any, str]:
    """A session held today, one citizen in the register, a conclusion with one task about their matter, reported
    done by the ward; the path of the link the citizen got."""
    from conftest import outbox_to
    from pakn.org.models import Unit
    from pakn.reception import services

    head = make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    ward = Unit.objects.get(code=f"UBND-{COMMUNE}")
    today = timezone.localdate()
    session = services.schedule_session(
        actor=head, unit=ward, date=today, kind="ad_hoc", start_time=time(8), end_time=time(11),
        place="Trụ sở UBND phường", presider_name="Lê Văn Cường, Chủ tịch UBND phường", publish=True,
    )  # fmt: skip
    services.record_session_held(actor=head, session=session, presider_name="Lê Văn Cường", presided_by_head=True)
    entry = services.register_contact(
        actor=head, unit=ward, session=session, received_on=today, name="Trần Văn Bình", address="5 Liễu Giai",
        phone=CITIZEN_PHONE, summary="Đề nghị trả lời về việc công trình bên cạnh gây nứt tường.", kind="petition",
        competence="yes",
    )  # fmt: skip
    conclusion = services.issue_conclusion(
        actor=head, session=session, number="25/TB-UBND", issued_on=today,
        body="Giao Văn phòng trả lời bằng văn bản cho các hộ dân.",
        tasks=[{"title": "Trả lời bằng văn bản cho hộ ông Bình", "owner_unit": ward, "due_on": today, "entry": entry}],
    )  # fmt: skip
    task = conclusion.tasks.get()
    services.complete_follow_up_task(actor=head, task=task, result="Đã gửi Văn bản số 112/UBND-VP.", done_on=today)
    [ask] = [m for m in outbox_to(CITIZEN_PHONE) if "/reception/follow-up/" in m.body]
    found = re.search(r"https?://[^/\s]+(/reception/follow-up/[A-Za-z0-9_\-]+/)", ask.body)
    assert found, ask.body
    return session, task, found.group(1)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_citizen_and_front_dispute_and_the_head_reopens(new_page: Callable[..., Any], js: bool) -> None:
    session, task, link = concluded_and_reported()
    make_user("mttq", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")

    citizen = new_page(js=js, viewport=PHONE)
    citizen.goto(link)
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Việc sau buổi tiếp công dân")
    expect(citizen.get_by_text("Trả lời bằng văn bản cho hộ ông Bình")).to_be_visible()
    expect(citizen.get_by_text("Đã gửi Văn bản số 112/UBND-VP.")).to_be_visible()
    citizen.get_by_label("Chưa thực hiện đúng").check()
    citizen.get_by_role("button", name="Gửi ý kiến").click()  # no note: refused, the choice kept
    expect(citizen.get_by_text("Xin cho biết điều gì chưa được làm hoặc làm chưa đúng.").first).to_be_visible()
    expect(citizen.get_by_label("Chưa thực hiện đúng")).to_be_checked()
    citizen.get_by_label("Ghi chú").fill("Nhà tôi chưa nhận được văn bản nào.")
    citizen.get_by_role("button", name="Gửi ý kiến").click()
    expect(citizen.get_by_role("status").first).to_contain_text("Cảm ơn bạn")
    said = re.compile(r"Bạn đã cho ý kiến ngày \d\d/\d\d/\d{4}: Chưa thực hiện đúng")
    expect(citizen.get_by_text(said)).to_be_visible()
    assert "Trần Văn Bình" not in citizen.content()

    front = new_page(js=js, viewport=DESKTOP)
    front.goto("/staff/login/")
    front.get_by_label("Tên đăng nhập").fill("mttq")
    front.get_by_label("Mật khẩu").fill(PASSWORD)
    front.get_by_role("button", name="Đăng nhập").click()
    front.goto("/oversight/")
    front.get_by_role("link", name="Việc sau tiếp dân").click()
    article = front.locator(f"#task-{task.pk}")
    expect(article).to_contain_text("Nhà tôi chưa nhận được văn bản nào.")  # the citizen's word, without their name
    article.get_by_text("Cho ý kiến của Mặt trận").click()
    article.get_by_label("Chưa thực hiện đúng").check()
    article.get_by_label("Ghi chú").fill("Hỏi 5 hộ: chưa hộ nào nhận được văn bản.")
    article.get_by_role("button", name="Gửi ý kiến").click()
    expect(front.get_by_text("Đã ghi ý kiến của Mặt trận.")).to_be_visible()
    expect(front.locator(f"#task-{task.pk}")).to_contain_text("Hỏi 5 hộ")

    head = new_page(js=js, viewport=PHONE)
    staff_login(head, "chutich")
    head.goto(f"/reception/staff/sessions/{session.pk}/")
    expect(head.get_by_text("Hỏi 5 hộ: chưa hộ nào nhận được văn bản.")).to_be_visible()
    head.get_by_text("Mở lại việc").click()
    head.get_by_label("Lý do mở lại").fill("Công dân và Mặt trận cho biết chưa nhận được văn bản.")
    head.get_by_role("button", name="Mở lại", exact=True).click()
    expect(head.get_by_text("Đã mở lại việc")).to_be_visible()
    expect(head.get_by_text("Báo cáo hoàn thành")).to_be_visible()  # open again: it can be reported anew


@pytest.mark.parametrize("js", [False, True], ids=["no-js", "js"])
def test_the_citizen_rates_how_they_were_received(new_page: Callable[..., Any], js: bool) -> None:
    from conftest import outbox_to
    from pakn.org.models import Unit
    from pakn.reception import services

    head = make_user("chutich", unit_code=f"UBND-{COMMUNE}", role="head")
    today = timezone.localdate()
    entry = services.register_contact(
        actor=head, unit=Unit.objects.get(code=f"UBND-{COMMUNE}"), received_on=today, name="Trần Văn Bình",
        phone=CITIZEN_PHONE, summary="Hỏi thủ tục cấp lại sổ đỏ.", kind="petition", competence="yes",
    )  # fmt: skip
    services.record_notice(actor=head, entry=entry, outcome="accepted", notified_on=today)
    [ask] = [m for m in outbox_to(CITIZEN_PHONE) if "/reception/rate/" in m.body]
    link = re.search(r"https?://[^/\s]+(/reception/rate/[A-Za-z0-9_\-]+/)", ask.body).group(1)

    citizen = new_page(js=js, viewport=PHONE)
    citizen.goto(link)
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Ý kiến về buổi tiếp công dân")
    citizen.get_by_label("Không hài lòng", exact=True).check()
    citizen.get_by_label("Nhận xét").fill("Phải chờ hai tiếng mới được tiếp.")
    citizen.get_by_role("button", name="Gửi ý kiến").click()
    expect(citizen.get_by_role("status").first).to_contain_text("Cảm ơn bạn")
    expect(citizen.get_by_text(re.compile(r"mức 2/5"))).to_be_visible()
