"""Statutory deadlines as data, and a pure calculator.

Every period is a :class:`Rule` with an effective range and a citation (domain.md §4): the law
changes (the complaint acceptance period changed on 2026-07-01), so the numbers live in data that
administrators can edit, never in ``if`` statements. :data:`DEFAULT_RULES` seeds the database table;
the calculator takes whatever rules it is given.

Pure module: plain values in, plain values out, no Django. See ``docs/deadlines.md``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from pakn.core.calendar import WorkingCalendar

__all__ = [
    "ANSWER_KINDS",
    "DEFAULT_RULES",
    "RESOLUTION_KINDS",
    "PARTY_RULES",
    "AmbiguousRuleError",
    "CountedFrom",
    "DeadlineResult",
    "Item",
    "NoRuleError",
    "Rule",
    "Track",
    "Unit",
    "apply_period",
    "escalation_ends",
    "compute_deadlines",
    "find_ambiguities",
    "period_end",
    "matching_rules",
    "rule_in_force",
]


class Unit(StrEnum):
    DAYS = "days"  # calendar days; the end moves to the next working day (Civil Code 2015 Art. 148)
    WORKING_DAYS = "working_days"


class Item(StrEnum):
    ACCEPT = "accept"  # thụ lý / không thụ lý, counted from the date received
    RESOLVE = "resolve"  # giải quyết, counted from the date accepted
    ANSWER = "answer"  # trả lời phản ánh, kiến nghị, góp ý, counted from the date received
    EXTENSION = "extension"  # gia hạn giải quyết, added to the resolution period
    # Acceptance period when the unit decides to extend it (tố cáo: 7 → 10 working days), from receipt.
    ACCEPT_EXTENSION = "accept_extension"
    NOTIFY_ACCEPTANCE = "notify_acceptance"  # thông báo thụ lý, counted from the acceptance decision
    PUBLISH_CONCLUSION = "publish_conclusion"  # công khai kết luận, counted from the conclusion
    # How long the citizen may take the case to the level above, counted from the answer or from the
    # end of the resolution period when no decision came (no rule in force = no limit).
    ESCALATE = "escalate"
    # Party track: an unsigned letter kept as information for reference ("thông tin tham khảo"), assessed by the
    # inspection commission for its supervision; no denunciation periods run.
    REFERENCE = "reference"


class Track(StrEnum):
    """Which body of rules a period belongs to: the laws (Luật Khiếu nại, Luật Tố cáo, the product defaults) or
    the Party's own regulation on inspection, supervision and discipline (Quy định 296-QĐ/TW)."""

    LAW = ""
    PARTY = "party"


class CountedFrom(StrEnum):
    """Where a RESOLVE period starts: the item's usual trigger (acceptance), or the day the competent body
    received the letter (the Party's rule for denunciations)."""

    DEFAULT = ""
    RECEIVED = "received"


# Kinds handled under the Law on Complaints / Law on Denunciations: accept, then resolve.
RESOLUTION_KINDS: frozenset[str] = frozenset({"complaint", "denunciation"})
# Kinds that get an answer within a period counted from receipt.
ANSWER_KINDS: frozenset[str] = frozenset({"report", "petition", "opinion"})


class NoRuleError(LookupError):
    """No rule matches the case on the triggering date."""


class AmbiguousRuleError(LookupError):
    """Two or more equally specific rules match the case on the triggering date (a data error)."""


