"""The statistics: one module, used by the public portal, the open data, the scorecards and the periodic
reports, so the numbers always agree.

Every figure counts *stints* (see ``facts.stints``): a case counts at the unit it reached on the day it
reached it, and again at a unit it was forwarded or escalated to. A period selects the stints that arrived
in it; the figures say what became of them. Whole months are read from ``UnitMonthStat`` (by topic, for the
country or a province: ``TopicMonthStat``), the days at the edges of a period from ``HandlingFact``, with the
same definitions (``facts.fact_sums``). Definitions and
formulas: ``FORMULAS`` below, shown on the pages, and docs/transparency.md."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pakn.core.people import person_name
from pakn.org.models import Unit
from pakn.public.facts import CHANNELS, KINDS, STORED_MEASURES, fact_sums, month_of, next_month
from pakn.public.models import HandlingFact, Outcome, ProvinceDaysStat, TopicMonthStat, UnitMonthStat

# Units with fewer judged stints than this are listed but not ranked (a rate over 2 cases says little).
MIN_JUDGED_FOR_RANKING = 5
# Scorecard marks, shown with the ranking. Defaults chosen for this platform, not set by law.
COMMEND_ON_TIME = 0.95
COMMEND_SATISFACTION = 0.80
HELP_ON_TIME = 0.70
HELP_SATISFACTION = 0.50

# ---------------------------------------------------------------- period and scope


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "range"  # month | quarter | year | last12 | range

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        """The last twelve months up to today: from the first day of the month a year ago, after it."""
        today = today or timezone.localdate()
        start = month_of(today).replace(year=today.year - 1)
        return cls(next_month(start), today, "last12")

    @property
    def is_default(self) -> bool:
        return self.kind == "last12"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(m)s/%(y)s") % {"m": self.start.month, "y": self.start.year}
        if self.kind == "quarter":
            return _("Quý %(q)s/%(y)s") % {"q": (self.start.month - 1) // 3 + 1, "y": self.start.year}
        if self.kind == "year":
            return _("Năm %(y)s") % {"y": self.start.year}
        dates = f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"
        if self.kind == "last12":
            return _("12 tháng gần nhất (%(dates)s)") % {"dates": dates}
        if self.start == date(self.end.year, 1, 1) and self.end < date(self.end.year, 12, 31):
            return _("Từ đầu năm %(y)s đến ngày %(end)s (%(dates)s)") % {
                "y": self.end.year,
                "end": f"{self.end:%d/%m/%Y}",
                "dates": dates,
            }
        return dates

    @property
    def dates(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def months(self) -> list[date]:
        months, month = [], month_of(self.start)
        while month <= self.end:
            months.append(month)
            month = next_month(month)
        return months

    def split(self) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
        """(first and last whole month inside the period, or None; the partial day ranges at the edges)."""
        first_full = self.start if self.start.day == 1 else next_month(self.start)
        after_end = self.end + timedelta(days=1)
        last_full_exclusive = month_of(after_end)
        if first_full >= last_full_exclusive:
            return None, [(self.start, self.end)]
        edges = []
        if self.start < first_full:
            edges.append((self.start, first_full - timedelta(days=1)))
        if last_full_exclusive <= self.end:
            edges.append((last_full_exclusive, self.end))
        last_full = month_of(last_full_exclusive - timedelta(days=1))
        return (first_full, last_full), edges


@dataclass(frozen=True)
class Scope:
    label: str
    province_id: str | None = None
    unit_ids: tuple[int, ...] | None = None

    @classmethod
    def nation(cls) -> Scope:
        return cls(label=_("Cả nước"))

    @classmethod
    def province(cls, code: str, name: str) -> Scope:
        return cls(label=name, province_id=code)

    @classmethod
    def units(cls, unit: Unit, *, below: bool = True) -> Scope:
        ids = subtree_ids([unit.pk]) if below else [unit.pk]
        label = _("%(unit)s và các đơn vị trực thuộc") % {"unit": unit.name} if below and len(ids) > 1 else unit.name
        return cls(label=label, unit_ids=tuple(ids))

    def q(self) -> Q:
        condition = Q()
        if self.province_id:
            condition &= Q(province_id=self.province_id)
        if self.unit_ids is not None:
            condition &= Q(unit_id__in=self.unit_ids)
        return condition


def subtree_ids(root_ids: Iterable[int]) -> list[int]:
    """The units and every unit under them, at any depth."""
    found = list(dict.fromkeys(root_ids))
    seen, frontier = set(found), list(found)
    while frontier:
        children = [
            pk for pk in Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True) if pk not in seen
        ]
        seen.update(children)
        found += children
        frontier = children
    return found


# ---------------------------------------------------------------- the measures of a group


class Measures(dict[str, Any]):
    """Stored counts (``facts.STORED_MEASURES``) plus ``overdue_open`` and ``median_days``; the rates are
    derived here and nowhere else."""

    @classmethod
    def empty(cls) -> Measures:
        m = cls({k: 0 for k in STORED_MEASURES})
        m["overdue_open"] = 0
        m["median_days"] = None
        return m

    def add(self, values: dict[str, Any]) -> None:
        for key in STORED_MEASURES:
            self[key] += values.get(key) or 0

    @property
    def done(self) -> int:
        """Finished by the unit: answered or concluded, refused, or forwarded."""
        return self["resolved"] + self["refused"] + self["forwarded"]

    @property
    def judged(self) -> int:
        return self["done_on_time"] + self["done_late"] + self["overdue_open"]

    @property
    def on_time_rate(self) -> float | None:
        return self["done_on_time"] / self.judged if self.judged else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self["satisfied"] / self["rated"] if self["rated"] else None

    @property
    def average_rating(self) -> float | None:
        return self["rating_sum"] / self["rated"] if self["rated"] else None

    @property
    def score(self) -> float | None:
        rates = [r for r in (self.on_time_rate, self.satisfaction_rate) if r is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def ranked(self) -> bool:
        return self.judged >= MIN_JUDGED_FOR_RANKING

    @property
    def mark(self) -> str:
        """'commend', 'help' or '' (see the thresholds above)."""
        on_time, satisfaction = self.on_time_rate, self.satisfaction_rate
        if not self.ranked or on_time is None:
            return ""
        if on_time < HELP_ON_TIME or (satisfaction is not None and satisfaction < HELP_SATISFACTION):
            return "help"
        if on_time >= COMMEND_ON_TIME and (satisfaction is None or satisfaction >= COMMEND_SATISFACTION):
            return "commend"
        return ""

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        return [(k, self[f"kind_{k}"]) for k in KINDS]

    @property
    def by_channel(self) -> list[tuple[str, int]]:
        return [(c, self[f"channel_{c}"]) for c in CHANNELS]

    def as_row(self) -> dict[str, Any]:
        """Plain values for open data, Excel and tests: the stored counts, then every published figure (``FIGURES``)
        as published: rates as percentages with one decimal, None when undefined."""
        row: dict[str, Any] = {k: self[k] for k in STORED_MEASURES}
        for key, fig in FIGURES.items():
            row[key] = fig.published(self)
        return row

    def text(self, key: str) -> str:
        """A figure as read on a page or in a PDF."""
        return FIGURES[key].text(self)


def pct(rate: float | None) -> float | None:
    """A rate as a percentage with one decimal, the form shown everywhere."""
    return None if rate is None else round(rate * 100, 1)


def median(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    values = sorted(histogram)
    lower_index, upper_index = (total - 1) // 2, total // 2
    seen, lower, upper = 0, None, None
    for value in values:
        seen += histogram[value]
        if lower is None and seen > lower_index:
            lower = value
        if seen > upper_index:
            upper = value
            break
    assert lower is not None and upper is not None
    result = (lower + upper) / 2
    return int(result) if result == int(result) else result


# ---------------------------------------------------------------- the published figures, each defined once


@dataclass(frozen=True)
class Figure:
    """One published figure: its name (the open-data column), its label, what it counts or how it is computed
    (shown under "Cách tính" and in the open-data column descriptions), and how it is written. Every page,
    report and export takes its label, value and text from here, so the same figure never reads differently.

    ``kind``: ``count`` (an integer), ``rate`` (a fraction, published as a percentage with one decimal,
    "–" when its denominator is 0), ``days`` (a number of days, "–" when nothing was answered) or ``score``
    (a mean rating with two decimals)."""

    key: str
    label: Any
    formula: Any
    kind: str = "count"
    parts: tuple[str, ...] = ()  # the counts a reader needs to check a rate: shown wherever the rate is

    def value(self, m: Measures) -> Any:
        """The exact value: an int for counts, a fraction 0..1 for rates, None when undefined."""
        return _VALUES[self.key](m) if self.key in _VALUES else m[self.key]

    def published(self, m: Measures) -> Any:
        """The value as published (open data, Excel, tests): rates as percentages with one decimal, scores with
        two decimals, counts as they are; None when undefined."""
        value = self.value(m)
        if value is None:
            return None
        if self.kind == "rate":
            return pct(value)
        if self.kind == "score":
            return round(value, 2)
        return value

    def text(self, m: Measures) -> str:
        """The value as read on a page or in a PDF (Vietnamese number format; "–" when undefined)."""
        return format_value(self.published(m), self.kind)

    def column_text(self, m: Measures) -> str:
        """The value in a table column headed by ``heading``: a rate without its "%" (the heading says it)."""
        value = self.published(m)
        if self.kind == "rate" and value is not None:
            return f"{value:.1f}".replace(".", ",")
        return format_value(value, self.kind)

    @property
    def heading(self) -> str:
        """The label of a table column holding the published value (rates say "%" in the heading)."""
        return f"{self.label} (%)" if self.kind == "rate" else str(self.label)


def format_value(value: Any, kind: str = "count") -> str:
    """1.234 · 20,5 · 16,7 % · 3,50 · "–" for an undefined value: the one number format of PAKN's outputs."""
    if value is None or value == "":
        return UNDEFINED
    if isinstance(value, str):  # already written
        return value
    if kind == "rate":
        return f"{value:.1f}".replace(".", ",") + " %"
    if kind == "score":
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float) and value != int(value):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


