"""Keeps the statistics tables in step with the cases.

``stints`` is pure: from a case and its forwards, answers, deadline obligations and ratings (plain rows) it
works out one fact per unit the case passed through. ``refresh_cases`` rewrites the facts of the cases and the
month buckets they touch (per unit, and per province and topic); it runs as a job after every case change
(``public.jobs``, settings.CASE_JOBS), seconds after the change commits. ``rebuild`` recomputes everything in
bulk (``pakn stats_rebuild``), for a new installation, after a bulk import, or to check the incremental path."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from pakn.cases.models import Answer, AnswerKind, Case, Forward, Obligation, Rating
from pakn.cases.workflow import OPEN, Status
from pakn.org.models import Unit
from pakn.public.models import HandlingFact, Outcome, ProvinceDaysStat, TopicMonthStat, UnitMonthStat

logger = logging.getLogger("pakn.public")

KINDS = ("report", "petition", "complaint", "denunciation", "opinion")
CHANNELS = ("web", "api", "letter", "hotline", "email", "reception", "direct")
SATISFIED_FROM = 4  # levels 4 (hài lòng) and 5 (rất hài lòng) count as satisfied


# ---------------------------------------------------------------- plain rows in, facts out


@dataclass(frozen=True)
class CaseRow:
    id: int
    unit_id: int
    kind: str
    channel: str
    topic_id: int | None
    received_on: date
    status: str
    accepted_on: date | None
    due_on: date | None
    publish: bool


@dataclass(frozen=True)
class ForwardRow:
    from_unit_id: int
    to_unit_id: int
    at: datetime
    escalation: bool  # taken up by the unsatisfied citizen, not sent on by the unit


@dataclass(frozen=True)
class AnswerRow:
    unit_id: int
    kind: str
    at: datetime
    author_id: int | None


@dataclass(frozen=True)
class ObligationRow:
    unit_id: int
    opened_on: date
    due_on: date
    met_on: date | None
    cancelled: bool


@dataclass
class Fact:
    case_id: int
    seq: int
    current: bool
    unit_id: int
    kind: str
    channel: str
    topic_id: int | None
    received_on: date
    outcome: str
    accepted: bool = False
    answered_on: date | None = None
    answer_days: int | None = None
    on_time: bool | None = None
    due_on: date | None = None
    escalated_away: bool = False
    rating: int | None = None
    handler_id: int | None = None
    publish: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _current_outcome(case: CaseRow, answers: Sequence[AnswerRow]) -> str:
    status = Status(case.status)
    if status in OPEN:
        return Outcome.OPEN
    if status == Status.WITHDRAWN:
        return Outcome.WITHDRAWN
    if status == Status.MERGED:
        return Outcome.MERGED
    if status == Status.REFUSED:
        return Outcome.REFUSED
    if status == Status.RESOLVED:
        return Outcome.RESOLVED
    # closed: after an answer or after a refusal; the last written decision of the unit says which
    last = answers[-1] if answers else None
    return Outcome.REFUSED if last is not None and last.kind == AnswerKind.REFUSAL else Outcome.RESOLVED


def stints(
    case: CaseRow,
    forwards: Sequence[ForwardRow],
    answers: Sequence[AnswerRow],
    obligations: Sequence[ObligationRow],
    ratings: dict[int, int],
) -> list[Fact]:
    """One fact per stint of ``case`` at a unit. Rows must be in creation order.

    - A stint starts when the case reaches the unit (received, or forwarded/escalated to it) and ends when
      it is forwarded or escalated away; the last stint is the current one.
    - Outcome: the current stint's from the case status; an earlier one is ``forwarded``, or ``resolved``
      with ``escalated_away`` when the citizen took the unit's answer to the unit above.
    - On time: every deadline obligation of the unit opened during the stint and met (not cancelled) was met
      on or before its due date; undefined while open and for withdrawn or merged cases.
    """
    units = [forwards[0].from_unit_id if forwards else case.unit_id, *(f.to_unit_id for f in forwards)]
    starts: list[datetime | None] = [None, *(f.at for f in forwards)]
    start_days = [case.received_on, *(local_date(f.at) for f in forwards)]
    facts = []
    last = len(units) - 1
    for seq, unit_id in enumerate(units):
        start, end = starts[seq], starts[seq + 1] if seq < last else None
        start_day, end_day = start_days[seq], start_days[seq + 1] if seq < last else None
        own_answers = [
            a
            for a in answers
            if a.unit_id == unit_id and (start is None or a.at >= start) and (end is None or a.at <= end)
        ]
        if seq == last:
            outcome = _current_outcome(case, own_answers)
            escalated = False
        elif forwards[seq].escalation:
            outcome, escalated = Outcome.RESOLVED, True
        else:
            outcome, escalated = Outcome.FORWARDED, False
        fact = Fact(
            case_id=case.id,
            seq=seq,
            current=seq == last,
            unit_id=unit_id,
            kind=case.kind,
            channel=case.channel,
            topic_id=case.topic_id,
            received_on=start_day,
            outcome=outcome,
            escalated_away=escalated,
            publish=case.publish,
        )
        decisive_kinds = (
            (AnswerKind.REFUSAL,) if outcome == Outcome.REFUSED else (AnswerKind.ANSWER, AnswerKind.CONCLUSION)
        )
        decisive = [a for a in own_answers if a.kind in decisive_kinds]
        if outcome in (Outcome.RESOLVED, Outcome.REFUSED) and decisive:
            answer = decisive[-1]
            fact.answered_on = max(local_date(answer.at), start_day)
            fact.handler_id = answer.author_id
            if outcome == Outcome.RESOLVED:
                fact.answer_days = (fact.answered_on - start_day).days
        if outcome == Outcome.RESOLVED:
            fact.accepted = True
            fact.rating = ratings.get(unit_id)
        elif seq == last and outcome == Outcome.OPEN:
            fact.accepted = case.accepted_on is not None and case.accepted_on >= start_day
            fact.due_on = case.due_on
        elif seq == last and outcome in (Outcome.WITHDRAWN, Outcome.MERGED):
            fact.accepted = case.accepted_on is not None and case.accepted_on >= start_day
        if outcome in (Outcome.RESOLVED, Outcome.REFUSED, Outcome.FORWARDED):
            met = [
                o
                for o in obligations
                if o.unit_id == unit_id
                and not o.cancelled
                and o.met_on is not None
                and o.opened_on >= start_day
                and (end_day is None or o.opened_on <= end_day)
            ]
            if met:
                fact.on_time = all(o.met_on is not None and o.met_on <= o.due_on for o in met)
        facts.append(fact)
    return facts


# ---------------------------------------------------------------- reading the rows of many cases at once


CASE_FIELDS = (
    "id",
    "unit_id",
    "kind",
    "channel",
    "topic_id",
    "received_on",
    "status",
    "accepted_on",
    "due_on",
    "publish",
)


def _load(case_ids: Sequence[int]) -> Iterator[list[Fact]]:
    cases = [CaseRow(*row) for row in Case.objects.filter(pk__in=case_ids).order_by("pk").values_list(*CASE_FIELDS)]
    forwards: dict[int, list[ForwardRow]] = defaultdict(list)
    for case_id, from_unit, to_unit, at, escalation in (
        Forward.objects.filter(case_id__in=case_ids)
        .order_by("id")
        .values_list("case_id", "from_unit_id", "to_unit_id", "created_at", "escalation")
    ):
        forwards[case_id].append(ForwardRow(from_unit, to_unit, at, escalation))
    answers: dict[int, list[AnswerRow]] = defaultdict(list)
    for case_id, unit_id, kind, at, author in (
        Answer.objects.filter(case_id__in=case_ids)
        .order_by("created_at", "id")
        .values_list("case_id", "unit_id", "kind", "created_at", "author_id")
    ):
        answers[case_id].append(AnswerRow(unit_id, kind, at, author))
    obligations: dict[int, list[ObligationRow]] = defaultdict(list)
    for case_id, unit_id, opened_on, due_on, met_on, cancelled in (
        Obligation.objects.filter(case_id__in=case_ids)
        .order_by("id")
        .values_list("case_id", "unit_id", "opened_on", "due_on", "met_on", "cancelled")
    ):
        obligations[case_id].append(ObligationRow(unit_id, opened_on, due_on, met_on, cancelled))
    ratings: dict[int, dict[int, int]] = defaultdict(dict)
    for case_id, unit_id, level in Rating.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "unit_id", "level"
    ):
        ratings[case_id][unit_id] = level
    for case in cases:
        yield stints(case, forwards[case.id], answers[case.id], obligations[case.id], ratings[case.id])


def _provinces() -> dict[int, str]:
    return dict(Unit.objects.values_list("id", "province_id"))


def _model(fact: Fact, provinces: dict[int, str]) -> HandlingFact:
    return HandlingFact(
        case_id=fact.case_id,
        seq=fact.seq,
        current=fact.current,
        unit_id=fact.unit_id,
        province_id=provinces.get(fact.unit_id, ""),
        kind=fact.kind,
        channel=fact.channel,
        topic_id=fact.topic_id,
        received_on=fact.received_on,
        outcome=fact.outcome,
        accepted=fact.accepted,
        answered_on=fact.answered_on,
        answer_days=fact.answer_days,
        on_time=fact.on_time,
        due_on=fact.due_on,
        escalated_away=fact.escalated_away,
        rating=fact.rating,
        handler_id=fact.handler_id,
        publish=fact.publish,
    )


FACT_COLUMNS = [
    "case_id",
    "seq",
    "current",
    "unit_id",
    "province_id",
    "kind",
    "channel",
    "topic_id",
    "received_on",
    "outcome",
    "accepted",
    "answered_on",
    "answer_days",
    "on_time",
    "due_on",
    "escalated_away",
    "rating",
    "handler_id",
    "publish",
]


def _row(fact: Fact, provinces: dict[int, str]) -> tuple[Any, ...]:
    day = connection.ops.adapt_datefield_value
    return (
        fact.case_id,
        fact.seq,
        fact.current,
        fact.unit_id,
        provinces.get(fact.unit_id, ""),
        fact.kind,
        fact.channel,
        fact.topic_id,
        day(fact.received_on),
        fact.outcome,
        fact.accepted,
        day(fact.answered_on),
        fact.answer_days,
        fact.on_time,
        day(fact.due_on),
        fact.escalated_away,
        fact.rating,
        fact.handler_id,
        fact.publish,
    )


def raw_insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert without the ORM's per-value preparation (10× faster for the rebuild): COPY on PostgreSQL,
    multi-row INSERT elsewhere. Values must already be database values (``adapt_datefield_value``)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per = max(1, 30_000 // len(columns))
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            # Table and column names come from the model, every value is a parameter.
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(chunk))  # noqa: S608
            cursor.execute(sql, [v for row in chunk for v in row])


# ---------------------------------------------------------------- month buckets


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def fact_sums() -> dict[str, Any]:
    """The aggregate of each stored measure over HandlingFact rows (the columns of UnitMonthStat)."""

    def count(condition: Q) -> Count:
        return Count("id", filter=condition)

    sums: dict[str, Any] = {
        "received": Count("id"),
        "accepted": count(Q(accepted=True)),
        "refused": count(Q(outcome=Outcome.REFUSED)),
        "forwarded": count(Q(outcome=Outcome.FORWARDED)),
        "resolved": count(Q(outcome=Outcome.RESOLVED)),
        "resolved_on_time": count(Q(outcome=Outcome.RESOLVED, on_time=True)),
        "resolved_late": count(Q(outcome=Outcome.RESOLVED, on_time=False)),
        "done_on_time": count(Q(on_time=True)),
        "done_late": count(Q(on_time=False)),
        "still_open": count(Q(outcome=Outcome.OPEN)),
        "withdrawn": count(Q(outcome=Outcome.WITHDRAWN)),
        "merged": count(Q(outcome=Outcome.MERGED)),
        "escalated_away": count(Q(escalated_away=True)),
        "answer_days_sum": Sum("answer_days"),
        "rated": count(Q(rating__isnull=False)),
        "rating_sum": Sum("rating"),
        "satisfied": count(Q(rating__gte=SATISFIED_FROM)),
    }
    for kind in KINDS:
        sums[f"kind_{kind}"] = count(Q(kind=kind))
    for channel in CHANNELS:
        sums[f"channel_{channel}"] = count(Q(channel=channel))
    return sums


STORED_MEASURES = tuple(fact_sums())


# Marks that stand for a bucket's values in the bucket queries compiled once (``_bucket_query``): no real unit,
# province, topic or month has them.
_MARKS: dict[str, Any] = {"unit": -7_654_321, "province": "~~", "topic": -7_654_322}
_NO_MONTH = date(1901, 1, 1)


@cache
def _bucket_query(shape: str, alias: str) -> tuple[str, tuple[Any, ...], tuple[tuple[int, str], ...]]:
    """The measures of one bucket (``shape``: "unit", "topic" or "no_topic") as SQL compiled once per database:
    an aggregate of ~30 conditional counts takes Django milliseconds to compile, and each case change asks for
    two or three. Returns the SQL, its parameters and where the bucket's own values go."""
    month = _NO_MONTH
    filters: dict[str, Any] = {"received_on__gte": month, "received_on__lt": next_month(month)}
    if shape == "unit":
        filters["unit_id"] = _MARKS["unit"]
    else:
        filters["province_id"] = _MARKS["province"]
        filters |= {"topic_id": _MARKS["topic"]} if shape == "topic" else {"topic_id__isnull": True}
    group = "unit_id" if shape == "unit" else "province_id"
    queryset = HandlingFact.objects.using(alias).filter(**filters).values(group).annotate(**fact_sums()).order_by()
    sql, params = queryset.query.sql_with_params()
    ops = connections[alias].ops
    marks = {
        **_MARKS,
        "month": ops.adapt_datefield_value(month),
        "next": ops.adapt_datefield_value(next_month(month)),
    }
    slots = tuple((i, name) for i, value in enumerate(params) for name, mark in marks.items() if value == mark)
    if len(slots) != len([f for f in filters if not f.endswith("__isnull")]):
        raise RuntimeError(f"bucket query {shape}: {len(slots)} marks found in {params!r}")
    return sql, tuple(params), slots


