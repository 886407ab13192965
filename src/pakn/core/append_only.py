"""Database triggers that refuse to change or remove rows of the append-only logs (the case audit trail,
the reception/plans activity log), so not even a bug, an admin tool or a hand-typed SQL statement can
rewrite history without first dropping the trigger (which takes schema rights, and ``pakn audit verify``
still catches a rewrite).

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, used by test flushes and never by the application, stays
possible). SQLite refuses UPDATE only: its table flush is a DELETE, which the test suite needs; a deleted
event still breaks the hash chain, which ``pakn audit verify`` reports."""

from __future__ import annotations

from typing import Any

TABLES = ("cases_auditevent", "reception_activity")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION pakn_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'pakn: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def install(connection: Any, tables: tuple[str, ...] = TABLES) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS pakn_append_only ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER pakn_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION pakn_refuse_change()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS pakn_append_only_{table}")
                cursor.execute(
                    f"CREATE TRIGGER pakn_append_only_{table} BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'pakn: {table} is append-only (UPDATE refused)'); END"
                )


def uninstall(connection: Any, tables: tuple[str, ...] = TABLES) -> None:
    """What an attacker with schema rights would do first (the tamper tests), or a reviewed data migration."""
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pakn_append_only ON {table}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS pakn_append_only_{table}")


def reinstall_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate``: SQLite rebuilds a table for many column changes, which silently drops its
    triggers; installing again after every ``migrate`` keeps the guard whatever a later migration did."""
    from django.db import connections

    connection = connections[using]
    present = tuple(t for t in TABLES if t in connection.introspection.table_names())
    if present:
        install(connection, present)
