"""The JSON API at /api/v1/: public submission and status, the deadline calculator, the staff workflow
with Bearer tokens, one error shape for every failure, and the OpenAPI document."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation

from pakn.cases import services
from pakn.cases.deadlines import DEFAULT_RULES, compute_deadlines
from pakn.cases.models import AuditEvent, Case, Forward, Message, Obligation, Reporter
from pakn.core.calendar import DECREED_OVERRIDES, vietnam_calendar
from pakn.core.errors import InvalidInput, PaknError
from pakn.core.tracking import ALPHABET, format_tracking_code
from pakn.notify.models import Outbox
from pakn.org.models import ApiToken

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D0 = date(2026, 3, 2)
CAL = vietnam_calendar(
    range(2025, 2029),
    extra_working_days=[d for d, working, _ in DECREED_OVERRIDES if working],
    extra_days_off=[d for d, working, _ in DECREED_OVERRIDES if not working],
)
REPORTER = {
    "name": "Nguyễn Văn An",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "id_number": "001085012345",
    "address": "12 Phố Đội Cấn",
}
SECRETS = [
    REPORTER["name"],
    REPORTER["phone"],
    REPORTER["email"],
    REPORTER["id_number"],
    REPORTER["address"],
    "Nguyen Van An",
    "an.nguyen",
]
BASE = {
    "kind": "complaint",
    "title": "Khiếu nại quyết định thu hồi đất",
    "content": "Tôi khiếu nại Quyết định số 12/QĐ-UBND về việc thu hồi đất của gia đình tôi.",
    "province_code": "01",
    "commune_code": "00004",
    "reporter": REPORTER,
    "complaint_round": 1,
    "publish": False,
}
HCM_COMMUNE = "25747"  # Phường Thủ Dầu Một, TP Hồ Chí Minh (79)


def expected(**kwargs: Any) -> Any:
    return compute_deadlines(DEFAULT_RULES, CAL, **kwargs)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def post_json(client: Client, url: str, data: Any, **kwargs: Any) -> Any:
    body = data if isinstance(data, bytes) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **kwargs)


def assert_error_shape(response: Any, status: int | None = None, code: str | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, response.content[:500]
    if status is not None:
        assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for messages in error["fields"].values():
        assert isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
    if code is not None:
        assert error["code"] == code
    return error


def bearer(user: Any, *, revoked: bool = False) -> dict[str, str]:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name="test",
        key_hash=ApiToken.hash_key(raw),
        prefix=raw[:8],
        revoked_at=timezone.now() if revoked else None,
    )
    return {"Authorization": f"Bearer {raw}"}


def stored_counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Reporter.objects.count(),
        AuditEvent.objects.count(),
        Obligation.objects.count(),
        Outbox.objects.count(),
    )


# ---------------------------------------------------------------- public: submit


@pytest.mark.django_db
def test_submit_complaint(client: Client, clock: Any) -> None:
    response = post_json(client, "/api/v1/submissions", BASE)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["tracking_code"] == case.tracking_code
    assert body["status"] == "received"
    assert body["track"] == "statutory"
    assert body["received_on"] == "2026-03-02"
    received_at = datetime.fromisoformat(body["received_at"].replace("Z", "+00:00"))
    assert received_at.astimezone(TZ).date() == D0
    due = expected(kind="complaint", received=D0)
    # 10 days (Luật Khiếu nại 2011, Điều 27): Mon Mar 2 + 10 = Thu Mar 12.
    assert body["due"] == {"accept_by": "2026-03-12", "resolve_by": due.resolve_by.isoformat(), "answer_by": None}
    assert due.accept_by == date(2026, 3, 12)
    assert case.channel == "api"
    assert case.reporter.notify_by == "email"  # the identity itself is sealed in the protection vault
    for secret in SECRETS:
        assert secret not in json.dumps(body, ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["report", "petition", "opinion"])
def test_submit_report(kind: str, client: Client, clock: Any) -> None:
    payload = {k: v for k, v in BASE.items() if k != "complaint_round"}
    response = post_json(client, "/api/v1/submissions", {**payload, "kind": kind, "reporter": None})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received"
    assert body["track"] == "feedback"
    assert body["due"] == {
        "accept_by": None,
        "resolve_by": None,
        "answer_by": expected(kind=kind, received=D0).answer_by.isoformat(),
    }
    assert body["due"]["answer_by"] == "2026-03-16"


@pytest.mark.django_db
def test_submit_anonymous_denunciation_is_accepted_on_its_own_track(client: Client, clock: Any) -> None:
    response = post_json(
        client, "/api/v1/submissions", {**BASE, "kind": "denunciation", "reporter": None, "complaint_round": None}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["track"] == "anonymous"
    assert body["due"]["answer_by"] == expected(kind="report", received=D0).answer_by.isoformat()


@pytest.mark.django_db
def test_submit_with_old_address_only(client: Client) -> None:
    payload = {
        **BASE,
        "province_code": None,
        "commune_code": None,
        "address": "Số 5 phố Đội Cấn, phường Đội Cấn, quận Ba Đình, Hà Nội",
    }
    response = post_json(client, "/api/v1/submissions", payload)
    assert response.status_code == 201, response.content
    assert Case.objects.get().province_id == "01"


# ---------------------------------------------------------------- public: status


@pytest.mark.django_db
def test_public_status_shows_the_timeline_and_never_the_reporter(
    client: Client, clerk: Any, make_case: Callable[..., Any]
) -> None:
    code = post_json(client, "/api/v1/submissions", BASE).json()["tracking_code"]
    case = Case.objects.get(tracking_code=code)
    case = services.accept_case(actor=clerk, case=case)
    case = services.forward_case(
        actor=clerk, case=case, to_unit=case.unit.parent, reason=f"Chuyển theo đề nghị của {REPORTER['name']}"
    )
    services.add_information(case=case, body=f"Tôi là {REPORTER['name']}, điện thoại {REPORTER['phone']}")

    response = client.get(f"/api/v1/submissions/{code}")
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == code
    assert body["status"] == "forwarded"
    actions = [entry["action"] for entry in body["timeline"]]
    assert actions == ["submitted", "accepted", "forwarded", "information_added"]
    assert all(entry["label"] for entry in body["timeline"])
    text = json.dumps(body, ensure_ascii=False)
    raw = response.content.decode()
    for secret in SECRETS:
        assert secret not in text
        assert secret not in raw
    # Nor staff identities.
    assert clerk.username not in text and clerk.email not in text


@pytest.mark.django_db
def test_public_status_of_a_merged_case_does_not_reveal_the_other_code(
    client: Client, clerk: Any, make_case: Callable[..., Any]
) -> None:
    """The tracking code is the key to a case: merging must not hand one citizen another's key."""
    mine, theirs = make_case(kind="complaint"), make_case(kind="complaint")
    services.merge_case(actor=clerk, case=mine, into=theirs)
    response = client.get(f"/api/v1/submissions/{mine.tracking_code}")
    assert response.status_code == 200
    assert response.json()["status"] == "merged"
    assert theirs.tracking_code not in response.content.decode()
    assert format_tracking_code(theirs.tracking_code) not in response.content.decode()


