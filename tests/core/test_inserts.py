"""core.inserts: the same row as save() would write, for the rows every submission writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F

from pakn.cases.models import Tag
from pakn.core.inserts import insert, insert_many
from pakn.notify.models import Outbox
from pakn.org.models import Unit

pytestmark = pytest.mark.django_db


def _columns(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in ("id",)}


def test_insert_writes_what_save_writes() -> None:
    unit = Unit.objects.order_by("pk").first()
    saved = Tag(unit=unit, name="đã lưu")
    saved.save()
    inserted = insert(Tag(unit=unit, name="đã chèn"))
    assert inserted.pk and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    fresh = Tag.objects.get(pk=inserted.pk)
    assert fresh.name == "đã chèn" and fresh.unit_id == unit.pk
    assert fresh.created_at is not None  # auto_now_add, as save() sets it
    assert abs((fresh.created_at - Tag.objects.get(pk=saved.pk).created_at).total_seconds()) < 60
    assert _columns(fresh) == _columns(inserted)


def test_insert_many_sets_every_id_in_order() -> None:
    unit = Unit.objects.order_by("pk").first()
    tags = insert_many([Tag(unit=unit, name=f"nhãn {i}") for i in range(5)])
    assert [Tag.objects.get(pk=t.pk).name for t in tags] == [f"nhãn {i}" for i in range(5)]
    assert insert_many([]) == []


def test_an_unsaved_related_object_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        insert(Tag(unit=Unit(name="chưa lưu"), name="x"))


def test_a_related_object_saved_after_it_was_assigned_gives_its_key() -> None:
    parent = Unit.objects.order_by("pk").first()
    unit = Unit(code="TEST-INSERT", name="Đơn vị thử", kind=parent.kind, level=parent.level)
    unit.province_id = parent.province_id
    tag = Tag(unit=unit, name="x")  # unit_id is still empty here
    unit.save()
    assert Tag.objects.get(pk=insert(tag).pk).unit_id == unit.pk  # as save() takes it


def test_an_expression_or_a_database_default_falls_back_to_save() -> None:
    outbox = insert(Outbox(channel="email", recipient="a@example.vn", subject="s", body="b", dedupe_key="k1"))
    assert Outbox.objects.get(pk=outbox.pk).unsubscribe_url == ""  # db_default: left to save()
    unit = Unit.objects.order_by("pk").first()
    Tag.objects.create(unit=unit, name="5")
    with pytest.raises(Exception):  # noqa: B017,PT011 - save() meets the expression, as it would without insert
        insert(Tag(unit=unit, name=F("name")))
