"""Diacritic-insensitive, ranked case search with highlighted snippets of the original text.

Matching: every word of the query (folded, slang expanded: ``core.text.tokens``) must occur as a word in
the case's title, content, subject or address. SQLite answers it with FTS5 (``language_fts``), PostgreSQL
with a GIN-indexed ``tsvector`` of the same keys; the keys are computed once in Python, so both
databases match exactly the same cases.

Ranking is one portable SQL expression over the stored keys (identical on both databases): the exact
accented phrase in the title, the folded phrase in the title, the phrase in the body, then how many query
words the title has; ties go to the newest case.

``filter_cases(queryset, q)`` takes a queryset that is already restricted to what the caller may see
(``org.access.visible_cases(user)`` or a public published set) and only narrows and orders it."""

from __future__ import annotations

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
# relevant of its newest matches (and the staff page says so). Keeps every query fast at a million cases.
RANK_WINDOW = 2000
# A scope this small (one commune's clerk) is matched by scanning its own keys, which is faster than
# asking the full-text index for every match in the country. Same words, same rule, same results.
SMALL_SCOPE = 20_000


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


# ---------------------------------------------------------------- matching


def _index_query(words: tuple[str, ...], vendor: str, *, any_word: bool) -> str:
    if vendor == "sqlite":
        return (" OR " if any_word else " ").join(f'"{w}"' for w in words)  # words are letters and digits only
    return (" | " if any_word else " & ").join(words)


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


def match_sql(
    words: tuple[str, ...], *, using: str = "default", newest: int | None = None, any_word: bool = False
) -> RawSQL:
    """A subquery of the ids of cases whose keys contain every word (``any_word``: at least one); with
    ``newest``, only that many, the newest — the index hands them over newest first and stops there, so a
    broad query costs no more than a rare one."""
    vendor = connections[using].vendor
    params: list[Any] = [_index_query(words, vendor, any_word=any_word)]
    if newest is not None:
        params.append(int(newest))
    if vendor in _MATCH_SQL:
        sql = _MATCH_SQL[vendor][newest is not None]
        return RawSQL(sql, params)  # noqa: S611 - fixed SQL above; the query and the limit are parameters
    raise NotImplementedError(f"search needs SQLite (FTS5) or PostgreSQL, not {vendor}")


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


def _condition(
    parsed: ParsedQuery, using: str, *, small: bool = False, newest: int | None = None, any_word: bool = False
) -> Q:
    condition = Q(pk__in=[])
    if parsed.words:
        condition |= (
            key_scan(parsed.words, any_word=any_word)
            if small
            else Q(pk__in=match_sql(parsed.words, using=using, newest=newest, any_word=any_word))
        )
    if parsed.tracking_code:
        condition |= Q(tracking_code=parsed.tracking_code)
    return condition


def count_matches(queryset: QuerySet[Any], q: str) -> int:
    """How many cases of ``queryset`` match ``q`` (all of them, not only the ranked window: reports and tests;
    a page shows the window's count, ``Found.more``)."""
    parsed = parse_query(q)
    if not parsed:
        return queryset.count()
    return queryset.filter(_condition(parsed, queryset.db, small=_is_small(queryset))).count()


# How far the newest-first window is widened for a scope that holds only part of the cases (a province):
# 4, 16, 64 times the window; past that the page ranks what the widest window found in the scope.
WIDEN_STEPS = 3


# PostgreSQL: the newest documents are first read in order, without the GIN index, this many per ranked case
# (a broad query fills the window there at once; a GIN search of its common words would read every match).
RECENT_SCAN = 10


