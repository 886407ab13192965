"""Publishing the results of disciplining officials found in violation after people's reports (Decision
99-QĐ/TW): only the head of the unit that handled the case, or of a unit above it, publishes or retracts.
The case itself is only read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases.models import Case
from pakn.cases.workflow import Status
from pakn.core import validate
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.org.models import Membership, Role, Unit
from pakn.public import discipline
from pakn.public.models import DisciplineRegime, DisciplineResult
from pakn.public.stats import subtree_ids

DONE = (Status.RESOLVED, Status.CLOSED)


def headed_units(user: Any) -> list[int]:
    """Units ``user`` heads, with the units under them."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Unit.objects.values_list("pk", flat=True))
    return subtree_ids(Membership.objects.filter(user=user, role=Role.HEAD).values_list("unit_id", flat=True))


def _clean(value: Any, field: str, errors: dict[str, list[Any]], *, limit: int, required: bool) -> str:
    return validate.text(value, field, errors, required=required, limit=limit)


def publish_discipline_result(
    *,
    actor: Any,
    case: Case,
    official_position: Any,
    violation: Any,
    measure: Any,
    decision_number: Any,
    decided_on: Any,
    regime: Any,
    measure_detail: Any = "",
    official_name: Any = "",
) -> DisciplineResult:
    """``regime``: a cadre's or a civil servant's discipline (the state's) or a party member's (the Party's).
    The measure must exist for that regime on ``decided_on`` (``pakn.public.discipline``); its legal basis is
    kept with the result."""
    case = Case.objects.select_related("unit").get(pk=case.pk)  # the current state, not the caller's copy
    if case.unit_id not in set(headed_units(actor)):
        raise NotFound()
    errors: dict[str, list[Any]] = {}
    position = _clean(official_position, "official_position", errors, limit=200, required=True)
    name = _clean(official_name, "official_name", errors, limit=150, required=False)
    violation_text = _clean(violation, "violation", errors, limit=5000, required=True)
    number = _clean(decision_number, "decision_number", errors, limit=60, required=True)
    detail = _clean(measure_detail, "measure_detail", errors, limit=200, required=False)
    if regime not in DisciplineRegime.values:
        errors["regime"] = [_("Chọn kỷ luật hành chính (cán bộ, công chức) hoặc kỷ luật đảng (đảng viên).")]
    if not isinstance(decided_on, date):
        try:
            decided_on = date.fromisoformat(str(decided_on))
        except ValueError:
            errors["decided_on"] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
    if isinstance(decided_on, date) and decided_on > timezone.localdate():
        errors["decided_on"] = [_("Ngày quyết định không được ở tương lai.")]
    rule = None
    if isinstance(decided_on, date) and regime in DisciplineRegime.values:
        rule = discipline.rule_for(regime, decided_on)
        if rule is None or measure not in rule.measures:
            errors["measure"] = [_("Hình thức kỷ luật này không áp dụng cho đối tượng đã chọn vào ngày quyết định.")]
    elif not measure:
        errors["measure"] = [_("Chọn hình thức kỷ luật.")]
    if errors:
        raise InvalidInput(fields=errors)
    if case.status not in DONE:
        raise InvalidTransition(_("Chỉ công bố kết quả xử lý khi hồ sơ đã có kết luận."))
    with transaction.atomic():
        return DisciplineResult.objects.create(
            case=case,
            unit=case.unit,
            official_position=position,
            official_name=name,
            violation=violation_text,
            measure=measure,
            measure_detail=detail,
            regime=regime,
            legal_basis=rule.citation if rule is not None else "",
            decision_number=number,
            decided_on=decided_on,
            published_by=actor,
            published_at=timezone.now(),
        )


def retract_discipline_result(*, actor: Any, result: DisciplineResult, reason: Any) -> DisciplineResult:
    """Take a published result down (e.g. the decision was annulled); the row is kept with the reason."""
    if result.unit_id not in set(headed_units(actor)):
        raise NotFound()
    errors: dict[str, list[Any]] = {}
    text = _clean(reason, "reason", errors, limit=300, required=True)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        result = DisciplineResult.objects.select_for_update().get(pk=result.pk)
        if result.retracted_at is not None:
            raise InvalidTransition(_("Kết quả này đã được gỡ."))
        result.retracted_at, result.retraction_reason = timezone.now(), text
        result.save(update_fields=["retracted_at", "retraction_reason"])
        return result