@pytest.mark.django_db
def test_public_status_accepts_human_forms_of_the_code(client: Client, make_case: Callable[..., Any]) -> None:
    code = make_case().tracking_code
    for typed in (code.lower(), format_tracking_code(code), f" {format_tracking_code(code).lower()} "):
        assert client.get(f"/api/v1/submissions/{typed}").json()["tracking_code"] == code


def _mistype(code: str, position: int) -> str:
    for char in ALPHABET:
        if char != code[position]:
            return code[:position] + char + code[position + 1 :]
    raise AssertionError


@pytest.mark.django_db
def test_mistyped_tracking_code_is_caught(client: Client, make_case: Callable[..., Any]) -> None:
    code = make_case().tracking_code
    for position in range(len(code)):
        response = client.get(f"/api/v1/submissions/{_mistype(code, position)}")
        error = assert_error_shape(response, 404)
        assert error["code"] in ("bad_tracking_code", "not_found")
    # Two swapped neighbours, too short, garbage.
    swapped = code[1] + code[0] + code[2:]
    for typed in ([swapped] if swapped != code else []) + [code[:-1], "HELLO", "%F0%9F%98%80"]:
        assert_error_shape(client.get(f"/api/v1/submissions/{typed}"), 404)


@pytest.mark.django_db
def test_unknown_but_well_formed_code_is_not_found(client: Client, make_case: Callable[..., Any]) -> None:
    from pakn.core.tracking import new_tracking_code

    make_case()
    error = assert_error_shape(client.get(f"/api/v1/submissions/{new_tracking_code()}"), 404)
    assert error["code"] == "not_found"


# ---------------------------------------------------------------- public: bad input


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in BASE.items() if k != key}


