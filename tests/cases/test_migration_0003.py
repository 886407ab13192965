"""Data migration cases.0003: the new ``Forward.escalation`` flag is set on the forwards that existed before it
and had no staff actor (until then an escalation by the citizen was the only such forward); staff forwards stay
unflagged. Backwards is a no-op (the column goes with the schema step).

As in test_migration_0004, the shared test database is not migrated backwards (that would unapply every app that
depends on ``cases``): the rows are put in the state 0002 left (flag unset everywhere) and the migration's
function runs with the historical models of 0003, the ``apps`` that ``RunPython`` hands it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

from pakn.cases.models import Case, Forward
from pakn.org.models import Unit

migration = importlib.import_module("pakn.cases.migrations.0003_forward_escalation_flag")


def historical_apps() -> Any:
    return MigrationLoader(connection).project_state(("cases", "0003_forward_escalation_flag"), at_end=True).apps


@pytest.mark.django_db
def test_forwards_flags_the_forwards_without_a_staff_actor(make_case: Callable[..., Case], clerk: Any) -> None:
    apps = historical_apps()
    OldForward = apps.get_model("cases", "Forward")
    case = make_case()
    ward, city = Unit.objects.get(code="UBND-00004"), Unit.objects.get(code="UBND-01")
    common = {"case_id": case.pk, "respond_by": date(2026, 3, 20)}
    by_citizen = OldForward.objects.create(from_unit_id=ward.pk, to_unit_id=city.pk, reason="Chưa đồng ý", **common)
    by_staff = OldForward.objects.create(
        from_unit_id=ward.pk, to_unit_id=city.pk, reason="Không thuộc thẩm quyền", actor_id=clerk.pk, **common
    )
    back_down = OldForward.objects.create(
        from_unit_id=city.pk, to_unit_id=ward.pk, reason="Trả về", actor_id=clerk.pk, **common
    )
    Forward.objects.filter(case=case).update(escalation=False)  # the column's default, as 0002 + AddField left it

    migration.mark_escalations(apps, None)

    flags = dict(Forward.objects.filter(case=case).values_list("pk", "escalation"))
    assert flags == {by_citizen.pk: True, by_staff.pk: False, back_down.pk: False}

    migration.mark_escalations(apps, None)  # idempotent
    assert dict(Forward.objects.filter(case=case).values_list("pk", "escalation")) == flags


@pytest.mark.django_db
def test_forwards_on_a_database_without_forwards_changes_nothing() -> None:
    Forward.objects.all().delete()
    migration.mark_escalations(historical_apps(), None)
    assert not Forward.objects.exists()


def test_backwards_is_a_no_op_after_the_schema_step() -> None:
    [add_field, data] = migration.Migration.operations
    assert add_field.name == "escalation" and isinstance(data, RunPython)
    assert data.reversible and data.reverse_code is RunPython.noop
    assert ("cases", "0002_reporter_identity_vault") in migration.Migration.dependencies
