"""The full-text side of the search index, per database: an FTS5 table kept in sync by triggers on
SQLite, a generated tsvector column with a GIN index on PostgreSQL. Both index the same folded keys
(``core.text.search_key``), computed in Python, so both databases match the same cases."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE language_fts USING fts5(title_key, body_key, content='language_casesearchdocument', "
    "content_rowid='case_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER language_fts_ai AFTER INSERT ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(rowid, title_key, body_key) VALUES (new.case_id, new.title_key, new.body_key); END",
    "CREATE TRIGGER language_fts_ad AFTER DELETE ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(language_fts, rowid, title_key, body_key) VALUES ('delete', old.case_id, old.title_key, old.body_key); END",
    "CREATE TRIGGER language_fts_au AFTER UPDATE ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(language_fts, rowid, title_key, body_key) VALUES ('delete', old.case_id, old.title_key, old.body_key); "
    "INSERT INTO language_fts(rowid, title_key, body_key) VALUES (new.case_id, new.title_key, new.body_key); END",
    "INSERT INTO language_fts(language_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS language_fts_au",
    "DROP TRIGGER IF EXISTS language_fts_ad",
    "DROP TRIGGER IF EXISTS language_fts_ai",
    "DROP TABLE IF EXISTS language_fts",
]
POSTGRES_UP = [
    "ALTER TABLE language_casesearchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_key || ' ' || body_key)) STORED",
    "CREATE INDEX language_csd_vector_gin ON language_casesearchdocument USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS language_csd_vector_gin",
    "ALTER TABLE language_casesearchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("language", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
