"""Indexes for the duplicate check's one read (``duplicates.rank``): the open cases of a few communes, newest
first, with their ``dup_key``.

Without them the database fetches every case row of those communes (a random page each, ~2 KB rows, half
of them closed) and then every search document (title, body and vector keys) only to read two columns.
``language_case_commune_status`` answers the commune and status filter and the ids from the index alone;
``language_csd_dup_key`` holds the short duplicate key beside the case id (an index-only lookup on
PostgreSQL, a covering index on SQLite). Both are plain indexes: nothing to keep in step by hand."""

from django.db import migrations

UP = [
    "CREATE INDEX IF NOT EXISTS language_case_commune_status ON cases_case (commune_id, status, id)",
]
SQLITE_UP = [*UP, "CREATE INDEX IF NOT EXISTS language_csd_dup_key ON language_casesearchdocument (case_id, dup_key)"]
POSTGRES_UP = [
    *UP,
    "CREATE INDEX IF NOT EXISTS language_csd_dup_key ON language_casesearchdocument (case_id) INCLUDE (dup_key)",
]
DOWN = ["DROP INDEX IF EXISTS language_csd_dup_key", "DROP INDEX IF EXISTS language_case_commune_status"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("language", "0003_search_scope"), ("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": DOWN, "postgresql": DOWN}),
        ),
    ]