@dataclass(frozen=True)
class Rule:
    code: str  # stable id, e.g. "complaint.accept.2012"
    case_kind: str  # complaint | denunciation | report | petition | opinion
    item: Item
    amount: int
    unit: Unit
    effective_from: date
    effective_to: date | None  # inclusive last day, None = open-ended
    citation: str  # Vietnamese legal citation
    complaint_round: int | None = None  # None = any round
    complex: bool | None = None  # None = either
    remote: bool | None = None  # None = either
    max_count: int | None = None  # EXTENSION rules: how many extensions at most (None = no limit)
    # False when the citation could not be checked against the published text (e.g. an unofficial copy
    # of an amending decree): pages and the API mark it "chưa xác nhận căn cứ pháp lý".
    confirmed: bool = True
    track: Track = Track.LAW  # the law track ("") or the Party's (a rule applies to its track only)
    level: str | None = None  # level of the handling unit ("province", "commune"); None = any
    counted_from: CountedFrom = CountedFrom.DEFAULT  # RESOLVE rules: from acceptance ("") or from receipt

    def __post_init__(self) -> None:
        # Accept plain strings (e.g. from a database row) for the enums.
        object.__setattr__(self, "item", Item(self.item))
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "track", Track(self.track or ""))
        object.__setattr__(self, "level", self.level or None)
        object.__setattr__(self, "counted_from", CountedFrom(self.counted_from or ""))
        if self.amount < 0:
            raise ValueError(f"{self.code}: amount must be >= 0")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"{self.code}: effective_to is before effective_from")
        if self.max_count is not None and self.max_count < 0:
            raise ValueError(f"{self.code}: max_count must be >= 0")

    def in_force_on(self, d: date) -> bool:
        return self.effective_from <= d and (self.effective_to is None or d <= self.effective_to)

    @property
    def specificity(self) -> int:
        """How many conditions the rule states explicitly (round, complex, remote, level)."""
        return sum(v is not None for v in (self.complaint_round, self.complex, self.remote, self.level))

    def matches(
        self,
        *,
        case_kind: str,
        item: Item,
        on: date,
        complaint_round: int | None = None,
        complex: bool = False,
        remote: bool = False,
        track: str = Track.LAW,
        level: str | None = None,
    ) -> bool:
        return (
            self.case_kind == case_kind
            and self.item == item
            and self.track == (track or Track.LAW)
            and (self.level is None or self.level == level)
            and self.in_force_on(on)
            and (self.complaint_round is None or self.complaint_round == complaint_round)
            and (self.complex is None or self.complex == complex)
            and (self.remote is None or self.remote == remote)
        )


_ANSWER_CITATION = (
    "Thời hạn mặc định của hệ thống, không phải thời hạn luật định (đơn vị có thể thay đổi); chuyển phản ánh, "
    "kiến nghị về quy định hành chính đến cơ quan có thẩm quyền: Nghị định 20/2008/NĐ-CP, Điều 9"
)
_COMPLAINTS_LAW_IN_FORCE = date(2012, 7, 1)  # Luật Khiếu nại 2011 takes effect
_DENUNCIATIONS_LAW_IN_FORCE = date(2019, 1, 1)  # Luật Tố cáo 2018 takes effect
_AMENDMENT_2026 = date(2026, 7, 1)
_ANSWER_FROM = date(2000, 1, 1)  # internal default, applies to every date of interest


def _complaint_resolve(round_: int, complex_: bool, remote: bool, amount: int) -> Rule:
    article = "Điều 28" if round_ == 1 else "Điều 37"
    tag = ".".join([f"round{round_}"] + (["complex"] if complex_ else []) + (["remote"] if remote else []))
    return Rule(
        code=f"complaint.resolve.{tag}.2012",
        case_kind="complaint",
        item=Item.RESOLVE,
        amount=amount,
        unit=Unit.DAYS,
        effective_from=_COMPLAINTS_LAW_IN_FORCE,
        effective_to=None,
        citation=f"Luật Khiếu nại 2011, {article}",
        complaint_round=round_,
        complex=complex_,
        remote=remote,
    )


