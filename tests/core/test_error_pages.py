"""Framework refusals in the site's layout and the person's language, giving back what was typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_csrf_refusal_renders_the_layout_and_gives_back_the_text() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/submit/", {"title": "Rác thải ven sông", "content": "Rác thải đổ ven sông Hồng nhiều ngày.", "website": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert '<meta name="viewport"' in html and 'class="site-header"' in html and "Chưa gửi được" in html
    assert "Rác thải đổ ven sông Hồng nhiều ngày." in html and "Forbidden" not in html
    assert 'name="website"' not in html  # the honeypot and the token are never echoed


@pytest.mark.django_db
def test_csrf_refusal_in_english() -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["pakn_lang"] = "en"
    html = client.post("/submit/", {"content": "x" * 50}).content.decode()
    assert "Not sent" in html and "Chưa gửi được" not in html


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_big_to_read_states_the_limits(client: Client) -> None:
    response = client.post("/submit/", {"content": "x" * 5000})
    assert response.status_code == 413
    assert "Nội dung tối đa 20.000 ký tự; tối đa 5 tệp, mỗi tệp tối đa 10 MB" in response.content.decode()


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=3)
def test_too_many_files_says_so(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"a{i}.jpg", b"x") for i in range(5)]
    response = client.post("/submit/", {"title": "x", "attachments": files})
    assert response.status_code == 400 and "Tối đa 5 tệp mỗi lần gửi" in response.content.decode()


@pytest.mark.django_db
def test_the_api_keeps_its_json_error_shape(client: Client) -> None:
    body = client.get("/api/v1/nothing-here").json()
    assert body["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "heading"), [(404, "Không tìm thấy"), (413, "Nội dung quá lớn"), (503, "Hệ thống")])
def test_pages_for_the_proxy(client: Client, status: int, heading: str) -> None:
    response = client.get(f"/errors/{status}/")
    assert response.status_code == status and heading in response.content.decode()


def test_server_error_page_needs_no_database(rf: Any) -> None:
    from pakn.core.views import server_error

    response = server_error(rf.get("/"))  # no database access allowed in this test
    assert response.status_code == 500 and "Hệ thống gặp sự cố" in response.content.decode()