BAD_INPUT: list[tuple[str, Any]] = [
    ("empty title", {**BASE, "title": ""}),
    ("blank title", {**BASE, "title": "   \n\t "}),
    ("control characters only", {**BASE, "title": "\u0000\u0007"}),
    ("empty content", {**BASE, "content": ""}),
    ("missing kind", _without("kind")),
    ("missing title", _without("title")),
    ("missing content", _without("content")),
    ("unknown kind", {**BASE, "kind": "praise"}),
    ("kind in capitals", {**BASE, "kind": "COMPLAINT"}),
    ("1 MB title", {**BASE, "title": "a" * 1_000_000}),
    ("1 MB content", {**BASE, "content": "Nội dung " * 120_000}),
    ("1 MB address", {**BASE, "address": "x" * 1_000_000}),
    ("1 MB reporter name", {**BASE, "reporter": {**REPORTER, "name": "A" * 1_000_000}}),
    ("lone surrogate", b'{"kind": "report", "title": "\\ud800", "content": "abc", "province_code": "01"}'),
    (
        "lone surrogate inside",
        b'{"kind": "report", "title": "Ti\\u00eau \\udfff \\u0111\\u1ec1", "content": "abc", "province_code": "01"}',
    ),
    ("lone surrogate in content", b'{"kind": "report", "title": "abc", "content": "x\\udbff", "province_code": "01"}'),
    ("invalid UTF-8", b'{"kind": "report", "title": "\xff\xfe\xc3", "content": "abc", "province_code": "01"}'),
    ("overlong UTF-8", b'{"kind": "report", "title": "\xc0\xaf", "content": "abc", "province_code": "01"}'),
    ("replacement character", {**BASE, "title": "Ti\ufffdu \u0111\u1ec1"}),
    ("title is a number", {**BASE, "title": 123}),
    ("content is a list", {**BASE, "content": ["a", "b"]}),
    ("content is null", {**BASE, "content": None}),
    ("publish is a string", {**BASE, "publish": "yes"}),
    ("publish is a number", {**BASE, "publish": 1}),
    ("complaint round 3", {**BASE, "complaint_round": 3}),
    ("complaint round 0", {**BASE, "complaint_round": 0}),
    ("complaint round as text", {**BASE, "complaint_round": "2"}),
    ("province code is a number", {**BASE, "province_code": 1}),
    ("reporter is a string", {**BASE, "reporter": "Nguyễn Văn An"}),
    ("reporter is a list", {**BASE, "reporter": [REPORTER]}),
    ("reporter name is a number", {**BASE, "reporter": {**REPORTER, "name": 5}}),
    ("bad e-mail", {**BASE, "reporter": {**REPORTER, "email": "not-an-email"}}),
    ("bad phone", {**BASE, "reporter": {**REPORTER, "phone": "call me"}}),
    ("bad id number", {**BASE, "reporter": {**REPORTER, "id_number": "12345"}}),
    ("bad notify channel", {**BASE, "reporter": {**REPORTER, "notify_by": "pigeon"}}),
    ("unknown province", {**BASE, "province_code": "99", "commune_code": None}),
    ("malformed province", {**BASE, "province_code": "1'; DROP TABLE", "commune_code": None}),
    ("unknown commune", {**BASE, "commune_code": "99999"}),
    ("commune not in province", {**BASE, "commune_code": HCM_COMMUNE}),
    ("no place at all", {**BASE, "province_code": None, "commune_code": None, "address": ""}),
    ("unknown topic", {**BASE, "topic_code": "weather"}),
    ("malformed JSON", b'{"kind": "report", "title": '),
    ("trailing garbage", json.dumps(BASE).encode() + b"}"),
    ("empty body", b""),
    ("JSON null", b"null"),
    ("JSON array", b"[1, 2, 3]"),
    ("JSON string", b'"hello"'),
    ("NaN", b'{"kind": "report", "title": NaN, "content": "x", "province_code": "01"}'),
]


# Wrong types that cases/schemas.py still coerces (pydantic's lax mode: "yes" → True, a string → an empty
# ReporterIn, losing the reporter). Reported to the lead; remove from this set once the schema is strict.
SCHEMA_COERCES: set[str] = set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "payload"),
    [
        pytest.param(label, payload, marks=pytest.mark.xfail(strict=True, reason="lax schema, see SCHEMA_COERCES"))
        if label in SCHEMA_COERCES
        else (label, payload)
        for label, payload in BAD_INPUT
    ],
    ids=[label for label, _ in BAD_INPUT],
)
def test_bad_input_is_refused_with_the_error_shape_and_nothing_stored(label: str, payload: Any, client: Client) -> None:
    before = stored_counts()
    response = post_json(client, "/api/v1/submissions", payload)
    error = assert_error_shape(response, 400)
    assert error["code"] in ("invalid", "bad_request")
    assert stored_counts() == before


@pytest.mark.django_db
def test_field_errors_name_the_field(client: Client) -> None:
    cases = {
        "title": {**BASE, "title": " "},
        "commune_code": {**BASE, "commune_code": HCM_COMMUNE},
        "province_code": {**BASE, "province_code": "99", "commune_code": None},
        "reporter.email": {**BASE, "reporter": {**REPORTER, "email": "x@"}},
        "complaint_round": {**BASE, "complaint_round": 3},
        "kind": {**BASE, "kind": "praise"},
    }
    for field, payload in cases.items():
        error = assert_error_shape(post_json(client, "/api/v1/submissions", payload), 400)
        assert field in error["fields"], (field, error)


@pytest.mark.django_db
def test_body_over_the_upload_limit_answers_the_error_shape(client: Client) -> None:
    before = stored_counts()
    response = post_json(client, "/api/v1/submissions", {**BASE, "content": "a" * 3_000_000})
    assert_error_shape(response)
    assert stored_counts() == before


@pytest.mark.django_db
def test_form_encoded_body_is_refused(client: Client) -> None:
    before = stored_counts()
    response = client.post("/api/v1/submissions", {"kind": "report", "title": "x", "content": "y"})
    assert_error_shape(response, 400)
    assert stored_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{**BASE, "title": ""}, b"{broken"])
def test_english_messages_on_request(payload: Any, client: Client) -> None:
    response = post_json(client, "/api/v1/submissions", payload, headers={"Accept-Language": "en"})
    error = assert_error_shape(response, 400)
    assert response["Content-Language"] == "en"
    # English when a translation exists, the Vietnamese text otherwise: whatever the catalogue says.
    with translation.override("en"):
        expected_message = str(
            InvalidInput.default_message if error["code"] == "invalid" else PaknError.default_message
        )
    assert error["message"] == expected_message
    if error["fields"]:
        with translation.override("en"):
            assert error["fields"]["title"] == [translation.gettext("Trường này là bắt buộc.")]
    vietnamese = post_json(client, "/api/v1/submissions", payload)
    assert vietnamese["Content-Language"] == "vi"
    assert_error_shape(vietnamese, 400)