DEFAULT_RULES: tuple[Rule, ...] = (
    # --- Complaints (khiếu nại): accept or refuse, 1st or 2nd time -------------------------------
    # The Law says "10 ngày" (Art. 27 first time, Art. 36 second time): calendar days, the end moved to the
    # next working day (Civil Code 2015 Art. 148). Shipped as 10 working days until 2026-12 (migration 0004
    # recomputes the open cases).
    Rule(
        code="complaint.accept.2012",
        case_kind="complaint",
        item=Item.ACCEPT,
        amount=10,
        unit=Unit.DAYS,
        effective_from=_COMPLAINTS_LAW_IN_FORCE,
        effective_to=_AMENDMENT_2026 - timedelta(days=1),
        citation="Luật Khiếu nại 2011, Điều 27, Điều 36",
    ),
    # Unconfirmed: domain.md cites "Nghị định 155/2026" amending Decree 124/2020 Art. 16 from an
    # unconfirmed copy. Shipped as an editable default and shown as "chưa xác nhận căn cứ pháp lý".
    Rule(
        code="complaint.accept.2026",
        case_kind="complaint",
        item=Item.ACCEPT,
        amount=7,
        unit=Unit.WORKING_DAYS,
        effective_from=_AMENDMENT_2026,
        effective_to=None,
        citation=(
            "Luật Khiếu nại 2011, Điều 27, Điều 36; Nghị định 124/2020/NĐ-CP, Điều 16, "
            "sửa đổi bởi Nghị định 155/2026/NĐ-CP"
        ),
        confirmed=False,
    ),
    # --- Complaints: resolve, counted from acceptance (calendar days) ---------------------------
    _complaint_resolve(1, False, False, 30),
    _complaint_resolve(1, True, False, 45),
    _complaint_resolve(1, False, True, 45),
    _complaint_resolve(1, True, True, 60),
    _complaint_resolve(2, False, False, 45),
    _complaint_resolve(2, True, False, 60),
    _complaint_resolve(2, False, True, 60),
    _complaint_resolve(2, True, True, 70),
    # --- Denunciations (tố cáo) ------------------------------------------------------------------
    Rule(
        code="denunciation.accept.2018",
        case_kind="denunciation",
        item=Item.ACCEPT,
        amount=7,
        unit=Unit.WORKING_DAYS,
        effective_from=_DENUNCIATIONS_LAW_IN_FORCE,
        effective_to=None,
        citation="Luật Tố cáo 2018, Điều 24 khoản 1",
    ),
    # Art. 24(1): when verification is needed in several places, the acceptance period "có thể dài hơn nhưng
    # không quá 10 ngày làm việc" — the whole period, from receipt (``services.extend_acceptance``).
    Rule(
        code="denunciation.accept_extension.2018",
        case_kind="denunciation",
        item=Item.ACCEPT_EXTENSION,
        amount=10,
        unit=Unit.WORKING_DAYS,
        effective_from=_DENUNCIATIONS_LAW_IN_FORCE,
        effective_to=None,
        citation="Luật Tố cáo 2018, Điều 24 khoản 1 (kiểm tra, xác minh ở nhiều địa điểm)",
    ),
    Rule(
        code="denunciation.notify_acceptance.2018",
        case_kind="denunciation",
        item=Item.NOTIFY_ACCEPTANCE,
        amount=5,
        unit=Unit.WORKING_DAYS,
        effective_from=_DENUNCIATIONS_LAW_IN_FORCE,
        effective_to=None,
        citation="Luật Tố cáo 2018, Điều 29 khoản 3",
    ),
    Rule(
        code="denunciation.publish_conclusion.2018",
        case_kind="denunciation",
        item=Item.PUBLISH_CONCLUSION,
        amount=7,
        unit=Unit.WORKING_DAYS,
        effective_from=_DENUNCIATIONS_LAW_IN_FORCE,
        effective_to=None,
        citation="Luật Tố cáo 2018, Điều 40",
    ),
    Rule(
        code="denunciation.resolve.2018",
        case_kind="denunciation",
        item=Item.RESOLVE,
        amount=30,
        unit=Unit.DAYS,
        effective_from=_DENUNCIATIONS_LAW_IN_FORCE,
        effective_to=None,
        citation="Luật Tố cáo 2018, Điều 30 khoản 1",
    ),
    Rule(
        code="denunciation.extension.2018",
        case_kind="denunciation",
        item=Item.EXTENSION,
        amount=30,
        unit=Unit.DAYS,
        effective_from=_DENUNCIATIONS_LAW_IN_FORCE,
        effective_to=None,
        citation=(
            "Luật Tố cáo 2018, Điều 30 khoản 1 (vụ việc phức tạp: gia hạn một lần; đặc biệt phức tạp: "
            "gia hạn hai lần; mỗi lần không quá 30 ngày)"
        ),
        max_count=2,
    ),
    # --- Escalation: the second-time complaint (or a lawsuit) within 30 days, 45 in remote areas, from the
    # first-time decision or from the end of the resolution period without one (Luật Khiếu nại 2011,
    # Điều 33). A denunciation has no rule: the denouncer may re-denounce to the superior at any time
    # after the resolution period (Luật Tố cáo 2018, Điều 37). Reports, petitions and opinions: a product
    # default with the same period (no statute).
    *(
        Rule(
            code=f"complaint.escalate{'.remote' if remote else ''}.2012",
            case_kind="complaint",
            item=Item.ESCALATE,
            amount=45 if remote else 30,
            unit=Unit.DAYS,
            effective_from=_COMPLAINTS_LAW_IN_FORCE,
            effective_to=None,
            citation="Luật Khiếu nại 2011, Điều 33",
            remote=remote,
        )
        for remote in (False, True)
    ),
    *(
        Rule(
            code=f"{kind}.escalate.default",
            case_kind=kind,
            item=Item.ESCALATE,
            amount=30,
            unit=Unit.DAYS,
            effective_from=_ANSWER_FROM,
            effective_to=None,
            citation="Thời hạn mặc định của hệ thống, không phải thời hạn luật định (đơn vị có thể thay đổi)",
        )
        for kind in ("report", "petition", "opinion")
    ),
    # --- Reports, petitions, opinions: answer, counted from receipt -------------------------------
    *(
        Rule(
            code=f"{kind}.answer.default",
            case_kind=kind,
            item=Item.ANSWER,
            amount=10,
            unit=Unit.WORKING_DAYS,
            effective_from=_ANSWER_FROM,
            effective_to=None,
            citation=_ANSWER_CITATION,
        )
        for kind in ("report", "petition", "opinion")
    ),
)


