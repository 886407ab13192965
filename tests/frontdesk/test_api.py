"""/api/v1/front: record and read batches; one error shape."""

from __future__ import annotations

from typing import Any

from conftest import make_user
from frontdesk.conftest import RESIDENT, batch_input


def _json(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "held_on": data["held_on"].isoformat()}


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]["fields"]


def test_record_and_read_a_batch(login: Any, supervisor: Any) -> None:
    client = login(supervisor)
    response = client.post("/api/v1/front/batches", _json(batch_input()), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["front_unit_code"] == "MTTQ-00004" and len(body["opinions"]) == 1
    assert body["opinions"][0]["unit_code"] == "UBND-00004" and body["opinions"][0]["answered"] is False
    assert RESIDENT["name"] not in response.content.decode()
    assert client.get(f"/api/v1/front/batches/{body['id']}").json()["document_number"] == "25/MTTQ-BTT"
    assert [b["id"] for b in client.get("/api/v1/front/batches").json()] == [body["id"]]


def test_errors_have_the_one_shape(client: Any, login: Any, batch: Any, supervisor: Any, clerk: Any) -> None:
    _error(client.get("/api/v1/front/batches"), 401, "not_authenticated")
    _error(login(clerk).get("/api/v1/front/batches"), 404, "not_found")
    _error(login(clerk).get(f"/api/v1/front/batches/{batch.pk}"), 404, "not_found")
    other = make_user("mttq_ngocha", unit_code="MTTQ-00008", role="supervisor")
    _error(login(other).get(f"/api/v1/front/batches/{batch.pk}"), 404, "not_found")
    fields = _error(
        login(supervisor).post(
            "/api/v1/front/batches", _json(batch_input(opinions=[], meeting="")), content_type="application/json"
        ),
        400,
        "invalid",
    )
    assert {"opinions", "meeting"} <= set(fields)
    fields = _error(
        login(supervisor).post("/api/v1/front/batches", {"source": 1}, content_type="application/json"), 400, "invalid"
    )
    assert "meeting" in fields
