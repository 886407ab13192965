"""A citizen's rights over their personal data (docs/retention.md): the account holder and the tracking-code holder
see what is held and until when, download a copy (recorded; the contact's address only for the account holder),
and ask for erasure: done at once where the retention period is over, refused with the reason and the date
otherwise; closing the account erases its data and detaches its cases. Every request is recorded and audited."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import PASSWORD, REPORTER, make_user
from pakn.cases import services
from pakn.cases.audit_check import verify_all
from pakn.cases.models import AuditEvent, Case
from pakn.protection.models import DataRequest, Erasure, VaultItem
from pakn.reception.models import Activity

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LATER = datetime(2032, 1, 2, 9, tzinfo=TZ)  # a report answered in 2026 is kept until 31/12/2031


@pytest.fixture(autouse=True)
def _schedule(request: pytest.FixtureRequest) -> None:
    """The seeded schedule (migration 0007), also after a live-server test of the same session flushed the tables."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from django.apps import apps

    importlib.import_module("pakn.protection.migrations.0007_default_retention_rules").seed(apps, None)


@pytest.fixture(autouse=True)
def _filed_in_2026() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=True):
        yield


@pytest.fixture
def citizen(db: Any) -> Any:
    return make_user("nguoidan", email="nguoidan@example.vn")


@pytest.fixture
def answered(make_case: Callable[..., Case], clerk: Any) -> Callable[..., Case]:
    def _make(**overrides: Any) -> Case:
        case = make_case(**overrides)
        services.accept_case(actor=clerk, case=case)
        services.resolve_case(actor=clerk, case=case, body="Đèn đường đã được thay.")
        return Case.objects.get(pk=case.pk)

    return _make


def signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def test_the_account_holder_sees_what_is_kept_and_until_when(
    citizen: Any, answered: Callable[..., Case], make_case: Callable[..., Case]
) -> None:
    settled = answered(actor=citizen, citizen=citizen)
    pending = make_case(actor=citizen, citizen=citizen, title="Rác thải chưa thu gom")
    client = signed_in(citizen)
    assert 'href="/account/data/"' in client.get("/account/").content.decode()
    page = client.get("/account/data/").content.decode()
    assert citizen.email in page
    assert "Theo quy định lưu trữ da-tra-loi, dữ liệu được giữ đến hết ngày 31/12/2031" in page
    assert "chưa xác nhận căn cứ pháp lý" in page
    assert "Hồ sơ đang được giải quyết" in page
    assert settled.title in page and pending.title in page
    assert REPORTER["phone"] not in page and REPORTER["name"] not in page
    assert Client().get("/account/data/").status_code == 302  # only to them


def test_the_account_holder_downloads_a_recorded_copy(citizen: Any, answered: Callable[..., Case]) -> None:
    case = answered(actor=citizen, citizen=citizen)
    client = signed_in(citizen)
    assert client.get("/account/data/download").status_code == 405
    response = client.post("/account/data/download")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"].startswith("no-store")
    data = json.loads(response.content)
    assert data["account"]["username"] == "nguoidan" and data["account"]["email"] == citizen.email
    [copy] = data["cases"]
    assert copy["tracking_code"] == case.tracking_code and copy["answers"][0]["body"] == "Đèn đường đã được thay."
    assert copy["contact"] == {"channel": "Thư điện tử", "address": REPORTER["email"]}
    assert copy["identity"]["held"] is True and "kho niêm phong" in copy["identity"]["note"]
    assert REPORTER["id_number"] not in response.content.decode() and REPORTER["name"] not in response.content.decode()
    assert copy["retention"]["until"] == "2031-12-31" and copy["retention"]["rule"] == "da-tra-loi"
    request = DataRequest.objects.get()
    assert (request.kind, request.via, request.user, request.cases) == ("access", "account", citizen, [case.pk])
    assert AuditEvent.objects.filter(case=case, action="personal_data_exported", public=True).count() == 1
    assert Activity.objects.filter(app="protection", action="data_access_requested", object_id=request.pk).exists()
    assert any(e["event"] == "Người gửi nhận bản sao dữ liệu cá nhân" for e in copy["timeline"])


def test_the_tracking_code_holder_downloads_what_they_submitted(answered: Callable[..., Case]) -> None:
    case = answered()
    client = Client()
    page = client.get(f"/track/{case.tracking_code}/data").content.decode()
    assert "31/12/2031" in page and "Tải bản sao (JSON)" in page
    response = client.post(f"/track/{case.tracking_code}/data/download")
    body = response.content.decode()
    data = json.loads(body)
    assert data["cases"][0]["title"] == case.title and data["cases"][0]["contact"] == {"channel": "Thư điện tử"}
    assert "account" not in data
    assert not any(secret in body for secret in (REPORTER["email"], REPORTER["phone"], REPORTER["name"]))
    request = DataRequest.objects.get()
    assert (request.kind, request.via, request.user, request.cases) == ("access", "tracking_code", None, [case.pk])
    assert Client().get("/track/ABCD-EFGH-JK0/data").status_code == 404