# --- The Party's track (Quy định 296-QĐ/TW ngày 30/5/2025 về công tác kiểm tra, giám sát và kỷ luật của Đảng,
# which replaces Quy định 22-QĐ/TW and 262-QĐ/TW). None of these could be checked against the text of 296: each
# is the figure the Party's earlier rules used (named in the citation) and ships unconfirmed, editable by an
# administrator, shown as "chưa xác nhận căn cứ" (docs/deadlines.md, "The Party's track").
_PARTY_REGULATION = date(2025, 5, 30)  # Quy định 296-QĐ/TW, in force from signature
_QD296 = "Quy định 296-QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương, chương giải quyết tố cáo"
_PARTY_UNSIGNED = (
    "Quy định 296-QĐ/TW ngày 30/5/2025 (nguyên tắc của Quy định 22-QĐ/TW; chưa đối chiếu điều, khoản): không giải "
    "quyết tố cáo giấu tên, mạo tên, không rõ địa chỉ; nội dung cụ thể, có căn cứ là thông tin tham khảo cho kiểm "
    "tra, giám sát. 10 ngày làm việc: mặc định của hệ thống"
)
PARTY_RULES: tuple[Rule, ...] = (
    Rule(
        code="party.denunciation.accept.2025",
        case_kind="denunciation",
        item=Item.ACCEPT,
        amount=10,
        unit=Unit.WORKING_DAYS,
        effective_from=_PARTY_REGULATION,
        effective_to=None,
        citation=(
            f"{_QD296} (tiếp nhận, phân loại, thụ lý; chưa đối chiếu điều, khoản); mức 10 ngày làm việc theo "
            "Quy định 11-QĐi/TW năm 2019 (thông báo thụ lý hoặc chuyển đơn)"
        ),
        track=Track.PARTY,
        confirmed=False,
    ),
    Rule(
        code="party.denunciation.accept.complex.2025",
        case_kind="denunciation",
        item=Item.ACCEPT,
        amount=15,
        unit=Unit.WORKING_DAYS,
        effective_from=_PARTY_REGULATION,
        effective_to=None,
        citation=f"{_QD296}; vụ việc phức tạp không quá 15 ngày làm việc theo Quy định 11-QĐi/TW năm 2019",
        complex=True,
        track=Track.PARTY,
        confirmed=False,
    ),
    Rule(
        code="party.denunciation.resolve.2025",
        case_kind="denunciation",
        item=Item.RESOLVE,
        amount=45,
        unit=Unit.DAYS,
        effective_from=_PARTY_REGULATION,
        effective_to=None,
        citation=(
            f"{_QD296}: cấp cơ sở và các cấp khác không quá 45 ngày kể từ ngày tổ chức đảng có thẩm quyền nhận "
            "được tố cáo (mức của Quy định 22-QĐ/TW; chưa đối chiếu)"
        ),
        track=Track.PARTY,
        counted_from=CountedFrom.RECEIVED,
        confirmed=False,
    ),
    Rule(
        code="party.denunciation.resolve.province.2025",
        case_kind="denunciation",
        item=Item.RESOLVE,
        amount=60,
        unit=Unit.DAYS,
        effective_from=_PARTY_REGULATION,
        effective_to=None,
        citation=(
            f"{_QD296}: cấp tỉnh và tương đương không quá 60 ngày kể từ ngày tổ chức đảng có thẩm quyền nhận "
            "được tố cáo (mức của Quy định 22-QĐ/TW; chưa đối chiếu)"
        ),
        track=Track.PARTY,
        level="province",
        counted_from=CountedFrom.RECEIVED,
        confirmed=False,
    ),
    Rule(
        code="party.denunciation.extension.2025",
        case_kind="denunciation",
        item=Item.EXTENSION,
        amount=30,
        unit=Unit.DAYS,
        effective_from=_PARTY_REGULATION,
        effective_to=None,
        citation=(
            f"{_QD296}: vụ việc phức tạp có thể kéo dài một lần, không quá 30 ngày (mức thường áp dụng theo các "
            "quy định trước của Đảng; chưa đối chiếu)"
        ),
        max_count=1,
        track=Track.PARTY,
        confirmed=False,
    ),
    *(
        Rule(
            code=f"party.{kind}.answer.2025",
            case_kind=kind,
            item=Item.ANSWER,
            amount=10,
            unit=Unit.WORKING_DAYS,
            effective_from=_PARTY_REGULATION,
            effective_to=None,
            citation=(
                "Quy định 11-QĐi/TW năm 2019: người đứng đầu cấp ủy thông báo bằng văn bản việc thụ lý hoặc chuyển "
                "phản ánh, kiến nghị trong 10 ngày làm việc; Quy định 296-QĐ/TW (giám sát đảng viên; chưa đối chiếu)"
            ),
            track=Track.PARTY,
            confirmed=False,
        )
        for kind in ("report", "petition")
    ),
    *(
        Rule(
            code=f"party.{kind}.reference.2025",
            case_kind=kind,
            item=Item.REFERENCE,
            amount=10,
            unit=Unit.WORKING_DAYS,
            effective_from=_PARTY_REGULATION,
            effective_to=None,
            citation=_PARTY_UNSIGNED,
            track=Track.PARTY,
            confirmed=False,
        )
        for kind in ("denunciation", "report", "petition")
    ),
)
DEFAULT_RULES = DEFAULT_RULES + PARTY_RULES