def _bucket_sums(shape: str, month: date, **bucket: Any) -> dict[str, int]:
    """The stored measures of one bucket (zeros when it holds no fact)."""
    sql, params, slots = _bucket_query(shape, connection.alias)
    ops = connection.ops
    values = {**bucket, "month": ops.adapt_datefield_value(month), "next": ops.adapt_datefield_value(next_month(month))}
    filled = list(params)
    for i, name in slots:
        filled[i] = values[name]
    with connection.cursor() as cursor:
        cursor.execute(sql, filled)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    found = dict(zip(names, row, strict=True)) if row else {}
    return {k: found.get(k) or 0 for k in STORED_MEASURES}


def refresh_buckets(buckets: Iterable[tuple[int, date]]) -> None:
    """Recompute the (unit, month) buckets from the facts: an upsert, or a delete when nothing is left."""
    provinces: dict[int, str] = {}
    for unit_id, month in set(buckets):
        values = _bucket_sums("unit", month, unit=unit_id)
        if not values["received"]:
            UnitMonthStat.objects.filter(unit_id=unit_id, month=month).delete()
            continue
        if unit_id not in provinces:
            provinces[unit_id] = Unit.objects.filter(pk=unit_id).values_list("province_id", flat=True).first() or ""
        UnitMonthStat.objects.update_or_create(
            unit_id=unit_id, month=month, defaults={"province_id": provinces[unit_id], **values}
        )
    province_months = set()
    for unit_id, month in set(buckets):
        if unit_id not in provinces:
            provinces[unit_id] = Unit.objects.filter(pk=unit_id).values_list("province_id", flat=True).first() or ""
        province_months.add((provinces[unit_id], month))
    for province_id, month in province_months:
        refresh_days(province_id, month)


