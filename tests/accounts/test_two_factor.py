"""Two-factor login: officers and administrators enrol before any page opens; the second step after the password
(an authenticator code or a one-time recovery code) is throttled like the password; an administrator's reset is
audited; a clerk without a second factor logs in as before; API tokens are unaffected."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.conftest import SECRET, code_for, enrolled, password_login
from conftest import COMMUNE, make_user

UNIT = f"UBND-{COMMUNE}"
ENROL = "/staff/account/two-factor/enrol/"
VERIFY = "/staff/account/two-factor/verify/"
ATTACKER = "203.0.113.77"


def activity(action: str) -> list[Any]:
    from pakn.reception.models import Activity

    return list(Activity.objects.filter(app="accounts", action=action))


def secret_on(page: str) -> str:
    found = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page)
    assert found, "the secret is shown as text for manual entry"
    return found.group(1).replace(" ", "")


def verified_client(user: Any) -> Client:
    """A session that passed both steps (the second with the user's confirmed app)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def officer(db: Any) -> Any:
    return make_user("baove", unit_code=UNIT, role="protection_officer")


# ---------------------------------------------------------------- enrolment is mandatory for officers


@pytest.mark.django_db
def test_an_officer_must_enrol_before_any_page_opens(officer: Any) -> None:
    client = Client()
    assert password_login(client, "baove").status_code == 302
    for path in ("/protection/", "/staff/", "/oversight/", "/admin/", "/staff/account/", "/public/"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"].startswith(ENROL), (path, answer["Location"])
    assert client.get("/protection/")["Location"] == f"{ENROL}?next=/protection/"
    assert client.get(VERIFY)["Location"].startswith(ENROL)  # no device: nothing to verify
    # The JSON API with the session: not logged in (a password alone opens nothing).
    assert client.get("/api/v1/cases").status_code == 401
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thiết lập xác thực hai bước" in html and 'src="data:image/svg+xml;base64,' in html
    assert page["Cache-Control"].startswith("no-store")
    assert "img-src 'self' data:" in page["Content-Security-Policy"]
    # Logging out still works.
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/protection/")["Location"].startswith("/staff/login/")


@pytest.mark.django_db
def test_enrolment_with_a_code_computed_from_the_secret_opens_the_vault(officer: Any, settings: Any) -> None:
    settings.OTP_TOTP_ISSUER = "PAKN Hà Nội"
    client = Client()
    password_login(client, "baove")
    html = client.get(f"{ENROL}?next=/protection/").content.decode()
    secret = secret_on(html)
    assert secret == secret_on(client.get(ENROL).content.decode())  # a reload keeps the secret the app has
    assert "PAKN Hà Nội" in html

    wrong = client.post(ENROL, {"code": "000000" if code_for(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()

    answer = client.post(ENROL, {"code": code_for(secret), "next": "/protection/"})
    assert answer.status_code == 200
    codes = re.findall(r"<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>", answer.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/protection/"' in answer.content.decode()
    assert client.get("/protection/").status_code == 200
    assert [a.actor_id for a in activity("second_factor_enrolled")] == [officer.pk]
    # The recovery codes are not stored in clear.
    from django_otp.plugins.otp_static.models import StaticToken

    stored = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}


# ---------------------------------------------------------------- the second step


@pytest.mark.django_db
def test_login_with_a_totp_code(officer: Any) -> None:
    enrolled(officer)
    client = Client()
    answer = password_login(client, "baove")
    assert answer.status_code == 302 and answer["Location"] == "/staff/"
    follow = client.get("/staff/")
    assert follow.status_code == 302 and follow["Location"] == f"{VERIFY}?next=/staff/"
    assert client.get("/protection/")["Location"] == f"{VERIFY}?next=/protection/"
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # not a way around the second step
    session_before = client.session.session_key
    code = code_for(SECRET)
    answer = client.post(VERIFY, {"code": code, "next": "/protection/"})
    assert answer.status_code == 302 and answer["Location"] == "/protection/"
    assert client.session.session_key != session_before  # a new session id after the second step
    assert client.get("/protection/").status_code == 200
    # The same code is not accepted twice (another session, the same time step).
    other = Client()
    password_login(other, "baove")
    assert other.post(VERIFY, {"code": code}).status_code == 200
    assert other.get("/protection/").status_code == 302


@pytest.mark.django_db
def test_wrong_codes_are_throttled_like_passwords(officer: Any, caplog: pytest.LogCaptureFixture) -> None:
    enrolled(officer)
    caplog.set_level(logging.INFO, logger="pakn.security")
    attacker = Client()
    password_login(attacker, "baove", ATTACKER)
    right = code_for(SECRET)
    wrong = "123456" if right != "123456" else "654321"
    statuses = [attacker.post(VERIFY, {"code": wrong}, REMOTE_ADDR=ATTACKER).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    refused = attacker.post(VERIFY, {"code": right}, REMOTE_ADDR=ATTACKER)  # even the right code, while it waits
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()
    assert attacker.get("/protection/", REMOTE_ADDR=ATTACKER).status_code == 302
    # A right password again does not clear the failed codes.
    password_login(attacker, "baove", ATTACKER)
    assert attacker.post(VERIFY, {"code": right}, REMOTE_ADDR=ATTACKER).status_code == 429
    # The officer at the office passes at once.
    office = Client()
    password_login(office, "baove")
    assert office.post(VERIFY, {"code": right}, REMOTE_ADDR="198.51.100.20").status_code == 302
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"otp failed: user {officer.pk}" in logged and "otp refused" in logged
    assert ATTACKER not in logged and "baove" not in logged


@pytest.mark.django_db
def test_a_recovery_code_works_once(officer: Any) -> None:
    from pakn.accounts import services

    enrolled(officer)
    codes = services.renew_recovery_codes(user=officer)
    first = Client()
    password_login(first, "baove")
    answer = first.post(VERIFY, {"code": codes[0].lower(), "next": "/protection/"})
    assert answer.status_code == 302 and answer["Location"] == "/protection/"
    page = first.get("/protection/")
    assert page.status_code == 200 and "còn 9 mã" in page.content.decode()
    used = activity("recovery_code_used")
    assert len(used) == 1 and used[0].object_id == officer.pk and used[0].data == {"codes_left": 9}
    again = Client()
    password_login(again, "baove")
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert again.get("/protection/").status_code == 302
    assert again.post(VERIFY, {"code": codes[1].replace("-", " ")}).status_code == 302
    assert services.recovery_codes_left(officer) == 8


# ---------------------------------------------------------------- an administrator's reset


@pytest.mark.django_db
def test_an_administrator_resets_another_users_second_factor_audited(officer: Any) -> None:
    admin = enrolled(make_user("quantri", superuser=True))
    enrolled(officer)
    client = verified_client(admin)
    assert client.get("/staff/account/two-factor/reset/").status_code == 200
    answer = client.post(
        "/staff/account/two-factor/reset/", {"username": "baove", "reason": "Mất điện thoại, đã gặp trực tiếp."}
    )
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    reset = activity("second_factor_reset")
    assert len(reset) == 1
    assert (reset[0].actor_id, reset[0].object_id) == (admin.pk, officer.pk)
    assert reset[0].data["reason"] == "Mất điện thoại, đã gặp trực tiếp."
    # The officer sets up a new app at the next login.
    again = Client()
    password_login(again, "baove")
    assert again.get("/protection/")["Location"].startswith(ENROL)
    # Not for oneself, not for an unknown account, not by anyone else.
    refused = client.post("/staff/account/two-factor/reset/", {"username": "quantri", "reason": "Tự đặt lại."})
    assert refused.status_code == 403
    unknown = client.post("/staff/account/two-factor/reset/", {"username": "khong-co", "reason": "Mất máy."})
    assert unknown.status_code == 200 and "Không tìm thấy tài khoản" in unknown.content.decode()
    clerk = Client()
    clerk.force_login(make_user("canbo", unit_code=UNIT))
    assert clerk.get("/staff/account/two-factor/reset/").status_code == 403
    assert len(activity("second_factor_reset")) == 1


# ---------------------------------------------------------------- everyone else


@pytest.mark.django_db
def test_a_clerk_without_a_device_logs_in_as_before_and_may_enrol() -> None:
    make_user("canbo", unit_code=UNIT)
    client = Client()
    answer = password_login(client, "canbo")
    assert answer.status_code == 302 and answer["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    page = client.get("/staff/account/")
    assert page.status_code == 200 and "Bật xác thực hai bước" in page.content.decode()
    secret = secret_on(client.get(ENROL).content.decode())
    assert client.post(ENROL, {"code": code_for(secret)}).status_code == 200
    # From now on the clerk too passes the second step.
    later = Client()
    password_login(later, "canbo")
    assert later.get("/staff/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_a_superuser_must_enrol_and_an_empty_setting_makes_it_voluntary(settings: Any) -> None:
    make_user("quantri", superuser=True)
    client = Client()
    password_login(client, "quantri")
    assert client.get("/admin/")["Location"].startswith(ENROL)
    settings.OTP_REQUIRED_ROLES = ""
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_api_tokens_are_unaffected(officer: Any) -> None:
    from pakn.org.models import ApiToken

    enrolled(officer)
    key = "pakn-test-token-0123456789abcdef"
    ApiToken.objects.create(user=officer, name="script", key_hash=ApiToken.hash_key(key))
    client = Client()
    password_login(client, "baove")
    assert client.get("/api/v1/cases").status_code == 401  # the session has not passed the second step
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


@pytest.mark.django_db
def test_the_demo_enrols_the_officers_and_the_administrator_with_the_printed_secret() -> None:
    from pakn.accounts.demo import DEMO_OTP_SECRET, enrol_demo_users

    make_user("baove.demo", unit_code=UNIT, role="protection_officer", email="baove.demo@example.vn")
    make_user("admin.demo", superuser=True, email="admin.demo@example.vn")
    make_user("canbo.demo", unit_code=UNIT, email="canbo.demo@example.vn")
    assert enrol_demo_users() == ["admin.demo", "baove.demo"]
    assert enrol_demo_users() == ["admin.demo", "baove.demo"]  # idempotent
    assert TOTPDevice.objects.filter(confirmed=True).count() == 2
    client = Client()
    password_login(client, "baove.demo")
    assert client.post(VERIFY, {"code": code_for(DEMO_OTP_SECRET)}).status_code == 302


def test_codes_typed_with_spaces_hyphens_and_look_alike_letters_are_read() -> None:
    from pakn.accounts.services import normalise_code

    assert normalise_code(" 123 456 ") == "123456"
    assert normalise_code("abcde-fghjk") == "ABCDEFGHJK"
    assert normalise_code("o1lI0-xxxxx") == "01110XXXXX"


@pytest.mark.django_db
def test_the_demo_enrols_the_officers_and_prints_the_secret() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pakn.accounts.demo import DEMO_OTP_SECRET

    out = StringIO()
    call_command("demo", stdout=out)
    assert DEMO_OTP_SECRET in out.getvalue()
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert {"baove.badinh", "baove2.badinh", "admin"} <= enrolled


def test_devices_have_no_admin_pages_of_their_own() -> None:
    """Devices change only through the audited services; no admin page shows another user's secret."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice) and not admin.site.is_registered(StaticDevice)
