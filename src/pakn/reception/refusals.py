"""The register of refused receptions (Luật Tiếp công dân 2013, Điều 9).

A person may be refused reception only on the grounds the law lists: intoxicated or unable to control their
acts; threatening or insulting, or breaking the rules of the reception place; a matter already settled lawfully,
reviewed, answered in writing and explained, pressed again and again; other cases the law provides. Each refusal
is written here, with its ground and what happened, so that heads, inspectors and the Front can count and check
them. The person's details, when known, are sealed like the register's; a refusal on ground 3 names the settled
matter (its document or case code)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.org.models import Unit
from pakn.reception import validation as v
from pakn.reception.access import readable_units, require_writer
from pakn.reception.models import RefusalGround, RefusedVisit, Session

MAX_TEXT = 5_000


@sensitive_variables()
def record_refusal(
    *,
    actor: Any,
    unit: Unit,
    refused_on: Any,
    ground: Any,
    explanation: Any,
    refused_by: Any,
    earlier_matter: Any = "",
    notice_document: Any = "",
    name: Any = "",
    address: Any = "",
    id_number: Any = "",
    session: Session | None = None,
) -> RefusedVisit:
    from pakn.reception.services.common import record_activity, redacted, seal_person

    errors: v.Errors = {}
    day = v.a_date(refused_on, "refused_on", errors)
    ground_value = v.choice(ground, "ground", errors, RefusalGround.values)
    explanation_text = v.text(explanation, "explanation", errors, required=True, limit=MAX_TEXT)
    refused_by_text = v.text(refused_by, "refused_by", errors, required=True, limit=150)
    earlier = v.text(earlier_matter, "earlier_matter", errors, required=ground == RefusalGround.SETTLED, limit=300)
    if ground == RefusalGround.SETTLED and "earlier_matter" in errors:
        errors["earlier_matter"] = [
            _("Ghi văn bản đã giải quyết, thông báo vụ việc (hoặc mã hồ sơ): căn cứ khoản 3 Điều 9 cần vụ việc đó.")
        ]
    notice = v.text(notice_document, "notice_document", errors, limit=300)
    name_text = v.text(name, "name", errors, limit=150)
    address_text = v.text(address, "address", errors, limit=300)
    id_text = v.id_number(id_number, "id_number", errors)
    if (address_text or id_text) and not name_text and "name" not in errors:
        errors["name"] = [_("Trường này là bắt buộc.")]
    if day and (day > timezone.localdate() or day.year < 2000):
        errors.setdefault("refused_on", []).append(_("Ngày từ chối phải từ năm 2000 đến hôm nay."))
    if session is not None and session.unit_id != unit.pk:
        errors.setdefault("session", []).append(_("Buổi tiếp không thuộc đơn vị này."))
    v.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        require_writer(actor, unit)
        item: Any = None
        terms: list[str] = []
        if name_text:
            identity = {"name": name_text, "address": address_text, "id_number": id_text}
            item, terms = seal_person(unit, identity, f"Từ chối tiếp công dân {day:%d/%m/%Y}")
        refusal = RefusedVisit.objects.create(
            unit=unit,
            refused_on=day,
            session=session,
            ground=ground_value,
            explanation=redacted(explanation_text, terms),
            earlier_matter=redacted(earlier, terms),
            notice_document=notice,
            identity=item,
            refused_by=refused_by_text,
            created_by=actor,
        )
        record_activity(
            "refused", refusal, actor=actor, unit=unit, data={"ground": ground_value, "on": f"{day:%Y-%m-%d}"}
        )
        return refusal


def readable_refusals(user: Any) -> QuerySet[RefusedVisit]:
    """The refusals of the units whose register ``user`` reads (staff, and supervisors of the area)."""
    return RefusedVisit.objects.filter(unit__in=readable_units(user)).select_related("unit")


def count_by_ground(refusals: QuerySet[RefusedVisit]) -> list[tuple[str, int]]:
    counts = dict.fromkeys(RefusalGround.values, 0)
    for ground in refusals.values_list("ground", flat=True):
        counts[ground] += 1
    return [(str(RefusalGround(g).label), n) for g, n in counts.items()]
