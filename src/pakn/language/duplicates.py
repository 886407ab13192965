"""Near-duplicate finder: open cases about the same matter in the same place.

Candidates are the open cases of the commune (and of the communes whose centre lies within
``RADIUS_KM`` of the point given, or of the commune's centre), read with their stored duplicate key
(``CaseSearchDocument.dup_key``: content words of the title, text and address, after a small table of
rewordings — "đèn chiếu sáng" → "đèn đường", "hố ga" → "ổ gà" — numbers kept) in one query that indexes
answer (migration 0004). Each is scored in Python: a blend of the Dice and overlap coefficients of
content words and of word pairs, every word weighted by how rare it is among these candidates
(``pool_weights``: the street and the house number count, the matter's usual words little), the full
score only for a shortlist; kept when at least the threshold and close to the best (``RELATIVE_CUTOFF``).
Pure scoring functions, one read query per check (and one for the neighbouring communes).

Public results (while a citizen types) are only cases whose sender agreed to publish, of the public
kinds, and never carry the reporter's identity or the tracking code (another citizen's key to their
case): a signed ``ref`` lets the citizen join one."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from pakn.cases.models import Case, Kind, Track
from pakn.cases.workflow import OPEN, STATUS_LABELS, Status
from pakn.core.text import search_key

RADIUS_KM = 2.0
MAX_CANDIDATES = 5000
SHOW_THRESHOLD = 0.22  # shown to a citizen while typing
FLAG_THRESHOLD = 0.45  # flagged for the clerk at intake
RELATIVE_CUTOFF = 0.85  # shown or flagged only within this share of the best score
SHORTLIST = 20  # candidates scored in full, after a first cut on the probe's words they hold
PUBLIC_KINDS = (Kind.REPORT, Kind.PETITION, Kind.OPINION)
JOIN_SALT = "pakn.language.join"
JOIN_MAX_AGE = 7 * 24 * 3600

_STOPWORDS_TEXT = (
    "va cua la co cac nhung cho de da dang se bi duoc tai o trong voi nay do thi ma mot nhu khi tu den ra "
    "vao len rat qua cung nen vi neu ve theo toi chung em anh chi ong ba xin kinh gui nhieu it hon lai "
    "con van nua roi khong chua gi nao ai day kia luc nay hay hoac nhung ma thi la vay the nen nhat moi "
    "tung cu tren duoi sau truoc ngay hom thang nam gio phut lam viec nguoi dan ho gia dinh khu vuc so "
    "pho phuong xa thon ap to tinh thanh quan huyen uy ban nhan dan dia ban de nghi co quan chuc nang xem "
    "xet giai quyet phan anh kien nghi mong som "
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# Rewordings that mean the same thing here (folded phrase → folded canonical phrase).
REWORDINGS: tuple[tuple[str, str], ...] = (
    ("den chieu sang cong cong", "den_duong"),
    ("den chieu sang", "den_duong"),
    ("den cao ap", "den_duong"),
    ("den duong", "den_duong"),
    ("den tin hieu", "den_tin_hieu"),
    ("den giao thong", "den_tin_hieu"),
    ("o ga", "o_ga"),
    ("ho ga", "o_ga"),
    ("o voi", "o_ga"),
    ("ho sau", "o_ga"),
    ("hu hong", "hong"),
    ("hu hai", "hong"),
    ("xuong cap", "hong"),
    ("khong sang", "hong"),
    ("bi tat", "hong"),
    ("mat dien", "hong dien"),
    ("rac thai", "rac"),
    ("ngap nuoc", "ngap"),
    ("ngap ung", "ngap"),
    ("tieng on", "on"),
    ("on ao", "on"),
    ("lan chiem", "chiem"),
    ("lan dat", "chiem dat"),
)
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
for _phrase, _canonical in sorted(REWORDINGS, key=lambda r: -len(r[0].split())):
    _words = tuple(_phrase.split())
    _BY_FIRST.setdefault(_words[0], []).append((_words, _canonical.split()))


def content_words(key: str) -> list[str]:
    """Pure: the meaningful words of a folded key, rewordings applied, function words dropped. Numbers
    stay: a house or alley number is what tells one pothole from the next."""
    words = key.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, canonical in _BY_FIRST.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                out.extend(canonical)
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return [w for w in out if w not in STOPWORDS]


@dataclass(frozen=True)
class Fingerprint:
    words: frozenset[str]
    pairs: frozenset[str]


def from_words(words: list[str]) -> Fingerprint:
    return Fingerprint(frozenset(words), frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)))


def fingerprint(key: str) -> Fingerprint:
    return from_words(content_words(key))


def dup_key(title_key: str, body_key: str) -> str:
    """Pure: what is stored for the duplicate check (``CaseSearchDocument.dup_key``): the content words
    of the title (twice: it weighs more) and the body, in order."""
    return " ".join(content_words(f"{title_key} {title_key} {body_key}"))


def _blend(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 0.5 * (2 * common / (len(a) + len(b))) + 0.5 * (common / min(len(a), len(b)))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Pure: 0 (nothing in common) … 1 (the same words in the same pairs)."""
    return round(0.55 * _blend(a.words, b.words) + 0.45 * _blend(a.pairs, b.pairs), 4)


