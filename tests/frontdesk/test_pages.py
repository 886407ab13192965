"""The Front committee's pages, and everyone else getting "not found"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import make_user
from frontdesk.conftest import RESIDENT


def test_front_records_a_batch_through_the_form_and_reads_it_back(login: Any, supervisor: Any) -> None:
    from pakn.frontdesk.models import FrontBatch
    from pakn.org.models import Unit

    client = login(supervisor)
    assert client.get("/front/").status_code == 200
    form = client.get("/front/new?rows=2")
    assert form.status_code == 200 and 'name="o1_title"' in form.content.decode()
    held = (timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y")
    response = client.post(
        "/front/new",
        {
            "rows": "2",
            "front_unit": Unit.objects.get(code="MTTQ-00004").pk,
            "source": "voters_meeting",
            "meeting": "Tiếp xúc cử tri",
            "held_on": held,
            "place": "Nhà văn hóa phường",
            "document_number": "25/MTTQ-BTT",
            "o0_kind": "petition",
            "o0_title": "Sửa vỉa hè phố Quán Thánh",
            "o0_content": "Vỉa hè lún, bong gạch.",
            "o0_resident_name": RESIDENT["name"],
            "o0_resident_phone": RESIDENT["phone"],
            "o1_kind": "report",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = FrontBatch.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "25/MTTQ-BTT" in page and "Sửa vỉa hè phố Quán Thánh" in page and "Chưa có trả lời." in page
    assert RESIDENT["name"] not in page and RESIDENT["phone"] not in page
    assert batch.opinions.count() == 1


def test_form_errors_point_at_the_opinion_row(login: Any, supervisor: Any) -> None:
    from pakn.org.models import Unit

    response = login(supervisor).post(
        "/front/new",
        {
            "rows": "1",
            "front_unit": Unit.objects.get(code="MTTQ-00004").pk,
            "source": "voters_meeting",
            "meeting": "Tiếp xúc cử tri",
            "held_on": timezone.localdate().strftime("%d/%m/%Y"),
            "place": "Nhà văn hóa",
            "document_number": "26/MTTQ",
            "o0_kind": "complaint",
            "o0_title": "Khiếu nại quyết định thu hồi đất",
            "o0_content": "Không đồng ý với quyết định.",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_o0_resident_name"' in response.content.decode()


def test_people_who_must_not_see_the_front_pages(client: Any, login: Any, batch: Any, clerk: Any, head: Any) -> None:
    other_front = make_user("mttq_ngocha", unit_code="MTTQ-00008", role="supervisor")
    urls = ["/front/", "/front/new", f"/front/{batch.pk}/"]
    for user in (clerk, head, make_user("citizen")):
        for url in urls:
            assert login(user).get(url).status_code == 404, (user, url)
    assert login(other_front).get(urls[2]).status_code == 404  # another committee's batch
    assert login(other_front).get(urls[0]).status_code == 200
    assert client.get(urls[0]).status_code == 302


def test_menu_entry_for_the_front_only(login: Any, supervisor: Any, clerk: Any) -> None:
    assert 'href="/front/"' in login(supervisor).get("/front/").content.decode()
    assert 'href="/front/"' not in login(clerk).get("/staff/").content.decode()
