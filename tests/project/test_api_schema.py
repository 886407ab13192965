"""Schemathesis over the published OpenAPI document of /api/v1/: every operation is called through the
WSGI application with generated valid and invalid input (as a clerk with a Bearer token, some calls on
real cases of the clerk's unit). No answer may be a 5xx, and every 4xx has the project's one error shape.
Bounded (few examples per operation, no deadline) so the whole file runs in well under a minute."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from conftest import COMMUNE, REPORTER, make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
MAX_EXAMPLES = 12
_turn = itertools.count()


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx answer is ``{"error": {"code", "message", "fields"}}`` (405 comes from the router)."""
    if 400 <= response.status_code < 500 and response.status_code != 405:
        headers = {k.lower(): v for k, v in response.headers.items()}
        content_type = headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/json"), response.text[:300]
        body = response.json()
        assert list(body) == ["error"], body
        error = body["error"]
        assert set(error) == {"code", "message", "fields"}, error
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["fields"], dict)
    return None


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; inside the test's transaction
    (PostgreSQL) that would end the test. Django's own test client detaches the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def clerk_setup(db: Any, keep_connection: None) -> dict[str, Any]:
    from pakn.cases import services
    from pakn.org.models import ApiToken

    clerk = make_user(f"schema-clerk-{secrets.token_hex(3)}", unit_code=f"UBND-{COMMUNE}")
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=clerk, name="schemathesis", key_hash=ApiToken.hash_key(raw), prefix=raw[:8])
    cases = [
        services.submit(
            actor=None,
            kind=kind,
            title="Hồ sơ thử",
            content="Nội dung thử.",
            province_code="01",
            commune_code=COMMUNE,
            reporter=dict(REPORTER),
        )
        for kind in ("report", "complaint", "denunciation")
    ]
    return {
        "headers": {"Authorization": f"Bearer {raw}"},
        "case_ids": [c.pk for c in cases],
        "codes": [c.tracking_code for c in cases],
    }


def test_the_document_is_published_with_stable_operation_ids() -> None:
    ids = [op.ok().definition.raw.get("operationId") for op in schema.get_all_operations()]
    assert all(ids) and len(ids) == len(set(ids))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_server_errors_and_one_error_shape(case: Any, clerk_setup: dict[str, Any]) -> None:
    turn = next(_turn)
    # Every other call aims at a real case (or tracking code), so the workflow and its services are
    # exercised with generated payloads too, not only the "not found" path.
    if turn % 2 == 0:
        if "case_id" in (case.path_parameters or {}):
            case.path_parameters["case_id"] = clerk_setup["case_ids"][turn % 3]
        if "tracking_code" in (case.path_parameters or {}):
            case.path_parameters["tracking_code"] = clerk_setup["codes"][turn % 3]
    response = case.call(headers=clerk_setup["headers"])
    case.validate_response(response, checks=[not_a_server_error, error_shape])
