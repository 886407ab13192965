"""Data migration public.0003: discipline results published before the regime was recorded get one only where
their measure tells it (expulsion → the Party's discipline; salary downgrade, demotion → a civil servant's);
every other row stays unclassified (blank) and a regime already set is never changed. Backwards is a no-op
(the columns go with the schema step).

The rows are inserted with the historical model of 0003 on the shared test database, which is not migrated
backwards (see tests/cases/test_migration_0004.py); the migration's function gets the same ``apps``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

from pakn.cases.models import Case
from pakn.public.models import DisciplineMeasure, DisciplineResult

migration = importlib.import_module("pakn.public.migrations.0003_discipline_regime")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def historical_apps() -> Any:
    return MigrationLoader(connection).project_state(("public", "0003_discipline_regime"), at_end=True).apps


@pytest.mark.django_db
def test_forwards_infers_the_regime_from_the_measure_only(make_case: Callable[..., Case], head: Any) -> None:
    apps = historical_apps()
    OldResult = apps.get_model("public", "DisciplineResult")
    case = make_case(kind="denunciation")
    common = {
        "case_id": case.pk,
        "unit_id": case.unit_id,
        "official_position": "Phó Chủ tịch UBND phường",
        "violation": "Nhận tiền để cấp phép xây dựng sai quy định.",
        "decided_on": date(2025, 5, 20),
        "published_by_id": head.pk,
        "published_at": datetime(2025, 6, 1, 9, tzinfo=TZ),
    }
    ids = {
        measure: OldResult.objects.create(measure=measure, decision_number=f"{n}/QĐ-KL", **common).pk
        for n, measure in enumerate(DisciplineMeasure.values, start=1)
    }
    already = OldResult.objects.create(
        measure="demotion", regime="cadre", decision_number="99/QĐ-KL", **common
    ).pk  # set by hand after the schema step: kept

    migration.infer_regime(apps, None)

    regimes = dict(DisciplineResult.objects.filter(case=case).values_list("pk", "regime"))
    expected = {pk: migration.INFERRED.get(measure, "") for measure, pk in ids.items()}
    assert {pk: regimes[pk] for pk in ids.values()} == expected
    assert expected[ids["party_expulsion"]] == "party"
    assert expected[ids["salary_downgrade"]] == expected[ids["demotion"]] == "civil_servant"
    assert expected[ids["reprimand"]] == expected[ids["warning"]] == expected[ids["other"]] == ""
    assert regimes[already] == "cadre"
    assert set(DisciplineResult.objects.values_list("legal_basis", flat=True)) == {""}  # not invented

    migration.infer_regime(apps, None)  # idempotent
    assert dict(DisciplineResult.objects.filter(case=case).values_list("pk", "regime")) == regimes


def test_backwards_is_a_no_op_after_the_schema_step() -> None:
    data = migration.Migration.operations[-1]
    assert isinstance(data, RunPython) and data.reverse_code is RunPython.noop
    assert set(migration.INFERRED) <= set(DisciplineMeasure.values)
