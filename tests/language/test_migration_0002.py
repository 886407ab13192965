"""Migration language.0002: the full-text side of the search index, per database (an FTS5 table kept in sync by
triggers on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL). Its data part: forwards
indexes the search documents that already exist (FTS5 ``rebuild``; the generated column is computed for every
row), and documents written afterwards are kept in the index; backwards removes the index and leaves the
documents. Runs on both databases (the suite runs twice).

The operations run inside the test's transaction on the shared test database (SQLite and PostgreSQL both roll
DDL back): backwards, a document changed while there is no index, forwards, then the search query the
application uses (``search.match_sql``). Django's SQLite schema editor refuses to open inside a transaction,
so the migration's functions get a minimal editor: the connection and ``execute``, all they use."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.migrations import RunPython

from pakn.cases.models import Case
from pakn.language import search
from pakn.language.models import CaseSearchDocument

migration = importlib.import_module("pakn.language.migrations.0002_search_index")
[OPERATION] = migration.Migration.operations


class Editor:
    """What ``RunPython`` hands the functions, reduced to what they use."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def forwards() -> None:
    OPERATION.code(None, Editor())


def backwards() -> None:
    if connection.vendor == "postgresql":
        # Rows inserted in this transaction have deferred foreign-key checks pending, and PostgreSQL refuses
        # ALTER TABLE on a table with pending trigger events: run the checks now (a real migration commits first).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    OPERATION.reverse_code(None, Editor())


EXPECTED = {
    "sqlite": {"language_fts", "language_fts_ai", "language_fts_ad", "language_fts_au"},
    "postgresql": {"search_vector", "language_csd_vector_gin"},
}


def index_objects() -> set[str]:
    """The database objects of the migration that exist now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            names = {row[0] for row in cursor.fetchall()}
        else:
            columns = connection.introspection.get_table_description(cursor, "language_casesearchdocument")
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'language_casesearchdocument'")
            names = {c.name for c in columns} | {row[0] for row in cursor.fetchall()}
    return names & EXPECTED[connection.vendor]


def matching(*words: str) -> set[int]:
    return set(Case.objects.filter(pk__in=search.match_sql(words)).values_list("pk", flat=True))


def rewrite(case: Case, title: str) -> None:
    """A document changed behind the services (as rows written while the index is missing are)."""
    keys = search.document_keys(title=title, content=case.content)
    CaseSearchDocument.objects.filter(case_id=case.pk).update(**keys)


@pytest.mark.django_db
def test_backwards_drops_the_index_and_forwards_indexes_the_existing_documents(
    make_case: Callable[..., Case],
) -> None:
    if connection.vendor not in EXPECTED:
        pytest.skip(f"no full-text index on {connection.vendor}")
    lamp = make_case(title="Đèn đường hỏng ở ngõ 12")
    drain = make_case(title="Cống thoát nước bị tắc", content="Nước ngập cả ngõ sau mỗi trận mưa.")
    assert index_objects() == EXPECTED[connection.vendor]
    assert matching("cong", "thoat", "nuoc") == {drain.pk}

    backwards()

    assert index_objects() == set()
    assert CaseSearchDocument.objects.filter(case__in=[lamp, drain]).count() == 2  # the documents stay
    rewrite(lamp, "Đèn chiếu sáng công viên tắt")  # written while nothing indexes

    forwards()

    assert index_objects() == EXPECTED[connection.vendor]
    assert matching("cong", "vien") == {lamp.pk}  # indexed from the table as it was
    assert matching("cong", "thoat", "nuoc") == {drain.pk}
    assert matching("ngo", "12") == set()  # the old text of the rewritten row is not left in the index
    rewrite(drain, "Rác thải ùn ứ ở chợ")  # kept in sync from now on (triggers / generated column)
    assert matching("rac", "thai") == {drain.pk} and matching("cong", "thoat") == set()


def test_both_directions_are_defined_for_both_databases() -> None:
    assert isinstance(OPERATION, RunPython) and OPERATION.reversible
    assert OPERATION.reverse_code is not RunPython.noop
    assert len(migration.SQLITE_DOWN) == len(migration.SQLITE_UP) - 1  # three triggers and the table; no rebuild
    assert len(migration.POSTGRES_DOWN) == len(migration.POSTGRES_UP)
