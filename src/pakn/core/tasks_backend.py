"""django-tasks-db's database backend, its job row written with ``core.inserts``: every audited change
enqueues a job in its own transaction, so the row is written on every submission (``save()`` cost more
than the rest of the enqueue). The row is the library's, as its own ``enqueue`` writes it (``run_after`` set
as its ``pre_save`` signal would)."""

from __future__ import annotations

from typing import Any

from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from pakn.core.inserts import insert


class DatabaseBackend(LibraryDatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult:
        return insert(
            DBTaskResult(
                id=self._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after or get_date_max(),
                backend_name=self.alias,
            )
        )
