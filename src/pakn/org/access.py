"""Who may see and act on what. ``access_case`` fetches *and* checks at once and answers "not found"
for a case the user may not see, so its existence is never revealed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from pakn.core.errors import Forbidden, NotFound
from pakn.org.models import Membership, Role, Unit

if TYPE_CHECKING:
    from pakn.cases.models import Case

HANDLER_ROLES = (Role.CLERK, Role.HEAD, Role.ADMIN)


def _subtree(unit_ids: set[int]) -> Q:
    """Units themselves and up to two levels below (province → department/commune → office)."""
    return Q(pk__in=unit_ids) | Q(parent_id__in=unit_ids) | Q(parent__parent_id__in=unit_ids)


def handling_units(user: Any) -> QuerySet[Unit]:
    """Units whose cases the user may act on (clerk, head, unit admin)."""
    if user is None or not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    memberships = list(Membership.objects.filter(user=user, role__in=HANDLER_ROLES))
    own = {m.unit_id for m in memberships}
    wide = {m.unit_id for m in memberships if m.include_subunits}
    return Unit.objects.filter(Q(pk__in=own) | _subtree(wide))


def supervised_case_filter(user: Any) -> Q:
    """Supervisors (Fatherland Front, People's Inspection Board) see every case in their area."""
    condition = Q(pk__in=[])
    for m in Membership.objects.filter(user=user, role=Role.SUPERVISOR).select_related("unit"):
        if m.unit.commune_id and not m.include_subunits:
            condition |= Q(commune_id=m.unit.commune_id) | Q(unit__commune_id=m.unit.commune_id)
        else:
            condition |= Q(province_id=m.unit.province_id) | Q(unit__province_id=m.unit.province_id)
    return condition


def _conflict_units(user: Any) -> list[int]:
    """The units a conflict of interest is checked against: those the user works in, and the unit
    directly above each (an office's staff serve the head of the body the office belongs to)."""
    rows = Membership.objects.filter(user=user).values_list("unit_id", "unit__parent_id")
    return sorted({unit for unit, _parent in rows} | {parent for _unit, parent in rows if parent is not None})


def conflicted_cases(user: Any) -> QuerySet[Any]:
    """Ids of the cases ``user`` may never see, whatever their role: those about themselves (the person
    concerned is linked to their account) and those about the head or deputy head of a unit they work in —
    the accused's own desk (domain.md §4a). The services keep ``CaseSubject.conflict_unit`` in step with
    the competence rules. Other access helpers (protection officers, supervisors) exclude these too."""
    from pakn.cases.models import CaseSubject

    return CaseSubject.objects.filter(
        Q(user_id=user.pk) | Q(conflict_unit_id__in=_conflict_units(user))
    ).values("case_id")


def visible_cases(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may see: those of the units they handle or supervise, minus any case where they
    have a conflict of interest (``conflicted_cases``). Every list, page, search, count and API route
    starts here (and ``access_case`` answers "not found" for the rest)."""
    from pakn.cases.models import Case

    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.exclude(pk__in=conflicted_cases(user))
    visible = Case.objects.filter(Q(unit__in=handling_units(user)) | supervised_case_filter(user)).distinct()
    return visible.exclude(pk__in=conflicted_cases(user))


def access_case(user: Any, case_id: int | str, *, for_update: bool = False) -> Case:
    """The case if ``user`` may see it; NotFound otherwise (never Forbidden: existence is secret)."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    queryset = visible_cases(user)
    try:
        case = queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise NotFound() from None
    if for_update:
        from pakn.cases.models import Case

        return Case.objects.select_for_update().get(pk=case.pk)
    return case


def can_handle(user: Any, case: Case) -> bool:
    if not handling_units(user).filter(pk=case.unit_id).exists():
        return False
    return not conflicted_cases(user).filter(case_id=case.pk).exists()


def require_handler(user: Any, case: Case) -> None:
    if not can_handle(user, case):
        raise Forbidden()


def is_staff_member(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or Membership.objects.filter(user=user).exists()))


def roles_of(user: Any) -> set[str]:
    if not user.is_authenticated:
        return set()
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles
