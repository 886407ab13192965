"""Hotline pages for each audience: the public directory, the unit's staff, and people who must not see them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_user


def test_directory_is_public_light_and_searchable_without_javascript(client: Any, hotline: Any) -> None:
    response = client.get("/hotlines/", {"province": "01", "q": "ba dinh"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lê Văn Cường" in html and "024 3823 4567" in html and "Thứ 2–6, 7:30–17:00" in html
    assert 'href="tel:02438234567"' in html
    assert len(response.content) < 50_000
    assert "Lê Văn Cường" not in client.get("/hotlines/", {"province": "79"}).content.decode()


@pytest.mark.parametrize("who", ["clerk", "head"])
def test_unit_staff_keep_the_hotline_and_record_a_call_as_a_case(
    who: str, request: Any, login: Any, hotline: Any, shift: Any
) -> None:
    from pakn.hotline.models import Call

    when = timezone.localtime() - timedelta(minutes=5)
    client = login(request.getfixturevalue(who))
    assert client.get("/hotlines/staff/").status_code == 200
    page = client.get(f"/hotlines/staff/{hotline.pk}/")
    assert page.status_code == 200 and "Lịch trực" in page.content.decode()
    response = client.post(
        f"/hotlines/staff/{hotline.pk}/calls/new",
        {
            "received_on": when.strftime("%d/%m/%Y"),
            "received_time": when.strftime("%H:%M"),
            "duration_minutes": "5",
            "summary": "Đèn đường ngõ 5 Đội Cấn hỏng.",
            "outcome": "case",
            "kind": "report",
            "caller_name": "Đặng Thị Mai",
            "caller_phone": "0903123456",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get()
    assert call.case is not None and call.on_duty == shift.official
    assert call.case.tracking_code[:4] in client.get(response["Location"]).content.decode()


def test_call_form_says_what_is_wrong(login: Any, clerk: Any, hotline: Any) -> None:
    client = login(clerk)
    response = client.post(
        f"/hotlines/staff/{hotline.pk}/calls/new",
        {
            "received_on": "01/12/2026",
            "received_time": "09:00",
            "duration_minutes": "3",
            "summary": "Hỏi",
            "outcome": "case",
        },
    )
    assert response.status_code == 400
    assert "Chọn loại đơn khi lập đơn từ cuộc gọi." in response.content.decode()


def test_new_hotline_and_roster_through_the_pages(login: Any, clerk: Any, head: Any) -> None:
    from pakn.hotline.models import DutyShift, Hotline
    from pakn.org.models import Unit

    client = login(clerk)
    unit = Unit.objects.get(code="UBND-00004")
    response = client.post(
        "/hotlines/staff/new",
        {
            "unit": unit.pk,
            "official_name": "Lê Văn Cường",
            "position": "Chủ tịch",
            "phone": "0243 823 4567",
            "hours": "Thứ 2–6",
        },
    )
    hotline = Hotline.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hotlines/staff/{hotline.pk}/"
    response = client.post(
        f"/hotlines/staff/{hotline.pk}/shifts",
        {
            "shift-official": head.pk,
            "shift-starts_on": "07/12/2026",
            "shift-starts_time": "07:30",
            "shift-ends_time": "17:00",
        },
    )
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert shift.official == head
    assert client.post(f"/hotlines/staff/shifts/{shift.pk}/remove").status_code == 302
    assert not DutyShift.objects.exists()


def test_people_who_must_not_see_the_staff_pages(
    client: Any, login: Any, hotline: Any, supervisor: Any, other_clerk: Any
) -> None:
    citizen = make_user("citizen")
    staff_urls = ["/hotlines/staff/", f"/hotlines/staff/{hotline.pk}/", f"/hotlines/staff/{hotline.pk}/calls/new"]
    for user in (citizen, supervisor):
        for url in staff_urls:
            assert login(user).get(url).status_code == 404, (user, url)
    # Another commune's clerk has a hotline workspace of their own, but not this unit's.
    other = login(other_clerk)
    assert other.get("/hotlines/staff/").status_code == 200
    assert other.get(staff_urls[1]).status_code == 404
    assert other.post(f"/hotlines/staff/{hotline.pk}/edit", {}).status_code == 404
    anonymous = client.get(staff_urls[0])
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_menu_shows_the_hotline_to_handlers_and_the_public(
    client: Any, login: Any, clerk: Any, supervisor: Any
) -> None:
    assert 'href="/hotlines/"' in client.get("/").content.decode()
    assert 'href="/hotlines/staff/"' in login(clerk).get("/hotlines/staff/").content.decode()
    assert 'href="/hotlines/staff/"' not in login(supervisor).get("/oversight/").content.decode()


def test_directory_by_commune_code_and_a_full_page_stays_light(client: Any, clerk: Any, hotline: Any) -> None:
    from pakn.hotline import services

    for n in range(35):
        services.create_hotline(
            actor=clerk,
            unit=hotline.unit,
            official_name=f"Nguyễn Văn Phó {n}",
            position="Phó Chủ tịch UBND phường Ba Đình phụ trách kinh tế, đô thị",
            phone="024 3823 0000",
            hours="Thứ 2–6, 7:30–11:30 và 13:30–17:00",
            note="Ngoài giờ hành chính, vui lòng gửi đơn trực tuyến.",
        )
    response = client.get("/hotlines/", {"commune": "00004"})
    assert response.status_code == 200 and len(response.content) < 50_000
    assert "Trang 1/2" in response.content.decode()
    assert "Lê Văn Cường" not in client.get("/hotlines/", {"commune": "00008"}).content.decode()