def text_fingerprint(title: str, content: str, address: str = "") -> Fingerprint:
    """As stored (``dup_key``: the body key holds the content and the address)."""
    body = "\n".join(p for p in (content, address) if p)
    return fingerprint(f"{search_key(title)} {search_key(title)} {search_key(body)}")


# ---------------------------------------------------------------- places


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearby_communes(
    *,
    province_code: str | None,
    commune_code: str | None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_km: float = RADIUS_KM,
) -> list[str]:
    """The commune itself and the communes whose centre is within ``radius_km`` of the point (or of
    the commune's centre when no point is given). The centres are a reference table read once per process."""
    from pakn.org.places import commune_centres

    codes: list[str] = [commune_code] if commune_code else []
    centres = commune_centres()
    if latitude is None or longitude is None:
        centre = centres.by_commune.get(commune_code) if commune_code else None
        if centre is None:
            return codes
        latitude, longitude = centre
    origin = (float(latitude or 0.0), float(longitude or 0.0))
    if province_code:
        communes = centres.by_province.get(province_code, [])
    else:
        communes = [row for rows in centres.by_province.values() for row in rows]
    for code, lat, lon in communes:
        if code not in codes and _distance_km(origin[0], origin[1], lat, lon) <= radius_km:
            codes.append(code)
    return codes


# ---------------------------------------------------------------- finding


@dataclass
class Match:
    case_id: int
    score: float