@pytest.mark.django_db
def test_wrong_method_and_unknown_path_answer_the_error_shape(client: Client) -> None:
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404)
    response = client.delete("/api/v1/submissions")
    assert response.status_code == 405


# ---------------------------------------------------------------- deadline calculator


def deadlines(client: Client, **params: Any) -> Any:
    return client.get("/api/v1/deadlines", params)


@pytest.mark.django_db
def test_deadline_example_from_the_issue(client: Client) -> None:
    response = deadlines(
        client, kind="complaint", round=1, received="2026-03-02", accepted="2026-03-09", complex=0, remote=0
    )
    assert response.status_code == 200
    body = response.json()
    assert body["accept_by"] == "2026-03-12"  # Luật Khiếu nại 2011, Điều 27: 10 days, Mar 2 + 10 = Thu Mar 12
    assert body["resolve_by"] == "2026-04-08"
    assert body["answer_by"] is None
    assert [r["item"] for r in body["rules"]] == ["accept", "resolve"]
    for rule in body["rules"]:
        assert rule["citation"].startswith("Luật Khiếu nại 2011")
        assert rule["code"] and rule["amount"] > 0 and rule["unit"] in ("days", "working_days")
    assert body["rules"][0]["amount"] == 10 and body["rules"][0]["unit"] == "days"
    assert all(rule["confirmed"] for rule in body["rules"])
    assert body["rules"][1]["amount"] == 30 and body["rules"][1]["unit"] == "days"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "accept_by", "resolve_by"),
    [
        ({"round": 2}, "2026-03-12", "2026-04-23"),  # 45 days
        ({"complex": 1}, "2026-03-12", "2026-04-23"),
        ({"remote": 1, "complex": 1}, "2026-03-12", "2026-05-08"),  # 60 days
        ({"round": 2, "remote": 1, "complex": 1}, "2026-03-12", "2026-05-18"),  # 70 days
    ],
)
def test_complaint_variants(params: dict[str, Any], accept_by: str, resolve_by: str, client: Client) -> None:
    body = deadlines(client, kind="complaint", received="2026-03-02", accepted="2026-03-09", **params).json()
    assert (body["accept_by"], body["resolve_by"]) == (accept_by, resolve_by)


@pytest.mark.django_db
def test_complaint_acceptance_after_the_2026_amendment(client: Client) -> None:
    body = deadlines(client, kind="complaint", received="2026-07-01").json()
    assert body["accept_by"] == CAL.add_working_days(date(2026, 7, 1), 7).isoformat() == "2026-07-10"
    assert body["accepted_assumed"] is True
    assert body["rules"][0]["confirmed"] is False  # "Nghị định 155/2026/NĐ-CP" could not be confirmed


@pytest.mark.django_db
@pytest.mark.parametrize(("extensions", "resolve_by"), [(0, "2026-04-08"), (1, "2026-05-08"), (2, "2026-06-08")])
def test_denunciation_extensions(extensions: int, resolve_by: str, client: Client) -> None:
    body = deadlines(
        client, kind="denunciation", received="2026-03-02", accepted="2026-03-09", extensions=extensions
    ).json()
    assert body["accept_by"] == "2026-03-11"  # 7 working days
    assert body["resolve_by"] == resolve_by  # 06-07 is a Sunday
    assert len(body["rules"]) == (3 if extensions else 2)
    assert all("Luật Tố cáo 2018" in r["citation"] for r in body["rules"])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["report", "petition", "opinion"])
def test_answer_by(kind: str, client: Client) -> None:
    body = deadlines(client, kind=kind, received="2026-04-24").json()
    # 10 working days over Hùng Kings' day (in lieu 04-27), 04-30 and 05-01.
    assert body["answer_by"] == CAL.add_working_days(date(2026, 4, 24), 10).isoformat() == "2026-05-13"
    assert body["accept_by"] is None and body["resolve_by"] is None
    assert len(body["rules"]) == 1 and body["rules"][0]["citation"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"kind": "foo", "received": "2026-03-02"},
        {"kind": "denunciation", "received": "2026-03-02", "extensions": 3},
        {"kind": "denunciation", "received": "2026-03-02", "extensions": -1},
        {"kind": "complaint", "received": "2026-03-02", "extensions": 1},
        {"kind": "complaint", "received": "notadate"},
        {"kind": "complaint", "received": "2026-02-30"},
        {"kind": "complaint", "received": "2026-03-02", "accepted": "2026-03-01"},
        {"kind": "complaint", "received": "2026-03-02", "round": 3},
        {"kind": "complaint", "received": "2026-03-02", "round": "one"},
        {"kind": "complaint", "received": "2026-03-02", "complex": 2},
        {"kind": "complaint", "received": "2026-03-02", "remote": "yes"},
        {"kind": "complaint", "received": "1999-01-01"},
        {"kind": "complaint"},
        {"received": "2026-03-02"},
        {"kind": "report", "received": "2026-03-02", "unit": "NO-SUCH-UNIT"},
    ],
)
def test_deadline_bad_params(params: dict[str, Any], client: Client) -> None:
    assert_error_shape(deadlines(client, **params), 400)


