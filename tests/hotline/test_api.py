"""/api/v1/hotlines: the public list, the staff call log, one error shape."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import make_user


def _error_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]["fields"]


def test_public_list(client: Any, hotline: Any) -> None:
    rows = client.get("/api/v1/hotlines", {"province_code": "01", "q": "ba dinh"}).json()
    assert [r["official_name"] for r in rows] == ["Lê Văn Cường"]
    assert rows[0]["phone"] == "024 3823 4567" and rows[0]["commune_code"] == "00004"
    assert client.get("/api/v1/hotlines", {"commune_code": "00008"}).json() == []


def test_staff_record_a_call_as_a_case_and_read_the_log(
    login: Any, clerk: Any, hotline: Any, shift: Any, head: Any
) -> None:
    client = login(clerk)
    response = client.post(
        f"/api/v1/hotlines/{hotline.pk}/calls",
        {
            "received_at": timezone.now().isoformat(),
            "duration_minutes": 4,
            "summary": "Rác thải tập kết sai nơi quy định ở ngõ 45 Văn Cao.",
            "outcome": "case",
            "kind": "report",
            "caller": {"name": "Đặng Thị Mai", "phone": "0903123456"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_code"] and body["case_unit_code"] == "UBND-00004"
    assert body["on_duty"] == "head" and "0903123456" not in response.content.decode()
    rows = client.get("/api/v1/hotlines/calls").json()
    assert [r["id"] for r in rows] == [body["id"]]


def test_errors_have_the_one_shape(client: Any, login: Any, clerk: Any, other_clerk: Any, hotline: Any) -> None:
    url = f"/api/v1/hotlines/{hotline.pk}/calls"
    _error_shape(client.get("/api/v1/hotlines/calls"), 401, "not_authenticated")
    _error_shape(login(make_user("citizen")).get("/api/v1/hotlines/calls"), 404, "not_found")
    payload = {
        "received_at": timezone.now().isoformat(),
        "duration_minutes": 1,
        "summary": "x",
        "outcome": "information",
    }
    _error_shape(login(other_clerk).post(url, payload, content_type="application/json"), 404, "not_found")
    fields = _error_shape(
        login(clerk).post(url, {**payload, "summary": "", "outcome": "?"}, content_type="application/json"),
        400,
        "invalid",
    )
    assert set(fields) == {"summary", "outcome"}
    fields = _error_shape(login(clerk).post(url, {"summary": 3}, content_type="application/json"), 400, "invalid")
    assert "received_at" in fields
