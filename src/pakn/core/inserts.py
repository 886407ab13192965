"""Inserting the rows every submission writes without building their SQL again each time.

``Model.save()`` compiles a new INSERT for every row: it walks the model's fields, quotes every column and
asks each field for its placeholder (about 0.3 ms of Python a row, most of a submission's own CPU). The shape
of these rows never changes, so ``insert`` writes the statement once per model and database and then only
prepares the values, with each field's own ``pre_save`` and ``get_db_prep_save`` as ``save()`` does (auto_now,
JSON, dates and keys come out the same). bench/intake.py measures the difference.

Use it for plain new rows only. It sends no ``pre_save``/``post_save`` signal, calls no overridden ``save()``,
does not handle multi-table inheritance, and leaves a value that is an expression (``F()``, ``db_default``) to
``save()``, which it then calls instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Shape:
    table_columns: str  # 'INSERT INTO "t" ("a", "b")'
    row: str  # "(%s, %s)"
    returning: str  # ' RETURNING "t"."id"' or ""
    fields: tuple[Field[Any, Any], ...]
    relations: tuple[Any, ...]  # the foreign keys among ``fields``: their cached objects give the ids
    pk: Field[Any, Any] | None  # set from the database after the insert (an auto-increment key)

    def sql(self, rows: int) -> str:
        return f"{self.table_columns} VALUES {', '.join([self.row] * rows)}{self.returning}"


_shapes: dict[tuple[type[Model], str, bool], _Shape] = {}


def _shape(model: type[Model], alias: str, auto_pk: bool) -> _Shape:
    key = (model, alias, auto_pk)
    found = _shapes.get(key)
    if found is not None:
        return found
    meta, connection = model._meta, connections[alias]
    if meta.parents:
        raise TypeError(f"{meta.label}: inherited models are saved with save()")
    fields = tuple(f for f in meta.local_concrete_fields if not (auto_pk and f is meta.auto_field))
    if any(hasattr(f, "get_placeholder") for f in fields):
        raise TypeError(f"{meta.label}: a field has its own placeholder; use save()")
    quote = connection.ops.quote_name
    returning = ""
    if auto_pk and connection.features.can_return_columns_from_insert:
        returning_sql, _params = connection.ops.return_insert_columns([meta.pk])  # type: ignore[attr-defined]
        returning = f" {returning_sql}"
    shape = _Shape(
        # Table and column names come from the model; every value is a parameter.
        table_columns=f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)})",
        row="(" + ", ".join(["%s"] * len(fields)) + ")",
        returning=returning,
        fields=fields,
        relations=tuple(f for f in fields if f.is_relation and f.many_to_one),
        pk=meta.pk if auto_pk else None,
    )
    _shapes[key] = shape
    return shape


def _values(obj: Model, shape: _Shape, connection: Any) -> list[Any] | None:
    """The row's database values, or None when one is an expression (``save()`` handles those)."""
    for field in shape.relations:  # what save() checks: a related object assigned before it was saved
        if field.is_cached(obj):
            related = field.get_cached_value(obj)
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"{field.name}: save the related object first")
                if getattr(obj, field.attname) != related.pk:
                    setattr(obj, field.attname, related.pk)
    values = []
    for field in shape.fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            return None
        values.append(field.get_db_prep_save(value, connection))
    return values


def insert(obj: M, *, using: str | None = None) -> M:
    """Insert ``obj`` (a new row) and set its id, as ``obj.save(force_insert=True)`` would."""
    return insert_many([obj], using=using)[0]


def insert_many(objs: Sequence[M], *, using: str | None = None) -> Sequence[M]:
    """Insert new rows of one model in one statement, their ids set (all with an id, or all without)."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = using or router.db_for_write(model, instance=objs[0])
    connection = connections[alias]
    auto_pk = objs[0].pk is None and model._meta.auto_field is not None
    shape = _shape(model, alias, auto_pk)
    if shape.pk is not None and not shape.returning and len(objs) > 1:  # one id per statement
        return [insert(obj, using=alias) for obj in objs]
    rows = [_values(obj, shape, connection) for obj in objs]
    if any(row is None for row in rows) or any(type(obj) is not model or (obj.pk is None) != auto_pk for obj in objs):
        for obj in objs:
            obj.save(force_insert=True, using=alias)
        return objs
    with connection.cursor() as cursor:
        cursor.execute(shape.sql(len(objs)), [value for row in rows for value in row])  # type: ignore[union-attr]
        if shape.pk is not None:
            if shape.returning:
                ids = [row[0] for row in cursor.fetchall()]
            else:
                ids = [connection.ops.last_insert_id(cursor, model._meta.db_table, str(shape.pk.column))]
            for obj, pk in zip(objs, ids, strict=True):
                setattr(obj, shape.pk.attname, pk)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