def _newest_ids(parsed: ParsedQuery, limit: int, using: str, *, any_word: bool) -> list[int]:
    """The ids of the ``limit`` newest matching cases, from the index (and the case with the tracking code)."""
    ids: list[int] = []
    connection = connections[using]
    with connection.cursor() as cursor:
        if parsed.words and connection.vendor == "postgresql":
            query = _index_query(parsed.words, "postgresql", any_word=any_word)
            cursor.execute(  # the newest documents in order, the tsvector tested on each (no GIN: see RECENT_SCAN)
                "SELECT case_id FROM language_casesearchdocument WHERE case_id > "
                "(SELECT coalesce(max(case_id), 0) FROM language_casesearchdocument) - %s "
                "AND (search_vector || ''::tsvector) @@ to_tsquery('simple'::regconfig, %s) "
                "ORDER BY case_id DESC LIMIT %s",
                [limit * RECENT_SCAN, query, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if parsed.words and len(ids) < limit:
            query = _index_query(parsed.words, connection.vendor, any_word=any_word)
            cursor.execute(_MATCH_SQL[connection.vendor][1], [query, limit])
            ids = [row[0] for row in cursor.fetchall()]
    return ids


def _newest_in_scope(queryset: QuerySet[Any], parsed: ParsedQuery, window: int, *, any_word: bool) -> QuerySet[Any]:
    """The ``window`` newest matches of ``queryset``, asking the index for its newest matches only. SQLite takes
    the index's answer as a subquery; PostgreSQL's ids are read first (two steps, ``_newest_ids``)."""
    db = queryset.db
    limit = window
    on_postgres = connections[db].vendor == "postgresql"
    code = Q(tracking_code=parsed.tracking_code) if parsed.tracking_code else Q(pk__in=[])
    for step in range(WIDEN_STEPS + 1):
        if on_postgres:
            ids = _newest_ids(parsed, limit, db, any_word=any_word)
            candidates = queryset.filter(Q(pk__in=ids) | code)
            exhausted = len(ids) < limit
        else:
            candidates = queryset.filter(_condition(parsed, db, newest=limit, any_word=any_word))
            exhausted = False
        if not queryset.query.where or step == WIDEN_STEPS or exhausted:
            break  # every case is in scope, or the index has no more: these are the scope's newest
        if candidates.order_by().values("pk")[:window].count() >= window:
            break
        limit *= 4
    newest = candidates.order_by("-pk").values("pk")[:window]
    if on_postgres:
        newest = list(newest.values_list("pk", flat=True))  # type: ignore[assignment]
    return queryset.model._default_manager.filter(pk__in=newest).select_related(*_related(queryset))


@dataclass(frozen=True)
class Found:
    """A search's ranked cases, and what the page says about them."""

    cases: QuerySet[Any]
    partial: bool  # no case has every word: these have some of them
    window: int | None  # at most this many, the newest matches, are ranked (None: all)


def find(queryset: QuerySet[Any], q: str, *, window: int | None = -1) -> Found:
    """``filter_cases``; when no case in scope has every word of a query of several words, the cases with
    some of them instead (``partial``), the most words first."""
    window = RANK_WINDOW if window == -1 else window
    cases = filter_cases(queryset, q, window=window)
    parsed = parse_query(q)
    if len(parsed.words) < 2 or cases.exists():
        return Found(cases, partial=False, window=window)
    return Found(filter_cases(queryset, q, window=window, any_word=True), partial=True, window=window)


def filter_cases(
    queryset: QuerySet[Any], q: str, *, window: int | None = -1, any_word: bool = False
) -> QuerySet[Any]:
    """``queryset`` narrowed to the cases matching ``q`` (a query or a tracking code), annotated with
    ``search_rank`` and ordered best first. An empty query returns the queryset unchanged. At most
    ``window`` matches, the newest, are ranked and returned (default ``RANK_WINDOW``; ``None``: all)."""
    window = RANK_WINDOW if window == -1 else window
    parsed = parse_query(q)
    if not parsed:
        return queryset
    small = _is_small(queryset)
    if window is None or small:
        matched = queryset.filter(_condition(parsed, queryset.db, small=small, any_word=any_word))
    else:
        matched = _newest_in_scope(queryset, parsed, window, any_word=any_word)
    exact = (
        SqlCase(
            When(tracking_code=parsed.tracking_code, then=Value(1000)), default=Value(0), output_field=IntegerField()
        )
        if parsed.tracking_code
        else Value(0, output_field=IntegerField())
    )
    return matched.annotate(**{RANK_FIELD: exact + rank_expression(parsed, partial=any_word)}).order_by(
        f"-{RANK_FIELD}", "-received_on", "-pk"
    )


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


def document_keys(
    *, title: str, content: str, subject: str = "", address: str = "", later: str = ""
) -> dict[str, str]:
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
