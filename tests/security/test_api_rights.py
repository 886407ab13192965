"""Writing through /api/v1/ takes the same handling rights as the web pages, whatever the token: a supervisor,
a protection officer, another commune's clerk or a party committee's clerk cannot file a back-dated complaint
into Ba Đình's books with ``POST /api/v1/cases``; Ba Đình's own clerk can. Token scopes: a read token is
refused on every write, with the one error shape."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from conftest import COMMUNE, OTHER_COMMUNE, REPORTER, make_user
from pakn.cases import services
from pakn.cases.models import AuditEvent, Case
from pakn.core.errors import Forbidden, InvalidInput
from pakn.org import services as org_services
from pakn.org.models import ApiToken, TokenScope

BA_DINH = f"UBND-{COMMUNE}"
# (unit, role) of everyone who may read some of Ba Đình's cases or work elsewhere, but not file into its books.
NO_RIGHTS = {
    "supervisor": (f"MTTQ-{COMMUNE}", "supervisor"),
    "protection_officer": (BA_DINH, "protection_officer"),
    "other_commune_clerk": (f"UBND-{OTHER_COMMUNE}", "clerk"),
    "other_commune_head": (f"UBND-{OTHER_COMMUNE}", "head"),
    "party_committee_clerk": (f"DU-{COMMUNE}", "clerk"),
    "other_party_committee_clerk": (f"DU-{OTHER_COMMUNE}", "clerk"),
    "province_supervisor": ("MTTQ-01", "supervisor"),
}


def back_dated_complaint() -> dict[str, Any]:
    return {
        "kind": "complaint",
        "title": "Khiếu nại quyết định thu hồi đất",
        "content": "Tôi khiếu nại Quyết định số 12/QĐ-UBND về việc thu hồi đất của gia đình tôi.",
        "province_code": "01",
        "commune_code": COMMUNE,
        "reporter": dict(REPORTER),
        "complaint_round": 1,
        "channel": "letter",
        "received_on": (timezone.localdate() - timedelta(days=40)).isoformat(),
    }


def token_for(user: Any, *, scope: str = TokenScope.WRITE) -> dict[str, str]:
    """A token made directly, as every token was before scopes: the attack must fail on rights alone."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash_key(raw), prefix=raw[:8], scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client: Client, url: str, data: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def error_of(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.content[:400])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["fields"], dict) and body["error"]["message"]
    return dict(body["error"])


def stored() -> tuple[int, int]:
    return Case.objects.count(), AuditEvent.objects.count()


# ---------------------------------------------------------------- POST /api/v1/cases


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(NO_RIGHTS))
@pytest.mark.parametrize("auth", ["token", "session"])
def test_no_one_without_handling_rights_files_into_ba_dinh(who: str, auth: str, client: Client) -> None:
    unit_code, role = NO_RIGHTS[who]
    user = make_user(who, unit_code=unit_code, role=role)
    headers = token_for(user) if auth == "token" else {}
    if auth == "session":
        client.force_login(user)
    before = stored()
    error = error_of(post(client, "/api/v1/cases", back_dated_complaint(), headers), 403, 404)
    assert error["code"] in ("forbidden", "not_found")
    assert stored() == before


@pytest.mark.django_db
@pytest.mark.parametrize("auth", ["token", "session"])
def test_ba_dinhs_own_clerk_records_the_letter(auth: str, client: Client, clerk: Any) -> None:
    headers = token_for(clerk) if auth == "token" else {}
    if auth == "session":
        client.force_login(clerk)
    payload = back_dated_complaint()
    response = post(client, "/api/v1/cases", payload, headers)
    assert response.status_code == 201, response.content[:400]
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.unit.code, case.channel, case.received_on.isoformat()) == (BA_DINH, "letter", payload["received_on"])


@pytest.mark.django_db
def test_a_province_head_with_subunits_records_for_a_commune(client: Client, province_head: Any) -> None:
    response = post(client, "/api/v1/cases", back_dated_complaint(), token_for(province_head))
    assert response.status_code == 201, response.content[:400]


