"""Choosing the competent unit, as a pure function over rule rows (plain values)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RouteRule:
    id: int
    target: str  # RoutingRule.Target value
    unit_id: int | None = None
    province_code: str | None = None
    commune_code: str | None = None
    kind: str = ""
    topic_code: str | None = None
    priority: int = 100


def specificity(rule: RouteRule) -> int:
    """Place counts most (commune over province), then topic, then kind."""
    return (
        (8 if rule.commune_code else 4 if rule.province_code else 0)
        + (2 if rule.topic_code else 0)
        + (1 if rule.kind else 0)
    )


def choose_rule(
    rules: Iterable[RouteRule], *, province_code: str, commune_code: str | None, kind: str, topic_code: str | None
) -> RouteRule | None:
    matching = [
        r
        for r in rules
        if (r.province_code in (None, province_code))
        and (r.commune_code in (None, commune_code))
        and (r.kind in ("", kind))
        and (r.topic_code in (None, topic_code))
    ]
    if not matching:
        return None
    return min(matching, key=lambda r: (-specificity(r), r.priority, r.id))


def unit_code_for(target: str, *, province_code: str, commune_code: str | None) -> str | None:
    """The official unit code a place-relative target resolves to (None for a fixed unit)."""
    if target == "commune_pc":
        return f"UBND-{commune_code}" if commune_code else f"UBND-{province_code}"
    if target == "commune_party":
        return f"DU-{commune_code}" if commune_code else f"DU-{province_code}"
    if target == "province_pc":
        return f"UBND-{province_code}"
    if target == "province_party":
        return f"DU-{province_code}"
    return None
