"""Commendations and rewards (Quyết định 99-QĐ/TW: "phát hiện, biểu dương, khen thưởng tổ chức, cá nhân có cách
làm sáng tạo … nhân rộng các mô hình"; "bảo vệ, khuyến khích người dân phát hiện, tố giác").

A head records the decision: of a unit or an official of the units they head (with the unit's figures of the
twelve months to the decision kept beside it, so the good model shows what justified it), or of the citizen whose
report on a settled case led to a result (thanked through their sealed contact, never named; a reward's payment
needs the two-officer reveal). Published unit and official commendations with a named model make the public
library of good models (``/public/good-models/``); a citizen's never appears there."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases.models import Case
from pakn.core import validate
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.org.models import Unit
from pakn.public import stats
from pakn.public.models import Commendation, CommendationKind
from pakn.public.services import DONE, headed_units


def figures_of(unit: Unit, on: date) -> dict[str, Any]:
    """The unit's published figures for the twelve months up to ``on`` (and below it), as they stood."""
    period = stats.Period(on - timedelta(days=365), on)
    measures = stats.totals(stats.Scope.units(unit), period, medians=False)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "received": measures["received"],
        "resolved": measures["resolved"],
        "on_time_rate": stats.pct(measures.on_time_rate),
        "satisfaction_rate": stats.pct(measures.satisfaction_rate),
        "rated": measures["rated"],
    }


def record_commendation(
    *,
    actor: Any,
    kind: Any,
    issued_by: Unit,
    form: Any,
    reason: Any,
    decision_number: Any,
    decided_on: Any,
    unit: Unit | None = None,
    official_name: Any = "",
    official_position: Any = "",
    case: Case | None = None,
    model_title: Any = "",
    model_description: Any = "",
    published: bool = False,
) -> Commendation:
    headed = set(headed_units(actor))
    if issued_by.pk not in headed:
        raise NotFound()
    errors: dict[str, list[Any]] = {}
    if kind not in CommendationKind.values:
        errors["kind"] = [_("Chọn đối tượng được khen thưởng.")]
    form_text = validate.text(form, "form", errors, required=True, limit=120)
    reason_text = validate.text(reason, "reason", errors, required=True, limit=5000)
    number = validate.text(decision_number, "decision_number", errors, required=True, limit=60)
    name = validate.text(official_name, "official_name", errors, required=kind == CommendationKind.OFFICIAL, limit=150)
    position = validate.text(official_position, "official_position", errors, required=False, limit=200)
    title = validate.text(model_title, "model_title", errors, required=bool(published), limit=200)
    description = validate.text(model_description, "model_description", errors, required=bool(published), limit=5000)
    day = decided_on if isinstance(decided_on, date) else None
    if day is None or day > timezone.localdate():
        errors["decided_on"] = [_("Ngày quyết định không hợp lệ hoặc ở tương lai.")]
    if kind in (CommendationKind.UNIT, CommendationKind.OFFICIAL) and (unit is None or unit.pk not in headed):
        errors["unit"] = [_("Chọn đơn vị được khen trong các đơn vị bạn phụ trách.")]
    if kind == CommendationKind.CITIZEN:
        if case is None or case.unit_id not in headed:
            errors["case"] = [_("Nhập mã hồ sơ của đơn do người dân gửi, thuộc đơn vị bạn phụ trách.")]
        if published:
            errors["published"] = [_("Không công khai khen thưởng người dân: danh tính của họ được bảo vệ.")]
    if errors:
        raise InvalidInput(fields=errors)
    assert day is not None
    with transaction.atomic():
        if kind == CommendationKind.CITIZEN:
            assert case is not None
            case = Case.objects.select_for_update().get(pk=case.pk)
            if case.status not in DONE:
                raise InvalidTransition(_("Chỉ khen thưởng người dân khi đơn đã có kết quả giải quyết."))
        commendation = Commendation.objects.create(
            kind=kind,
            issued_by=issued_by,
            unit=unit if kind != CommendationKind.CITIZEN else None,
            official_name=name,
            official_position=position,
            case=case if kind == CommendationKind.CITIZEN else None,
            form=form_text,
            reason=reason_text,
            model_title=title,
            model_description=description,
            figures=figures_of(unit, day) if unit is not None and kind != CommendationKind.CITIZEN else {},
            decision_number=number,
            decided_on=day,
            published=bool(published),
            created_by=actor,
        )
        if kind == CommendationKind.CITIZEN:
            _thank(actor, case, commendation)
        return commendation


def _thank(actor: Any, case: Any, commendation: Commendation) -> None:
    """The reporter's case records it (public event: their status page shows it) and their sealed contact is told."""
    from pakn.cases.services import notify_reporter, record_event

    event = record_event(
        case,
        "reporter_commended",
        actor=actor,
        data={"form": commendation.form, "decision_number": commendation.decision_number},
    )
    notify_reporter(
        case,
        event,
        _("Cảm ơn bạn đã phản ánh: đơn %(code)s") % {"code": case.tracking_code},
        _(
            "%(unit)s cảm ơn bạn: đơn %(code)s của bạn đã giúp phát hiện, xử lý vi phạm. Hình thức: %(form)s "
            "(Quyết định %(number)s). Danh tính của bạn tiếp tục được bảo vệ."
        )
        % {
            "unit": commendation.issued_by.name,
            "code": case.tracking_code,
            "form": commendation.form,
            "number": commendation.decision_number,
        },
    )


def good_models() -> QuerySet[Commendation]:
    """The public library: published commendations of units and officials with a named model."""
    return (
        Commendation.objects.filter(published=True)
        .exclude(kind=CommendationKind.CITIZEN)
        .exclude(model_title="")
        .select_related("unit", "issued_by")
    )


def recorded_by(user: Any) -> QuerySet[Commendation]:
    """The commendations decided by the units ``user`` heads (and below)."""
    return Commendation.objects.filter(issued_by_id__in=headed_units(user)).select_related("unit", "issued_by", "case")
