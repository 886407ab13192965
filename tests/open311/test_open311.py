"""Open311 GeoReport v2 at /open311/v2/, by hand: the service list from kinds × topics, definitions, POST
with api_key (form-encoded), places from lat/long, address_id and address_string, the spec's filters,
tokens, the error format in JSON and XML, and API keys issued and revoked by an administrator."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - our own server's XML
from datetime import datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import COMMUNE, REPORTER
from pakn.cases import services
from pakn.cases.models import AuditEvent, Case, Kind, Topic
from pakn.open311.georeport import public_request_id as pid
from pakn.open311.models import ApiKey, Open311Request

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
V2 = "/open311/v2"
SECRETS = [REPORTER["email"], "0912345678", "Nguyễn Văn An", "Văn An"]


@pytest.fixture
def key(db: Any) -> str:
    return ApiKey.issue(name="Ứng dụng thử")[1]


def post(client: Client, data: dict[str, Any], fmt: str = "json", **kwargs: Any) -> Any:
    return client.post(f"{V2}/requests.{fmt}", data, **kwargs)


def good(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "api_key": key,
        "service_code": "report-environment",
        "address_id": COMMUNE,
        "description": "Rác thải đổ trộm ven hồ, bốc mùi.",
        **extra,
    }


def assert_errors(response: Any, status: int, fmt: str = "json") -> list[dict[str, Any]]:
    assert response.status_code == status, response.content[:500]
    if fmt == "xml":
        assert response["Content-Type"].startswith("text/xml")
        root = ET.fromstring(response.content)  # noqa: S314
        assert root.tag == "errors"
        errors = [
            {"code": int(e.findtext("code") or 0), "description": e.findtext("description")}
            for e in root.findall("error")
        ]
    else:
        assert response["Content-Type"].startswith("application/json")
        errors = response.json()
        assert isinstance(errors, list)
    assert errors
    for error in errors:
        assert set(error) == {"code", "description"}
        assert error["code"] == status and error["description"]
    return errors


# ---------------------------------------------------------------- services


@pytest.mark.django_db
def test_service_list_is_kinds_times_topics(client: Client) -> None:
    services_json = client.get(f"{V2}/services.json").json()
    topics = list(Topic.objects.values_list("code", flat=True))
    assert topics
    expected = {k for k in Kind.values} | {f"{k}-{t}" for k in Kind.values for t in topics}
    assert {s["service_code"] for s in services_json} == expected
    for service in services_json:
        assert list(service) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
        assert service["metadata"] is True and service["type"] == "realtime"
    land = next(s for s in services_json if s["service_code"] == "complaint-land")
    assert land["service_name"] == "Khiếu nại – Đất đai, nhà ở" and land["group"] == "Khiếu nại"

    root = ET.fromstring(client.get(f"{V2}/services.xml").content)  # noqa: S314
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == expected
    assert root.find("service/metadata").text == "true"  # type: ignore[union-attr]

    english = client.get(f"{V2}/services.json", headers={"Accept-Language": "en"}).json()
    land_en = next(s for s in english if s["service_code"] == "complaint-land")
    assert land_en["service_name"].endswith("Land and housing")


@pytest.mark.django_db
def test_service_definition(client: Client) -> None:
    body = client.get(f"{V2}/services/complaint-land.json").json()
    assert body["service_code"] == "complaint-land"
    by_code = {a["code"]: a for a in body["attributes"]}
    assert list(by_code) == ["title", "complaint_round", "subject", "publish", "notify_by"]
    assert [a["order"] for a in body["attributes"]] == [1, 2, 3, 4, 5]
    assert by_code["complaint_round"]["datatype"] == "singlevaluelist"
    assert [v["key"] for v in by_code["complaint_round"]["values"]] == ["1", "2"]
    assert all(a["variable"] is True and a["required"] is False for a in body["attributes"])
    report = {a["code"] for a in client.get(f"{V2}/services/report.json").json()["attributes"]}
    assert report == {"title", "publish", "notify_by"}

    root = ET.fromstring(client.get(f"{V2}/services/complaint-land.xml").content)  # noqa: S314
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute[code='notify_by']/values/value/key")
    assert [v.text for v in values] == ["email", "sms", "none"]

    for fmt in ("json", "xml"):
        assert_errors(client.get(f"{V2}/services/praise-land.{fmt}"), 404, fmt)
        assert_errors(client.get(f"{V2}/services/report-weather.{fmt}"), 404, fmt)


# ---------------------------------------------------------------- POST requests


@pytest.mark.django_db
def test_post_request_files_a_case_through_the_services(client: Client, key: str) -> None:
    response = post(
        client,
        good(
            key,
            first_name="Văn An",
            last_name="Nguyễn",
            email=REPORTER["email"],
            phone="091 234 5678",
            media_url="https://example.vn/anh.jpg",
            account_id="acc-7",
            device_id="dev-1",
            **{"attribute[notify_by]": "sms", "attribute[publish]": "true", "attribute[unknown]": "x"},
        ),
    )
    assert response.status_code == 200, response.content
    (created,) = response.json()
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    assert created["account_id"] == "acc-7"
    case = Case.objects.get(tracking_code=created["service_request_id"])
    assert (case.kind, case.topic.code, case.commune_id, case.channel, case.publish) == (
        "report",
        "environment",
        COMMUNE,
        "api",
        True,
    )
    assert case.title == "Rác thải đổ trộm ven hồ, bốc mùi."
    assert "https://example.vn/anh.jpg" in case.content
    assert case.reporter.notify_by == "sms"  # the identity itself is in the protection vault
    assert AuditEvent.objects.get(case=case).data["channel"] == "api"
    record = Open311Request.objects.get(case=case)
    assert (record.token, record.device_id, record.media_url) == (
        created["token"],
        "dev-1",
        "https://example.vn/anh.jpg",
    )
    assert ApiKey.objects.get().last_used_at is not None
    assert created["service_request_id"] in created["service_notice"]


@pytest.mark.django_db
def test_post_complaint_attributes_and_xml_answer(client: Client, key: str) -> None:
    response = post(
        client,
        good(
            key,
            service_code="complaint-land",
            first_name="An",
            last_name="Nguyễn Văn",
            email=REPORTER["email"],
            **{"attribute[complaint_round]": "2", "attribute[subject]": "UBND phường", "attribute[title]": "Khiếu nại"},
        ),
        fmt="xml",
    )
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314
    code = root.findtext("request/service_request_id")
    assert root.tag == "service_requests" and root.findtext("request/token")
    case = Case.objects.get(tracking_code=code)
    assert (case.kind, case.complaint_round, case.subject, case.title, case.track) == (
        "complaint",
        2,
        "UBND phường",
        "Khiếu nại",
        "statutory",
    )


@pytest.mark.django_db
def test_place_from_coordinates(client: Client, key: str) -> None:
    from pakn.org.models import Commune

    for code in (COMMUNE, "00008", "25747"):
        commune = Commune.objects.get(code=code)
        body = post(
            client,
            {**good(key), "address_id": "", "lat": commune.latitude + 0.0005, "long": commune.longitude - 0.0005},
        ).json()
        assert Case.objects.get(tracking_code=body[0]["service_request_id"]).commune_id == code
    # Far out at sea: outside the service area, unless an address says where.
    assert_errors(post(client, {**good(key), "address_id": "", "lat": "10", "long": "150"}), 400)
    body = post(
        client,
        {
            **good(key),
            "address_id": "",
            "lat": "10",
            "long": "150",
            "address_string": "Phường Ba Đình, Thành phố Hà Nội",
        },
    ).json()
    assert Case.objects.get(tracking_code=body[0]["service_request_id"]).commune_id == COMMUNE


@pytest.mark.django_db
def test_place_from_an_old_address_string(client: Client, key: str) -> None:
    body = post(
        client,
        {**good(key), "address_id": "", "address_string": "Số 5 phố Đội Cấn, phường Đội Cấn, quận Ba Đình, Hà Nội"},
    ).json()
    case = Case.objects.get(tracking_code=body[0]["service_request_id"])
    assert case.province_id == "01" and case.commune_id


@pytest.mark.django_db
def test_json_body_and_key_in_the_query_string(client: Client, key: str) -> None:
    data = {k: v for k, v in good(key).items() if k != "api_key"}
    response = client.post(
        f"{V2}/requests.json?api_key={key}&jurisdiction_id=", json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_csrf_does_not_apply(key: str) -> None:
    client = Client(enforce_csrf_checks=True)
    assert post(client, good(key)).status_code == 200


BAD_POSTS: list[tuple[str, dict[str, Any], int]] = [
    ("no key", {"api_key": ""}, 403),
    ("wrong key", {"api_key": "nope"}, 403),
    ("no service", {"service_code": ""}, 400),
    ("unknown service", {"service_code": "report-weather"}, 400),
    ("no place", {"address_id": ""}, 400),
    ("lat without long", {"address_id": "", "lat": "21.03"}, 400),
    ("lat not a number", {"address_id": "", "lat": "north", "long": "105.8"}, 400),
    ("lat out of range", {"address_id": "", "lat": "91", "long": "105.8"}, 400),
    ("lat is nan", {"address_id": "", "lat": "nan", "long": "105.8"}, 400),
    ("unknown commune", {"address_id": "99999"}, 400),
    ("empty description", {"description": "  "}, 400),
    ("huge description", {"description": "a" * 30_000}, 400),
    ("bad email", {"email": "not-an-email"}, 400),
    ("bad phone", {"phone": "call me"}, 400),
    ("bad publish", {"attribute[publish]": "maybe"}, 400),
    ("bad notify_by", {"attribute[notify_by]": "pigeon"}, 400),
    ("bad round", {"service_code": "complaint", "attribute[complaint_round]": "3"}, 400),
    ("bad media_url", {"media_url": "javascript:alert(1)"}, 400),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "change", "status"), BAD_POSTS, ids=[b[0] for b in BAD_POSTS])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_posts_answer_the_spec_errors_and_store_nothing(
    client: Client, key: str, label: str, change: dict[str, Any], status: int, fmt: str
) -> None:
    errors = assert_errors(post(client, {**good(key), **change}, fmt=fmt), status, fmt)
    assert Case.objects.count() == 0 and Open311Request.objects.count() == 0
    if label == "empty description":
        assert any(e["description"].startswith("description:") for e in errors)
    if label == "bad email":
        assert any(e["description"].startswith("email:") for e in errors)


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_answers_the_spec_error(client: Client, key: str) -> None:
    assert_errors(post(client, good(key, description="a" * 3_000_000)), 400)
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_revoked_key_is_refused(client: Client, key: str) -> None:
    ApiKey.objects.update(revoked_at=datetime(2026, 1, 1, tzinfo=TZ))
    assert_errors(post(client, good(key)), 403)


@pytest.mark.django_db
def test_rate_limit_per_key(client: Client, key: str, settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.OPEN311_RATE_LIMIT = 2
    assert post(client, good(key)).status_code == 200
    assert post(client, good(key)).status_code == 200
    assert_errors(post(client, good(key)), 429)
    assert Case.objects.count() == 2
    cache.clear()


@pytest.mark.django_db
def test_jurisdiction(client: Client, key: str, settings: Any) -> None:
    settings.OPEN311_JURISDICTION = "pakn.gov.vn"
    assert client.get(f"{V2}/services.json", {"jurisdiction_id": "pakn.gov.vn"}).status_code == 200
    assert client.get(f"{V2}/services.json").status_code == 200
    assert_errors(client.get(f"{V2}/services.json", {"jurisdiction_id": "elsewhere.gov"}), 404)
    assert_errors(post(client, {**good(key), "jurisdiction_id": "elsewhere.gov"}), 404)


@pytest.mark.django_db
def test_unknown_paths_and_methods(client: Client) -> None:
    assert_errors(client.get(f"{V2}/nothing.json"), 404)
    assert_errors(client.get(f"{V2}/nothing.xml"), 404, "xml")
    assert_errors(client.get(f"{V2}/"), 404)
    response = client.delete(f"{V2}/requests.json")
    assert_errors(response, 405)
    assert "POST" in response["Allow"]
    assert_errors(client.post(f"{V2}/services.xml"), 405, "xml")


# ---------------------------------------------------------------- reading requests


def _filed(**overrides: Any) -> Case:
    data: dict[str, Any] = {
        "actor": None,
        "kind": "report",
        "title": "Đèn đường hỏng",
        "content": "Tối om.",
        "province_code": "01",
        "commune_code": COMMUNE,
        "reporter": dict(REPORTER),
        "publish": True,
    }
    data.update(overrides)
    return services.submit(**data)


@pytest.mark.django_db
def test_request_by_id_never_shows_the_reporter(client: Client, clerk: Any) -> None:
    case = _filed(title="Đèn hỏng, gọi 0912345678", content=f"Tôi là {REPORTER['name']}")
    for fmt in ("json", "xml"):
        response = client.get(f"{V2}/requests/{case.tracking_code}.{fmt}")
        assert response.status_code == 200
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text
        assert clerk.username not in text
    (item,) = client.get(f"{V2}/requests/{case.tracking_code.lower()}.json").json()
    assert list(item) == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert item["description"].startswith("Đèn hỏng, gọi [") and "0912345678" not in item["description"]
    assert item["expected_datetime"].startswith(case.due_on.isoformat())
    assert item["requested_datetime"].endswith("+07:00")


@pytest.mark.django_db
def test_status_is_mapped_to_open_and_closed(client: Client, clerk: Any) -> None:
    case = _filed()

    def status() -> tuple[str, str]:
        item = client.get(f"{V2}/requests/{case.tracking_code}.json").json()[0]
        return item["status"], item["status_notes"]

    assert status() == ("open", "Đã tiếp nhận")
    case = services.accept_case(actor=clerk, case=case)
    assert status()[0] == "open"
    case = services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn. Liên hệ 0912345678.")
    assert status() == ("closed", "Đã trả lời / kết luận: Đã thay bóng đèn. Liên hệ [đã ẩn].")
    services.close_case(actor=clerk, case=case)
    assert status()[0] == "closed"


@pytest.mark.django_db
def test_unknown_and_mistyped_ids(client: Client) -> None:
    from pakn.core.tracking import new_tracking_code

    case = _filed()
    mistyped = case.tracking_code[:-1] + ("0" if case.tracking_code[-1] != "0" else "1")
    for fmt in ("json", "xml"):
        assert_errors(client.get(f"{V2}/requests/{mistyped}.{fmt}"), 404, fmt)
        assert_errors(client.get(f"{V2}/requests/{new_tracking_code()}.{fmt}"), 404, fmt)
        assert_errors(client.get(f"{V2}/tokens/nope.{fmt}"), 404, fmt)


@pytest.mark.django_db
def test_list_filters(client: Client, clerk: Any) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False) as clock:
        march = _filed(topic_code="traffic_urban")
        private = _filed(publish=False)
        complaint = _filed(kind="complaint", topic_code="land")  # published only once answered
        clock.move_to(datetime(2026, 4, 20, 9, tzinfo=TZ))
        april = _filed(kind="opinion")
        answered = services.resolve_case(actor=clerk, case=_filed(), body="Đã xử lý.")

        def listed(**params: Any) -> set[str]:
            response = client.get(f"{V2}/requests.json", params)
            assert response.status_code == 200, response.content
            return {r["service_request_id"] for r in response.json()}

        assert listed() == {pid(march), pid(april), pid(answered)}
        assert pid(private) not in listed() and pid(complaint) not in listed()
        assert listed(status="closed") == {pid(answered)}
        assert listed(status="open") == {pid(march), pid(april)}
        assert listed(status="open,closed") == listed()
        assert listed(service_code="report-traffic_urban") == {pid(march)}
        assert listed(service_code="opinion,report-traffic_urban") == {pid(march), pid(april)}
        assert listed(start_date="2026-04-01T00:00:00+07:00") == {pid(april), pid(answered)}
        assert listed(start_date="2026-03-01T00:00:00Z", end_date="2026-03-03T00:00:00Z") == {pid(march)}
        assert listed(end_date="2026-03-03") == {pid(march)}
        services.resolve_case(actor=clerk, case=services.accept_case(actor=clerk, case=complaint), body="Kết luận.")
        assert pid(complaint) in listed(start_date="2026-03-01T00:00:00Z", end_date="2026-03-03T00:00:00Z")
        ids = f"{private.tracking_code}, nonsense,{march.tracking_code.lower()}"
        assert listed(service_request_id=ids, status="closed") == {private.tracking_code, march.tracking_code}

        for params in (
            {"status": "pending"},
            {"service_code": "praise"},
            {"start_date": "yesterday"},
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-30T00:00:00Z"},
            {"start_date": "2026-04-01T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"},
        ):
            assert_errors(client.get(f"{V2}/requests.json", params), 400)
        root = ET.fromstring(client.get(f"{V2}/requests.xml", {"status": "closed"}).content)  # noqa: S314
        assert [r.findtext("service_request_id") for r in root.findall("request")] == [pid(answered), pid(complaint)]


@pytest.mark.django_db
def test_token_lookup(client: Client, key: str) -> None:
    created = post(client, good(key)).json()[0]
    assert client.get(f"{V2}/tokens/{created['token']}.json").json() == [
        {"service_request_id": created["service_request_id"], "token": created["token"]}
    ]


@pytest.mark.django_db
def test_discovery(client: Client) -> None:
    body = client.get("/open311/discovery.json").json()
    assert body["endpoints"][0]["url"].endswith("/open311/v2")
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert ET.fromstring(client.get("/open311/discovery.xml").content).tag == "discovery"  # noqa: S314


# ---------------------------------------------------------------- keys


@pytest.mark.django_db
def test_open311key_command(client: Client) -> None:
    out = StringIO()
    call_command("open311key", "create", "Ứng dụng phường", "--contact", "dev@example.vn", stdout=out)
    key = out.getvalue().strip()
    record = ApiKey.objects.get()
    assert record.key_hash == ApiKey.hash_key(key) and key not in (record.key_hash, record.prefix)
    assert post(client, good(key)).status_code == 200
    listing = StringIO()
    call_command("open311key", "list", stdout=listing)
    assert record.prefix in listing.getvalue() and "active" in listing.getvalue()
    call_command("open311key", "revoke", record.prefix, stdout=StringIO())
    assert_errors(post(client, good(key)), 403)
    with pytest.raises(CommandError):
        call_command("open311key", "revoke", record.prefix, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("open311key", "create", stdout=StringIO())


@pytest.mark.django_db
def test_admin_issues_a_key_once_and_revokes_it(admin_user: Any, login: Any) -> None:
    browser = login(admin_user)
    response = browser.post(
        "/admin/open311/apikey/add/", {"name": "Ứng dụng quận", "contact": "x@example.vn"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    record = ApiKey.objects.get()
    key = next(m.rsplit(": ", 1)[1] for m in shown if record.name in m)
    assert ApiKey.hash_key(key) == record.key_hash and record.created_by == admin_user
    assert key not in browser.get(f"/admin/open311/apikey/{record.pk}/change/").content.decode()
    browser.post("/admin/open311/apikey/", {"action": "revoke", "_selected_action": [record.pk]})
    assert ApiKey.objects.get().revoked_at is not None


@pytest.mark.django_db
def test_demo_key(client: Client) -> None:
    from pakn.open311.demo import DEMO_KEY, ensure_demo_key

    assert ensure_demo_key() == ensure_demo_key() == DEMO_KEY
    assert ApiKey.objects.count() == 1
    assert post(client, good(DEMO_KEY)).status_code == 200


@pytest.mark.django_db
def test_public_listing_never_hands_out_tracking_codes(client: Client, key: str) -> None:
    """A tracking code is the reporter's key (withdraw, add information, read the conversation):
    listings show a public id, and a public id only reaches published cases."""
    from pakn.cases import services

    published = services.submit(
        actor=None,
        kind="report",
        title="Đèn hỏng",
        content="Đèn đường hỏng.",
        province_code="01",
        commune_code=COMMUNE,
        publish=True,
    )
    private = services.submit(
        actor=None,
        kind="report",
        title="Riêng",
        content="Không công khai.",
        province_code="01",
        commune_code=COMMUNE,
        publish=False,
    )
    listing = client.get(f"{V2}/requests.json").content.decode()
    assert published.tracking_code not in listing and pid(published) in listing
    assert client.get(f"{V2}/requests/{pid(private)}.json").status_code == 404
    detail = client.get(f"{V2}/requests/{pid(published)}.json").json()
    assert detail[0]["service_request_id"] == pid(published)
    own = client.get(f"{V2}/requests/{private.tracking_code}.json").json()
    assert own[0]["service_request_id"] == private.tracking_code


def test_discovery_names_the_host_that_serves_it(client: Any, settings: Any) -> None:
    settings.PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["pakn.hanoi.gov.vn", "testserver"]
    data = client.get("/open311/discovery.json", HTTP_HOST="pakn.hanoi.gov.vn").json()
    assert data["endpoints"][0]["url"] == "http://pakn.hanoi.gov.vn/open311/v2"
    settings.PUBLIC_URL = "https://gopy.hanoi.gov.vn"
    data = client.get("/open311/discovery.json", HTTP_HOST="pakn.hanoi.gov.vn").json()
    assert data["endpoints"][0]["url"] == "https://gopy.hanoi.gov.vn/open311/v2"
