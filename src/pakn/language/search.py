"""Diacritic-insensitive, ranked case search with highlighted snippets of the original text.

Matching: every word of the query (folded, slang expanded: ``core.text.tokens``) must occur as a word in
the case's title, content, subject, address or what was written later (the citizen's added information and
the unit's answers, redacted). SQLite answers it with FTS5 (``language_fts``), PostgreSQL with a GIN-indexed
``tsvector`` of the same keys; the keys are computed once in Python, so both databases match exactly the
same cases.

Cost follows the page, not the corpus: the index is asked for the newest ``RANK_WINDOW`` matches only
(FTS5 walks its lists newest first and stops; PostgreSQL searches the newest ``RECENT_BUCKET`` slices of
cases first, through recency terms in the index) and, for a clerk or a supervisor, only among the cases of
their units or area (scope terms in the index, ``index_scope``), so a search is an intersection of short
lists inside the index. The scope terms only narrow what the index hands over: every result is still
filtered by the caller's queryset (``visible_cases``), so they can never show a case the caller may not see.

Ranking is one portable SQL expression over the stored keys (identical on both databases) applied to that
window: the exact accented phrase in the title, the folded phrase in the title, the phrase in the body, then
how many query words the title has; ties go to the newest case.

``find(queryset, q, scope=index_scope(user))`` takes a queryset that is already restricted to what the
caller may see (``org.access.visible_cases(user)`` or a public published set) and only narrows and orders
it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pakn.core.text import fold, search_key, tokens, toned_key, unique, word_spans
from pakn.core.tracking import normalise_tracking_code

MAX_QUERY_WORDS = 12
RANK_FIELD = "search_rank"
# Relevance is computed over at most this many matches, the newest ones; a broader query shows the most
# relevant of its newest matches (and the staff page says "at least N"). Keeps every query fast at a
# million cases: the cost is this window, whatever the number of matches.
RANK_WINDOW = 200
# Without a scope hint, a queryset this small is matched by scanning its own keys (same words, same rule,
# same results) rather than asking the index.
SMALL_SCOPE = 5_000
# Cases are grouped by id into slices of this size for the recency terms "r_<id // RECENT_BUCKET>"
# (migration 0003 writes the same number).
RECENT_BUCKET = 10_000
# A scope of more terms than this (a province's whole tree of units) is not narrowed inside the index.
MAX_SCOPE_TERMS = 64
# How far the newest-first window is widened when the queryset keeps only part of what the index hands
# over (filters, or a scope without terms): 4, 16, 64 times the window.
WIDEN_STEPS = 3
_TERM = re.compile(r"^[a-z]_[0-9A-Za-z_]+$")


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    words: tuple[str, ...]  # folded, slang-expanded, without repeats
    toned: str  # the accented query in the canonical tone style ("" when typed without marks)
    tracking_code: str | None

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.words or self.tracking_code)


def parse_query(q: str) -> ParsedQuery:
    """Pure: what a typed query means."""
    raw = (q or "").strip()[:500]
    words = tuple(unique(tokens(raw)))[:MAX_QUERY_WORDS]
    accented = toned_key(raw) if fold(raw) != raw.lower() else ""
    return ParsedQuery(
        raw=raw, words=words, toned=accented, tracking_code=normalise_tracking_code(raw) if raw else None
    )


def padded(key: str) -> str:
    """Keys are stored with a space at each end, so a phrase is matched as whole words with LIKE."""
    return f" {key} "


# ---------------------------------------------------------------- scope and recency terms


def scope_key(
    *,
    case_id: int,
    unit_id: int,
    province_id: str,
    commune_id: str | None,
    unit_province_id: str,
    unit_commune_id: str | None,
) -> str:
    """Pure: the index terms of who may see a case and how recent it is (``CaseSearchDocument.scope_key``):
    its unit, provinces and communes, its slice of ids ("r_"), and each province's slice ("q_<province>_<slice>":
    a province's newest matches are a short list, not the province's whole list intersected with the slices').
    Typed words never hold "_" (``core.text.tokens``), so a query never matches these terms."""
    recent = case_id // RECENT_BUCKET
    terms = [f"u_{unit_id}", f"p_{province_id}", f"p_{unit_province_id}"]
    terms += [f"c_{code}" for code in (commune_id, unit_commune_id) if code]
    terms.append(f"r_{recent}")
    terms += [f"q_{code}_{recent}" for code in unique([province_id, unit_province_id])]
    return padded(" ".join(terms))


def index_scope(user: Any) -> tuple[str, ...] | None:
    """The scope terms that cover every case ``user`` may see (``org.access.visible_cases``): the units
    they handle (the provinces of those units when they are more than ``MAX_SCOPE_TERMS``), the communes and
    provinces they supervise. ``None``: do not narrow inside the index (an administrator). A hint only:
    results are always filtered by ``visible_cases`` too, so a term too many can never show a case, and the
    suite checks that no visible case lacks one of these terms (``tests/language/test_search_scope.py``)."""
    from pakn.org.access import handling_units
    from pakn.org.models import Membership, Role

    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    handled = handling_units(user)
    units = list(handled.order_by("pk").values_list("pk", flat=True)[: MAX_SCOPE_TERMS + 1])
    terms = [f"u_{pk}" for pk in units]
    if len(units) > MAX_SCOPE_TERMS:  # a province's tree of units: its provinces (terms of the case's unit)
        terms = [
            f"p_{code}" for code in handled.order_by("province_id").values_list("province_id", flat=True).distinct()
        ]
    for m in Membership.objects.filter(user=user, role=Role.SUPERVISOR).select_related("unit"):
        if m.unit.commune_id and not m.include_subunits:  # as org.access.supervised_case_filter
            terms.append(f"c_{m.unit.commune_id}")
        else:
            terms.append(f"p_{m.unit.province_id}")
    terms = unique(terms)
    if not terms or len(terms) > MAX_SCOPE_TERMS:
        return None
    return tuple(terms)


# ---------------------------------------------------------------- matching


def _index_query(words: tuple[str, ...], vendor: str, *, any_word: bool) -> str:
    if vendor == "sqlite":
        return (" OR " if any_word else " ").join(f'"{w}"' for w in words)  # words are letters and digits only
    return (" | " if any_word else " & ").join(words)


def _checked(terms: Iterable[str]) -> list[str]:
    out = list(terms)
    if not all(_TERM.match(t) for t in out):
        raise ValueError(f"not index terms: {out!r}")
    return out


def _fts_match(words: tuple[str, ...], *, any_word: bool, terms: Iterable[str] = ()) -> str:
    """SQLite: the FTS5 query; ``terms`` (scope, recency): at least one of them."""
    query = f"({_index_query(words, 'sqlite', any_word=any_word)})"
    terms = _checked(terms)
    if terms:
        query += " AND (" + " OR ".join(f'"{t}"' for t in terms) + ")"
    return query


def _ts_terms(terms: Iterable[str]) -> str:
    """PostgreSQL: ``terms`` as a tsquery (verbatim lexemes: the parser would cut "u_5" in two)."""
    return " | ".join(f"'{t}'" for t in _checked(terms))


# The index's matches, all of them or (second) only the newest ``%s``: fixed SQL, the query is a parameter.
_MATCH_SQL = {
    "postgresql": (
        "SELECT case_id FROM language_casesearchdocument WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)",
        "SELECT case_id FROM language_casesearchdocument WHERE search_vector @@ to_tsquery('simple'::regconfig, %s) "
        "ORDER BY case_id DESC LIMIT %s",
    ),
    "sqlite": (
        "SELECT rowid FROM language_fts WHERE language_fts MATCH %s",
        "SELECT rowid FROM language_fts WHERE language_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
    ),
}
_PG_NEWEST = (  # {}: the tsquery, made of parameters only
    "SELECT case_id FROM language_casesearchdocument WHERE search_vector @@ ({}) ORDER BY case_id DESC LIMIT %s"
)


def match_sql(
    words: tuple[str, ...], *, using: str = "default", newest: int | None = None, any_word: bool = False
) -> RawSQL:
    """A subquery of the ids of cases whose keys contain every word (``any_word``: at least one); with
    ``newest``, only that many, the newest."""
    vendor = connections[using].vendor
    params: list[Any] = [_index_query(words, vendor, any_word=any_word)]
    if newest is not None:
        params.append(int(newest))
    if vendor in _MATCH_SQL:
        sql = _MATCH_SQL[vendor][newest is not None]
        return RawSQL(sql, params)  # noqa: S611 - fixed SQL above; the query and the limit are parameters
    raise NotImplementedError(f"search needs SQLite (FTS5) or PostgreSQL, not {vendor}")


def newest_matches(
    words: tuple[str, ...],
    limit: int,
    *,
    using: str = "default",
    any_word: bool = False,
    scope: tuple[str, ...] | None = None,
) -> list[int]:
    """The ids of the ``limit`` newest cases whose keys have every word (``any_word``: one of them) and, with
    ``scope``, one of those scope terms; newest first. The same ids on both databases.

    SQLite: FTS5 walks its lists from the newest rowid and stops at ``limit``. PostgreSQL: a GIN search
    returns every match before sorting. Within units or communes (a clerk, a commune's supervisor) the scope
    term's short list bounds that; otherwise (all cases, a province) the matches among the newest two slices
    of cases are asked first ("r_" terms, or a province's own slices "q_": the index intersects the slices'
    short lists with the words' lists), then as many more slices as the matches found so far say are needed
    (at least four times as many), until ``limit`` are found; past the oldest slice, every match."""
    connection = connections[using]
    vendor = connection.vendor
    if not words:
        return []
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(_MATCH_SQL["sqlite"][1], [_fts_match(words, any_word=any_word, terms=scope or ()), limit])
            return [row[0] for row in cursor.fetchall()]
        if vendor != "postgresql":
            raise NotImplementedError(f"search needs SQLite (FTS5) or PostgreSQL, not {vendor}")
        words_sql = "to_tsquery('simple'::regconfig, %s)"
        if scope:
            words_sql += " && %s::tsquery"
        params: list[Any] = [_index_query(words, vendor, any_word=any_word)]
        params += [_ts_terms(scope)] if scope else []
        if scope and all(term[0] in "uc" for term in scope):  # units and communes: short lists, no slices
            cursor.execute(_PG_NEWEST.format(words_sql), [*params, limit])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT max(case_id) FROM language_casesearchdocument")
        top = (cursor.fetchone()[0] or 0) // RECENT_BUCKET
        span = 2  # the newest slice may hold a single case
        while span <= top:  # the newest slices first; all of them at once is the plain search below
            recent = _recent_terms(scope, range(top, top - span, -1))
            cursor.execute(
                _PG_NEWEST.format("to_tsquery('simple'::regconfig, %s) && %s::tsquery"), [params[0], recent, limit]
            )
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) >= limit:
                return ids
            # as many slices as the matches found so far say are needed (and a quarter more), at least 4×
            span = max(span * 4, -(-span * limit * 5 // (4 * len(ids))) if ids else 0)
        cursor.execute(_PG_NEWEST.format(words_sql), [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _recent_terms(scope: tuple[str, ...] | None, slices: Iterable[int]) -> str:
    """PostgreSQL: a tsquery of the cases of ``slices`` within ``scope``: a province's own slice terms ("q_"),
    the other scope terms with the plain slices ("r_")."""
    slices = list(slices)
    recent = _ts_terms(f"r_{b}" for b in slices)
    if not scope:
        return recent
    provinces = [term[2:] for term in scope if term.startswith("p_")]
    others = [term for term in scope if not term.startswith("p_")]
    parts = [_ts_terms(f"q_{code}_{b}" for code in provinces for b in slices)] if provinces else []
    if others:
        parts.append(f"( {_ts_terms(others)} ) & ( {recent} )")
    return " | ".join(parts)


def _id_list(ids: list[int], using: str) -> RawSQL:
    """A subquery of ``ids`` in one parameter, however many (no limit on the number of SQL variables)."""
    if connections[using].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])  # noqa: S611 - fixed SQL, the ids are a parameter
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])  # noqa: S611 - fixed SQL


def rank_expression(parsed: ParsedQuery, *, partial: bool = False) -> Any:
    def has(field: str, needle: str, weight: int) -> SqlCase:
        return SqlCase(
            When(**{f"search_document__{field}__contains": needle}, then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )

    parts: list[Any] = []
    if parsed.toned:
        parts.append(has("title_toned", padded(parsed.toned), 16))
    if parsed.words:
        parts.append(has("title_key", padded(parsed.phrase), 8))
        parts.append(has("body_key", padded(parsed.phrase), 4))
        parts += [has("title_key", padded(w), 1) for w in parsed.words[:6]]
    if partial:  # not every word is there: the more of them a case has, the higher it comes
        parts += [has("body_key", padded(w), 2) for w in parsed.words]
    if not parts:
        return Value(0, output_field=IntegerField())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def key_scan(words: tuple[str, ...], *, any_word: bool = False) -> Q:
    """The same matching rule as the full-text index, as LIKE conditions on the stored keys."""
    condition = Q()
    for w in words:
        needle = padded(w)
        has = Q(search_document__title_key__contains=needle) | Q(search_document__body_key__contains=needle)
        condition = (condition | has) if any_word else (condition & has)
    return condition


def _is_small(queryset: QuerySet[Any]) -> bool:
    return queryset.order_by().values("pk")[: SMALL_SCOPE + 1].count() <= SMALL_SCOPE


def _condition(parsed: ParsedQuery, using: str, *, small: bool = False, any_word: bool = False) -> Q:
    condition = Q(pk__in=[])
    if parsed.words:
        condition |= (
            key_scan(parsed.words, any_word=any_word)
            if small
            else Q(pk__in=match_sql(parsed.words, using=using, any_word=any_word))
        )
    if parsed.tracking_code:
        condition |= Q(tracking_code=parsed.tracking_code)
    return condition


def count_matches(queryset: QuerySet[Any], q: str) -> int:
    """How many cases of ``queryset`` match ``q`` (all of them, not only the ranked window: reports and tests;
    a page shows the window's count and says "at least")."""
    parsed = parse_query(q)
    if not parsed:
        return queryset.count()
    return queryset.filter(_condition(parsed, queryset.db, small=_is_small(queryset))).count()


def _window_ids(
    queryset: QuerySet[Any],
    parsed: ParsedQuery,
    window: int,
    *,
    any_word: bool,
    scope: tuple[str, ...] | None,
    small: bool = False,
) -> list[int]:
    """The ids of the ``window`` newest matches in ``queryset``, newest first: the index's newest matches
    (within ``scope``), kept if ``queryset`` has them; asked again, wider, when the queryset kept too few."""
    db = queryset.db
    limit = window
    kept: list[int] = []
    if small:  # a small queryset: its own keys scanned, newest first (the same rule and the same window)
        scan = queryset.filter(key_scan(parsed.words, any_word=any_word)) if parsed.words else queryset.none()
        kept = list(scan.order_by("-pk").values_list("pk", flat=True)[:window])
    for step in range(0 if small else WIDEN_STEPS + 1):
        ids = newest_matches(parsed.words, limit, using=db, any_word=any_word, scope=scope)
        if not queryset.query.where and not queryset.query.distinct:
            kept = ids  # every case is in the queryset
            break
        kept = sorted(queryset.filter(pk__in=_id_list(ids, db)).values_list("pk", flat=True), reverse=True)
        if len(ids) < limit or len(kept) >= window or step == WIDEN_STEPS:
            break  # the index has no more, or the window is full
        limit *= 4
    if parsed.tracking_code:
        code = list(queryset.filter(tracking_code=parsed.tracking_code).values_list("pk", flat=True))
        kept = code + [pk for pk in kept if pk not in code]
    return kept[:window]


@dataclass(frozen=True)
class Found:
    """A search's ranked cases, and what the page says about them."""

    cases: QuerySet[Any]
    partial: bool  # no case has every word: these have some of them
    window: int | None  # at most this many, the newest matches, are ranked (None: all)
    count: int | None = None  # how many ``cases`` holds, when known without asking the database


def find(queryset: QuerySet[Any], q: str, *, window: int | None = -1, scope: tuple[str, ...] | None = None) -> Found:
    """``filter_cases``; when no case in scope has every word of a query of several words, the cases with
    some of them instead (``partial``), the most words first. ``scope``: ``index_scope(user)`` of the user
    whose ``visible_cases`` the queryset starts from (a hint that makes the index do the narrowing)."""
    window = RANK_WINDOW if window == -1 else window
    cases, count = _search(queryset, q, window=window, scope=scope)
    parsed = parse_query(q)
    if len(parsed.words) < 2 or (count > 0 if count is not None else cases.exists()):
        return Found(cases, partial=False, window=window, count=count)
    partial, count = _search(queryset, q, window=window, any_word=True, scope=scope)
    return Found(partial, partial=True, window=window, count=count)


def filter_cases(
    queryset: QuerySet[Any],
    q: str,
    *,
    window: int | None = -1,
    any_word: bool = False,
    scope: tuple[str, ...] | None = None,
) -> QuerySet[Any]:
    """``queryset`` narrowed to the cases matching ``q`` (a query or a tracking code), annotated with
    ``search_rank`` and ordered best first. An empty query returns the queryset unchanged. At most
    ``window`` matches, the newest, are ranked and returned (default ``RANK_WINDOW``; ``None``: all)."""
    return _search(queryset, q, window=RANK_WINDOW if window == -1 else window, any_word=any_word, scope=scope)[0]


def _search(
    queryset: QuerySet[Any], q: str, *, window: int | None, any_word: bool = False, scope: tuple[str, ...] | None
) -> tuple[QuerySet[Any], int | None]:
    """``filter_cases``, and how many cases it holds when that is known without asking (the window's)."""
    parsed = parse_query(q)
    if not parsed:
        return queryset, None
    # A queryset of a few thousand cases (one commune's clerk) is scanned faster than the index can intersect its
    # long word lists with the scope's; a wide scope (a province, everything) never is.
    narrow = scope is None or all(term[0] in "uc" for term in scope)
    small = narrow and _is_small(queryset)
    count: int | None = None
    if window is None:
        matched = queryset.filter(_condition(parsed, queryset.db, small=small, any_word=any_word))
    else:
        ids = _window_ids(queryset, parsed, window, any_word=any_word, scope=scope, small=small)
        count = len(ids)
        matched = queryset.model._default_manager.filter(pk__in=_id_list(ids, queryset.db)).select_related(
            *_related(queryset)
        )
    exact = (
        SqlCase(
            When(tracking_code=parsed.tracking_code, then=Value(1000)), default=Value(0), output_field=IntegerField()
        )
        if parsed.tracking_code
        else Value(0, output_field=IntegerField())
    )
    ranked = matched.annotate(**{RANK_FIELD: exact + rank_expression(parsed, partial=any_word)})
    return ranked.order_by(f"-{RANK_FIELD}", "-received_on", "-pk"), count


def _related(queryset: QuerySet[Any]) -> list[str]:
    related = queryset.query.select_related
    if isinstance(related, dict):
        return list(_walk(related))
    return []


def _walk(tree: dict[str, Any], prefix: str = "") -> Any:
    for name, sub in tree.items():
        yield prefix + name
        if sub:
            yield from _walk(sub, f"{prefix}{name}__")


# ---------------------------------------------------------------- display


def _marked_ranges(text: str, words: set[str]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for span in word_spans(text):
        if words.intersection(span.keys):
            if ranges and not text[ranges[-1][1] : span.start].strip():
                ranges[-1] = (ranges[-1][0], span.end)  # join neighbours: one mark for "đất đai"
            else:
                ranges.append((span.start, span.end))
    return ranges


def highlight(text: str, words: tuple[str, ...] | list[str] | set[str]) -> SafeString:
    """The original text, HTML-escaped, with the words that match wrapped in ``<mark>``."""
    wanted = set(words)
    out: list[str] = []
    position = 0
    for start, end in _marked_ranges(text, wanted) if wanted else []:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def snippet(text: str, words: tuple[str, ...] | list[str] | set[str], *, width: int = 30) -> SafeString:
    """About ``width`` words of ``text`` around the densest cluster of matches, highlighted."""
    spans = list(word_spans(text))
    if not spans:
        return mark_safe("")
    wanted = set(words)
    hits = [i for i, s in enumerate(spans) if wanted.intersection(s.keys)]
    if len(spans) <= width:
        return highlight(text, wanted)
    best_start, best_count = 0, -1
    for i in hits or [0]:
        start = max(0, i - width // 3)
        count = sum(1 for h in hits if start <= h < start + width)
        if count > best_count:
            best_start, best_count = start, count
    first, last = spans[best_start], spans[min(len(spans), best_start + width) - 1]
    piece = text[first.start : last.end]
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if best_start + width < len(spans) else ""
    return mark_safe(escape(prefix) + highlight(piece, wanted) + escape(suffix))  # noqa: S308 - escaped


@dataclass
class Hit:
    case: Any
    rank: int
    title_html: SafeString
    snippet_html: SafeString


def hits(queryset: QuerySet[Any], q: str, *, limit: int = 50, offset: int = 0, ranked: bool = False) -> list[Hit]:
    """The page of ranked results, each with its highlighted title and snippet (``ranked``: ``queryset`` is
    already a search's result, ``find(...).cases``)."""
    parsed = parse_query(q)
    rows = list((queryset if ranked else filter_cases(queryset, q))[offset : offset + limit])
    return [
        Hit(
            case=c,
            rank=getattr(c, RANK_FIELD, 0),
            title_html=highlight(c.title, parsed.words),
            snippet_html=snippet(c.content, parsed.words),
        )
        for c in rows
    ]


def document_keys(*, title: str, content: str, subject: str = "", address: str = "", later: str = "") -> dict[str, str]:
    """Pure: the stored keys of a case's text (see ``CaseSearchDocument``). ``later`` is what was written
    after filing — the citizen's added information (redacted like the submission) and the unit's answers —
    searchable with the body, but not part of the near-duplicate key (which compares what was filed)."""
    from pakn.language.duplicates import dup_key

    title_key = search_key(title)
    body_key = search_key("\n".join(p for p in (content, subject, address) if p))
    searchable = f"{body_key} {search_key(later)}" if later.strip() else body_key
    return {
        "title_key": padded(title_key),
        "body_key": padded(searchable),
        "title_toned": padded(toned_key(title)),
        "dup_key": dup_key(title_key, body_key),
    }


__all__ = [
    "Found",
    "Hit",
    "ParsedQuery",
    "document_keys",
    "filter_cases",
    "find",
    "highlight",
    "hits",
    "parse_query",
    "snippet",
]