@pytest.mark.django_db
def test_a_clerk_records_into_their_own_commune_not_the_neighbours(client: Client, other_clerk: Any) -> None:
    headers = token_for(other_clerk)
    own = {**back_dated_complaint(), "commune_code": OTHER_COMMUNE}
    assert post(client, "/api/v1/cases", own, headers).status_code == 201
    before = stored()
    error = error_of(post(client, "/api/v1/cases", back_dated_complaint(), headers), 403)
    assert error["code"] == "forbidden"
    assert stored() == before


@pytest.mark.django_db
def test_the_intake_page_applies_the_same_right(login: Callable[[Any], Client], other_clerk: Any, clerk: Any) -> None:
    """The web path shares the service: the neighbour's clerk is told, and nothing is stored."""
    data = back_dated_complaint()
    form = {
        "channel": "letter",
        "received_on": data["received_on"],
        "kind": "complaint",
        "complaint_round": "1",
        "title": data["title"],
        "content": data["content"],
        "province_code": "01",
        "commune_code": COMMUNE,
        "reporter_name": REPORTER["name"],
        "reporter_address": REPORTER["address"],
        "reporter_phone": REPORTER["phone"],
        "reporter_id_number": REPORTER["id_number"],
    }
    before = stored()
    response = login(other_clerk).post("/staff/intake/", form)
    assert response.status_code == 400
    assert "Bạn chỉ vào sổ được đơn của đơn vị mình xử lý." in response.content.decode()
    assert stored() == before
    supervisor = make_user("web_supervisor", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    assert login(supervisor).post("/staff/intake/", form).status_code == 404
    assert stored() == before
    assert login(clerk).post("/staff/intake/", form).status_code == 302  # Ba Đình's own clerk
    assert Case.objects.get().unit.code == BA_DINH


@pytest.mark.django_db
def test_the_service_itself_refuses(other_clerk: Any, supervisor: Any) -> None:
    fields = {k: v for k, v in back_dated_complaint().items() if k not in ("channel", "received_on")}
    for actor in (other_clerk, supervisor, get_user_model().objects.create_user("citizen")):
        with pytest.raises(Forbidden):
            services.record_submission(actor=actor, channel="letter", **fields)
    assert Case.objects.count() == 0


# ---------------------------------------------------------------- every other write route


def _write_routes() -> list[tuple[str, str]]:
    """(method, path) of every authenticated write of the published document."""
    from pakn.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete") and operation.get("security")
    )


def test_the_write_routes_are_the_ones_checked_here() -> None:
    """A new write route must be added to this file's checks (and get its rights in its service)."""
    assert {path for _, path in _write_routes()} == {
        "/api/v1/cases",
        *(f"/api/v1/cases/{{case_id}}/{a}" for a in WORKFLOW),
        "/api/v1/cases/{case_id}/questions",
        "/api/v1/cases/{case_id}/resolve-with-files",  # multipart: tests/cases/test_answers.py
        "/api/v1/language/cases/{case_id}/suggestion/review",
        "/api/v1/language/duplicates/{flag_id}/merge",
        "/api/v1/language/duplicates/{flag_id}/dismiss",
        "/api/v1/hotlines/{hotline_id}/calls",
        "/api/v1/front/batches",
        "/api/v1/cases/{case_id}/false-report",
        "/api/v1/cases/{case_id}/repeat-letters",
        "/api/v1/cases/{case_id}/assign",
        "/api/v1/cases/{case_id}/notes",
        "/api/v1/cases/{case_id}/tags",
        "/api/v1/cases/{case_id}/tags/{tag_id}",
        "/api/v1/reception/follow-up/{task_id}/reviews",
        "/api/v1/reception/refusals",
        "/api/v1/reception/clearance/projects/{project_id}/households",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(NO_RIGHTS))
