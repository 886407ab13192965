"""Who may see and change reception data (and, through the same rules, plans).

Clerks, heads and unit administrators act on their own unit (and on the units under it when their
membership includes sub-units) — ``org.access.handling_units``. Supervisors (Fatherland Front,
People's Inspection Board) read the units of their commune, or of their province when their unit is
provincial or their membership includes sub-units, and change nothing. Anything else is "not found",
so another unit's register is never revealed; a supervisor trying to change what they may read gets
"forbidden"."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from pakn.core.errors import Forbidden, NotFound
from pakn.org.access import handling_units
from pakn.org.models import Membership, Role, Unit

M = TypeVar("M", bound=Model)


def writable_units(user: Any) -> QuerySet[Unit]:
    return handling_units(user)


def supervised_units(user: Any) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    condition = Q(pk__in=[])
    for m in Membership.objects.filter(user=user, role=Role.SUPERVISOR).select_related("unit"):
        if m.unit.commune_id and not m.include_subunits:
            condition |= Q(commune_id=m.unit.commune_id)
        else:
            condition |= Q(province_id=m.unit.province_id)
    return Unit.objects.filter(condition)


def readable_units(user: Any) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(
        Q(pk__in=writable_units(user).values("pk")) | Q(pk__in=supervised_units(user).values("pk"))
    )


def can_write(user: Any, unit: Unit | int) -> bool:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return writable_units(user).filter(pk=unit_id).exists()


def can_read(user: Any, unit: Unit | int) -> bool:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return readable_units(user).filter(pk=unit_id).exists()


def require_writer(user: Any, unit: Unit | int) -> None:
    """Raise Forbidden unless ``user`` may change ``unit``'s data (services call this)."""
    if not can_write(user, unit):
        raise Forbidden()


def fetch(user: Any, queryset: QuerySet[M], pk: Any, *, unit_field: str = "unit", write: bool = False) -> M:
    """The object if ``user`` may read its unit; NotFound otherwise; Forbidden for a read-only user
    asking to change it."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = queryset.filter(pk=key, **{f"{unit_field}__in": readable_units(user)}).first()
    if obj is None:
        raise NotFound()
    if write:
        target: Any = obj
        for part in unit_field.split("__"):
            target = getattr(target, part)
        require_writer(user, target.pk)
    return obj


def access_unit(user: Any, unit_id: Any, *, write: bool = False) -> Unit:
    try:
        key = int(unit_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    unit = readable_units(user).filter(pk=key).first()
    if unit is None:
        raise NotFound()
    if write:
        require_writer(user, unit)
    return unit