TopicBucket = tuple[str, date, int | None]  # (province, month, topic)


def refresh_topic_buckets(buckets: Iterable[TopicBucket]) -> None:
    """Recompute the (province, month, topic) buckets from the facts: replaced, or deleted when nothing is left."""
    for province_id, month, topic_id in set(buckets):
        if topic_id is None:
            values = _bucket_sums("no_topic", month, province=province_id)
        else:
            values = _bucket_sums("topic", month, province=province_id, topic=topic_id)
        TopicMonthStat.objects.filter(province_id=province_id, month=month, topic_id=topic_id).delete()
        if values["received"]:
            TopicMonthStat.objects.create(province_id=province_id, month=month, topic_id=topic_id, **values)


def _days_histogram(queryset: Any) -> Any:
    return (
        queryset.filter(outcome=Outcome.RESOLVED, answer_days__isnull=False)
        .values("province_id", "answer_days")
        .annotate(n=Count("id"))
        .order_by()
    )


def refresh_days(province_id: str, month: date) -> None:
    """Recompute one province-month of the days-to-answer histogram."""
    ProvinceDaysStat.objects.filter(province_id=province_id, month=month).delete()
    rows = _days_histogram(
        HandlingFact.objects.filter(province_id=province_id, received_on__gte=month, received_on__lt=next_month(month))
    )
    ProvinceDaysStat.objects.bulk_create(
        ProvinceDaysStat(month=month, province_id=province_id, answer_days=r["answer_days"], resolved=r["n"])
        for r in rows
    )


