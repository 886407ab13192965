"""Data migration protection.0002: the default deadlines for deciding on a protection request (7 working days;
1 working day when urgent) are seeded as rows an administrator can edit; a row already there under the same
code is left alone; backwards removes the seeded codes only.

The migration's functions run with the historical models of 0002 on the shared test database, which is not
migrated backwards (see tests/cases/test_migration_0004.py); the table is first put in the state 0001 left."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from pakn.cases import policy
from pakn.protection import services
from pakn.protection.defaults import DEFAULT_DEADLINE_RULES
from pakn.protection.models import ProtectionDeadlineRule

migration = importlib.import_module("pakn.protection.migrations.0002_default_deadline_rules")
CODES = {r["code"] for r in DEFAULT_DEADLINE_RULES}


def historical_apps() -> Any:
    return MigrationLoader(connection).project_state(("protection", "0002_default_deadline_rules"), at_end=True).apps


@pytest.fixture
def state_of_0001(db: Any) -> None:
    ProtectionDeadlineRule.objects.all().delete()
    policy.clear_caches()


def test_seed_adds_the_defaults_and_unseed_removes_them(state_of_0001: None) -> None:
    apps = historical_apps()
    local = ProtectionDeadlineRule.objects.create(
        code="tinh-01-khan-cap", urgent=True, amount=2, effective_from=date(2026, 1, 1), citation="Quy chế tỉnh"
    )

    migration.seed(apps, None)

    rows = {r.code: r for r in ProtectionDeadlineRule.objects.exclude(pk=local.pk)}
    assert set(rows) == CODES
    for default in DEFAULT_DEADLINE_RULES:
        row = rows[default["code"]]
        assert (row.urgent, row.amount, row.working_days) == (default["urgent"], default["amount"], True)
        assert (row.citation, row.note, row.effective_from) == (default["citation"], default["note"], date(2019, 1, 1))
    # Monday 2 March 2026: 7 working days → Wednesday 11 March; the rule found is the seeded row.
    due, rule, code, _citation = services.protection_deadline(urgent=False, received=date(2026, 3, 2))
    assert (due, rule, code) == (date(2026, 3, 11), rows["protection-decision"], "protection-decision")

    migration.seed(apps, None)  # idempotent
    assert ProtectionDeadlineRule.objects.count() == len(CODES) + 1

    migration.unseed(apps, None)

    assert list(ProtectionDeadlineRule.objects.values_list("pk", flat=True)) == [local.pk]


def test_seed_keeps_an_edited_row(state_of_0001: None) -> None:
    ProtectionDeadlineRule.objects.create(
        code="protection-decision", urgent=False, amount=5, effective_from=date(2020, 1, 1), citation="Sửa"
    )
    migration.seed(historical_apps(), None)
    edited = ProtectionDeadlineRule.objects.get(code="protection-decision")
    assert (edited.amount, edited.effective_from, edited.citation) == (5, date(2020, 1, 1), "Sửa")
    assert ProtectionDeadlineRule.objects.count() == len(CODES)


def test_the_migration_is_reversible() -> None:
    [operation] = migration.Migration.operations
    assert operation.reversible and operation.reverse_code is migration.unseed
