"""Who may touch what in the vault.

- Protection officers (``Role.PROTECTION_OFFICER``) of a unit work on the cases of that unit and of the
  units directly under it — the same set their keys are sealed to.
- Every identity route goes through ``access_identity_case``: an officer gets the case; a handler or
  supervisor who can see the case (but is not its officer) gets 403; anybody else gets 404, so a case's
  existence is never revealed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pakn.core.errors import Forbidden, NotFound
from pakn.org.access import conflicted_cases, visible_cases
from pakn.org.models import Membership, Role, Unit


def officer_units(user: Any) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user, memberships__role=Role.PROTECTION_OFFICER).distinct()


def is_officer(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(user=user, role=Role.PROTECTION_OFFICER).exists()
    )


def officer_cases(user: Any) -> QuerySet[Any]:
    from pakn.cases.models import Case

    units = list(officer_units(user).values_list("pk", flat=True))
    if not units:
        return Case.objects.none()
    # Never a case about the officer or the head of their own body (conflict of interest: org.access).
    return Case.objects.filter(Q(unit_id__in=units) | Q(unit__parent_id__in=units)).exclude(
        pk__in=conflicted_cases(user)
    )


def is_officer_for(user: Any, case: Any) -> bool:
    return officer_cases(user).filter(pk=case.pk).exists()


def access_identity_case(user: Any, case_id: Any) -> Any:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case = officer_cases(user).select_related("unit").filter(pk=pk).first()
    if case is not None:
        return case
    if visible_cases(user).filter(pk=pk).exists():
        raise Forbidden()
    raise NotFound()


def oversight_cases(user: Any) -> QuerySet[Any]:
    """Cases whose reveal and protection requests the user may list (never the identity itself):
    supervisors and handlers see their visible cases, officers their own."""
    from pakn.cases.models import Case

    ids = visible_cases(user).values("pk")
    return Case.objects.filter(Q(pk__in=ids) | Q(pk__in=officer_cases(user).values("pk")))


def officer_items(user: Any) -> QuerySet[Any]:
    """People sealed outside any case (register entries, bookings) the user is a protection officer for."""
    from pakn.protection.models import VaultItem

    units = list(officer_units(user).values_list("pk", flat=True))
    if not units:
        return VaultItem.objects.none()
    return VaultItem.objects.filter(kind=VaultItem.Kind.PERSON).filter(
        Q(unit_id__in=units) | Q(unit__parent_id__in=units)
    )


def item_overseers_units(user: Any) -> QuerySet[Unit]:
    """Units whose register people's reveal requests the user may list (never the identity itself): the
    units whose reception register they may read (staff and supervisors), and their officer units."""
    from pakn.reception.access import readable_units

    return Unit.objects.filter(Q(pk__in=readable_units(user).values("pk")) | Q(pk__in=officer_units(user).values("pk")))


def access_identity_item(user: Any, item_id: Any) -> Any:
    """Like ``access_identity_case`` for a person sealed outside any case: the officer gets the item; staff
    of its unit get 403; anybody else 404."""
    from pakn.protection.models import VaultItem

    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    item = officer_items(user).select_related("unit").filter(pk=pk).first()
    if item is not None:
        return item
    if VaultItem.objects.filter(pk=pk, kind=VaultItem.Kind.PERSON, unit__in=item_overseers_units(user)).exists():
        raise Forbidden()
    raise NotFound()
