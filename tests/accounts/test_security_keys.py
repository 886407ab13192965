"""Security keys as a second factor, without a browser (the ceremony itself is in test_security_key_journey.py):
who may start one, the refusals in the page's language, the audited writes, an administrator's reset, and the
relying party taken from the request or pinned by the deployment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from accounts.conftest import enrolled, password_login
from accounts.test_two_factor import activity, verified_client
from conftest import COMMUNE, make_user

UNIT = f"UBND-{COMMUNE}"
KEY = "/staff/account/two-factor/key/"


def a_key(user: Any, number: int = 1) -> WebAuthnCredential:
    """A stored key as django-otp-webauthn saves one after a ceremony (the public key is not used here)."""
    return WebAuthnCredential.objects.create(
        user=user,
        name=user.get_username(),
        confirmed=True,
        credential_id=bytes([number]) * 16,
        public_key=b"\x00",
        sign_count=0,
    )


def post_json(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def officer(db: Any) -> Any:
    return make_user("baove", unit_code=UNIT, role="protection_officer")


@pytest.mark.django_db
def test_a_session_that_has_not_passed_the_second_step_cannot_add_a_key(officer: Any) -> None:
    enrolled(officer)
    client = Client()
    password_login(client, "baove")
    answer = post_json(client, KEY + "add/begin/")
    assert answer.status_code == 403
    assert answer.json() == {
        "detail": "Vui lòng xác thực bước hai bằng cách đang dùng trước khi thêm khóa mới.",
        "code": "user_not_verified",
    }
    assert post_json(Client(), KEY + "add/begin/").status_code in (302, 403)  # not logged in at all


@pytest.mark.django_db
def test_an_officer_without_any_factor_may_start_adding_a_key_and_the_options_name_this_host(officer: Any) -> None:
    client = Client()
    password_login(client, "baove")
    answer = post_json(client, KEY + "add/begin/")
    assert answer.status_code == 200
    options = answer.json()
    assert options["rp"] == {"name": "PAKN", "id": "testserver"}
    assert options["user"]["name"] == "baove"
    assert client.get("/protection/").status_code == 302  # still nothing else opens


@pytest.mark.django_db
def test_verifying_with_a_key_needs_a_key_and_a_login(officer: Any) -> None:
    enrolled(officer)
    client = Client()
    password_login(client, "baove")
    answer = post_json(client, KEY + "verify/begin/")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Tài khoản chưa có khóa bảo mật nào."
    a_key(officer)
    answer = post_json(client, KEY + "verify/begin/")
    assert answer.status_code == 200
    assert [c["type"] for c in answer.json()["allowCredentials"]] == ["public-key"]
    # A completion without a begun ceremony is refused, and the page says why.
    fresh = Client()
    password_login(fresh, "baove")
    answer = post_json(fresh, KEY + "verify/complete/", {"id": "x"})
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_state"


@pytest.mark.django_db
def test_a_forged_answer_counts_as_a_failed_second_step(officer: Any, settings: Any) -> None:
    settings.THROTTLE_RATES = "login=2/60"
    a_key(officer)
    client = Client()
    password_login(client, "baove")
    codes = []
    for _ in range(4):
        post_json(client, KEY + "verify/begin/")
        answer = post_json(
            client,
            KEY + "verify/complete/",
            {"id": "AQEBAQEBAQEBAQEBAQEBAQ", "rawId": "AQEBAQEBAQEBAQEBAQEBAQ", "type": "public-key", "response": {}},
        )
        codes.append(answer.status_code)
    assert codes[0] in (400, 422) and codes[-1] == 429, codes
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_added_keys_are_audited_and_give_recovery_codes_only_to_who_has_none(officer: Any) -> None:
    from pakn.accounts import services

    codes = services.security_key_added(user=officer, key=a_key(officer))
    assert len(codes) == 10
    assert services.security_key_added(user=officer, key=a_key(officer, 2)) == []
    assert [a.data["recovery_codes_made"] for a in activity("security_key_added")] == [True, False]
    assert services.has_primary_factor(officer)


@pytest.mark.django_db
def test_removing_keys_keeps_the_last_factor_of_an_officer(officer: Any) -> None:
    from pakn.accounts import services
    from pakn.core.errors import Forbidden, NotFound

    first, second = a_key(officer), a_key(officer, 2)
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = first.persistent_id
    session.save()
    answer = client.post(f"{KEY}{second.pk}/remove/", follow=True)
    assert "Đã xóa khóa bảo mật." in answer.content.decode()
    with pytest.raises(Forbidden):
        services.remove_security_key(user=officer, key_id=first.pk)
    other = make_user("khac", unit_code=UNIT, role="clerk")
    with pytest.raises(NotFound):
        services.remove_security_key(user=other, key_id=first.pk)  # nobody removes another person's key
    assert list(WebAuthnCredential.objects.values_list("pk", flat=True)) == [first.pk]
    assert len(activity("security_key_removed")) == 1
    clerk_key = a_key(other, 3)
    services.remove_security_key(user=other, key_id=clerk_key.pk)  # a clerk's factor is voluntary


@pytest.mark.django_db
def test_an_administrators_reset_removes_keys_too(officer: Any) -> None:
    admin = enrolled(make_user("quantri", superuser=True))
    a_key(officer)
    client = verified_client(admin)
    answer = client.post(
        "/staff/account/two-factor/reset/", {"username": "baove", "reason": "mất khóa, đã gặp trực tiếp"}
    )
    assert answer.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=officer).exists()
    assert activity("second_factor_reset")[-1].data["removed"] == 1


def test_the_relying_party_follows_the_request_unless_pinned(settings: Any) -> None:
    from pakn.accounts.security_keys import Helper, relying_party_id

    request = RequestFactory().get("/", HTTP_HOST="pakn.example.vn:8443", secure=True)
    settings.ALLOWED_HOSTS = ["pakn.example.vn"]
    settings.WEBAUTHN_RP_ID = ""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = []
    assert relying_party_id(request) == "pakn.example.vn"
    assert Helper(request).get_allowed_origins() == ["https://pakn.example.vn:8443"]
    settings.WEBAUTHN_RP_ID = "example.vn"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://pakn.example.vn"]
    assert relying_party_id(request) == "example.vn"
    assert Helper(request).get_allowed_origins() == ["https://pakn.example.vn"]