# ---------------------------------------------------------------- incremental and bulk


def refresh_cases(case_ids: Sequence[int]) -> set[tuple[int, date]]:
    """Rewrite the facts of these cases and the buckets their old and new facts fall in, each bucket once (the job
    worker takes the jobs of many changes together, and most fall in the same few buckets). Returns the (unit,
    month) buckets touched: the portal's snapshots of those units, their provinces and the country are out of
    date."""
    ids = list(case_ids)
    old = set(
        HandlingFact.objects.filter(case_id__in=ids).values_list("unit_id", "received_on", "province_id", "topic_id")
    )
    new_facts = [fact for facts in _load(ids) for fact in facts]
    provinces = {
        u: p for u, p in Unit.objects.filter(pk__in={f.unit_id for f in new_facts}).values_list("id", "province_id")
    }
    HandlingFact.objects.filter(case_id__in=ids).delete()
    HandlingFact.objects.bulk_create([_model(f, provinces) for f in new_facts])
    touched = {(u, month_of(d)) for u, d, _p, _t in old} | {(f.unit_id, month_of(f.received_on)) for f in new_facts}
    refresh_buckets(touched)
    topics = {(p, month_of(d), t) for _u, d, p, t in old}
    topics |= {(provinces.get(f.unit_id, ""), month_of(f.received_on), f.topic_id) for f in new_facts}
    refresh_topic_buckets(topics)
    return touched