UNDEFINED = "–"

_VALUES: dict[str, Any] = {
    "done": lambda m: m.done,
    "judged": lambda m: m.judged,
    "on_time_rate": lambda m: m.on_time_rate,
    "median_answer_days": lambda m: m["median_days"],
    "satisfaction_rate": lambda m: m.satisfaction_rate,
    "average_rating": lambda m: m.average_rating,
    "score": lambda m: m.score,
}

FIGURES: dict[str, Figure] = {
    f.key: f
    for f in [
        Figure(
            "received",
            gettext_lazy("Tiếp nhận"),
            gettext_lazy(
                "Số lượt đơn đến đơn vị trong kỳ: đơn được phân về đơn vị (theo ngày nhận đơn) và đơn đơn vị khác "
                "chuyển đến (theo ngày chuyển). Một đơn chuyển qua hai đơn vị được tính ở cả hai."
            ),
        ),
        Figure(
            "accepted", gettext_lazy("Đã thụ lý"), gettext_lazy("Số đơn đã được đơn vị thụ lý hoặc đã được trả lời.")
        ),
        Figure("refused", gettext_lazy("Không thụ lý"), gettext_lazy("Số đơn đơn vị ra thông báo không thụ lý.")),
        Figure(
            "forwarded",
            gettext_lazy("Chuyển đơn"),
            gettext_lazy("Số đơn đơn vị chuyển đến cơ quan có thẩm quyền khác."),
        ),
        Figure(
            "resolved",
            gettext_lazy("Đã giải quyết"),
            gettext_lazy(
                "Số đơn có văn bản trả lời hoặc kết luận của đơn vị (kể cả đơn sau đó người gửi đề nghị cấp trên "
                "xem xét). Không gồm đơn không thụ lý và đơn chuyển đi."
            ),
        ),
        Figure(
            "resolved_on_time",
            gettext_lazy("Giải quyết đúng hạn"),
            gettext_lazy("Trong số đơn đã giải quyết: số đơn mọi thời hạn của đơn vị đều được hoàn thành đúng hạn."),
        ),
        Figure(
            "resolved_late",
            gettext_lazy("Giải quyết trễ hạn"),
            gettext_lazy("Trong số đơn đã giải quyết: số đơn có thời hạn của đơn vị bị trễ."),
        ),
        Figure(
            "done",
            gettext_lazy("Đã xử lý xong"),
            gettext_lazy("Đã giải quyết + không thụ lý + chuyển đơn: các đơn đơn vị đã xử lý xong phần việc của mình."),
        ),
        Figure(
            "done_on_time",
            gettext_lazy("Xử lý xong đúng hạn"),
            gettext_lazy(
                "Số đơn đã xử lý xong (giải quyết, không thụ lý hoặc chuyển đơn) mà mọi thời hạn của đơn vị đối "
                "với đơn đó (thụ lý, giải quyết, trả lời) đều được hoàn thành không muộn hơn ngày hết hạn."
            ),
        ),
        Figure(
            "done_late",
            gettext_lazy("Xử lý xong trễ hạn"),
            gettext_lazy(
                "Số đơn đã xử lý xong (giải quyết, không thụ lý hoặc chuyển đơn) có ít nhất một thời hạn của đơn "
                "vị bị trễ. Vì gồm cả đơn không thụ lý, chuyển đơn, số này có thể lớn hơn số đơn trễ hạn trong số "
                "đơn đã giải quyết."
            ),
        ),
        Figure(
            "still_open", gettext_lazy("Đang xử lý"), gettext_lazy("Số đơn chưa xử lý xong (tính đến lúc lập số liệu).")
        ),
        Figure(
            "overdue_open",
            gettext_lazy("Đang quá hạn"),
            gettext_lazy("Trong số đơn đang xử lý: số đơn mà thời hạn gần nhất đã qua (tính đến hôm nay)."),
        ),
        Figure("withdrawn", gettext_lazy("Người gửi rút đơn"), gettext_lazy("Số đơn người gửi rút.")),
        Figure(
            "merged", gettext_lazy("Gộp vào hồ sơ khác"), gettext_lazy("Số đơn được gộp vào hồ sơ khác cùng nội dung.")
        ),
        Figure(
            "escalated_away",
            gettext_lazy("Đề nghị cấp trên xem xét"),
            gettext_lazy("Số đơn đơn vị đã trả lời nhưng người gửi không hài lòng, đề nghị cấp trên xem xét."),
        ),
        Figure(
            "judged",
            gettext_lazy("Số đơn tính tỷ lệ đúng hạn"),
            gettext_lazy("Xử lý xong đúng hạn + xử lý xong trễ hạn + đang quá hạn."),
        ),
        Figure(
            "on_time_rate",
            gettext_lazy("Tỷ lệ đúng hạn"),
            gettext_lazy(
                "Xử lý xong đúng hạn ÷ (xử lý xong đúng hạn + xử lý xong trễ hạn + đang quá hạn). Đơn đang quá hạn "
                "bị tính là chưa đúng hạn, để đơn vị để đơn tồn đọng không có tỷ lệ cao hơn đơn vị trả lời muộn. "
                "Ba số này được in cạnh tỷ lệ; khi tổng của chúng bằng 0, tỷ lệ không xác định và được ghi “–”."
            ),
            kind="rate",
            parts=("done_on_time", "done_late", "overdue_open"),
        ),
        Figure(
            "median_answer_days",
            gettext_lazy("Số ngày trả lời (trung vị)"),
            gettext_lazy(
                "Trung vị của số ngày (theo lịch) từ khi đơn đến đơn vị đến ngày có văn bản trả lời hoặc kết luận, "
                "trên các đơn đã giải quyết: một nửa số đơn được trả lời nhanh hơn. Với số đơn chẵn, lấy trung bình "
                "hai giá trị giữa. “–” khi chưa có đơn nào được giải quyết."
            ),
            kind="days",
        ),
        Figure("rated", gettext_lazy("Số đánh giá"), gettext_lazy("Số đánh giá của người gửi về kết quả của đơn vị.")),
        Figure(
            "satisfied",
            gettext_lazy("Số đánh giá hài lòng"),
            gettext_lazy("Số đánh giá “Hài lòng” hoặc “Rất hài lòng”."),
        ),
        Figure(
            "satisfaction_rate",
            gettext_lazy("Tỷ lệ hài lòng"),
            gettext_lazy(
                "Số đánh giá “Hài lòng” hoặc “Rất hài lòng” ÷ tổng số đánh giá của người gửi về kết quả của đơn vị "
                "(“–” khi chưa có đánh giá)."
            ),
            kind="rate",
            parts=("satisfied", "rated"),
        ),
        Figure(
            "average_rating",
            gettext_lazy("Điểm hài lòng"),
            gettext_lazy(
                "Trung bình các mức đánh giá: Rất hài lòng = 5, Hài lòng = 4, Bình thường = 3, Không hài lòng = 2, "
                "Rất không hài lòng = 1."
            ),
            kind="score",
        ),
        Figure(
            "score",
            gettext_lazy("Điểm xếp hạng"),
            gettext_lazy(
                "Trung bình cộng của tỷ lệ đúng hạn và tỷ lệ hài lòng (chỉ một tỷ lệ nếu chưa có đánh giá). Đơn vị "
                "có dưới %(n)s đơn tính tỷ lệ đúng hạn chưa được xếp hạng."
            ),
            kind="rate",
        ),
    ]
}


