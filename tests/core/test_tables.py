"""Reference tables kept per process (``core.tables``): read once, dropped by a change here at once and by a
change in another process (the stamp in the shared cache) within CHECK_SECONDS."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from pakn.core import tables
from pakn.org.directory import active_unit
from pakn.org.models import Unit
from pakn.org.places import place_codes


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(tables.time, "monotonic", lambda: now[0])
    return now


def counted(name: str) -> tuple[tables.ReferenceTable[int], list[int]]:
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    return tables.ReferenceTable(name, load), loads


def test_read_once_then_kept(clock: list[float]) -> None:
    table, loads = counted("test-kept")
    assert [table(), table(), table()] == [1, 1, 1]
    clock[0] += tables.CHECK_SECONDS + 1  # the stamp did not move: the copy stays
    assert table() == 1 and len(loads) == 1


def test_another_process_change_is_seen_after_the_check_interval(clock: list[float]) -> None:
    table, _ = counted("test-other")
    assert table() == 1
    cache.set("pakn:table:test-other", "moved by another process", None)  # what _move_stamp does there
    assert table() == 1  # not looked at again yet
    clock[0] += tables.CHECK_SECONDS
    assert table() == 2


@pytest.mark.django_db
def test_a_bulk_load_moves_every_table(clock: list[float], django_capture_on_commit_callbacks: Any) -> None:
    table, _ = counted("test-bulk")
    assert table() == 1
    with django_capture_on_commit_callbacks(execute=True):
        tables.all_changed()
    assert table() == 2  # dropped here at once
    clock[0] += tables.CHECK_SECONDS
    assert table() == 2  # the stamp moved after commit; this copy was read after it


def test_a_copy_older_than_the_limit_is_reread_without_a_shared_cache(clock: list[float]) -> None:
    table, _ = counted("test-old")
    assert table() == 1
    clock[0] += tables.MAX_AGE_SECONDS + 1  # the suite's cache is this process's memory
    assert table() == 2


def test_a_shared_cache_that_fails_does_not_fail_the_reader(
    clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    table, _ = counted("test-down")
    assert table() == 1

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tables.cache, "get_many", down)
    clock[0] += tables.CHECK_SECONDS
    assert table() == 1


@pytest.mark.django_db
def test_a_unit_saved_here_is_seen_at_once(django_capture_on_commit_callbacks: Any) -> None:
    unit = Unit.objects.get(code="UBND-00004")
    assert active_unit(code="UBND-00004").name == unit.name
    with django_capture_on_commit_callbacks(execute=True):
        unit.name = "Ủy ban nhân dân phường Tên Mới"
        unit.save()
    assert active_unit(code="UBND-00004").name == "Ủy ban nhân dân phường Tên Mới"
    assert active_unit(pk=unit.pk).pk == unit.pk
    with django_capture_on_commit_callbacks(execute=True):
        unit.is_active = False
        unit.save()
    assert active_unit(code="UBND-00004") is None


@pytest.mark.django_db
def test_a_copy_given_out_is_the_callers_own() -> None:
    first = active_unit(code="UBND-00004")
    first.name = "changed by a caller"
    assert active_unit(code="UBND-00004").name != "changed by a caller"


@pytest.mark.django_db
def test_places_know_provinces_and_communes() -> None:
    provinces, commune_province = place_codes()
    assert provinces["01"].name and commune_province["00004"] == "01"
