"""SQLite with a write lock whose waiters wake when it is freed (settings.py: the ENGINE of a SQLite database).

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps 1, 2, 5 … 100 ms between
tries instead of waking when the lock is freed. With the web workers and the job worker writing at the same time,
a submission then waits tens of milliseconds after the lock was given back (bench/intake.py: the one-insert
ceiling fell from 445 to 90 requests/s while the job worker caught up after a burst). Here every transaction
first takes an advisory lock (``flock``) on a file beside the database, trying again every fraction of a
millisecond, and gives it back at commit or rollback: writers follow one another at once, and SQLite's own lock
is met only by the statements run outside a transaction (which keep SQLite's handler). The wait is bounded by
the database's ``timeout`` option, like SQLite's own. An in-memory database (the tests') has no lock."""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

FIRST_WAIT = 0.0001  # seconds between two tries, doubling up to LONGEST_WAIT
LONGEST_WAIT = 0.001


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_pid = 0  # the process that opened _lock_fd: a forked child opens its own (a shared one excludes nothing)
    _lock_held = False

    def lock_path(self) -> str | None:
        """The lock file beside the database (``None``: in memory, nothing to share)."""
        return None if self.is_in_memory_db() else f"{self.settings_dict['NAME']}-writer.lock"

    def take_write_lock(self) -> None:
        path = self.lock_path()
        if path is None or self._lock_held:
            return
        if self._lock_fd is None or self._lock_pid != os.getpid():
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._lock_pid = os.getpid()
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        wait = FIRST_WAIT
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked (another process is writing)") from None
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
                continue
            self._lock_held = True
            return

    def give_write_lock(self) -> None:
        if self._lock_held and self._lock_fd is not None:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self.take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # (not in the stubs)
        except BaseException:
            self.give_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self.give_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self.give_write_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_write_lock()
            if self._lock_fd is not None and self._lock_pid == os.getpid():
                os.close(self._lock_fd)
            self._lock_fd = None