def test_nobody_without_rights_logs_a_call_on_ba_dinhs_hotline_or_forwards_as_the_front(
    who: str, client: Client
) -> None:
    from pakn.frontdesk.models import FrontBatch
    from pakn.hotline import services as hotline_services
    from pakn.hotline.models import Call
    from pakn.org.models import Unit

    keeper = make_user("keeper", unit_code=BA_DINH, role="clerk")
    hotline = hotline_services.create_hotline(
        actor=keeper,
        unit=Unit.objects.get(code=BA_DINH),
        official_name="Lê Văn Cường",
        position="Chủ tịch UBND phường",
        phone="0243 823 4567",
        hours="Thứ 2–6, 7:30–17:00",
    )
    unit_code, role = NO_RIGHTS[who]
    headers = token_for(make_user(who, unit_code=unit_code, role=role))
    call = {
        "received_at": timezone.now().isoformat(),
        "duration_minutes": 5,
        "summary": "Hỏi thủ tục cấp giấy phép xây dựng.",
        "outcome": "information",
    }
    error_of(post(client, f"/api/v1/hotlines/{hotline.pk}/calls", call, headers), 403, 404)
    assert not Call.objects.exists()
    if role != "supervisor":  # the Front's own committees do forward; nobody else may act as them
        batch = {
            "front_unit_code": f"MTTQ-{COMMUNE}",
            "source": "Tiếp xúc cử tri",
            "meeting": "Hội nghị tiếp xúc cử tri",
            "held_on": timezone.localdate().isoformat(),
            "place": "Nhà văn hóa tổ dân phố 5",
            "document_number": "25/MTTQ-BTT",
            "opinions": [{"kind": "petition", "title": "Sửa đường", "content": "Đề nghị sửa đường ngõ 12."}],
        }
        error_of(post(client, "/api/v1/front/batches", batch, headers), 403, 404)
        assert not FrontBatch.objects.exists()


WORKFLOW = ("accept", "refuse", "forward", "start", "extend", "resolve", "close", "suspend", "resume", "merge")