def matching_rules(
    rules: Iterable[Rule],
    *,
    case_kind: str,
    item: Item,
    on: date,
    complaint_round: int | None = None,
    complex: bool = False,
    remote: bool = False,
    track: str = Track.LAW,
    level: str | None = None,
) -> list[Rule]:
    """All rules that match, most specific first (stable for equal specificity)."""
    found = [
        r
        for r in rules
        if r.matches(
            case_kind=case_kind,
            item=item,
            on=on,
            complaint_round=complaint_round,
            complex=complex,
            remote=remote,
            track=track,
            level=level,
        )
    ]
    found.sort(key=lambda r: -r.specificity)
    return found


def rule_in_force(
    rules: Iterable[Rule],
    *,
    case_kind: str,
    item: Item,
    on: date,
    complaint_round: int | None = None,
    complex: bool = False,
    remote: bool = False,
    track: str = Track.LAW,
    level: str | None = None,
) -> Rule:
    """The most specific rule for ``case_kind``/``item`` whose effective range contains ``on``, among the
    rules of ``track`` (the law's, or the Party's: a track never borrows the other's periods).

    A rule that states round/complex/remote explicitly (and matches) beats one that leaves it open
    (``None``). Raises :class:`NoRuleError` if nothing matches and :class:`AmbiguousRuleError` if two
    matching rules are equally specific.
    """
    found = matching_rules(
        rules,
        case_kind=case_kind,
        item=item,
        on=on,
        complaint_round=complaint_round,
        complex=complex,
        remote=remote,
        track=track,
        level=level,
    )
    if not found:
        raise NoRuleError(
            f"no {item} rule for {case_kind} on {on.isoformat()} (track={track or 'law'}, "
            f"round={complaint_round}, complex={complex}, remote={remote}, level={level})"
        )
    if len(found) > 1 and found[1].specificity == found[0].specificity:
        tied = [r.code for r in found if r.specificity == found[0].specificity]
        raise AmbiguousRuleError(f"rules {tied} are equally specific for {case_kind}/{item} on {on}")
    return found[0]


