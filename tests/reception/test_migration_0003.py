"""Migration reception.0003: the database triggers that keep the case audit trail and the activity log
append-only (``pakn.core.append_only``). It changes no rows; forwards makes an UPDATE of a logged row fail,
backwards lets it through again. Both directions run inside the test's transaction (triggers are rolled back
with it on SQLite and PostgreSQL), with the minimal schema editor the functions use (their connection)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations import RunPython

from pakn.cases.models import AuditEvent, Case

migration = importlib.import_module("pakn.reception.migrations.0003_append_only_logs")


class Editor:
    connection = connection


def rewrite(event: AuditEvent) -> None:
    assert AuditEvent._meta.db_table == "cases_auditevent"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_auditevent SET action = %s WHERE id = %s", ["forged", event.pk])


@pytest.mark.django_db
def test_backwards_lifts_the_guard_and_forwards_puts_it_back(make_case: Callable[..., Case]) -> None:
    event = AuditEvent.objects.filter(case=make_case()).get()
    with pytest.raises(DatabaseError), transaction.atomic():  # as migrated
        rewrite(event)

    migration.uninstall(None, Editor())

    with transaction.atomic():
        rewrite(event)
    assert AuditEvent.objects.get(pk=event.pk).action == "forged"

    migration.install(None, Editor())

    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        rewrite(event)
    assert "append-only" in str(refused.value)
    migration.install(None, Editor())  # idempotent (``reinstall_after_migrate`` runs it after every migrate)


def test_the_migration_is_reversible() -> None:
    [operation] = migration.Migration.operations
    assert isinstance(operation, RunPython) and operation.reverse_code is migration.uninstall
    assert ("cases", "0003_forward_escalation_flag") in migration.Migration.dependencies
