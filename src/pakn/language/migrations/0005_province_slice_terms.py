"""Each province's slices of ids as index terms ("q_<province>_<id // 10000>", ``language.search.scope_key``),
so that a province's newest matches on PostgreSQL are found in the province's short slice lists instead of the
province's whole list intersected with the slices'. Existing documents get them with one UPDATE (the
full-text index follows: the SQLite triggers, the PostgreSQL generated column); undone the same way."""

from importlib import import_module

from django.db import migrations

# Appended to the terms of migration 0003 (scope_key ends with a space): the case's province's slice and,
# when it differs, its unit's.
PROVINCE_SLICES = (
    "'q_' || c.province_id || '_' || (c.id / 10000) || ' '"
    " || CASE WHEN u.province_id = c.province_id THEN '' ELSE 'q_' || u.province_id || '_' || (c.id / 10000) || ' ' END"
)
# Without them: the terms of migration 0003 again.
TERMS_0003 = import_module("pakn.language.migrations.0003_search_scope").SCOPE_TERMS


def _fill(terms, vendor):
    if vendor == "postgresql":
        return (
            f"UPDATE language_casesearchdocument d SET scope_key = {terms} FROM cases_case c "  # noqa: S608
            "JOIN org_unit u ON u.id = c.unit_id WHERE c.id = d.case_id"
        )
    return (  # constant SQL, no input
        f"UPDATE language_casesearchdocument SET scope_key = (SELECT {terms} FROM cases_case c "  # noqa: S608
        "JOIN org_unit u ON u.id = c.unit_id WHERE c.id = language_casesearchdocument.case_id)"
    )


def _run(terms):
    def run(apps, schema_editor):
        schema_editor.execute(_fill(terms, schema_editor.connection.vendor))

    return run


class Migration(migrations.Migration):
    dependencies = [("language", "0004_duplicate_check_indexes")]

    operations = [
        migrations.RunPython(_run(f"{TERMS_0003} || {PROVINCE_SLICES}"), _run(TERMS_0003)),
    ]
