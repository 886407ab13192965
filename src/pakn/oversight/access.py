"""Who sees what in oversight. Like ``org.access``: fetch and check at once, answer "not found" otherwise.

- Supervisors (Fatherland Front committees, People's Inspection Boards) read every case of their area
  (``org.access.supervised_case_filter``) and the units there, and send recommendations; never write a case.
- A unit's staff (clerk, head, unit administrator) see the scorecards and reports of their unit and the units
  under it, and the recommendations addressed to the units they handle.
- Official-level scorecards: heads only, for their unit and the units under it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pakn.cases.models import Case
from pakn.core.errors import NotFound
from pakn.org.access import HANDLER_ROLES, conflicted_cases, handling_units, supervised_case_filter
from pakn.org.models import Membership, Role, Unit, UnitKind
from pakn.public.stats import subtree_ids

SUPERVISING_KINDS = (UnitKind.FRONT_COMMITTEE, UnitKind.INSPECTION_BOARD)


def supervisor_memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user, role=Role.SUPERVISOR).select_related("unit"))


def is_supervisor(user: Any) -> bool:
    return bool(supervisor_memberships(user))


def _area_q(memberships: list[Membership]) -> Q:
    condition = Q(pk__in=[])
    for m in memberships:
        if m.unit.commune_id and not m.include_subunits:
            condition |= Q(commune_id=m.unit.commune_id)
        else:
            condition |= Q(province_id=m.unit.province_id)
    return condition


def area_units(user: Any) -> QuerySet[Unit]:
    """Units in a supervisor's area (same rule as ``supervised_case_filter``)."""
    return Unit.objects.filter(_area_q(supervisor_memberships(user)))


def area_cases(user: Any) -> QuerySet[Case]:
    """The cases a supervisor reads. Empty for anyone else (staff use the staff pages)."""
    if not is_supervisor(user):
        return Case.objects.none()
    # Never a case about the supervisor or the head of their own body (conflict of interest: org.access).
    return Case.objects.filter(supervised_case_filter(user)).distinct().exclude(pk__in=conflicted_cases(user))


def access_area_case(user: Any, case_id: int | str) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case = area_cases(user).select_related("unit", "topic", "province", "commune").filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def recommendable_units(user: Any) -> QuerySet[Unit]:
    """Units a supervisor may send a recommendation to: the active units of the area, other than the
    supervising bodies themselves."""
    return area_units(user).filter(is_active=True).exclude(kind__in=SUPERVISING_KINDS)


def report_units(user: Any) -> QuerySet[Unit]:
    """Units whose scorecards and reports ``user`` may see."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    own = list(Membership.objects.filter(user=user, role__in=HANDLER_ROLES).values_list("unit_id", flat=True))
    condition = Q(pk__in=subtree_ids(own)) if own else Q(pk__in=[])
    memberships = supervisor_memberships(user)
    if memberships:
        condition |= _area_q(memberships)
    return Unit.objects.filter(condition)


def official_units(user: Any) -> QuerySet[Unit]:
    """Units whose officials a head may see ranked: the units they head and the units under them."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    heads = list(Membership.objects.filter(user=user, role=Role.HEAD).values_list("unit_id", flat=True))
    return Unit.objects.filter(pk__in=subtree_ids(heads)) if heads else Unit.objects.none()


def answering_units(user: Any) -> QuerySet[Unit]:
    """Units whose recommendations ``user`` may read and answer (their handling units)."""
    return handling_units(user)


def has_oversight_access(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or report_units(user).exists()))