@pytest.mark.django_db
def test_deadline_unit_answer_period(client: Client) -> None:
    from pakn.org.models import Unit

    Unit.objects.filter(code="UBND-00004").update(answer_working_days=3)
    body = deadlines(client, kind="report", received="2026-03-02", unit="UBND-00004").json()
    assert body["answer_by"] == "2026-03-05"


# ---------------------------------------------------------------- staff endpoints


@pytest.mark.django_db
def test_staff_endpoints_need_a_token(client: Client, make_case: Callable[..., Any], clerk: Any) -> None:
    case = make_case()
    requests = [
        ("get", "/api/v1/cases"),
        ("get", f"/api/v1/cases/{case.pk}"),
        ("post", "/api/v1/cases"),
        ("post", f"/api/v1/cases/{case.pk}/accept"),
        ("post", f"/api/v1/cases/{case.pk}/close"),
    ]
    for method, url in requests:
        for headers in (
            {},
            *({"Authorization": h} for h in ("Bearer nonsense", "Token abc", "Bearer ", "Basic Y2xlcms6eA==")),
        ):
            if method == "post":
                response = post_json(client, url, {}, headers=headers)
            else:
                response = client.get(url, headers=headers)
            assert_error_shape(response, 401, "not_authenticated")
    assert Case.objects.get(pk=case.pk).status == "received"


@pytest.mark.django_db
def test_revoked_token_and_inactive_user_are_refused(client: Client, clerk: Any) -> None:
    revoked = bearer(clerk, revoked=True)
    assert_error_shape(client.get("/api/v1/cases", headers=revoked), 401, "not_authenticated")
    good = bearer(clerk)
    assert client.get("/api/v1/cases", headers=good).status_code == 200
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(good["Authorization"][7:])).last_used_at is not None
    ApiToken.objects.filter(user=clerk).update(revoked_at=timezone.now())
    assert_error_shape(client.get("/api/v1/cases", headers=good), 401)
    other = bearer(clerk)
    clerk.is_active = False
    clerk.save()
    assert_error_shape(client.get("/api/v1/cases", headers=other), 401)


@pytest.mark.django_db
def test_list_cases_with_filters_and_pagination(
    client: Client, clock: Any, make_case: Callable[..., Any], clerk: Any
) -> None:
    auth = bearer(clerk)
    report = make_case(kind="report", title="Đèn đường hỏng")
    complaint = make_case(kind="complaint", title="Khiếu nại thu hồi đất")
    clock.move_to(datetime(2026, 3, 5, 9, tzinfo=TZ))
    denunciation = make_case(kind="denunciation", title="Tố cáo cán bộ nhũng nhiễu")
    closed = services.close_case(
        actor=clerk,
        case=services.resolve_case(
            actor=clerk, case=make_case(kind="opinion", title="Góp ý dự thảo"), body="Cảm ơn góp ý."
        ),
    )
    make_case(kind="report", province_code="01", commune_code="00008")  # another commune's: not listed

    def listed(**params: Any) -> list[str]:
        response = client.get("/api/v1/cases", params, headers=auth)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(body["items"]) or "page_size" in params
        return [item["tracking_code"] for item in body["items"]]

    everything = listed()
    assert set(everything) == {c.tracking_code for c in (report, complaint, denunciation, closed)}
    assert listed(kind="complaint") == [complaint.tracking_code]
    assert set(listed(status="open")) == {report.tracking_code, complaint.tracking_code, denunciation.tracking_code}
    assert listed(status="closed") == [closed.tracking_code]
    assert listed(q="thu hồi") == [complaint.tracking_code]
    assert listed(q=format_tracking_code(denunciation.tracking_code).lower()) == [denunciation.tracking_code]
    assert set(listed(received_from="2026-03-05")) == {denunciation.tracking_code, closed.tracking_code}
    assert set(listed(received_to="2026-03-02")) == {report.tracking_code, complaint.tracking_code}
    assert set(listed(unit="UBND-00004")) == set(everything)
    assert listed(unit="UBND-00008") == []
    # The report and the denunciation are due on 03-16, the complaint on 03-12 (10 days, Luật Khiếu nại 2011,
    # Điều 27): on 03-10 (3 working days ahead: up to 03-13) only the complaint is due soon; on 03-11 all
    # three; on 03-17 all three are overdue.
    open_codes = {report.tracking_code, complaint.tracking_code, denunciation.tracking_code}
    assert {Case.objects.get(tracking_code=c).due_on for c in open_codes} == {date(2026, 3, 16), date(2026, 3, 12)}
    clock.move_to(datetime(2026, 3, 10, 9, tzinfo=TZ))
    assert listed(due="soon") == [complaint.tracking_code] and listed(due="overdue") == []
    clock.move_to(datetime(2026, 3, 11, 9, tzinfo=TZ))
    assert set(listed(due="soon")) == open_codes
    clock.move_to(datetime(2026, 3, 17, 9, tzinfo=TZ))
    assert set(listed(due="overdue")) == open_codes and listed(due="soon") == []

    page1 = client.get("/api/v1/cases", {"page_size": 3}, headers=auth).json()
    page2 = client.get("/api/v1/cases", {"page_size": 3, "page": 2}, headers=auth).json()
    assert page1["count"] == page2["count"] == 4
    assert len(page1["items"]) == 3 and len(page2["items"]) == 1
    assert {i["tracking_code"] for i in page1["items"] + page2["items"]} == set(everything)
    assert_error_shape(client.get("/api/v1/cases", {"page": 0}, headers=auth), 400)
    item = page1["items"][0]
    assert "reporter" not in item and item["reporter_pseudonym"]
    for secret in SECRETS:
        assert secret not in json.dumps(page1, ensure_ascii=False)


@pytest.mark.django_db
def test_workflow_through_the_api(client: Client, clock: Any, make_case: Callable[..., Any], clerk: Any) -> None:
    auth = bearer(clerk)
    case = make_case(kind="denunciation")

    def act(action: str, payload: dict[str, Any] | None = None, status: int = 200) -> dict[str, Any]:
        response = post_json(client, f"/api/v1/cases/{case.pk}/{action}", payload or {}, headers=auth)
        assert response.status_code == status, response.content
        return response.json()

    detail = client.get(f"/api/v1/cases/{case.pk}", headers=auth).json()
    assert detail["status"] == "received"
    assert set(detail["allowed_actions"]) >= {"accept", "refuse", "forward"}
    assert [o["kind"] for o in detail["obligations"]] == ["accept"]
    for secret in SECRETS:
        assert secret not in json.dumps(detail, ensure_ascii=False)

    error = assert_error_shape(post_json(client, f"/api/v1/cases/{case.pk}/start", {}, headers=auth), 409)
    assert error["code"] == "invalid_transition"
    assert_error_shape(post_json(client, f"/api/v1/cases/{case.pk}/accept", {"complexity": "huge"}, headers=auth), 400)
    assert_error_shape(
        post_json(client, f"/api/v1/cases/{case.pk}/accept", {"accepted_on": "2026-03-03"}, headers=auth), 400
    )  # in the future

    clock.move_to(datetime(2026, 3, 9, 9, tzinfo=TZ))
    body = act("accept", {"accepted_on": "2026-03-09", "complexity": "complex"})
    assert body["status"] == "accepted" and body["accepted_on"] == "2026-03-09" and body["complexity"] == "complex"
    assert body["due_on"] == "2026-04-08"
    body = act("start")
    assert body["status"] == "in_progress"
    body = act("extend", {"complexity": "complex", "reason": "Cần xác minh nhiều nơi"})
    assert (body["extensions"], body["due_on"]) == (1, "2026-05-08")
    assert_error_shape(
        post_json(
            client, f"/api/v1/cases/{case.pk}/extend", {"complexity": "complex", "reason": "Lần hai"}, headers=auth
        ),
        409,
    )
    body = act("suspend", {"reason": "Chờ giám định"})
    assert body["status"] == "suspended"
    clock.move_to(datetime(2026, 3, 19, 9, tzinfo=TZ))
    body = act("resume")
    assert (body["status"], body["due_on"]) == ("in_progress", CAL.add_days(date(2026, 5, 8), 10).isoformat())
    assert_error_shape(post_json(client, f"/api/v1/cases/{case.pk}/resolve", {"body": ""}, headers=auth), 400)
    act("resolve", {"body": "Kết luận.", "kind": "conclusion"}, status=400)  # a denunciation's must say its finding
    body = act("resolve", {"body": "Kết luận: tố cáo đúng một phần.", "kind": "conclusion", "finding": "partly"})
    assert body["status"] == "resolved"
    assert body["answers"][0]["kind"] == "conclusion"
    body = act("close")
    assert body["status"] == "closed" and body["allowed_actions"] == ["escalate"]  # the citizen's, in time
    assert list(AuditEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "submitted",
        "accepted",
        "started",
        "extended",
        "suspended",
        "resumed",
        "resolved",
        "closed",
    ]