def rebuild(*, chunk: int = 5000, progress: Any = None) -> dict[str, int]:
    """Recompute every fact and bucket from the cases (idempotent)."""
    provinces = _provinces()
    total_facts = 0
    with transaction.atomic():
        HandlingFact.objects.all().delete()
        UnitMonthStat.objects.all().delete()
        TopicMonthStat.objects.all().delete()
        ProvinceDaysStat.objects.all().delete()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        batch = ids[start : start + chunk]
        rows = [_row(f, provinces) for facts in _load(batch) for f in facts]
        with transaction.atomic():
            raw_insert(HandlingFact, FACT_COLUMNS, rows)
        total_facts += len(rows)
        if progress:
            progress(start + len(batch), len(ids))
    buckets = rebuild_buckets()
    return {"cases": len(ids), "facts": total_facts, "buckets": buckets}


def rebuild_buckets() -> int:
    """All month buckets in one GROUP BY per month (dates are grouped by month in Python-chosen ranges so
    the same SQL runs on SQLite and PostgreSQL)."""
    sums = fact_sums()
    bounds = HandlingFact.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
    if bounds["first"] is None:
        return 0
    provinces = _provinces()
    month, created = month_of(bounds["first"]), 0
    while month <= bounds["last"]:
        rows = (
            HandlingFact.objects.filter(received_on__gte=month, received_on__lt=next_month(month))
            .values("unit_id")
            .annotate(**sums)
            .order_by()
        )
        objects = [
            (
                connection.ops.adapt_datefield_value(month),
                r["unit_id"],
                provinces.get(r["unit_id"], ""),
                *(r[k] or 0 for k in STORED_MEASURES),  # type: ignore[literal-required]
            )
            for r in rows
        ]
        histogram = [
            (connection.ops.adapt_datefield_value(month), r["province_id"], r["answer_days"], r["n"])
            for r in _days_histogram(
                HandlingFact.objects.filter(received_on__gte=month, received_on__lt=next_month(month))
            )
        ]
        topics = topic_bucket_rows(HandlingFact, month)
        with transaction.atomic():
            raw_insert(UnitMonthStat, ["month", "unit_id", "province_id", *STORED_MEASURES], objects)
            raw_insert(TopicMonthStat, TOPIC_BUCKET_COLUMNS, topics)
            raw_insert(ProvinceDaysStat, ["month", "province_id", "answer_days", "resolved"], histogram)
        created += len(objects)
        month = next_month(month)
    return created


TOPIC_BUCKET_COLUMNS = ["month", "province_id", "topic_id", *STORED_MEASURES]


def topic_bucket_rows(fact_model: Any, month: date) -> list[tuple[Any, ...]]:
    """The (province, topic) buckets of one month, as rows for ``raw_insert`` (``TOPIC_BUCKET_COLUMNS``).
    ``fact_model`` is ``HandlingFact`` or, in migration ``public.0006``, its historical twin."""
    rows = (
        fact_model.objects.filter(received_on__gte=month, received_on__lt=next_month(month))
        .values("province_id", "topic_id")
        .annotate(**fact_sums())
        .order_by()
    )
    day = connection.ops.adapt_datefield_value(month)
    return [(day, r["province_id"], r["topic_id"], *(r[k] or 0 for k in STORED_MEASURES)) for r in rows]


def rebuild_topic_buckets(fact_model: Any = HandlingFact, bucket_model: Any = TopicMonthStat) -> int:
    """Every (province, month, topic) bucket from the facts (migration ``public.0006`` fills the table with it)."""
    bounds = fact_model.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
    bucket_model.objects.all().delete()
    if bounds["first"] is None:
        return 0
    month, created = month_of(bounds["first"]), 0
    while month <= bounds["last"]:
        rows = topic_bucket_rows(fact_model, month)
        raw_insert(bucket_model, TOPIC_BUCKET_COLUMNS, rows)
        created += len(rows)
        month = next_month(month)
    return created
