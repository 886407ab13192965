"""Pages that show what only their visitor may see are never stored by a browser or a shared cache: every page
of a logged-in person, and the pages behind a tracking code, a receipt or a booking code. The public portal keeps
its caching."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import make_user

STAFF_PAGES = [
    "/staff/",
    "/staff/intake/",
    "/staff/cases/{case}/",
    "/oversight/",
    "/oversight/cases/",
    "/oversight/audit/",
    "/protection/",
    "/reception/staff/",
    "/reception/staff/register/",
    "/plans/",
    "/language/search/?q=%C4%91%C3%A8n",
    "/public/",  # a portal page, but with the staff member's own menu
    "/",
    "/api/v1/cases",
    "/api/v1/cases/{case}",
]
ADMIN_PAGES = ["/admin/", "/admin/auth/user/", "/admin/cases/case/"]
PUBLIC_PAGES = ["/", "/public/", "/public/statistics/", "/public/answers/", "/deadlines/", "/reception/"]


def assert_private(response: Any, url: str) -> None:
    assert "no-store" in response.get("Cache-Control", ""), (url, response.status_code, response.get("Cache-Control"))
    assert response.get("Pragma") == "no-cache" or url.startswith("/dropbox/"), url


@pytest.mark.django_db
def test_every_staff_page_is_no_store(clerk: Any, login: Callable[[Any], Client], make_case: Any) -> None:
    case = make_case()
    client = login(clerk)
    for url in STAFF_PAGES:
        assert_private(client.get(url.format(case=case.pk)), url)


@pytest.mark.django_db
def test_every_admin_page_is_no_store(admin_user: Any, login: Callable[[Any], Client]) -> None:
    client = login(admin_user)
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response, url)


@pytest.mark.django_db
def test_the_api_with_a_token_is_no_store(clerk: Any, make_case: Any) -> None:
    from pakn.org.models import ApiToken

    case = make_case()
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=clerk, name="thử", key_hash=ApiToken.hash_key(key), prefix=key[:8])
    response = Client().get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert_private(response, "/api/v1/cases/")


@pytest.mark.django_db
def test_pages_behind_a_code_are_no_store_for_anyone(make_case: Any) -> None:
    case = make_case()
    client = Client()
    for url in [
        f"/track/{case.tracking_code}/",
        "/track/?code=" + case.tracking_code,
        "/track/",
        "/submit/",
        "/dropbox/",
        "/dropbox/open/",
        "/account/login/",
        "/staff/login/",
        "/reception/bookings/ABCD-EFGH-JKLM/",
        f"/api/v1/submissions/{case.tracking_code}",
        f"/api/v1/submissions/{case.tracking_code}/messages",
        "/language/similar/?title=%C4%90%C3%A8n+h%E1%BB%8Fng&content=Tr%C6%B0%E1%BB%9Bc+nh%C3%A0+t%C3%B4i",
        "/api/v1/language/similar?title=%C4%90%C3%A8n&content=Tr%C6%B0%E1%BB%9Bc+nh%C3%A0+t%C3%B4i",
    ]:
        assert_private(client.get(url), url)


@pytest.mark.django_db
def test_the_receipt_and_the_new_code_are_no_store() -> None:
    client = Client()
    data = {
        "kind": "report",
        "title": "Đèn đường hỏng",
        "content": "Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, buổi tối rất tối.",
        "province_code": "01",
        "commune_code": "00004",
    }
    # A denunciation without a name: the drop-box receipt is in this very answer.
    answer = client.post("/submit/", {**data, "kind": "denunciation", "subject": "Cán bộ địa chính phường"})
    assert answer.status_code == 201, answer.content.decode()[:2000]
    assert_private(answer, "/submit/")
    report = client.post("/submit/", data)
    assert report.status_code == 302
    status_page = client.get(report["Location"])  # "your tracking code is …", shown once
    assert status_page.status_code == 200
    assert_private(status_page, report["Location"])


@pytest.mark.django_db
def test_the_public_portal_keeps_its_caching(make_case: Any) -> None:
    make_case()
    client = Client()
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
        assert "Pragma" not in response, url
    script = client.get("/language/similar.js")
    assert script["Cache-Control"] == "max-age=3600, public"
    staff_client = Client()
    staff_client.force_login(make_user("reader", unit_code="UBND-00004"))
    assert staff_client.get("/language/similar.js")["Cache-Control"] == "max-age=3600, public"
