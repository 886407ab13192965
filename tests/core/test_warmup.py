"""A new web worker loads what its first request would otherwise wait for (gunicorn's post_worker_init)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pakn.core import tables, warmup

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_after_the_warm_up_the_reference_tables_are_read_without_a_query() -> None:
    tables.clear_all()
    spent = warmup.warm()
    assert set(spent) == {"urls", "tables", "translations"}
    names = {table.name for table in tables.registered()}
    assert {"place_codes", "active_units", "deadline_rules", "route_rules"} <= names  # imported with the URLconf
    with CaptureQueriesContext(connection) as queries:
        for table in tables.registered():
            table()
    assert not queries.captured_queries, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_a_failing_step_is_logged_and_the_worker_still_starts(monkeypatch: pytest.MonkeyPatch, caplog: object) -> None:
    def broken() -> None:
        raise RuntimeError("the database is not up yet")

    monkeypatch.setattr(warmup, "_tables", broken)
    spent = warmup.warm()
    assert "tables" in spent and "warm-up: tables skipped" in caplog.text  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_gunicorn_warms_each_new_worker_before_it_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    called: list[bool] = []
    monkeypatch.setattr(warmup, "warm", lambda: called.append(True) or {})
    config["post_worker_init"](object())
    assert called == [True]
