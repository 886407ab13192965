"""Who sees and acts on what through the API: a case outside one's units does not exist (404, never
403); supervisors look but do not touch; anonymous callers are asked to authenticate."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from conftest import OTHER_COMMUNE, make_user
from pakn.cases import services
from pakn.cases.models import AuditEvent, Case
from pakn.core.errors import Forbidden
from pakn.org.models import ApiToken, Unit


def bearer_client(user: Any) -> Client:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="test", key_hash=ApiToken.hash_key(raw), prefix=raw[:8])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post_json(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def actions(into_code: str) -> list[tuple[str, dict[str, Any]]]:
    """Every staff action endpoint with a payload that is valid in itself."""
    return [
        ("accept", {}),
        ("refuse", {"reason_code": "not_signed"}),
        ("forward", {"to_unit_code": f"UBND-{OTHER_COMMUNE}", "reason": "Chuyển đơn"}),
        ("start", {}),
        ("extend", {"complexity": "complex", "reason": "Phức tạp"}),
        ("resolve", {"body": "Trả lời"}),
        ("close", {}),
        ("suspend", {"reason": "Tạm dừng"}),
        ("resume", {}),
        ("merge", {"into_tracking_code": into_code}),
    ]


def snapshot(case: Case) -> tuple[Any, ...]:
    row = Case.objects.values().get(pk=case.pk)
    return row["status"], row["unit_id"], row["audit_count"], AuditEvent.objects.count()


@pytest.fixture(params=["token", "session"])
def as_user(request: pytest.FixtureRequest, login: Callable[[Any], Client]) -> Callable[[Any], Client]:
    """The same rules hold for a Bearer token and a logged-in session."""
    return bearer_client if request.param == "token" else login


@pytest.mark.django_db
def test_other_communes_clerk_gets_404_for_everything(
    as_user: Callable[[Any], Client], make_case: Callable[..., Case], clerk: Any, other_clerk: Any
) -> None:
    theirs = make_case(kind="denunciation")  # Ba Đình's case
    mine = make_case(commune_code=OTHER_COMMUNE)  # Ngọc Hà's case
    client = as_user(other_clerk)
    before = snapshot(theirs)

    missing = error_of(client.get("/api/v1/cases/999999999"), 404)
    assert error_of(client.get(f"/api/v1/cases/{theirs.pk}"), 404) == missing  # indistinguishable
    for action, payload in actions(mine.tracking_code):
        response = post_json(client, f"/api/v1/cases/{theirs.pk}/{action}", payload)
        assert error_of(response, 404) == missing, action
        error_of(post_json(client, f"/api/v1/cases/999999999/{action}", payload), 404)
    assert snapshot(theirs) == before

    listed = client.get("/api/v1/cases", {"page_size": 100}).json()
    assert [item["tracking_code"] for item in listed["items"]] == [mine.tracking_code]
    assert listed["count"] == 1
    # Searching by the exact code does not find it either.
    assert client.get("/api/v1/cases", {"q": theirs.tracking_code}).json()["count"] == 0
    # Nor can their own case be merged into it.
    error = error_of(
        post_json(client, f"/api/v1/cases/{mine.pk}/merge", {"into_tracking_code": theirs.tracking_code}), 400
    )
    assert "into_tracking_code" in error["fields"]
    assert Case.objects.get(pk=mine.pk).status == "received"
    # The owner still can.
    assert as_user(clerk).get(f"/api/v1/cases/{theirs.pk}").status_code == 200


@pytest.mark.django_db
def test_services_refuse_a_foreign_handler(make_case: Callable[..., Case], other_clerk: Any, supervisor: Any) -> None:
    case = make_case(kind="complaint")
    for actor in (other_clerk, supervisor, AnonymousUser()):
        with pytest.raises(Forbidden):
            services.accept_case(actor=actor, case=case)
        with pytest.raises(Forbidden):
            services.forward_case(actor=actor, case=case, to_unit=Unit.objects.get(code="UBND-01"), reason="x")
    assert Case.objects.get(pk=case.pk).audit_count == 1


@pytest.mark.django_db
def test_forwarded_case_moves_to_the_new_units_staff(
    make_case: Callable[..., Case], clerk: Any, other_clerk: Any
) -> None:
    case = make_case()
    mine, theirs = bearer_client(clerk), bearer_client(other_clerk)
    assert theirs.get(f"/api/v1/cases/{case.pk}").status_code == 404
    services.forward_case(
        actor=clerk,
        case=case,
        to_unit=Unit.objects.get(code=f"UBND-{OTHER_COMMUNE}"),
        reason="Thuộc địa bàn phường Ngọc Hà",
    )
    assert theirs.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert mine.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert post_json(theirs, f"/api/v1/cases/{case.pk}/accept", {}).json()["status"] == "accepted"


@pytest.mark.django_db
def test_province_head_with_subunits_sees_and_handles_commune_cases(
    as_user: Callable[[Any], Client], make_case: Callable[..., Case], province_head: Any
) -> None:
    ba_dinh = make_case()
    ngoc_ha = make_case(commune_code=OTHER_COMMUNE)
    hcm = make_case(province_code="79", commune_code=None)
    client = as_user(province_head)
    codes = {item["tracking_code"] for item in client.get("/api/v1/cases").json()["items"]}
    assert codes == {ba_dinh.tracking_code, ngoc_ha.tracking_code}
    assert client.get(f"/api/v1/cases/{ba_dinh.pk}").status_code == 200
    error_of(client.get(f"/api/v1/cases/{hcm.pk}"), 404)
    assert post_json(client, f"/api/v1/cases/{ngoc_ha.pk}/accept", {}).json()["status"] == "accepted"


@pytest.mark.django_db
def test_province_head_without_subunits_sees_only_the_province_unit(make_case: Callable[..., Case]) -> None:
    narrow = make_user("narrow_head", unit_code="UBND-01", role="head", include_subunits=False)
    commune_case = make_case()
    province_case = make_case(commune_code=None)
    assert province_case.unit.code == "UBND-01"
    client = bearer_client(narrow)
    assert [i["tracking_code"] for i in client.get("/api/v1/cases").json()["items"]] == [province_case.tracking_code]
    error_of(client.get(f"/api/v1/cases/{commune_case.pk}"), 404)


@pytest.mark.django_db
def test_supervisor_sees_but_cannot_act(
    as_user: Callable[[Any], Client], make_case: Callable[..., Case], supervisor: Any
) -> None:
    case = make_case(kind="complaint")
    other = make_case(commune_code=OTHER_COMMUNE)
    client = as_user(supervisor)
    assert client.get(f"/api/v1/cases/{case.pk}").json()["tracking_code"] == case.tracking_code
    assert [i["tracking_code"] for i in client.get("/api/v1/cases").json()["items"]] == [case.tracking_code]
    error_of(client.get(f"/api/v1/cases/{other.pk}"), 404)
    into = make_case()
    before = snapshot(case)
    for action, payload in actions(into.tracking_code):
        if action == "forward":
            payload = {**payload, "to_unit_code": "UBND-01"}
        error = error_of(post_json(client, f"/api/v1/cases/{case.pk}/{action}", payload), 403)
        assert error["code"] == "forbidden", action
    assert snapshot(case) == before
    for action, payload in actions(into.tracking_code):
        error_of(post_json(client, f"/api/v1/cases/{other.pk}/{action}", payload), 404)


@pytest.mark.django_db
def test_citizen_account_has_no_staff_access(login: Callable[[Any], Client], make_case: Callable[..., Case]) -> None:
    citizen = get_user_model().objects.create_user("citizen", "citizen@example.vn", "mat-khau-thu-nghiem-2026")
    case = make_case(citizen=citizen)
    client = login(citizen)
    assert client.get("/api/v1/cases").json() == {"items": [], "count": 0}
    error_of(client.get(f"/api/v1/cases/{case.pk}"), 404)
    error_of(post_json(client, f"/api/v1/cases/{case.pk}/resolve", {"body": "Tự trả lời"}), 404)
    before = Case.objects.count()
    payload = {
        "kind": "report",
        "title": "Thư gửi lùi ngày",
        "content": "Nội dung",
        "province_code": "01",
        "channel": "letter",
        "received_on": "2020-01-01",
    }
    error_of(post_json(client, "/api/v1/cases", payload), 403)
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_anonymous_requests_get_401(client: Client, make_case: Callable[..., Case]) -> None:
    case = make_case()
    assert error_of(client.get("/api/v1/cases"), 401)["code"] == "not_authenticated"
    assert error_of(client.get(f"/api/v1/cases/{case.pk}"), 401)["code"] == "not_authenticated"
    for action, payload in actions(case.tracking_code):
        assert (
            error_of(post_json(client, f"/api/v1/cases/{case.pk}/{action}", payload), 401)["code"]
            == "not_authenticated"
        )
    error_of(post_json(client, "/api/v1/cases", {"kind": "report"}), 401)
    # The public endpoints stay open.
    assert client.get(f"/api/v1/submissions/{case.tracking_code}").status_code == 200
    assert client.get("/api/v1/provinces").status_code == 200


@pytest.mark.django_db
def test_superuser_sees_everything(admin_user: Any, make_case: Callable[..., Case]) -> None:
    cases = {make_case().tracking_code, make_case(province_code="79", commune_code=None).tracking_code}
    listed = {i["tracking_code"] for i in bearer_client(admin_user).get("/api/v1/cases").json()["items"]}
    assert listed == cases


@pytest.mark.django_db
def test_the_staff_list_counts_and_badges_never_call_a_suspended_case_overdue(
    make_case: Any, clerk: Any, login: Any
) -> None:
    import re
    from datetime import timedelta

    from django.utils import timezone

    from pakn.cases import services
    from pakn.cases.models import Case

    late = make_case(title="Quá hạn thật")
    paused = make_case(kind="complaint", title="Đang tạm đình chỉ")
    services.accept_case(actor=clerk, case=paused)
    services.suspend_case(actor=clerk, case=paused, reason="Chờ giám định")
    Case.objects.filter(pk__in=[late.pk, paused.pk]).update(due_on=timezone.localdate() - timedelta(days=3))
    page = login(clerk).get("/staff/").content.decode()
    assert re.search(r'id="count-overdue">1<', page), page[:3000]
    listed = login(clerk).get("/staff/?status=open&due=overdue").content.decode()
    assert "Quá hạn thật" in listed and "Đang tạm đình chỉ" not in listed
