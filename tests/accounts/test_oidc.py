"""Citizen login with OpenID Connect against a real provider (django-oauth-toolkit, its own process, started
once for this module): discovery, the code flow with PKCE, state and nonce, the claims kept and those never
kept, staff accounts refused, and every failure a Vietnamese page, never a 500.

The portal is driven by Django's test client; the person's steps at the provider (its login page) by
``requests``. The portal itself calls the provider over real HTTP (discovery, keys, token)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.oidc_provider.harness import (
    CITIZEN,
    NATIONAL_ID,
    SECOND_CITIZEN,
    Provider,
    free_port,
    start_provider,
)
from conftest import COMMUNE, make_user

CALLBACK = "http://testserver/account/oidc/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    started = start_provider(tmp_path_factory.mktemp("idp"), redirect_uris=[CALLBACK])
    yield started
    started.stop()


@pytest.fixture
def oidc(settings: Any, provider: Provider) -> Provider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def start(client: Client, query: str = "") -> str:
    answer = client.get("/account/oidc/login/" + query)
    assert answer.status_code == 302, answer.content[:300]
    return str(answer["Location"])


def come_back(client: Client, callback_url: str) -> Any:
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(parts.path, parse_qs(parts.query))


def log_in(client: Client, provider: Provider, person: dict[str, Any] = CITIZEN) -> Any:
    return come_back(client, provider.log_in(start(client), person["username"]))


def logged_in_user(client: Client) -> Any:
    from django.contrib.auth import get_user_model

    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk) if pk else None


# ---------------------------------------------------------------- off until configured


@pytest.mark.django_db
def test_without_a_provider_there_is_no_button_and_the_routes_answer_404(client: Client, settings: Any) -> None:
    settings.OIDC_ISSUER = ""
    page = client.get("/account/login/")
    assert page.status_code == 200 and "/account/oidc/" not in page.content.decode()
    assert client.get("/account/oidc/login/").status_code == 404
    assert client.get("/account/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_the_login_page_has_a_plain_link_named_after_the_provider(client: Client, settings: Any) -> None:
    settings.OIDC_ISSUER = "https://sso.example.gov.vn/realms/citizens"
    settings.OIDC_CLIENT_ID = "pakn"
    html = client.get("/account/login/").content.decode()
    assert '<a class="button" href="/account/oidc/login/">Đăng nhập bằng VNeID</a>' in html
    settings.OIDC_NAME = "Cổng Dịch vụ công"
    html = client.get("/account/login/?next=/track/").content.decode()
    assert 'href="/account/oidc/login/?next=%2Ftrack%2F">Đăng nhập bằng Cổng Dịch vụ công</a>' in html


# ---------------------------------------------------------------- pure parts


def test_names_in_vietnamese_order_and_only_verified_addresses() -> None:
    from pakn.accounts.oidc import display_name, verified_email

    assert display_name({"family_name": "Nguyễn", "middle_name": "Thị", "given_name": "Hoa"}) == "Nguyễn Thị Hoa"
    assert display_name({"family_name": "Lê", "given_name": "Minh"}) == "Lê Minh"
    assert display_name({"name": "  Trần   Văn Bình ", "family_name": "X"}) == "Trần Văn Bình"
    decomposed = "Nguye\u0302\u0303n"  # Nguyễn with combining marks
    assert display_name({"name": decomposed}) == "Nguyễn"
    assert display_name({"name": 12}) == "" and display_name({}) == ""
    assert verified_email({"email": "A@Example.org", "email_verified": True}) == "a@example.org"
    assert verified_email({"email": "a@example.org", "email_verified": "true"}) == "a@example.org"
    assert verified_email({"email": "a@example.org"}) == ""
    assert verified_email({"email": "a@example.org", "email_verified": False}) == ""
    assert verified_email({"email": "not an address", "email_verified": True}) == ""


def test_the_configuration_always_asks_for_openid(settings: Any) -> None:
    from pakn.accounts.oidc import config

    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://id.example.vn/", ""
    assert config() is None
    settings.OIDC_CLIENT_ID, settings.OIDC_SCOPES, settings.OIDC_NAME = "pakn", "profile  email", ""
    cfg = config()
    assert cfg is not None
    assert (cfg.issuer, cfg.scopes, cfg.name) == ("https://id.example.vn", "openid profile email", "VNeID")
    assert cfg.discovery_url == "https://id.example.vn/.well-known/openid-configuration"


def test_a_discovery_document_naming_another_issuer_is_refused() -> None:
    from pakn.accounts import oidc

    class Client:
        def load_server_metadata(self) -> dict[str, Any]:
            return {"issuer": "https://evil.example", "authorization_endpoint": "https://evil.example/auth"}

    cfg = oidc.Config("https://id.example.vn", "pakn", "", "openid", "VNeID")
    with pytest.raises(oidc.ProviderUnavailable):
        oidc._metadata(Client(), cfg)


# ---------------------------------------------------------------- the code flow


@pytest.mark.django_db
def test_the_redirect_carries_pkce_state_and_nonce(client: Client, oidc: Provider) -> None:
    location = start(client)
    assert location.startswith(f"{oidc.issuer}/authorize/?")
    query = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    assert query["response_type"] == "code" and query["client_id"] == oidc.client_id
    assert query["redirect_uri"] == CALLBACK
    assert query["scope"] == "openid profile email"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    stored = client.session[f"_state_citizen_{query['state']}"]["data"]
    assert stored["nonce"] == query["nonce"] and stored["code_verifier"] not in location


@pytest.mark.django_db
def test_a_few_logins_started_in_tabs_are_kept_not_more(client: Client, oidc: Provider) -> None:
    first = start(client)
    for _ in range(7):
        start(client)
    pending = [key for key, _value in client.session.items() if key.startswith("_state_citizen_")]
    assert len(pending) == 5
    assert come_back(client, oidc.log_in(first, CITIZEN["username"])).status_code == 400  # the oldest, forgotten
    assert come_back(client, oidc.log_in(start(client), CITIZEN["username"])).status_code == 302


@pytest.mark.django_db
def test_a_citizen_logs_in_and_lands_on_my_cases(
    client: Client, oidc: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    from pakn.accounts.models import CitizenIdentity
    from pakn.reception.models import Activity

    caplog.set_level(logging.DEBUG)
    answer = log_in(client, oidc)
    assert answer.status_code == 302 and answer["Location"] == "/account/"
    user = logged_in_user(client)
    assert user is not None
    identity = CitizenIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (oidc.issuer, CITIZEN["claims"]["sub"])
    assert identity.last_login_at is not None
    assert user.first_name == "Nguyễn Thị Hoa" and user.get_full_name() == "Nguyễn Thị Hoa"
    assert user.email == "hoa.nguyen@example.org"
    assert user.username.startswith("citizen-") and CITIZEN["claims"]["sub"] not in user.username
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    page = client.get("/account/")
    assert page.status_code == 200 and "Đơn của tôi" in page.content.decode()
    assert Activity.objects.filter(action="citizen_registered", object_id=user.pk).count() == 1
    # What the provider said and is not kept: the national ID number, the tokens, the flow's secrets.
    assert NATIONAL_ID not in caplog.text and "hoa.nguyen@example.org" not in caplog.text
    assert "citizen account created by OpenID Connect login" in caplog.text
    assert not [key for key, _value in client.session.items() if key.startswith("_state_")]
    assert NATIONAL_ID not in str(dict(client.session.items()))
    for row in Activity.objects.all():
        assert NATIONAL_ID not in str(row.data)


@pytest.mark.django_db
def test_the_next_page_is_kept_and_a_second_login_opens_the_same_account(client: Client, oidc: Provider) -> None:
    from pakn.accounts.models import CitizenIdentity

    answer = come_back(client, oidc.log_in(start(client, "?next=/track/"), CITIZEN["username"]))
    assert answer["Location"] == "/track/"
    first = logged_in_user(client)
    client.post("/staff/logout/")
    assert logged_in_user(client) is None
    assert log_in(client, oidc)["Location"] == "/account/"
    assert logged_in_user(client) == first
    assert CitizenIdentity.objects.count() == 1
    other = Client()
    assert start(other, "?next=https://evil.example/").startswith(oidc.issuer)
    assert (
        come_back(other, oidc.log_in(start(other, "?next=https://evil.example/"), CITIZEN["username"]))["Location"]
        == "/account/"
    )


@pytest.mark.django_db
def test_a_name_claim_is_taken_whole_and_no_address_without_one(client: Client, oidc: Provider) -> None:
    log_in(client, oidc, SECOND_CITIZEN)
    user = logged_in_user(client)
    assert (user.first_name, user.email) == ("Trần Văn Bình", "")


@pytest.mark.django_db
def test_a_case_filed_after_the_login_is_in_my_cases(client: Client, oidc: Provider) -> None:
    from pakn.cases import services

    log_in(client, oidc)
    user = logged_in_user(client)
    case = services.submit(
        actor=user,
        citizen=user,
        channel="web",
        kind="report",
        title="Ổ gà trước cổng trường",
        content="Ổ gà lớn trước cổng trường tiểu học, xe máy dễ ngã.",
        province_code="01",
        commune_code=COMMUNE,
        reporter={"name": "Nguyễn Thị Hoa", "phone": "0912345678"},
    )
    assert case.citizen_id == user.pk
    assert "Ổ gà trước cổng trường" in client.get("/account/").content.decode()


# ---------------------------------------------------------------- staff are never let in this way


@pytest.mark.django_db
def test_a_staff_address_at_the_provider_gets_a_separate_citizen_account(client: Client, oidc: Provider) -> None:
    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}", email="Hoa.Nguyen@example.org")
    answer = log_in(client, oidc)
    assert answer["Location"] == "/account/"
    user = logged_in_user(client)
    assert user != clerk and user.email == "" and not user.citizen_identities.filter(user=clerk).exists()
    page = client.get("/account/")
    assert page.status_code == 200 and "Đơn của tôi" in page.content.decode()  # not the clerk's workspace


@pytest.mark.django_db
def test_an_identity_whose_account_became_staff_is_refused(client: Client, oidc: Provider) -> None:
    from pakn.org.models import Membership, Unit

    log_in(client, oidc)
    user = logged_in_user(client)
    Membership.objects.create(user=user, unit=Unit.objects.get(code=f"UBND-{COMMUNE}"), role="clerk")
    fresh = Client()
    page = log_in(fresh, oidc)
    assert page.status_code == 403
    text = page.content.decode()
    assert "Chưa đăng nhập được bằng VNeID" in text and "tài khoản cán bộ" in text
    assert 'href="/staff/login/"' in text
    assert logged_in_user(fresh) is None


# ---------------------------------------------------------------- failures: a page in Vietnamese, never a 500


@pytest.mark.django_db
def test_a_wrong_or_replayed_state_is_refused(client: Client, oidc: Provider) -> None:
    callback = oidc.log_in(start(client), CITIZEN["username"])
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    wrong = client.get(parts.path, {**query, "state": "not-the-state"})
    assert wrong.status_code == 400
    assert "Phiên đăng nhập đã hết hạn hoặc không hợp lệ" in wrong.content.decode()
    assert logged_in_user(client) is None
    assert come_back(client, callback).status_code == 302  # the right state still works, once
    again = Client()
    assert come_back(again, callback).status_code == 400  # another browser, or the same answer twice
    assert logged_in_user(again) is None


@pytest.mark.django_db
@pytest.mark.parametrize("tampered", ["nonce", "code_verifier"])
def test_a_wrong_nonce_or_pkce_verifier_is_refused(client: Client, oidc: Provider, tampered: str) -> None:
    location = start(client)
    state = parse_qs(urlsplit(location).query)["state"][0]
    session = client.session
    session[f"_state_citizen_{state}"]["data"][tampered] = "x" * 48
    session.save()
    page = come_back(client, oidc.log_in(location, CITIZEN["username"]))
    assert page.status_code == 400 and "Chưa đăng nhập được bằng VNeID" in page.content.decode()
    assert logged_in_user(client) is None


@pytest.mark.django_db
def test_a_refusal_at_the_provider_is_explained(client: Client, oidc: Provider) -> None:
    start(client)
    page = client.get("/account/oidc/callback/", {"error": "access_denied", "state": "x"})
    assert page.status_code == 400
    assert "Bạn đã hủy đăng nhập tại VNeID" in page.content.decode()


@pytest.mark.django_db
def test_a_provider_that_does_not_answer_gives_a_page_not_a_500(client: Client, settings: Any) -> None:
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = f"http://127.0.0.1:{free_port()}/o", "pakn"
    page = client.get("/account/oidc/login/")
    assert page.status_code == 502
    text = page.content.decode()
    assert "VNeID đang không phản hồi" in text and 'href="/submit/"' in text


@pytest.mark.django_db
def test_a_provider_stopped_during_the_login_gives_a_page_not_a_500(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    short_lived = start_provider(tmp_path, redirect_uris=[CALLBACK])
    try:
        for name, value in short_lived.settings().items():
            setattr(settings, name, value)
        callback = short_lived.log_in(start(client), CITIZEN["username"])
    finally:
        short_lived.stop()
    page = come_back(client, callback)
    assert page.status_code == 502 and "VNeID đang không phản hồi" in page.content.decode()
    assert logged_in_user(client) is None


@pytest.mark.django_db
def test_the_form_holds_a_logged_in_citizens_name_and_email_but_never_an_officials() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from conftest import COMMUNE, make_user

    citizen = get_user_model().objects.create_user("hoa", email="hoa@example.vn", first_name="Nguyễn Thị Hoa")
    client = Client()
    client.force_login(citizen)
    page = client.get("/submit/").content.decode()
    assert 'value="Nguyễn Thị Hoa"' in page and 'value="hoa@example.vn"' in page
    official = Client()
    official.force_login(make_user("canbo", unit_code=f"UBND-{COMMUNE}", email="canbo@example.vn"))
    assert 'value="canbo@example.vn"' not in official.get("/submit/").content.decode()


@pytest.mark.django_db
def test_starting_logins_is_throttled_per_client(client: Client, oidc: Provider, settings: Any) -> None:
    """Each start asks the provider and keeps a state: a client that starts too many waits (429, Retry-After)."""
    settings.THROTTLE_RATES = "oidc=3/900"
    for _ in range(3):
        start(client)
    refused = client.get("/account/oidc/login/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert start(Client(REMOTE_ADDR="198.51.100.9")).startswith(oidc.issuer)  # another client is not held up
