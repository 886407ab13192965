"""Shared fixtures: real units of two provinces (Hà Nội 01, TP Hồ Chí Minh 79), one logged-in client
per role, and a case factory that goes through the real services."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

TEST_PROVINCES = ("01", "79")
COMMUNE = "00004"  # Phường Ba Đình, Hà Nội
OTHER_COMMUNE = "00008"  # Phường Ngọc Hà, Hà Nội
PASSWORD = "mat-khau-thu-nghiem-2026"


def pytest_report_header(config: Any) -> str:
    from django.db import connection

    return f"database: {connection.vendor} ({os.environ.get('DATABASE_URL', 'SQLite default')})"


def _shared_cache_reads(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The suite's SQLite database is in memory with a shared cache, where a read during another thread's write
    (the live server answering the page's script while a submission commits) fails at once with "table is
    locked" instead of waiting as a file database in WAL mode does. Reads without table locks restore what a
    real deployment does; writers still take turns."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = true")


def pytest_configure(config: Any) -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(_shared_cache_reads, dispatch_uid="pakn-tests-shared-cache-reads")


def _ensure_units() -> None:
    from pakn.org.loader import load_units
    from pakn.org.models import Province

    if Province.objects.filter(code__in=TEST_PROVINCES).count() != len(TEST_PROVINCES):
        load_units(provinces=TEST_PROVINCES)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _ensure_units()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """PAKN_DATA_DIR of the test session: the vault files, clean copies and key files of every test."""
    return tmp_path_factory.mktemp("pakn-data")


@pytest.fixture(autouse=True)
def _protection_settings(settings: Any, data_dir: Any) -> Any:
    """Key files and vault blobs in the session's own folder; the cheapest Argon2id cost (the real cost is
    a setting, stored with every derived value); throttling counters and proof-of-work state reset."""
    from django.core.cache import cache

    settings.DATA_DIR = data_dir
    settings.ARGON2_PROFILE = "min"
    settings.PUBLIC_CACHE_SECONDS = 0  # figures computed on every request (test_public checks the cache)
    cache.clear()
    yield
    cache.clear()


IMMEDIATE_JOBS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_JOBS = {"default": {"BACKEND": "pakn.core.tasks_backend.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _fresh_rule_tables() -> Any:
    """The deadline and routing tables are cached per process (``cases.policy``); a test's rows are rolled back
    after it without the save signals that clear the cache, so it is cleared after every test."""
    yield
    from pakn.cases import policy

    policy.clear_caches()


@pytest.fixture(autouse=True)
def _jobs_where_enqueued(settings: Any) -> None:
    """A case's jobs (search index, statistics, suggestions…) run where they are enqueued, so a test sees
    their effect at once; tests/cases/test_jobs.py and the servers run them on the database queue, after
    the commit, as production does."""
    settings.TASKS = IMMEDIATE_JOBS


@pytest.fixture(autouse=True)
def _second_factor_roles(settings: Any) -> None:
    """Two-factor enrolment is mandatory for officers and administrators (pakn.accounts); the suite logs them in
    with force_login or the password alone. tests/accounts overrides this to test the real rule."""
    settings.OTP_REQUIRED_ROLES = ""


def escrow_private_key() -> bytes:
    """Tests (and only tests) play the offline escrow holder."""
    from pakn.protection.keys import key_path, read_key_file

    return read_key_file(key_path("ESCROW_KEY_FILE", "escrow.key"))


def identity_of(case: Any) -> dict[str, Any]:
    """The sealed identity of ``case``, opened with the escrow key (what `pakn protection` does offline)."""
    from pakn.protection import keys, vault
    from pakn.protection.models import VaultItem

    item = VaultItem.objects.filter(case_id=case.pk, kind=VaultItem.Kind.IDENTITY).order_by("pk").first()
    if item is None:
        return {}
    return vault.open_json(item, keys.escrow_key(), escrow_private_key())


def recipient_of(item: Any) -> str:
    """Who an outbox row goes to: a staff address as stored, a reporter's contact unsealed as the worker does."""
    from pakn.protection.notifier import open_contact

    return item.recipient or open_contact(item.sealed_recipient)


def outbox_to(address: str, **filters: Any) -> list[Any]:
    from pakn.notify.models import Outbox

    return [item for item in Outbox.objects.filter(**filters) if recipient_of(item) == address]


@pytest.fixture(autouse=True)
def _units_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests (browser, live server) flush the tables; load the units again after one."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _ensure_units()
        from pakn.cases.policy import clear_caches

        clear_caches()


def make_user(
    username: str,
    *,
    unit_code: str | None = None,
    role: str = "clerk",
    include_subunits: bool = False,
    email: str | None = None,
    superuser: bool = False,
) -> Any:
    from pakn.org.models import Membership, Unit

    user_model = get_user_model()
    if superuser:
        user = user_model.objects.create_superuser(username, email or f"{username}@example.vn", PASSWORD)
    else:
        user = user_model.objects.create_user(username, email or f"{username}@example.vn", PASSWORD)
    if unit_code:
        Membership.objects.create(
            user=user, unit=Unit.objects.get(code=unit_code), role=role, include_subunits=include_subunits
        )
    return user


@pytest.fixture
def clerk(db: Any) -> Any:
    return make_user("clerk", unit_code=f"UBND-{COMMUNE}")


@pytest.fixture
def head(db: Any) -> Any:
    return make_user("head", unit_code=f"UBND-{COMMUNE}", role="head")


@pytest.fixture
def province_head(db: Any) -> Any:
    return make_user("province_head", unit_code="UBND-01", role="head", include_subunits=True)


@pytest.fixture
def supervisor(db: Any) -> Any:
    return make_user("supervisor", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")


@pytest.fixture
def other_clerk(db: Any) -> Any:
    return make_user("other_clerk", unit_code=f"UBND-{OTHER_COMMUNE}")


@pytest.fixture
def admin_user(db: Any) -> Any:
    return make_user("admin", superuser=True)


@pytest.fixture
def login() -> Callable[[Any], Client]:
    def _login(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


REPORTER = {
    "name": "Nguyễn Văn An",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "id_number": "001085012345",
    "address": "12 Phố Đội Cấn",
}


@pytest.fixture
def make_case(db: Any) -> Callable[..., Any]:
    from pakn.cases import services

    def _make(**overrides: Any) -> Any:
        data: dict[str, Any] = {
            "actor": None,
            "kind": "report",
            "title": "Đèn đường hỏng trên phố Đội Cấn",
            "content": "Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, buổi tối rất tối và nguy hiểm.",
            "province_code": "01",
            "commune_code": COMMUNE,
            "reporter": dict(REPORTER),
        }
        data.update(overrides)
        return services.submit(**data)

    return _make