def find_ambiguities(rules: Iterable[Rule]) -> list[tuple[Rule, ...]]:
    """Groups of rules that would tie in :func:`rule_in_force` for some case (for validating an
    edited rule table). Checks every combination of kind, item, round, complex and remote at every
    date where the set of rules in force can change."""
    rules = tuple(rules)
    dates = {r.effective_from for r in rules} | {
        r.effective_to + timedelta(days=1) for r in rules if r.effective_to is not None
    }
    rounds = {None} | {r.complaint_round for r in rules}
    levels = {None} | {r.level for r in rules}
    seen: dict[frozenset[str], tuple[Rule, ...]] = {}
    keys = {(r.case_kind, r.item, r.track) for r in rules}
    for (kind, item, track), on, round_, complex_, remote, level in itertools.product(
        keys, dates, rounds, (False, True), (False, True), levels
    ):
        found = matching_rules(
            rules,
            case_kind=kind,
            item=item,
            on=on,
            complaint_round=round_,
            complex=complex_,
            remote=remote,
            track=track,
            level=level,
        )
        tied = tuple(r for r in found if r.specificity == found[0].specificity) if found else ()
        if len(tied) > 1:
            seen.setdefault(frozenset(r.code for r in tied), tied)
    return list(seen.values())


def apply_period(calendar: WorkingCalendar, start: date, amount: int, unit: Unit) -> date:
    """End of a period of ``amount`` ``unit`` counted from ``start`` (the triggering day itself is not
    counted): *N days* → ``start + N`` moved to the next working day if needed; *N working days* →
    the N-th working day after ``start``."""
    if Unit(unit) is Unit.DAYS:
        return calendar.add_days(start, amount)
    return calendar.add_working_days(start, amount)


def period_end(
    rules: Iterable[Rule],
    calendar: WorkingCalendar,
    *,
    case_kind: str,
    item: Item,
    start: date,
    complaint_round: int | None = None,
    complex: bool = False,
    remote: bool = False,
    track: str = Track.LAW,
    level: str | None = None,
) -> tuple[date, Rule]:
    """End of the ``item`` period in force on ``start``, counted from ``start``, and the rule used. Raises
    :class:`NoRuleError` when no rule is in force (e.g. no escalation limit for a denunciation)."""
    rule = rule_in_force(
        rules,
        case_kind=case_kind,
        item=item,
        on=start,
        complaint_round=complaint_round,
        complex=complex,
        remote=remote,
        track=track,
        level=level,
    )
    return apply_period(calendar, start, rule.amount, rule.unit), rule


def escalation_ends(
    rules: Iterable[Rule],
    calendar: WorkingCalendar,
    *,
    kind: str,
    start: date,
    remote_area: bool,
    track: str = Track.LAW,
) -> tuple[date, Rule] | None:
    """Last day the citizen may take the case to the level above, counted from ``start`` (the answer, or
    the end of the resolution period when no decision came), with its rule; None when no ESCALATE rule is
    in force for ``kind`` (no limit: a denunciation, Luật Tố cáo 2018, Điều 37)."""
    try:
        return period_end(
            rules, calendar, case_kind=kind, item=Item.ESCALATE, start=start, remote=remote_area, track=track
        )
    except NoRuleError:
        return None


@dataclass(frozen=True)
class DeadlineResult:
    accept_by: date | None
    resolve_by: date | None
    answer_by: date | None
    rules: tuple[Rule, ...]  # the rules used, in order (accept, resolve, extension | answer)


