"""Scope and recency terms in the search index (``CaseSearchDocument.scope_key``: "u_<unit> p_<province>
c_<commune> r_<id // 10000>", see ``language.search.scope_key``), so that a clerk's search is an intersection
inside the index and the newest matches are found without reading every match.

SQLite: the FTS5 table gets a third column, keeps "_" inside words (typed words never have one) and stores
no positions (``detail=none``: every query is a set of single words, and lists of row ids alone are several
times shorter, so intersecting a clerk's short list with common words' long ones reads less);
PostgreSQL: the generated ``tsvector`` adds the scope terms verbatim (``array_to_tsvector``: the parser
would split "u_5"). Existing documents are filled in here with one UPDATE (the same terms the Python
side computes, ``search.scope_key``); the full-text index is rebuilt once."""

from django.db import migrations, models

# The terms of every existing document, from its case and the case's unit (same as search.scope_key).
SCOPE_TERMS = (
    "' u_' || c.unit_id || ' p_' || c.province_id || ' p_' || u.province_id"
    " || CASE WHEN c.commune_id IS NULL THEN '' ELSE ' c_' || c.commune_id END"
    " || CASE WHEN u.commune_id IS NULL THEN '' ELSE ' c_' || u.commune_id END"
    " || ' r_' || (c.id / 10000) || ' '"
)
FILL_SQLITE = (  # constant SQL, no input
    f"UPDATE language_casesearchdocument SET scope_key = (SELECT {SCOPE_TERMS} FROM cases_case c "  # noqa: S608
    "JOIN org_unit u ON u.id = c.unit_id WHERE c.id = language_casesearchdocument.case_id)"
)
FILL_POSTGRES = (
    f"UPDATE language_casesearchdocument d SET scope_key = {SCOPE_TERMS} FROM cases_case c "  # noqa: S608
    "JOIN org_unit u ON u.id = c.unit_id WHERE c.id = d.case_id"
)

FTS_TRIGGERS = [
    "CREATE TRIGGER language_fts_ai AFTER INSERT ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(rowid, title_key, body_key, scope_key) "
    "VALUES (new.case_id, new.title_key, new.body_key, new.scope_key); END",
    "CREATE TRIGGER language_fts_ad AFTER DELETE ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(language_fts, rowid, title_key, body_key, scope_key) "
    "VALUES ('delete', old.case_id, old.title_key, old.body_key, old.scope_key); END",
    "CREATE TRIGGER language_fts_au AFTER UPDATE ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(language_fts, rowid, title_key, body_key, scope_key) "
    "VALUES ('delete', old.case_id, old.title_key, old.body_key, old.scope_key); "
    "INSERT INTO language_fts(rowid, title_key, body_key, scope_key) "
    "VALUES (new.case_id, new.title_key, new.body_key, new.scope_key); END",
]
DROP_FTS = [
    "DROP TRIGGER IF EXISTS language_fts_au",
    "DROP TRIGGER IF EXISTS language_fts_ad",
    "DROP TRIGGER IF EXISTS language_fts_ai",
    "DROP TABLE IF EXISTS language_fts",
]
SQLITE_UP = [
    *DROP_FTS,
    FILL_SQLITE,
    "CREATE VIRTUAL TABLE language_fts USING fts5(title_key, body_key, scope_key, "
    "content='language_casesearchdocument', content_rowid='case_id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\", detail=none)",
    *FTS_TRIGGERS,
    "INSERT INTO language_fts(language_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [  # back to migration 0002's table
    *DROP_FTS,
    "CREATE VIRTUAL TABLE language_fts USING fts5(title_key, body_key, content='language_casesearchdocument', "
    "content_rowid='case_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER language_fts_ai AFTER INSERT ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(rowid, title_key, body_key) VALUES (new.case_id, new.title_key, new.body_key); END",
    "CREATE TRIGGER language_fts_ad AFTER DELETE ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(language_fts, rowid, title_key, body_key) "
    "VALUES ('delete', old.case_id, old.title_key, old.body_key); END",
    "CREATE TRIGGER language_fts_au AFTER UPDATE ON language_casesearchdocument BEGIN "
    "INSERT INTO language_fts(language_fts, rowid, title_key, body_key) "
    "VALUES ('delete', old.case_id, old.title_key, old.body_key); "
    "INSERT INTO language_fts(rowid, title_key, body_key) VALUES (new.case_id, new.title_key, new.body_key); END",
    "INSERT INTO language_fts(language_fts) VALUES ('rebuild')",
]
PG_VECTOR = (
    "ALTER TABLE language_casesearchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, title_key || ' ' || body_key) "
    "|| array_to_tsvector(string_to_array(btrim(scope_key), ' '))) STORED"
)
PG_GIN = "CREATE INDEX language_csd_vector_gin ON language_casesearchdocument USING gin (search_vector)"
POSTGRES_UP = [
    "DROP INDEX IF EXISTS language_csd_vector_gin",
    "ALTER TABLE language_casesearchdocument DROP COLUMN IF EXISTS search_vector",
    FILL_POSTGRES,
    PG_VECTOR,
    PG_GIN,
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS language_csd_vector_gin",
    "ALTER TABLE language_casesearchdocument DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE language_casesearchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_key || ' ' || body_key)) STORED",
    PG_GIN,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("language", "0002_search_index")]

    operations = [
        migrations.AddField(
            model_name="casesearchdocument",
            name="scope_key",
            field=models.TextField(blank=True, db_default="", default=""),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
