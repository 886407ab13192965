"""The staff workspace's note of supervision recommendations waiting for the unit's answer: the head sees
them where they start the day, not only in the supervision menu (the answer is due within a set time)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from pakn.oversight.access import answering_units
from pakn.oversight.models import RecommendationStatus
from pakn.oversight.services import visible_recommendations

register = template.Library()


@register.inclusion_tag("oversight/_awaiting_notice.html")
def recommendations_awaiting_answer(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    counts = (
        visible_recommendations(user)
        .filter(status=RecommendationStatus.AWAITING, to_unit__in=answering_units(user))
        .aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return {"total": counts["total"] or 0, "overdue": counts["overdue"] or 0}
