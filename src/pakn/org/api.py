"""Reference data for forms and API clients: provinces, communes, units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from pakn.cases.schemas import MeOut, PlaceOut, UnitOut
from pakn.core.errors import NotFound
from pakn.core.people import person_name
from pakn.org.access import is_staff_member, roles_of
from pakn.org.directory import unit_label
from pakn.org.models import Membership, Province, Unit
from pakn.org.places import communes_of

router = Router(tags=["reference"])
me_router = Router(tags=["staff"])


@me_router.get("/me", response=MeOut, operation_id="get_me")
def me(request: HttpRequest) -> Any:
    """Who the token (or session) belongs to: roles and the units they act for."""
    user: Any = request.user
    memberships = Membership.objects.filter(user=user).select_related("unit").order_by("unit__code", "role")
    return {
        "username": user.get_username(),
        "name": person_name(user),
        "email": getattr(user, "email", ""),
        "is_superuser": bool(user.is_superuser),
        "is_staff_member": is_staff_member(user),
        "roles": sorted(roles_of(user)),
        "memberships": [
            {
                "unit_code": m.unit.code,
                "unit": m.unit.name,
                "role": m.role,
                "role_label": m.get_role_display(),
                "include_subunits": m.include_subunits,
            }
            for m in memberships
        ],
    }


@router.get("/provinces", response=list[PlaceOut], operation_id="list_provinces", auth=None)
def provinces(request: HttpRequest) -> Any:
    return [{"code": p.code, "name": p.name} for p in Province.objects.all()]


@router.get("/provinces/{code}/communes", response=list[PlaceOut], operation_id="list_communes", auth=None)
def communes(request: HttpRequest, code: str) -> Any:
    if not Province.objects.filter(code=code).exists():
        raise NotFound()
    return [{"code": commune_code, "name": name} for commune_code, name in communes_of(code)]


@router.get("/units", response=list[UnitOut], operation_id="list_units", auth=None)
def units(request: HttpRequest, province: str = "", commune: str = "", q: str = "", near: str = "") -> Any:
    """Active units: of a province or commune, or (``q``) those whose name has every word typed, diacritics
    optional ("ubnd ba dinh"), the units of ``near``'s province first."""
    if q.strip():
        from pakn.org.directory import find_units

        found = find_units(q[:100], near=Unit.objects.filter(code=near).first() if near else None, limit=30)
        return [_unit_out(u) for u in found]
    queryset = Unit.objects.filter(is_active=True)
    if province:
        queryset = queryset.filter(province_id=province)
    if commune:
        queryset = queryset.filter(commune_id=commune)
    if not province and not commune:
        queryset = queryset.filter(level="province")
    return [_unit_out(u) for u in queryset.select_related("province")[:500]]


def _unit_out(u: Unit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "kind": u.kind,
        "level": u.level,
        "province_code": u.province_id,
        "commune_code": u.commune_id,
        "label": unit_label(u),
    }