@pytest.mark.django_db
def test_refuse_forward_merge_through_the_api(client: Client, make_case: Callable[..., Any], clerk: Any) -> None:
    auth = bearer(clerk)
    refused = make_case(kind="complaint")
    assert_error_shape(
        post_json(client, f"/api/v1/cases/{refused.pk}/refuse", {"reason_code": "because"}, headers=auth), 400
    )
    body = post_json(
        client, f"/api/v1/cases/{refused.pk}/refuse", {"reason_code": "time_limit_passed"}, headers=auth
    ).json()
    assert body["status"] == "refused" and body["answers"][0]["kind"] == "refusal"

    forwarded = make_case(kind="complaint")
    assert_error_shape(
        post_json(
            client, f"/api/v1/cases/{forwarded.pk}/forward", {"to_unit_code": "NO-SUCH", "reason": "x"}, headers=auth
        ),
        400,
    )
    assert_error_shape(
        post_json(client, f"/api/v1/cases/{forwarded.pk}/forward", {"to_unit_code": "DU-00004"}, headers=auth), 400
    )
    response = post_json(
        client,
        f"/api/v1/cases/{forwarded.pk}/forward",
        {"to_unit_code": "DU-00004", "reason": "Thuộc thẩm quyền cấp ủy"},
        headers=auth,
    )
    # The clerk forwarded it away: it is no longer theirs to see.
    assert response.status_code in (200, 404)
    assert Forward.objects.get(case=forwarded).to_unit.code == "DU-00004"
    assert_error_shape(client.get(f"/api/v1/cases/{forwarded.pk}", headers=auth), 404)

    first, second = make_case(), make_case()
    assert_error_shape(
        post_json(
            client, f"/api/v1/cases/{first.pk}/merge", {"into_tracking_code": refused.tracking_code + "X"}, headers=auth
        ),
        400,
    )
    typed = f" {format_tracking_code(second.tracking_code).lower().replace('0', 'o').replace('1', 'l')} "
    body = post_json(client, f"/api/v1/cases/{first.pk}/merge", {"into_tracking_code": typed}, headers=auth).json()
    assert body["status"] == "merged"
    assert Case.objects.get(pk=first.pk).merged_into_id == second.pk


@pytest.mark.django_db
def test_record_a_letter(client: Client, clock: Any, clerk: Any) -> None:
    auth = bearer(clerk)
    clock.move_to(datetime(2026, 3, 10, 9, tzinfo=TZ))
    payload = {**BASE, "channel": "letter", "received_on": "2026-03-02"}
    response = post_json(client, "/api/v1/cases", payload, headers=auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["received_on"], body["status"]) == ("letter", "2026-03-02", "received")
    assert body["due_on"] == "2026-03-12"  # a complaint: 10 days from receipt
    assert AuditEvent.objects.get(case_id=body["id"]).actor == clerk
    before = stored_counts()
    for bad in (
        {**payload, "received_on": "2026-03-11"},
        {**payload, "channel": "pigeon"},
        {**payload, "received_on": "yesterday"},
    ):
        assert_error_shape(post_json(client, "/api/v1/cases", bad, headers=auth), 400)
    assert stored_counts() == before


@pytest.mark.django_db
def test_citizen_messages_are_not_exposed_to_the_public(client: Client, make_case: Callable[..., Any]) -> None:
    case = make_case()
    services.add_information(case=case, body="Số nhà tôi là 12, gọi 0912345678")
    assert Message.objects.filter(case=case).count() == 1
    text = client.get(f"/api/v1/submissions/{case.tracking_code}").content.decode()
    assert "0912345678" not in text


@pytest.mark.django_db
def test_question_and_answer_through_the_api(
    client: Client, make_case: Callable[..., Any], clerk: Any, other_clerk: Any, supervisor: Any
) -> None:
    case = make_case(kind="denunciation", reporter=REPORTER)
    auth = bearer(clerk)
    url = f"/api/v1/cases/{case.pk}/questions"
    assert_error_shape(post_json(client, url, {"body": "  "}, headers=auth), 400)
    assert post_json(client, url, {"body": "Câu hỏi"}, headers=bearer(other_clerk)).status_code == 404
    assert post_json(client, url, {"body": "Câu hỏi"}, headers=bearer(supervisor)).status_code == 403
    asked = post_json(client, url, {"body": "Bạn có biên lai thu tiền không?"}, headers=auth)
    assert asked.status_code == 201 and asked.json()["from_citizen"] is False
    # The reporter reads it by tracking code (no account) and answers.
    mine = f"/api/v1/submissions/{case.tracking_code}/messages"
    assert [m["body"] for m in client.get(mine).json()] == ["Bạn có biên lai thu tiền không?"]
    answer = post_json(client, mine, {"body": f"Có, tôi là {REPORTER['name']}, gọi {REPORTER['phone']}."})
    assert answer.status_code == 201 and answer.json()["from_citizen"] is True
    for secret in (REPORTER["name"], REPORTER["phone"]):
        assert secret not in answer.content.decode()  # stored redacted; the original is sealed
    staff_view = client.get(f"/api/v1/cases/{case.pk}/messages", headers=auth).json()
    assert [m["from_citizen"] for m in staff_view] == [False, True] and "[đã che]" in staff_view[1]["body"]
    assert client.get("/api/v1/submissions/ABCDEFGHJK/messages").status_code in (400, 404)
    assert_error_shape(post_json(client, mine, {"body": ""}), 400)
    services.withdraw_case(case=case)
    assert_error_shape(post_json(client, mine, {"body": "Thêm"}), 409)
    assert_error_shape(post_json(client, url, {"body": "Thêm"}, headers=auth), 409)


# ---------------------------------------------------------------- OpenAPI


@pytest.mark.django_db
def test_openapi_document(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    ids = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), (method, path)
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    for expected_id in (
        "create_submission",
        "get_submission_status",
        "calculate_deadlines",
        "list_cases",
        "get_case",
        "accept_case",
        "refuse_case",
        "forward_case",
        "resolve_case",
        "close_case",
    ):
        assert expected_id in ids
    assert client.get("/api/v1/docs").status_code == 200


