"""Number formats of the statistics pages (Vietnamese: 1.234 and 12,5 %), and the published figures
(``stats.FIGURES``) by name: ``{{ m|fig:"on_time_rate" }}`` and ``{% figure_label "on_time_rate" %}``."""

from __future__ import annotations

from typing import Any

from django import template

from pakn.public import stats

register = template.Library()


@register.filter
def num(value: Any) -> str:
    return stats.format_value(value, "count")


@register.filter
def pct(rate: Any) -> str:
    """A rate (0..1) as a percentage with one decimal."""
    return stats.format_value(stats.pct(rate), "rate")


@register.filter
def rating(value: Any) -> str:
    return stats.format_value(None if value is None else round(value, 2), "score")


@register.filter
def fig(measures: Any, key: str) -> str:
    """A published figure of ``measures`` as read on the page."""
    return stats.FIGURES[key].text(measures)


@register.simple_tag
def figure_label(key: str) -> str:
    return str(stats.FIGURES[key].label)


@register.filter
def rate_parts(measures: Any, key: str) -> str:
    """What a rate is made of, so a reader can check it: "1 ÷ (1 + 2 + 3)" for the on-time rate."""
    texts = [stats.FIGURES[k].text(measures) for k in stats.FIGURES[key].parts]
    if len(texts) == 3:  # on time ÷ (on time + late + overdue open)
        return f"{texts[0]} ÷ ({texts[0]} + {texts[1]} + {texts[2]})"
    return f"{texts[0]} ÷ {texts[1]}"  # satisfied ÷ rated