def formula_text(figure: Figure) -> str:
    text = str(figure.formula)
    return text % {"n": MIN_JUDGED_FOR_RANKING} if "%(n)s" in text else text


class _Formulas:
    """(label, formula) of every figure, for "Cách tính" (pages, Excel, PDF); evaluated in the active language."""

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter([(str(f.label), formula_text(f)) for f in FIGURES.values()])

    def __len__(self) -> int:
        return len(FIGURES)


FORMULAS = _Formulas()


def figure(key: str) -> Figure:
    return FIGURES[key]


# ---------------------------------------------------------------- queries

GROUPS = {
    None: None,
    "unit": "unit_id",
    "province": "province_id",
    "month": "month",
    "topic": "topic_id",
    "official": "handler_id",
    "kind": "kind",
}
ROLLUP_GROUPS = {None, "unit", "province", "month"}


def _month_table(scope: Scope, by: str | None) -> type[UnitMonthStat] | type[TopicMonthStat] | None:
    """The month table whole months of a period are read from, or None (everything from the facts)."""
    if by in ROLLUP_GROUPS:
        return UnitMonthStat
    if by == "topic" and scope.unit_ids is None:
        return TopicMonthStat
    return None


def _facts(scope: Scope, start: date, end: date) -> QuerySet[HandlingFact]:
    return HandlingFact.objects.filter(scope.q(), received_on__gte=start, received_on__lte=end)


