"""Number formats of the statistics pages (Vietnamese: 1.234 and 12,5 %)."""

from __future__ import annotations

from typing import Any

from django import template

from pakn.public.stats import pct as to_percent

register = template.Library()


@register.filter
def num(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and value != int(value):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


@register.filter
def pct(rate: Any) -> str:
    """A rate (0..1) as a percentage with one decimal."""
    value = to_percent(rate)
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + " %"


@register.filter
def rating(value: Any) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",")