def _bodies(into: str) -> dict[str, dict[str, Any]]:
    return {
        "accept": {},
        "refuse": {"reason_code": "not_competent", "explanation": "x"},
        "forward": {"to_unit_code": "UBND-01", "reason": "x"},
        "start": {},
        "extend": {"complexity": "complex", "reason": "x"},
        "resolve": {"body": "Kết luận", "kind": "answer"},
        "close": {},
        "suspend": {"reason": "x"},
        "resume": {},
        "merge": {"into_tracking_code": into},
        "questions": {"body": "Bạn có giấy tờ không?"},
        "suggestion/review": {},
        "repeat-letters": {"summary": "Đơn trùng", "channel": "letter"},
        "assign": {"username": None},
        "notes": {"body": "Ghi chú"},
        "tags": {"name": "Nhãn"},
        "false-report": {"intentional": True, "action": "referred", "referred_to": "x", "document": "1/QĐ"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(NO_RIGHTS))
def test_no_write_route_acts_for_someone_without_rights(who: str, client: Client, make_case: Any) -> None:
    from pakn.language.models import DuplicateFlag

    unit_code, role = NO_RIGHTS[who]
    headers = token_for(make_user(who, unit_code=unit_code, role=role))
    case, into = make_case(kind="complaint"), make_case(kind="complaint")
    flag = DuplicateFlag.objects.create(case=case, candidate=into, score=0.9, origin="intake")
    events = AuditEvent.objects.count()
    for action, body in _bodies(into.tracking_code).items():
        prefix = "/api/v1/language/cases" if action == "suggestion/review" else "/api/v1/cases"
        # merge: a target the caller cannot see is a wrong field (400), as it is for a code that does not exist
        allowed = (400, 403, 404) if action == "merge" else (403, 404)
        error_of(post(client, f"{prefix}/{case.pk}/{action}", body, headers), *allowed)
    for decision in ("merge", "dismiss"):
        error_of(post(client, f"/api/v1/language/duplicates/{flag.pk}/{decision}", {}, headers), 403, 404)
    services.tag_case(actor=make_user(f"{who}-clerk", unit_code=BA_DINH), case=case, name="Cần xác minh")
    tag_id = case.tags.get().pk
    events = AuditEvent.objects.count()
    error_of(client.delete(f"/api/v1/cases/{case.pk}/tags/{tag_id}", **headers), 403, 404)
    assert case.tags.filter(pk=tag_id).exists()
    assert AuditEvent.objects.count() == events
    assert Case.objects.get(pk=case.pk).status == "received"
    assert DuplicateFlag.objects.get(pk=flag.pk).state == "open"


# ---------------------------------------------------------------- token scopes


@pytest.mark.django_db
def test_a_read_token_is_refused_on_every_write_and_still_reads(client: Client, clerk: Any, make_case: Any) -> None:
    case = make_case(kind="complaint")
    headers = token_for(clerk, scope=TokenScope.READ)
    assert client.get("/api/v1/cases", **headers).json()["count"] == 1
    assert client.get(f"/api/v1/cases/{case.pk}", **headers).status_code == 200
    before = stored()
    for method, path in _write_routes():
        url = path.replace("/api/v1", "").replace("{case_id}", str(case.pk)).replace("{flag_id}", "1")
        response = getattr(client, method)(f"/api/v1{url}", "{}", content_type="application/json", **headers)
        error = error_of(response, 403)
        assert error["code"] == "read_only_token", (method, path)
    assert stored() == before
    # The same person's write token acts.
    assert post(client, f"/api/v1/cases/{case.pk}/accept", {}, token_for(clerk)).status_code == 200


@pytest.mark.django_db
def test_create_api_token_chooses_the_scope_from_the_role(clerk: Any, supervisor: Any, admin_user: Any) -> None:
    officer = make_user("officer", unit_code=BA_DINH, role="protection_officer")
    nobody = get_user_model().objects.create_user("nobody")
    for user, scope in ((clerk, "write"), (admin_user, "write"), (supervisor, "read"), (officer, "read")):
        token, key = org_services.create_api_token(actor=None, user=user, name="tích hợp")
        assert token.scope == scope, user
        assert token.key_hash == ApiToken.hash_key(key) and token.prefix == key[:8]
    assert org_services.create_api_token(actor=admin_user, user=nobody, name="x")[0].scope == "read"
    assert org_services.create_api_token(actor=None, user=clerk, name="x", scope="read")[0].scope == "read"
    with pytest.raises(InvalidInput) as info:
        org_services.create_api_token(actor=None, user=supervisor, name="x", scope="write")
    assert "scope" in info.value.fields
    with pytest.raises(InvalidInput) as info:
        org_services.create_api_token(actor=None, user=clerk, name=" ", scope="admin")
    assert set(info.value.fields) == {"name", "scope"}


@pytest.mark.django_db
def test_revoke_api_token(client: Client, clerk: Any) -> None:
    token, key = org_services.create_api_token(actor=None, user=clerk, name="x")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    assert org_services.revoke_api_token(actor=None, token=token) is True
    assert token.revoked_at is not None
    assert org_services.revoke_api_token(actor=None, token=token) is False
    assert error_of(client.get("/api/v1/me", **headers), 401)["code"] == "not_authenticated"


@pytest.mark.django_db
def test_the_migration_keeps_write_only_for_handlers(clerk: Any, supervisor: Any, admin_user: Any) -> None:
    """The data step of org 0003 on the tokens that existed before scopes (all of them "write")."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pakn.org.migrations.0003_apitoken_scope")
    officer = make_user("officer", unit_code=BA_DINH, role="protection_officer")
    head = make_user("head2", unit_code=BA_DINH, role="head")
    nobody = get_user_model().objects.create_user("nobody")
    users = {"clerk": clerk, "head": head, "admin": admin_user, "supervisor": supervisor, "officer": officer}
    users["nobody"] = nobody
    tokens = {name: token_for(user) for name, user in users.items()}
    migration.downgrade_non_handlers(apps, None)
    scopes = {
        name: ApiToken.objects.get(key_hash=ApiToken.hash_key(h["HTTP_AUTHORIZATION"][7:])).scope
        for name, h in tokens.items()
    }
    assert scopes == {
        "clerk": "write",
        "head": "write",
        "admin": "write",
        "supervisor": "read",
        "officer": "read",
        "nobody": "read",
    }