def public_cases(queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Cases a citizen may be shown: the sender agreed to publish, a public kind, not anonymous, open."""
    queryset = queryset if queryset is not None else Case.objects.all()
    return queryset.filter(publish=True, kind__in=PUBLIC_KINDS, status__in=[s.value for s in OPEN]).exclude(
        track=Track.ANONYMOUS
    )


def candidates(
    queryset: QuerySet[Case], *, province_code: str | None, communes: Sequence[str], exclude: Iterable[int] = ()
) -> QuerySet[Case]:
    queryset = queryset.filter(status__in=[s.value for s in OPEN]).exclude(pk__in=list(exclude))
    if communes:
        queryset = queryset.filter(commune_id__in=list(communes))
    elif province_code:
        queryset = queryset.filter(province_id=province_code)
    else:
        return queryset.none()
    return queryset


def pool_weights(documents: Iterable[frozenset[str]]) -> Callable[[str], float]:
    """Pure: the weight of a word among ``documents`` (the candidates' word sets): a smoothed inverse
    document frequency, so that what most open cases nearby share (the matter's usual words: "ổ gà",
    "sâu", "xe máy") weighs little and what singles one out (a street, a house number) weighs much. With
    a few candidates every word weighs about the same (the plain coefficients)."""
    counts: Counter[str] = Counter()
    size = 0
    for words in documents:
        counts.update(words)
        size += 1
    known: dict[str, float] = {}

    def weight(word: str) -> float:
        found = known.get(word)
        if found is None:
            found = known[word] = math.log(1.0 + (size + 1) / (counts[word] + 1))
        return found

    return weight


def _weighted_blend(common: float, a: float, b: float) -> float:
    if not common or not a or not b:
        return 0.0
    return 0.5 * (2 * common / (a + b)) + 0.5 * (common / min(a, b))


def weighted_similarity(probe: Fingerprint, other: Fingerprint, weight: Callable[[str], float]) -> float:
    """Pure: ``similarity`` with every word weighted (``pool_weights``); a word pair weighs the mean of
    its two words."""
    return _weighted_score(_Weighted(probe, weight), other)


class _Weighted:
    """A probe with its weights summed once, to be compared with many candidates."""

    def __init__(self, probe: Fingerprint, weight: Callable[[str], float]) -> None:
        self.probe = probe
        self.weight = weight
        self.pair_weights: dict[str, float] = {}
        self.words_total = sum(weight(w) for w in probe.words)
        self.pairs_total = sum(self.pair(p) for p in probe.pairs)

    def pair(self, pair: str) -> float:
        found = self.pair_weights.get(pair)
        if found is None:
            first, _, second = pair.partition(" ")
            found = self.pair_weights[pair] = (self.weight(first) + self.weight(second)) / 2
        return found


def _weighted_score(probe: _Weighted, other: Fingerprint) -> float:
    weight, pair = probe.weight, probe.pair
    words = _weighted_blend(
        sum(weight(w) for w in probe.probe.words & other.words),
        probe.words_total,
        sum(weight(w) for w in other.words),
    )
    pairs = _weighted_blend(
        sum(pair(p) for p in probe.probe.pairs & other.pairs), probe.pairs_total, sum(pair(p) for p in other.pairs)
    )
    return round(0.55 * words + 0.45 * pairs, 4)


def rank(queryset: QuerySet[Case], probe: Fingerprint, *, threshold: float, limit: int) -> list[Match]:
    """Score up to ``MAX_CANDIDATES`` of the newest cases of ``queryset`` against ``probe``, the words
    weighted among these candidates (``pool_weights``). Kept: a score of at least ``threshold`` and of at
    least ``RELATIVE_CUTOFF`` of the best one (a clear match is not shown among five look-alikes)."""
    if not probe.words:
        return []
    # The short duplicate key only; the long keys are read just for documents indexed before it existed.
    rows = list(queryset.order_by("-pk").values_list("pk", "search_document__dup_key")[:MAX_CANDIDATES])
    older = [pk for pk, stored in rows if not stored]
    long_keys = {
        pk: f"{title_key} {title_key} {body_key}"
        for pk, title_key, body_key in queryset.filter(pk__in=older, search_document__isnull=False).values_list(
            "pk", "search_document__title_key", "search_document__body_key"
        )
    }
    documents: list[tuple[int, list[str], frozenset[str]]] = []
    for pk, stored in rows:
        if stored:
            words = stored.split()
        elif pk in long_keys:
            words = content_words(long_keys[pk])
        else:
            continue  # not indexed yet
        documents.append((pk, words, frozenset(words)))
    weight = pool_weights(word_set for _pk, _words, word_set in documents)
    # First the share of the probe's (weighted) words each candidate holds, a cheap set intersection;
    # the full score only for the best ``SHORTLIST`` of them.
    probe_weight = {w: weight(w) for w in probe.words}
    covered = []
    for pk, words, word_set in documents:
        common = probe.words & word_set
        if common:
            covered.append((sum(probe_weight[w] for w in common), pk, words))
    found: list[Match] = []
    weighted = _Weighted(probe, weight)
    for _covered, pk, words in heapq.nlargest(SHORTLIST, covered):
        score = _weighted_score(weighted, from_words(words))
        if score >= threshold:
            found.append(Match(pk, score))
    found.sort(key=lambda m: (-m.score, -m.case_id))
    best = found[0].score if found else 0.0
    return [m for m in found if m.score >= best * RELATIVE_CUTOFF][:limit]


def find_similar(
    queryset: QuerySet[Case],
    *,
    title: str = "",
    content: str = "",
    address: str = "",
    province_code: str | None = None,
    commune_code: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    threshold: float = SHOW_THRESHOLD,
    limit: int = 5,
    exclude: Iterable[int] = (),
) -> list[Match]:
    communes = nearby_communes(
        province_code=province_code, commune_code=commune_code, latitude=latitude, longitude=longitude
    )
    pool = candidates(queryset, province_code=province_code, communes=communes, exclude=exclude)
    return rank(pool, text_fingerprint(title, content, address), threshold=threshold, limit=limit)


def merged_tree(case_ids: Sequence[int], *, depth: int = 6) -> dict[int, list[int]]:
    """For each case, the ids of the cases merged into it, directly or through a case that was itself
    merged later (bounded depth)."""
    tree: dict[int, list[int]] = {pk: [] for pk in case_ids}
    frontier = {pk: pk for pk in case_ids}  # merged-into id → root
    for _level in range(depth):
        if not frontier:
            break
        rows = Case.objects.filter(merged_into_id__in=list(frontier)).values_list("pk", "merged_into_id")
        next_frontier: dict[int, int] = {}
        for pk, parent in rows:
            root = frontier[parent]
            if pk not in tree[root] and pk != root:
                tree[root].append(pk)
                next_frontier[pk] = root
        frontier = next_frontier
    return tree


def reporter_counts(case_ids: Sequence[int]) -> dict[int, int]:
    """How many people reported each case: its own sender, the senders of every case merged into it,
    and citizens who joined it and are waiting for the clerk."""
    from pakn.language.models import DuplicateFlag

    tree = merged_tree(case_ids)
    counts = {pk: 1 + len(tree[pk]) for pk in case_ids}
    joined = (
        DuplicateFlag.objects.filter(
            candidate_id__in=case_ids, origin=DuplicateFlag.Origin.CITIZEN, state=DuplicateFlag.State.OPEN
        )
        .values("candidate_id")
        .annotate(n=Count("pk"))
    )
    for row in joined:
        counts[row["candidate_id"]] += row["n"]
    return counts


def reporters_message(count: int) -> str:
    if count <= 1:
        return _("Đã có 1 người phản ánh việc này")
    return _("Đã có %(n)s người phản ánh việc này") % {"n": count}


def join_ref(case_id: int) -> str:
    return signing.dumps(case_id, salt=JOIN_SALT, compress=True)


def case_id_from_ref(ref: str) -> int | None:
    try:
        value = signing.loads(ref, salt=JOIN_SALT, max_age=JOIN_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def public_results(matches: Sequence[Match]) -> list[dict[str, Any]]:
    """What a citizen sees: no tracking code, no identity, no subject."""
    cases = Case.objects.select_related("commune").in_bulk([m.case_id for m in matches])
    counts = reporter_counts([m.case_id for m in matches])
    out = []
    for m in matches:
        case = cases[m.case_id]
        out.append(
            {
                "ref": join_ref(case.pk),
                "title": case.title,
                "status": case.status,
                "status_label": str(STATUS_LABELS[Status(case.status)]),
                "commune": case.commune.name if case.commune is not None else None,
                "received_on": case.received_on,
                "reporters": counts[case.pk],
                "message": reporters_message(counts[case.pk]),
                "similarity": m.score,
            }
        )
    return out


def all_reporters(case: Case) -> list[Any]:
    """Staff side: the Reporter rows of a case and of every case merged into it (identity stays in the
    rows; callers decide what to show)."""
    from pakn.cases.models import Reporter

    ids = [case.pk, *merged_tree([case.pk])[case.pk]]
    return list(Reporter.objects.filter(case_id__in=ids).order_by("case_id"))
