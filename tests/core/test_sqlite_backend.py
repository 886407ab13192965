"""PAKN's SQLite backend: a transaction waits for the writer before it and starts as soon as that one commits or
rolls back (not after SQLite's busy handler's next sleep), and gives up after the database's ``timeout``. Two
connections to one file database, as two processes' would be (the suite's own database is in memory)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from pakn.core.sqlite_backend.base import DatabaseWrapper

pytestmark = pytest.mark.django_db  # (pytest-django guards every connection, these two included)


def _wrapper(path: Path, alias: str, timeout: float) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "ENGINE": "pakn.core.sqlite_backend",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=alias)


def _begin(db: DatabaseWrapper) -> None:
    db.ensure_connection()
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(db: DatabaseWrapper, *, commit: bool = True) -> None:
    db.commit() if commit else db.rollback()
    db.set_autocommit(True)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[DatabaseWrapper, DatabaseWrapper]]:
    first, second = _wrapper(tmp_path / "db.sqlite3", "first", 5), _wrapper(tmp_path / "db.sqlite3", "second", 0.3)
    second.inc_thread_sharing()  # made here, used in a thread of its own below
    first.ensure_connection()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
    yield first, second
    first.close()
    second.close()
    second.dec_thread_sharing()


def _in_thread(work: Any) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("commit", [True, False])
def test_the_next_writer_starts_as_soon_as_the_first_ends(
    pair: tuple[DatabaseWrapper, DatabaseWrapper], commit: bool
) -> None:
    first, second = pair
    second.settings_dict["OPTIONS"]["timeout"] = 5
    _begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    started: list[float] = []

    def write() -> None:
        _begin(second)
        started.append(time.monotonic())
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        _end(second)
        second.close()  # in its own thread, as Django's connections are

    thread = _in_thread(write)
    time.sleep(0.15)
    assert not started  # waiting for the first writer
    ended = time.monotonic()
    _end(first, commit=commit)
    thread.join(5)
    assert started and started[0] - ended < 0.02  # at once, not after a busy-handler sleep
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == ([1, 2] if commit else [2])


def test_a_writer_gives_up_after_the_timeout(pair: tuple[DatabaseWrapper, DatabaseWrapper]) -> None:
    first, second = pair
    _begin(first)
    failed: list[BaseException] = []

    def write() -> None:
        try:
            _begin(second)
        except OperationalError as exc:
            failed.append(exc)
        finally:
            second.close()

    t0 = time.monotonic()
    _in_thread(write).join(5)
    assert failed and "locked" in str(failed[0])
    assert 0.25 <= time.monotonic() - t0 < 2
    _end(first)


def test_closing_a_connection_in_a_transaction_frees_the_lock(pair: tuple[DatabaseWrapper, DatabaseWrapper]) -> None:
    first, second = pair
    _begin(first)
    first.close()
    done: list[bool] = []

    def write() -> None:
        _begin(second)
        _end(second)
        second.close()
        done.append(True)

    _in_thread(write).join(5)
    assert done


def test_the_project_uses_it_for_sqlite() -> None:
    from django.conf import settings

    if connection.vendor == "sqlite":
        assert settings.DATABASES["default"]["ENGINE"] == "pakn.core.sqlite_backend"
        default = connections["default"]
        assert isinstance(default, DatabaseWrapper)
        assert default.lock_path() is None  # the suite's database is in memory: nothing to lock
