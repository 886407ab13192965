"""What the reception acts share: sealing and redacting people's details, the activity log, the time rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import PaknError
from pakn.org.models import Unit
from pakn.reception import rules
from pakn.reception.models import (
    Activity,
    ReceptionRequirement,
    TimeRule,
)

MAX_SUMMARY = 5_000
MAX_BODY = 20_000


# ---------------------------------------------------------------- personal data (docs/protection.md)


@sensitive_variables()
def seal_person(unit: Unit, identity: dict[str, str], label: str) -> tuple[Any, list[str]]:
    """Seal a person's details to the unit's protection officers; return the vault item and the keyed
    hashes that keep those details out of the text staff see."""
    from pakn.protection import keys, redact, vault

    item = vault.seal_for_unit(unit=unit, data=identity, label=label)
    return item, redact.identity_terms(identity, keys.redaction_key())


def redacted(text: str, terms: list[str]) -> str:
    from pakn.protection import keys, redact

    return redact.redact(text, terms, keys.redaction_key()).text


# ---------------------------------------------------------------- activity log and rules


def write_activity(
    app: str, action: str, obj: Any, *, actor: Any, unit: Unit | None, data: dict[str, Any] | None = None
) -> Activity:
    """The writer of the shared activity log (``core.activity.log_activity``, registered at start-up)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Activity.objects.create(
        app=app,
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.pk,
        unit=unit,
        actor=user,
        actor_label=f"staff:{user.pk}" if user else "citizen",
        data=data or {},
    )


def record_activity(
    action: str, obj: Any, *, actor: Any, unit: Unit | None, data: dict[str, Any] | None = None
) -> Activity:
    return write_activity("reception", action, obj, actor=actor, unit=unit, data=data)


def time_rule(item: str, *, unit_kind: str, on: date) -> TimeRule:
    """The rule in force on ``on`` for ``unit_kind`` (a kind-specific rule wins over a general one)."""
    in_force = (
        TimeRule.objects.filter(item=item, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(unit_kind=unit_kind) | Q(unit_kind=""))
    )
    rule = in_force.order_by("-unit_kind", "-effective_from").first()
    if rule is None:
        raise PaknError(_("Chưa có quy định thời hạn cho việc này; quản trị viên cần bổ sung."), code="missing_rule")
    return rule


def requirements_for(unit: Unit) -> list[rules.Requirement]:
    from pakn.reception.queries import as_rules

    return as_rules(
        list(ReceptionRequirement.objects.filter(unit_kind=unit.kind).filter(Q(level=unit.level) | Q(level="")))
    )