def compute_deadlines(
    rules: Iterable[Rule],
    calendar: WorkingCalendar,
    *,
    kind: str,
    received: date,
    accepted: date | None = None,
    complaint_round: int = 1,
    complex: bool = False,
    remote: bool = False,
    extensions: int = 0,
    answer_working_days: int | None = None,
    accept_extended: bool = False,
    track: str = Track.LAW,
    level: str | None = None,
) -> DeadlineResult:
    """Deadlines of one case, from the rules of ``track`` (the law's, or the Party's: Quy định 296-QĐ/TW)
    and, where a rule states one, the ``level`` of the handling unit.

    Complaints and denunciations (``answer_by`` is None):

    * ``accept_by``: the ACCEPT rule in force on ``received``, counted from ``received``; with
      ``accept_extended`` (the unit extended the acceptance period), the ACCEPT_EXTENSION rule instead;
    * ``resolve_by``: the RESOLVE rule in force on ``accepted``, counted from ``accepted`` (from
      ``received`` when the rule says ``counted_from = received``, the Party's rule). If
      ``accepted`` is None (not accepted yet), it is computed *as if the case were accepted on
      ``accept_by``* — the latest date the law allows — so it is the latest possible resolution date;
    * ``extensions`` (k): the EXTENSION rule in force on the acceptance date adds k × its amount to
      the resolution period. The whole period is counted from acceptance in one go (denunciation:
      accepted + 30 + 30·k calendar days, then moved to the next working day), not chained from an
      intermediate end that was moved off a weekend. If the resolve and extension units differ, the
      extensions are chained from the end of the resolution period instead. ``ValueError`` if k < 0,
      k > the rule's ``max_count``, or k > 0 for a kind with no extension rule in force.

    Reports, petitions and opinions (``accept_by`` and ``resolve_by`` are None):

    * ``answer_by``: the ANSWER rule in force on ``received``, counted from ``received``.
      ``answer_working_days`` (a unit's own configured value) replaces the rule's amount; the rule
      reported in ``rules`` then carries that amount and unit WORKING_DAYS (same code).

    Raises :class:`NoRuleError` if a needed rule is missing (e.g. a 3rd complaint round) and
    ``ValueError`` for an unknown kind or inconsistent dates.
    """
    rules = tuple(rules)
    if accepted is not None and accepted < received:
        raise ValueError(f"accepted ({accepted}) is before received ({received})")
    if extensions < 0:
        raise ValueError(f"extensions must be >= 0, got {extensions}")

    if kind in ANSWER_KINDS:
        if extensions:
            raise ValueError(f"{kind} has no extension rule")
        rule = rule_in_force(
            rules,
            case_kind=kind,
            item=Item.ANSWER,
            on=received,
            complex=complex,
            remote=remote,
            track=track,
            level=level,
        )
        if answer_working_days is not None:
            if answer_working_days < 0:
                raise ValueError(f"answer_working_days must be >= 0, got {answer_working_days}")
            rule = replace(rule, amount=answer_working_days, unit=Unit.WORKING_DAYS)
        answer_by = apply_period(calendar, received, rule.amount, rule.unit)
        return DeadlineResult(accept_by=None, resolve_by=None, answer_by=answer_by, rules=(rule,))

    if kind not in RESOLUTION_KINDS:
        raise ValueError(f"unknown case kind {kind!r}")

    round_ = complaint_round if kind == "complaint" else None

    def in_force(item: Item, on: date) -> Rule:
        return rule_in_force(
            rules,
            case_kind=kind,
            item=item,
            on=on,
            complaint_round=round_,
            complex=complex,
            remote=remote,
            track=track,
            level=level,
        )

    accept_rule = in_force(Item.ACCEPT_EXTENSION if accept_extended else Item.ACCEPT, received)
    accept_by = apply_period(calendar, received, accept_rule.amount, accept_rule.unit)

    start = accepted if accepted is not None else accept_by
    resolve_rule = in_force(Item.RESOLVE, start)
    used = [accept_rule, resolve_rule]
    if resolve_rule.counted_from is CountedFrom.RECEIVED:
        start = received

    if extensions:
        try:
            ext_rule = in_force(Item.EXTENSION, start)
        except NoRuleError:
            raise ValueError(f"{kind} has no extension rule in force on {start}") from None
        if ext_rule.max_count is not None and extensions > ext_rule.max_count:
            raise ValueError(f"at most {ext_rule.max_count} extensions for {kind}, got {extensions}")
        used.append(ext_rule)
        if ext_rule.unit == resolve_rule.unit:
            total = resolve_rule.amount + extensions * ext_rule.amount
            resolve_by = apply_period(calendar, start, total, resolve_rule.unit)
        else:
            resolve_by = apply_period(calendar, start, resolve_rule.amount, resolve_rule.unit)
            for _ in range(extensions):
                resolve_by = apply_period(calendar, resolve_by, ext_rule.amount, ext_rule.unit)
    else:
        resolve_by = apply_period(calendar, start, resolve_rule.amount, resolve_rule.unit)

    return DeadlineResult(accept_by=accept_by, resolve_by=resolve_by, answer_by=None, rules=tuple(used))
