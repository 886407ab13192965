"""Data migration oversight.0002: the platform's default answer period for a supervision recommendation
(15 working days from 2015-01-01, marked as PAKN's own choice, not quoted from a law) is added; an
administrator's edited row with the same code and date is kept as it is; backwards removes only that row.

The migration's functions run with the historical models of 0002 on the shared test database, which is not
migrated backwards (see tests/cases/test_migration_0004.py); the table is first put in the state 0001 left."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from pakn.oversight import services
from pakn.oversight.models import RECOMMENDATION_PERIOD, ResponsePeriod

migration = importlib.import_module("pakn.oversight.migrations.0002_default_period")
START = date(2015, 1, 1)


def historical_apps() -> Any:
    return MigrationLoader(connection).project_state(("oversight", "0002_default_period"), at_end=True).apps


@pytest.fixture
def state_of_0001(db: Any) -> None:
    ResponsePeriod.objects.all().delete()


def test_forwards_adds_the_default_and_backwards_removes_it(state_of_0001: None) -> None:
    apps = historical_apps()
    local = ResponsePeriod.objects.create(
        code=RECOMMENDATION_PERIOD, effective_from=date(2027, 1, 1), working_days=10, note="Quy chế của tỉnh"
    )
    assert services.response_period(date(2026, 6, 1))[0] == services.DEFAULT_WORKING_DAYS  # the code's fallback

    migration.add_default(apps, None)

    row = ResponsePeriod.objects.get(code=RECOMMENDATION_PERIOD, effective_from=START)
    assert (row.working_days, row.note) == (15, migration.NOTE)
    assert "không trích từ luật" in row.note  # says it is not the law
    assert services.response_period(date(2026, 6, 1)) == (15, migration.NOTE)
    assert services.response_period(date(2027, 6, 1))[0] == 10  # a later local row still wins from its date

    migration.add_default(apps, None)  # idempotent
    assert ResponsePeriod.objects.filter(code=RECOMMENDATION_PERIOD).count() == 2

    migration.remove_default(apps, None)

    assert list(ResponsePeriod.objects.values_list("pk", flat=True)) == [local.pk]


def test_forwards_keeps_an_edited_row_of_the_same_date(state_of_0001: None) -> None:
    ResponsePeriod.objects.create(
        code=RECOMMENDATION_PERIOD, effective_from=START, working_days=20, note="Sửa bởi quản trị viên"
    )
    migration.add_default(historical_apps(), None)
    row = ResponsePeriod.objects.get(code=RECOMMENDATION_PERIOD)
    assert (row.working_days, row.note) == (20, "Sửa bởi quản trị viên")


def test_the_migration_is_reversible() -> None:
    [operation] = migration.Migration.operations
    assert operation.reversible and operation.reverse_code is migration.remove_default
