"""Logins are throttled per account and per client, counting failures only, without ever locking the real
user out from their own desk, and without an address or a username in the cache or the log."""

from __future__ import annotations

import logging
import pickle
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_user

ATTACKER = "203.0.113.77"
OFFICE = "198.51.100.20"
WRONG = "sai-mat-khau-0000"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    """The throttle is under test, not the hasher: hundreds of checks at full PBKDF2 cost take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def attempt(client: Client, username: str, password: str, address: str, url: str = "/staff/login/") -> Any:
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_300_wrong_passwords_are_refused_after_the_limit_and_the_user_still_logs_in_elsewhere() -> None:
    import time_machine

    make_user("canbo", unit_code="UBND-00004")
    attacker = Client()
    # The clock stands still: on a loaded machine 300 requests may outlast the first lock (60 s), and the 301st
    # attempt then rightly has its password checked again — not what this test is about.
    with time_machine.travel(timezone.now(), tick=False):
        answers = [attempt(attacker, "canbo", WRONG, ATTACKER) for _ in range(300)]
    statuses = [r.status_code for r in answers]

    assert statuses[:5] == [200] * 5  # "wrong username or password", the password was checked
    assert statuses[5:] == [429] * 295  # refused without checking the password
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page and "vui lòng thử lại sau" in page
    assert 'name="username"' in page and 'value="canbo"' in page  # the page again, username kept

    # Even the right password is refused from the attacker's client while it waits...
    assert attempt(attacker, "canbo", PASSWORD, ATTACKER).status_code == 429
    # ...but the real user at the office logs in at once.
    office = Client()
    answer = attempt(office, "canbo", PASSWORD, OFFICE)
    assert answer.status_code == 302 and answer["Location"] == "/staff/"
    assert office.get("/staff/", REMOTE_ADDR=OFFICE).status_code == 200


@pytest.mark.django_db
def test_the_wait_doubles_with_each_failure_and_a_success_clears_it(settings: Any) -> None:
    import time_machine

    make_user("canbo", unit_code="UBND-00004")
    client = Client()
    with time_machine.travel("2026-03-02 09:00:00 +07:00", tick=False) as clock:
        for _ in range(5):
            assert attempt(client, "canbo", WRONG, ATTACKER).status_code == 200
        first = int(attempt(client, "canbo", WRONG, ATTACKER)["Retry-After"])
        assert 55 <= first <= 60
        clock.shift(61)
        assert attempt(client, "canbo", WRONG, ATTACKER).status_code == 200  # one more try, then twice as long
        second = int(attempt(client, "canbo", WRONG, ATTACKER)["Retry-After"])
        assert 115 <= second <= 120
        clock.shift(121)
        assert attempt(client, "canbo", PASSWORD, ATTACKER).status_code == 302
        # A success from this client clears its failures on the account: five tries again.
        for _ in range(5):
            assert attempt(Client(), "canbo", WRONG, ATTACKER).status_code == 200


@pytest.mark.django_db
def test_one_client_trying_many_accounts_is_refused_on_every_account() -> None:
    make_user("canbo", unit_code="UBND-00004")
    client = Client()
    for number in range(30):  # login_client: 30 failures per 15 minutes, whatever the accounts
        assert attempt(client, f"user{number}", WRONG, ATTACKER).status_code == 200
    refused = attempt(client, "someone-else", WRONG, ATTACKER)
    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 900
    assert attempt(client, "canbo", PASSWORD, ATTACKER).status_code == 429
    # Another client is not concerned.
    assert attempt(Client(), "canbo", PASSWORD, OFFICE).status_code == 302


@pytest.mark.django_db
def test_an_account_attacked_from_many_clients_waits_only_for_the_clients_that_failed(settings: Any) -> None:
    settings.THROTTLE_RATES = "login_account=10/900"
    make_user("canbo", unit_code="UBND-00004")
    for number in range(10):  # a botnet: each address fails once
        assert attempt(Client(), "canbo", WRONG, f"192.0.2.{number}").status_code == 200
    # Past the account's limit, an address that failed waits; a fresh one (the real user) still logs in.
    assert attempt(Client(), "canbo", PASSWORD, "192.0.2.3").status_code == 429
    assert attempt(Client(), "canbo", PASSWORD, OFFICE).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/account/login/"])
def test_the_admin_and_citizen_logins_are_throttled_too(url: str) -> None:
    make_user("admin", superuser=True)
    client = Client()
    for _ in range(5):
        assert attempt(client, "admin", WRONG, ATTACKER, url).status_code == 200
    refused = attempt(client, "admin", PASSWORD, ATTACKER, url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()
    assert attempt(Client(), "admin", PASSWORD, OFFICE, url).status_code == 302


@pytest.mark.django_db
def test_unknown_and_known_accounts_are_refused_alike() -> None:
    make_user("canbo", unit_code="UBND-00004")
    for name in ("canbo", "khong-ton-tai"):
        client = Client()
        for _ in range(5):
            attempt(client, name, WRONG, ATTACKER)
        assert attempt(client, name, WRONG, ATTACKER).status_code == 429


@pytest.mark.django_db
def test_no_address_or_username_is_kept_in_the_cache_or_the_log(caplog: pytest.LogCaptureFixture) -> None:
    from django.conf import settings

    user = make_user("0912345678", unit_code="UBND-00004")
    client = Client()
    with caplog.at_level(logging.INFO, logger="pakn.security"):
        for _ in range(7):
            attempt(client, "0912345678", WRONG, ATTACKER)
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    stored = list(cache._cache.items())  # type: ignore[attr-defined]  # the local-memory cache's own dict
    assert any(":login:" in key for key, _value in stored)
    dump = repr([(key, pickle.loads(value)) for key, value in stored])  # noqa: S301 - our own test cache
    assert ATTACKER not in dump and "0912345678" not in dump
    messages = [r.getMessage() for r in caplog.records if r.name == "pakn.security"]
    assert any(f"login failed: user {user.pk}" in m for m in messages)
    assert any("login refused" in m for m in messages)
    assert not any(ATTACKER in m or "0912345678" in m for m in messages)
