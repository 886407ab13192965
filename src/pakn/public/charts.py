"""Chart geometry, pure: the templates draw it as inline SVG (no JavaScript, nothing from other hosts, no
inline styles, so the strict CSP holds). Every chart is drawn next to a table with the same numbers, which
is its text alternative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    width: float  # 0..100, share of the largest value


def bars(items: list[tuple[str, float | None, str]]) -> list[Bar]:
    """Horizontal bars: (label, value, text shown) → widths relative to the largest value."""
    top = max((v or 0 for _, v, _ in items), default=0)
    return [Bar(label, v or 0, text, round(100 * (v or 0) / top, 1) if top else 0) for label, v, text in items]


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    height: float
    series: int


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    columns: list[Column]
    labels: list[tuple[float, str]]  # (x centre, text) under each group
    gridlines: list[tuple[float, str]]  # (y, value)
    column_width: float


def column_chart(groups: list[tuple[str, list[float]]], *, height: int = 220) -> ColumnChart:
    """Grouped vertical columns, one group per label (e.g. a month), one column per series."""
    series = max((len(values) for _, values in groups), default=1)
    group_width, gap, left = 14 * series + 10, 10, 36
    plot_top, plot_bottom = 10, height - 30
    plot_height = plot_bottom - plot_top
    top = max((v for _, values in groups for v in values), default=0)
    scale_max = nice_ceiling(top)
    columns, labels = [], []
    for index, (label, values) in enumerate(groups):
        x0 = left + index * (group_width + gap)
        for s, value in enumerate(values):
            h = plot_height * value / scale_max if scale_max else 0
            columns.append(Column(x=x0 + 5 + 14 * s, y=plot_bottom - h, height=h, series=s))
        labels.append((x0 + group_width / 2, label))
    gridlines = [(plot_bottom - plot_height * f, _num(scale_max * f)) for f in (0, 0.5, 1)] if scale_max else []
    width = left + len(groups) * (group_width + gap) + 4
    return ColumnChart(
        width=max(width, 120),
        height=height,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        columns=columns,
        labels=labels,
        gridlines=gridlines,
        column_width=12,
    )


def nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (1, 2, 5 × 10^n) for the axis."""
    if value <= 0:
        return 0
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def fmt_int(value: Any) -> str:
    """Vietnamese thousands separator."""
    return _num(float(value or 0))