def month_case(period: Period) -> SqlCase:
    """The first day of the month of ``received_on``, for facts of ``period``: a CASE over the period's months,
    which SQLite evaluates itself (its month truncation calls back into Python for every row)."""
    # One WHEN per month, the last one too: a CASE without any is a constant, which Django leaves out of GROUP BY.
    whens = [When(received_on__lt=next_month(m), then=Value(m)) for m in period.months()]
    return SqlCase(*whens, default=Value(period.months()[-1]), output_field=DateField())


def _grouped_facts(queryset: QuerySet[Any], by: str, period: Period, *extra: str) -> QuerySet[Any]:
    """``queryset.values(group, *extra)``, ready for ``annotate``, for facts of ``period``; months in SQL."""
    if by == "month":
        return queryset.annotate(month=month_case(period)).values("month", *extra)
    return queryset.values(str(GROUPS[by]), *extra)


def _fetch(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    """Run a ``values().annotate()`` query and return plain rows, skipping the ORM's per-value converters
    (a third of the time of a nationwide scorecard). Sums come back as int or None, months as date or text."""
    from django.db import connections

    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _key(row: dict[str, Any], by: str | None) -> Any:
    if by is None:
        return None
    value = row[GROUPS[by] or ""]
    if by == "month" and isinstance(value, datetime):
        value = value.date()
    elif by == "month" and isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value


def aggregate(
    scope: Scope,
    period: Period,
    *,
    by: str | None = None,
    today: date | None = None,
    medians: bool = True,
    source: str = "auto",
) -> dict[Any, Measures]:
    """Measures per group (None: one group) for the stints that arrived in ``period`` within ``scope``.

    ``source``: "auto" reads whole months from the month table and the edges from the facts; "facts"
    reads everything from the facts (used by the tests to prove both paths agree)."""
    today = today or timezone.localdate()
    if by not in GROUPS:
        raise ValueError(by)
    result: dict[Any, Measures] = defaultdict(Measures.empty)
    table = _month_table(scope, by) if source == "auto" else None
    full, edges = period.split() if table is not None else (None, [(period.start, period.end)])
    sums = fact_sums()
    if full is not None and table is not None:
        rollup = table.objects.filter(scope.q(), month__gte=full[0], month__lte=full[1])
        column = GROUPS[by]
        summed = {f"s_{k}": Sum(k) for k in STORED_MEASURES}
        rows = _fetch(rollup.values(column).annotate(**summed).order_by()) if column else [rollup.aggregate(**summed)]
        for row in rows:
            result[_key(row, by)].add({k: row[f"s_{k}"] for k in STORED_MEASURES})
    for start, end in edges:
        queryset = _facts(scope, start, end)
        if by is None:
            result[None].add(queryset.aggregate(**sums))
        else:
            for row in _fetch(_grouped_facts(queryset, by, Period(start, end)).annotate(**sums).order_by()):
                result[_key(row, by)].add(row)
    overdue = _facts(scope, period.start, period.end).filter(outcome=Outcome.OPEN, due_on__lt=today)
    if by is None:
        count = overdue.count()
        if count or None in result:
            result[None]["overdue_open"] = count
    else:
        for row in _fetch(_grouped_facts(overdue, by, period).annotate(n=Count("id")).order_by()):
            result[_key(row, by)]["overdue_open"] = row["n"]
    if medians:
        for key, histogram in _histograms(scope, period, by, source).items():
            result[key]["median_days"] = median(histogram)
    if by is None and None not in result:
        result[None] = Measures.empty()
    return dict(result)


def _histograms(scope: Scope, period: Period, by: str | None, source: str) -> dict[Any, dict[int, int]]:
    """Days-to-answer histograms per group. Nationwide and provincial scopes read whole months from
    ``ProvinceDaysStat``; unit scopes and the edges of a period read the facts."""
    histograms: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    use_rollup = source == "auto" and scope.unit_ids is None and by in (None, "province", "month")
    full, edges = period.split() if use_rollup else (None, [(period.start, period.end)])
    if full is not None:
        rollup = ProvinceDaysStat.objects.filter(month__gte=full[0], month__lte=full[1])
        if scope.province_id:
            rollup = rollup.filter(province_id=scope.province_id)
        columns = [str(GROUPS[by])] if by else []
        for row in _fetch(rollup.values(*columns, "answer_days").annotate(n=Sum("resolved")).order_by()):
            histograms[_key(row, by)][row["answer_days"]] += row["n"]
    for start, end in edges:
        resolved = _facts(scope, start, end).filter(outcome=Outcome.RESOLVED, answer_days__isnull=False)
        grouped = (
            _grouped_facts(resolved, by, Period(start, end), "answer_days") if by else resolved.values("answer_days")
        )
        for row in _fetch(grouped.annotate(n=Count("answer_days")).order_by()):  # from the index alone
            histograms[_key(row, by)][row["answer_days"]] += row["n"]
    return histograms


def page_measures(scope: Scope, period: Period, *, today: date | None = None) -> dict[str, Any]:
    """What a statistics page shows, one pass over each table instead of one per grouping: ``total`` (with the
    median), ``months``, ``topics``, and ``places``: the provinces (nationwide) or the units (otherwise), with
    their medians; ``place`` says which. The same figures as ``aggregate`` called for each grouping (checked
    by tests/public/test_portal_snapshots.py), a third of the queries: a page for a period chosen by a visitor
    is computed in the request."""
    today = today or timezone.localdate()
    place = "province" if scope.province_id is None and scope.unit_ids is None else "unit"
    column = str(GROUPS[place])
    total = Measures.empty()
    months: dict[Any, Measures] = defaultdict(Measures.empty)
    topics: dict[Any, Measures] = defaultdict(Measures.empty)
    places: dict[Any, Measures] = defaultdict(Measures.empty)

    def add(values: dict[str, Any], month: Any, where: Any) -> None:
        total.add(values)
        months[month].add(values)
        places[where].add(values)

    full, edges = period.split()
    summed = {f"s_{k}": Sum(k) for k in STORED_MEASURES}
    sums = fact_sums()
    if full is not None:
        rollup = UnitMonthStat.objects.filter(scope.q(), month__gte=full[0], month__lte=full[1])
        for row in _fetch(rollup.values("month", column).annotate(**summed).order_by()):
            add({k: row[f"s_{k}"] for k in STORED_MEASURES}, _key(row, "month"), row[column])  # topics below
        if _month_table(scope, "topic") is TopicMonthStat:
            by_topic = TopicMonthStat.objects.filter(scope.q(), month__gte=full[0], month__lte=full[1])
            for row in _fetch(by_topic.values("topic_id").annotate(**summed).order_by()):
                topics[row["topic_id"]].add({k: row[f"s_{k}"] for k in STORED_MEASURES})
        else:  # a unit scope has no topic table: its whole months from the facts
            whole = _facts(scope, full[0], next_month(full[1]) - timedelta(days=1))
            for row in _fetch(whole.values("topic_id").annotate(**sums).order_by()):
                topics[row["topic_id"]].add(row)
    # Grouped by "unit_id + 0", not "unit_id": else SQLite walks the index of every unit for the edges of a
    # province (35 ms instead of 6 at a million cases); the same groups on every database.
    where = F(column) if place == "province" else ExpressionWrapper(F(column) + 0, output_field=BigIntegerField())
    for start, end in edges:
        facts = _facts(scope, start, end).annotate(month=month_case(Period(start, end)), place=where)
        for row in _fetch(facts.values("month", "place", "topic_id").annotate(**sums).order_by()):
            add(row, _key(row, "month"), row["place"])
            topics[row["topic_id"]].add(row)
    # Open stints past their deadline, counted from the index of (outcome, received_on, due_on, …) alone: "due_on
    # before today" as the count's condition (PostgreSQL misjudges it in the WHERE and reads the table).
    still_open = _facts(scope, period.start, period.end).filter(outcome=Outcome.OPEN)
    counted: dict[str, dict[Any, int]] = {
        "months": defaultdict(int),
        "places": defaultdict(int),
        "topics": defaultdict(int),
    }
    grouped = still_open.annotate(month=month_case(period)).values("month", column, "topic_id")
    for row in _fetch(grouped.annotate(n=Count("due_on", filter=Q(due_on__lt=today))).order_by()):
        if not row["n"]:
            continue
        counted["months"][_key(row, "month")] += row["n"]
        counted["places"][row[column]] += row["n"]
        counted["topics"][row["topic_id"]] += row["n"]
    for group, counts in ((months, counted["months"]), (places, counted["places"]), (topics, counted["topics"])):
        for key, n in counts.items():
            group[key]["overdue_open"] = n
    total["overdue_open"] = sum(counted["months"].values())
    place_histograms = _histograms(scope, period, place, "auto")
    for key, histogram in place_histograms.items():
        places[key]["median_days"] = median(histogram)
    if place == "province":  # the country's histogram is the sum of the provinces'
        merged: dict[int, int] = defaultdict(int)
        for histogram in place_histograms.values():
            for days, n in histogram.items():
                merged[days] += n
        total["median_days"] = median(merged)
    else:
        total["median_days"] = median(_histograms(scope, period, None, "auto").get(None, {}))
    return {"total": total, "months": dict(months), "topics": dict(topics), "places": dict(places), "place": place}


def totals(scope: Scope, period: Period, **kwargs: Any) -> Measures:
    return aggregate(scope, period, **kwargs)[None]


@dataclass
class Row:
    key: Any
    label: str
    measures: Measures
    unit: Unit | None = None


def unit_rows(scope: Scope, period: Period, *, include_empty: bool = False, **kwargs: Any) -> list[Row]:
    """One row per unit of the scope, in the order of the ranking (best first, unranked last)."""
    groups = aggregate(scope, period, by="unit", **kwargs)
    if include_empty and scope.unit_ids is not None:
        for pk in scope.unit_ids:
            groups.setdefault(pk, Measures.empty())
    units = Unit.objects.in_bulk(list(groups))
    rows = [Row(pk, units[pk].name if pk in units else str(pk), m, units.get(pk)) for pk, m in groups.items()]
    return rank(rows)


def rank(rows: list[Row], sort: str = "score") -> list[Row]:
    def key(row: Row) -> tuple[Any, ...]:
        m = row.measures
        value = {"on_time": m.on_time_rate, "satisfaction": m.satisfaction_rate}.get(sort, m.score)
        return (not m.ranked, value is None, -(value or 0), -(m.score or 0), -m["received"], row.label)

    return sorted(rows, key=key)


def province_rows(period: Period, **kwargs: Any) -> list[Row]:
    from pakn.org.models import Province

    groups = aggregate(Scope.nation(), period, by="province", **kwargs)
    names = dict(Province.objects.values_list("code", "name"))
    return sorted((Row(code, names.get(code, code), m) for code, m in groups.items()), key=lambda r: r.key)


def month_rows(scope: Scope, period: Period, **kwargs: Any) -> list[Row]:
    groups = aggregate(scope, period, by="month", **kwargs)
    return [Row(month, f"{month:%m/%Y}", groups.get(month, Measures.empty())) for month in period.months()]


def topic_rows(scope: Scope, period: Period, **kwargs: Any) -> list[Row]:
    from pakn.cases.models import Topic

    groups = aggregate(scope, period, by="topic", **kwargs)
    names = dict(Topic.objects.values_list("pk", "name"))
    rows = [Row(pk, names.get(pk, str(pk)) if pk else _("Chưa phân loại"), m) for pk, m in groups.items()]
    return sorted(rows, key=lambda r: (-r.measures["received"], r.label))


def official_rows(scope: Scope, period: Period, **kwargs: Any) -> list[Row]:
    """Officials who signed answers or refusals for the scope's units, ranked like units. Only stints with
    an answer have an official; open stints belong to nobody yet."""
    from django.contrib.auth import get_user_model

    groups = aggregate(scope, period, by="official", **kwargs)
    groups.pop(None, None)
    users = get_user_model().objects.in_bulk(list(groups))
    rows = []
    for pk, m in groups.items():
        user = users.get(pk)
        label = person_name(user) if user else str(pk)
        rows.append(Row(pk, label, m))
    return rank(rows)