def test_erasure_by_tracking_code_refused_with_reason_then_done(
    answered: Callable[..., Case], make_case: Callable[..., Case]
) -> None:
    case = answered()
    client = Client()
    missing = client.post(f"/track/{case.tracking_code}/data/erase", {})
    assert missing.status_code == 400
    kept = client.post(f"/track/{case.tracking_code}/data/erase", {"confirm": "on"}).content.decode()
    assert "Chưa xóa" in kept and "giữ đến hết ngày 31/12/2031" in kept
    assert VaultItem.objects.filter(case=case, kind="identity").exists()
    [refused] = AuditEvent.objects.filter(case=case, action="erasure_requested")
    assert refused.data["outcome"] == "kept" and refused.data["until"] == "2031-12-31"

    open_case = make_case()
    page = client.post(f"/track/{open_case.tracking_code}/data/erase", {"confirm": "on"}).content.decode()
    assert "Hồ sơ đang được giải quyết" in page

    with time_machine.travel(LATER):
        done = client.post(f"/track/{case.tracking_code}/data/erase", {"confirm": "on"}).content.decode()
        assert "Đã xóa" in done and "da-tra-loi" in done
        assert not VaultItem.objects.filter(case=case).exists()
        [erased] = AuditEvent.objects.filter(case=case, action="personal_data_erased")
        assert erased.actor_label == "citizen" and erased.data["request"] == DataRequest.objects.latest("pk").pk
        page = client.get(f"/track/{case.tracking_code}/data").content.decode()
        assert "Đã xóa danh tính người gửi và nội dung gốc, tệp đính kèm, liên hệ nhận thông báo" in page
    assert DataRequest.objects.filter(kind="erasure").count() == 3
    assert verify_all()[1] == []


def test_closing_the_account(citizen: Any, answered: Callable[..., Case], make_case: Callable[..., Case]) -> None:
    old = answered(actor=citizen, citizen=citizen)
    with time_machine.travel(LATER):
        recent = answered(actor=citizen, citizen=citizen, title="Ổ gà trên đường")
        pending = make_case(actor=citizen, citizen=citizen, title="Rác thải chưa thu gom")
        client = signed_in(citizen)
        page = client.get("/account/data/close").content.decode()
        assert "Hãy ghi lại mã tra cứu" in page and pending.title in page
        wrong = client.post("/account/data/close", {"password": "sai-mat-khau", "confirm": "on"})
        assert wrong.status_code == 400 and "Mật khẩu không đúng." in wrong.content.decode()
        assert get_user_model().objects.get(pk=citizen.pk).is_active

        done = client.post("/account/data/close", {"password": PASSWORD, "confirm": "on"})

        text = done.content.decode()
        assert done.status_code == 200 and "Đã đóng tài khoản" in text
        assert "giữ đến hết ngày 31/12/2037" in text  # answered in 2032
        assert "Hồ sơ đang được giải quyết" in text
        assert "Đã xóa" in text
    closed = get_user_model().objects.get(pk=citizen.pk)
    assert not closed.is_active and not closed.has_usable_password()
    assert closed.email == "" and closed.username.startswith("da-dong-")
    assert client.get("/account/data/").status_code == 302  # logged out
    assert not Client().login(username="nguoidan", password=PASSWORD)
    assert not Case.objects.filter(citizen_id=citizen.pk).exists()
    assert not VaultItem.objects.filter(case=old).exists() and Erasure.objects.filter(case=old).exists()
    assert VaultItem.objects.filter(case=recent, kind="identity").exists()
    assert VaultItem.objects.filter(case=pending, kind="identity").exists()
    for case in (recent, pending):
        [event] = AuditEvent.objects.filter(case=case, action="erasure_requested")
        assert event.data["outcome"] == "kept" and event.data["account_detached"] is True
    [erased] = AuditEvent.objects.filter(case=old, action="personal_data_erased")
    assert erased.data["account_detached"] is True
    request = DataRequest.objects.get(kind="erasure")
    assert request.outcome["account"] == "closed" and request.outcome["cases"][str(old.pk)]["erased"] is True
    assert request.outcome["cases"][str(recent.pk)] == {"erased": False, "until": "2037-12-31"}
    # The cases are still followed by their tracking codes.
    assert Client().get(f"/track/{pending.tracking_code}/").status_code == 200


def test_staff_accounts_are_not_closed_here(clerk: Any) -> None:
    client = Client()
    client.force_login(clerk)
    response = client.post("/account/data/close", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 400 and "quản trị viên" in response.content.decode()
    assert get_user_model().objects.get(pk=clerk.pk).is_active
