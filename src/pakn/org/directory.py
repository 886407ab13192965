"""Finding a unit by what a person types ("ubnd ba dinh", "Thành ủy Hà Nội", "mttq phuong ngoc ha"): for the
clerk who forwards a case, never by an internal code. Pure matching on folded names, over a small in-process
index of the active units (about ten thousand rows; rebuilt when it is older than an hour)."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from pakn.core.tables import reference_table
from pakn.core.text import fold
from pakn.org.models import Unit

# What people write for the long names (folded).
ALIASES = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "du": "dang uy",
    "tu": "tinh uy",
    "tp": "thanh pho",
    "p": "phuong",
    "x": "xa",
}
INDEX_SECONDS = 3600


@dataclass(frozen=True)
class Entry:
    pk: int
    key: str  # folded name, with the unit's province name


_index: tuple[float, tuple[int, int | None], list[Entry]] = (0.0, (0, None), [])


def _entries() -> list[Entry]:
    """The index; rebuilt when units were added or removed (one cheap query) or after an hour (a rename)."""
    global _index
    built, version, entries = _index
    active = Unit.objects.filter(is_active=True)
    current = active.aggregate(n=Count("pk"), top=Max("pk"))
    now_version = (current["n"], current["top"])
    if entries and version == now_version and time.monotonic() - built < INDEX_SECONDS:
        return entries
    rows = active.values_list("pk", "name", "province__name")
    entries = [Entry(pk=pk, key=f" {fold(name)} | {fold(province)} ") for pk, name, province in rows]
    _index = (time.monotonic(), now_version, entries)
    return entries


@reference_table("active_units", Unit)
def _active_units() -> tuple[dict[int, Unit], dict[str, Unit]]:
    units = list(Unit.objects.filter(is_active=True))
    return {u.pk: u for u in units}, {u.code: u for u in units}


def active_unit(*, pk: int | None = None, code: str | None = None) -> Unit | None:
    """An active unit by id or code, from the table kept in this process (``core.tables``): submissions
    route to a unit each. A copy, so the caller may change it without touching the kept one."""
    by_pk, by_code = _active_units()
    unit = by_pk.get(pk) if pk is not None else by_code.get(code or "")
    return copy.copy(unit) if unit is not None else None


def query_words(text: str) -> list[tuple[str, ...]]:
    """Each typed word with what it may stand for: "mttq" is written out in some names and not in others."""
    groups: list[tuple[str, ...]] = []
    for word in fold(text).replace(",", " ").split():
        groups.append((word, ALIASES[word]) if word in ALIASES else (word,))
    return groups


def matches(key: str, groups: list[tuple[str, ...]]) -> bool:
    return all(any(f" {alternative}" in key for alternative in group) for group in groups)


def rank(key: str, groups: list[tuple[str, ...]]) -> tuple[int, int]:
    """Lower is better: the words appear as typed, as a phrase ("thanh uy" is Thành ủy, before "Thành phố …
    Ủy ban"); then how many words matched only as the start of a longer word ("ha" in Hà is better than in Hồi)."""
    name = key.split("|")[0]
    phrases = [" " + " ".join(group[0] for group in groups), " " + " ".join(group[-1] for group in groups)]
    partial = sum(1 for group in groups if not any(f" {alternative} " in name for alternative in group))
    return (0 if any(p in key for p in phrases) else 1, partial)


def find_units(text: str, *, near: Any = None, limit: int = 20) -> list[Unit]:
    """Active units whose name (or province) has every word typed, at the start of a word; names with the
    words as a phrase first, then those in the same province as ``near``, then province-level units, then
    shorter names."""
    groups = query_words(text)
    if not groups:
        return []
    ranks = {e.pk: rank(e.key, groups) for e in _entries() if matches(e.key, groups)}
    found = sorted(ranks, key=lambda pk: ranks[pk])[:500]
    units = list(Unit.objects.filter(pk__in=found).select_related("province"))
    province = getattr(near, "province_id", None)
    units.sort(key=lambda u: (ranks[u.pk], u.province_id != province, u.level != "province", len(u.name), u.name))
    return units[:limit]


def suggested_targets(unit: Unit) -> list[Unit]:
    """Where a case at ``unit`` is usually forwarded: the bodies above it, the other bodies of its place and
    the province's bodies."""
    ids: list[int] = []
    parent = unit.parent
    while parent is not None and len(ids) < 3:
        ids.append(parent.pk)
        parent = parent.parent
    same_place = Unit.objects.filter(is_active=True, province_id=unit.province_id)
    if unit.commune_id:
        same_place = same_place.filter(commune_id=unit.commune_id)
    else:
        same_place = same_place.filter(level="province")
    ids.extend(same_place.exclude(pk=unit.pk).values_list("pk", flat=True)[:20])
    ids.extend(
        Unit.objects.filter(is_active=True, province_id=unit.province_id, level="province")
        .exclude(pk=unit.pk)
        .values_list("pk", flat=True)[:30]
    )
    order = {pk: i for i, pk in enumerate(dict.fromkeys(ids))}
    return sorted(Unit.objects.filter(pk__in=order).select_related("province"), key=lambda u: order[u.pk])


def unit_label(unit: Unit) -> str:
    """A unit's name, with its province when the name alone is ambiguous (a commune-level body)."""
    if unit.level != "province":
        return f"{unit.name} ({unit.province.name})"
    return str(unit.name)
