"""Page numbers and sizes of every paginated API route are bounded: ``GET /api/v1/cases?page=2**63-1`` used to
overflow the database's OFFSET and answer 500. Too large, zero, negative and non-numeric values answer 400
in the one error shape, naming the parameter; the bounds themselves still work."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.test import Client

from pakn.core.pagination import MAX_PAGE, MAX_PAGE_SIZE
from pakn.org.models import ApiToken

# Every paginated route of /api/v1/ with its paging parameters (test_paginated_routes_are_all_here keeps
# this list complete).
PAGINATED = {
    "/api/v1/cases": ("page", "page_size"),
    "/api/v1/language/search": ("page",),
}
BAD = [
    str(2**63 - 1),  # the reported one
    str(2**64),
    str(10**40),
    str(MAX_PAGE + 1),
    "0",
    "-1",
    str(-(2**63)),
    "abc",
    "1e400",
    "１",  # a full-width digit
    "",
    "0x10",
    "NaN",
]
ROUTES = [(path, name) for path, names in PAGINATED.items() for name in names]


def bearer(user: Any) -> dict[str, str]:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash_key(raw), prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_paginated_routes_are_all_here() -> None:
    """A route with a ``page`` query parameter is in PAGINATED (and so is bounded and tested)."""
    from pakn.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found = {
        path: tuple(p["name"] for p in op.get("parameters", ()) if p["name"] in ("page", "page_size"))
        for path, operations in schema["paths"].items()
        for op in operations.values()
        if any(p["name"] == "page" for p in op.get("parameters", ()))
    }
    assert found == PAGINATED


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), ROUTES)
@pytest.mark.parametrize("value", BAD)
def test_out_of_range_or_not_a_number_is_400(path: str, name: str, value: str, client: Client, clerk: Any) -> None:
    client.raise_request_exception = False  # a 500 shows as a 500, not as this test's exception
    response = client.get(path, {name: value, "q": "đèn"}, **bearer(clerk))
    assert response.status_code == 400, (value, response.status_code, response.content[:300])
    body = response.json()
    assert list(body) == ["error"] and body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == [name]
    assert all(isinstance(m, str) and m for m in body["error"]["fields"][name])


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(MAX_PAGE_SIZE + 1), str(2**63), "0", "-5", "x"])
def test_page_size_out_of_range_is_400(value: str, client: Client, clerk: Any) -> None:
    response = client.get("/api/v1/cases", {"page_size": value}, **bearer(clerk))
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()["error"]["fields"]) == ["page_size"]


@pytest.mark.django_db
def test_the_bounds_themselves_answer(client: Client, clerk: Any, make_case: Any) -> None:
    make_case()
    auth = bearer(clerk)
    last = client.get("/api/v1/cases", {"page": MAX_PAGE, "page_size": MAX_PAGE_SIZE}, **auth)
    assert last.status_code == 200 and last.json() == {"items": [], "count": 1}
    first = client.get("/api/v1/cases", {"page": 1, "page_size": 1}, **auth).json()
    assert first["count"] == 1 and len(first["items"]) == 1
    search = client.get("/api/v1/language/search", {"q": "đèn", "page": MAX_PAGE}, **auth)
    assert search.status_code == 200 and search.json()["results"] == []
    assert client.get("/api/v1/language/search", {"q": "đèn"}, **auth).json()["page"] == 1


def test_the_document_states_the_bounds() -> None:
    from pakn.api import api

    operations = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for path, names in PAGINATED.items():
        parameters = {p["name"]: p["schema"] for p in operations[path]["get"]["parameters"]}
        assert (parameters["page"]["minimum"], parameters["page"]["maximum"]) == (1, MAX_PAGE)
        if "page_size" in names:
            size = parameters["page_size"]
            bounds = [s for s in size.get("anyOf", [size]) if s.get("type") == "integer"][0]
            assert (bounds["minimum"], bounds["maximum"]) == (1, MAX_PAGE_SIZE)
