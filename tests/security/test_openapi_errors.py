"""The OpenAPI document declares, for every operation, the error answers it can give, each with the one error
schema ``{"error": {"code", "message", "fields"}}`` (it used to list 2xx answers only)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pakn.api import ERROR_RESPONSES, ERROR_SCHEMA_NAME, add_error_responses, error_statuses

REF = f"#/components/schemas/{ERROR_SCHEMA_NAME}"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(json.loads(response.content))


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


@pytest.mark.django_db
def test_the_error_schema_is_the_one_error_shape(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"][ERROR_SCHEMA_NAME]
    assert schema["required"] == ["error"] and schema["additionalProperties"] is False
    error = schema["properties"]["error"]
    assert error["required"] == ["code", "message", "fields"]
    assert error["properties"]["code"]["type"] == error["properties"]["message"]["type"] == "string"
    assert error["properties"]["fields"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


@pytest.mark.django_db
def test_every_operation_declares_its_errors_with_the_error_schema(document: dict[str, Any]) -> None:
    found = operations(document)
    assert len(found) >= 39
    for method, path, op in found:
        errors = {int(s): r for s, r in op["responses"].items() if int(s) >= 400}
        assert {400, 429, 503} <= set(errors), (method, path)
        if op.get("security"):
            assert {401, 403, 404} <= set(errors), (method, path)
        if any(p["in"] == "path" for p in op.get("parameters", ())):
            assert 404 in errors, (method, path)
        if method == "post" and any(p["in"] == "path" for p in op.get("parameters", ())):
            assert 409 in errors, (method, path)
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {"$ref": REF}, (method, path, status)
            assert response["description"]
        assert any(200 <= int(s) < 300 for s in op["responses"]), (method, path)  # the success stays


@pytest.mark.django_db
def test_known_errors_of_known_operations(document: dict[str, Any]) -> None:
    """Spot checks against what the code does: each of these is answered by a test elsewhere."""
    paths = document["paths"]
    expected = {
        ("post", "/api/v1/cases"): {400, 401, 403},  # a supervisor, a read token: 403
        ("post", "/api/v1/cases/{case_id}/accept"): {400, 401, 403, 404, 409},
        ("get", "/api/v1/cases"): {400, 401},  # page out of range: 400
        ("get", "/api/v1/submissions/{tracking_code}"): {404},
        ("post", "/api/v1/reception/sessions/{session_id}/bookings"): {400, 404, 409, 429},  # full: 409
        ("get", "/api/v1/language/search"): {400, 401, 404},
    }
    for (method, path), statuses in expected.items():
        declared = {int(s) for s in paths[path][method]["responses"]}
        assert statuses <= declared, (method, path, statuses - declared)
    public = {int(s) for s in paths["/api/v1/provinces"]["get"]["responses"]}
    assert not public & {401, 403, 409}  # no authentication, nothing to conflict with


def test_the_rule_is_applied_once_and_keeps_what_a_route_declares() -> None:
    schema: dict[str, Any] = {
        "paths": {
            "/x/{id}": {
                "post": {
                    "security": [{"TokenAuth": []}],
                    "parameters": [{"in": "path", "name": "id"}],
                    "requestBody": {},
                    "responses": {201: {"description": "Created"}, 404: {"description": "own"}},
                }
            }
        }
    }
    add_error_responses(schema)
    add_error_responses(schema)  # idempotent
    responses = schema["paths"]["/x/{id}"]["post"]["responses"]
    assert sorted(responses) == [201, 400, 401, 403, 404, 409, 413, 429, 503]
    assert responses[404] == {"description": "own"}
    assert error_statuses("get", {}) == [400, 429, 503]
    assert set(ERROR_RESPONSES) == {400, 401, 403, 404, 409, 413, 429, 503}