# ---------------------------------------------------------------- staff: who am I, messages, timeline, references


@pytest.mark.django_db
def test_me(client: Client, clerk: Any, province_head: Any) -> None:
    assert_error_shape(client.get("/api/v1/me"), 401, "not_authenticated")
    body = client.get("/api/v1/me", headers=bearer(clerk)).json()
    assert body["username"] == "clerk" and body["is_staff_member"] is True and body["roles"] == ["clerk"]
    assert body["memberships"] == [
        {
            "unit_code": "UBND-00004",
            "unit": body["memberships"][0]["unit"],
            "role": "clerk",
            "role_label": body["memberships"][0]["role_label"],
            "include_subunits": False,
        }
    ]
    head = client.get("/api/v1/me", headers=bearer(province_head)).json()
    assert head["roles"] == ["head"] and head["memberships"][0]["include_subunits"] is True


@pytest.mark.django_db
def test_messages_and_full_timeline(
    client: Client, make_case: Callable[..., Any], clerk: Any, other_clerk: Any
) -> None:
    case = make_case()
    services.add_information(case=case, body="Bổ sung: đèn số 14 cũng hỏng.")
    case = services.merge_case(actor=clerk, case=make_case(), into=case)
    auth = bearer(clerk)
    messages = client.get(f"/api/v1/cases/{case.merged_into_id}/messages", headers=auth).json()
    assert [(m["from_citizen"], m["body"]) for m in messages] == [(True, "Bổ sung: đèn số 14 cũng hỏng.")]
    timeline = client.get(f"/api/v1/cases/{case.merged_into_id}/timeline", headers=auth).json()
    # The staff timeline has the internal events the public one leaves out.
    assert [e["action"] for e in timeline] == ["submitted", "information_added", "merge_received"]
    public = client.get(f"/api/v1/submissions/{case.merged_into.tracking_code}").json()["timeline"]
    assert "merge_received" not in [e["action"] for e in public]
    other = bearer(other_clerk)
    for path in ("messages", "timeline"):
        assert_error_shape(client.get(f"/api/v1/cases/{case.merged_into_id}/{path}", headers=other), 404)


@pytest.mark.django_db
def test_reference_lists(client: Client) -> None:
    reasons = client.get("/api/v1/refusal-reasons").json()
    assert {"time_limit_passed", "not_competent", "other"} <= {r["code"] for r in reasons}
    assert all(r["label"] for r in reasons)
    # ?kind= keeps the grounds of that kind: Luật Khiếu nại 2011 Art. 11 for complaints, Luật Tố cáo 2018
    # Art. 23-25 for denunciations.
    complaint = {r["code"] for r in client.get("/api/v1/refusal-reasons", {"kind": "complaint"}).json()}
    denunciation = {r["code"] for r in client.get("/api/v1/refusal-reasons", {"kind": "denunciation"}).json()}
    report = {r["code"] for r in client.get("/api/v1/refusal-reasons", {"kind": "report"}).json()}
    assert {"not_signed", "time_limit_passed", "court_accepted", "other"} <= complaint
    assert {"unidentified", "repeated", "not_competent", "other"} <= denunciation
    assert not complaint & denunciation - {"other"} and not complaint & report - {"other"}
    assert "Điều 25" in next(
        r["label"] for r in client.get("/api/v1/refusal-reasons").json() if r["code"] == "unidentified"
    )
    assert_error_shape(client.get("/api/v1/refusal-reasons", {"kind": "x"}), 400)
    topics = client.get("/api/v1/topics").json()
    assert {"land", "environment"} <= {t["code"] for t in topics}


@pytest.mark.django_db
def test_nul_characters_are_refused_with_the_error_shape(client: Client, clerk: Any) -> None:
    auth = bearer(clerk)
    before = stored_counts()
    assert_error_shape(client.get("/api/v1/cases", {"unit": "\x00"}, headers=auth), 400)
    assert_error_shape(client.get("/api/v1/units", {"province": "0\x001"}), 400)
    assert_error_shape(client.get("/api/v1/provinces/0%001/communes"), 400)
    assert_error_shape(post_json(client, "/api/v1/submissions", {**BASE, "subject": "a\x00b"}), 400)
    assert stored_counts() == before


@pytest.mark.django_db
def test_rate_limit(client: Client, clerk: Any, settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/m"
    try:
        auth = bearer(clerk)
        assert [client.get("/api/v1/cases", headers=auth).status_code for _ in range(3)] == [200, 200, 200]
        response = client.get("/api/v1/cases", headers=auth)
        assert_error_shape(response, 429, "rate_limited")
        assert int(response["Retry-After"]) >= 1
        # Anonymous callers are counted by address, separately from the token.
        assert client.get("/api/v1/topics").status_code == 200
    finally:
        cache.clear()


@pytest.mark.django_db
def test_new_operation_ids_are_published(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for operations in document["paths"].values() for op in operations.values()}
    assert {
        "get_me",
        "get_case_timeline",
        "list_case_messages",
        "list_refusal_reasons",
        "list_topics",
        "extend_deadline",
        "forward_case",
        "record_submission",
    } <= ids
