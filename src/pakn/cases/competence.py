"""Competence follows the person, not only the place (domain.md §4a). The rules are data — rows of
``RULES``, each with its citation and whether the citation has been checked against the text — and
``choose`` is a pure function over plain values: the person's position (head, deputy, other), the kind of
body they belong to, party membership, the kind of case and the complaint round → the competent unit,
relative to the person's body. The first row that matches wins, like a firewall table; a case about
nobody in particular (a street light) matches no row and keeps the place-based routing
(``cases.routing``).

A target is relative to the person's body:

- ``own_body``: the body itself (its head decides: a clerk's conduct, a first-time complaint);
- ``body_above``: the body directly above (a commune People's Committee → the province's, since 2025
  communes sit directly under provinces);
- ``party_managing``: the inspection commission of the party committee that manages the member (the
  committee itself when it has no commission in the system);
- ``party_above``: the inspection commission of the party committee directly above that one.

When the target does not exist in the system (the body above a province, which is a central body),
``choose`` takes the first fallback that is neither the person's body nor below it, and says so: the
clerk must then forward the case out of the system."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind
from pakn.org.models import Rank, UnitKind, UnitLevel

OWN_BODY = "own_body"
BODY_ABOVE = "body_above"
PARTY_MANAGING = "party_managing"
PARTY_ABOVE = "party_above"
TARGETS = (OWN_BODY, BODY_ABOVE, PARTY_MANAGING, PARTY_ABOVE)

HEADS = (Rank.HEAD, Rank.DEPUTY)
BODY_ONLY = ""  # the rank of "nobody in particular": a case about a body itself (its decision, its conduct)
PARTY_BODIES = (UnitKind.PARTY_COMMITTEE, UnitKind.INSPECTION_COMMISSION)
# Kinds where the person concerned is accused: their body must not see the case (conflict of interest).
ACCUSING_KINDS = (Kind.DENUNCIATION, Kind.REPORT, Kind.PETITION)


@dataclass(frozen=True)
class CompetenceRule:
    code: str
    kinds: tuple[str, ...]
    target: str
    citation: Any  # a lazy translated string
    confirmed: bool
    ranks: tuple[str, ...] = ()  # empty: any rank
    body_kinds: tuple[str, ...] = ()  # empty: any kind of body
    party_member: bool | None = None  # None: either
    complaint_round: int | None = None  # None: any round (and any kind)
    # A rule of the Party's track: the case is handled under Quy định 296-QĐ/TW (``Track.PARTY``), with the
    # Party's periods and its rule for unsigned letters, not under the Law on Denunciations.
    party: bool = False

    def matches(self, *, kind: str, rank: str, body_kind: str, party_member: bool, complaint_round: int | None) -> bool:
        return (
            kind in self.kinds
            and (not self.ranks or rank in self.ranks)
            and (not self.body_kinds or body_kind in self.body_kinds)
            and (self.party_member is None or self.party_member == party_member)
            and (self.complaint_round is None or self.complaint_round == (complaint_round or 1))
        )


_DENUNCIATION_STATE = _(
    "Luật Tố cáo 2018, Điều 12 khoản 1 và Điều 13 (người đứng đầu, cấp phó: người đứng đầu cơ quan cấp trên "
    "trực tiếp); từ 01/7/2025 không còn cấp huyện, cấp trên trực tiếp của UBND cấp xã là UBND cấp tỉnh."
)
_PARTY = _(
    "Quy định 296-QĐ/TW ngày 30/5/2025 về công tác kiểm tra, giám sát và kỷ luật của Đảng (chương về giải "
    "quyết tố cáo đối với tổ chức đảng, đảng viên): cấp ủy, ủy ban kiểm tra cấp quản lý đảng viên."
)

RULES: tuple[CompetenceRule, ...] = (
    # Denunciations of party officials: the party track (Luật Tố cáo 2018 refers party bodies to the
    # Party's own rules).
    CompetenceRule(
        code="denunciation.party.head",
        kinds=(Kind.DENUNCIATION,),
        ranks=HEADS,
        body_kinds=PARTY_BODIES,
        target=PARTY_ABOVE,
        citation=format_lazy(
            "{} {}",
            _PARTY,
            _("Bí thư, phó bí thư cấp xã do cấp tỉnh quản lý (chưa đối chiếu văn bản)."),
        ),
        confirmed=False,
        party=True,
    ),
    CompetenceRule(
        code="denunciation.party.member",
        kinds=(Kind.DENUNCIATION,),
        body_kinds=PARTY_BODIES,
        target=PARTY_MANAGING,
        citation=format_lazy("{} {}", _PARTY, _("(chưa đối chiếu điều khoản cụ thể)")),
        confirmed=False,
        party=True,
    ),
    CompetenceRule(
        code="denunciation.head",
        kinds=(Kind.DENUNCIATION,),
        ranks=HEADS,
        target=BODY_ABOVE,
        citation=_DENUNCIATION_STATE,
        confirmed=True,
    ),
    CompetenceRule(
        code="denunciation.body",
        kinds=(Kind.DENUNCIATION,),
        ranks=(BODY_ONLY,),
        target=BODY_ABOVE,
        citation=_(
            "Luật Tố cáo 2018, Điều 12: tố cáo cơ quan, tổ chức do người đứng đầu cơ quan, tổ chức cấp trên trực "
            "tiếp giải quyết (chưa đối chiếu khoản cụ thể)."
        ),
        confirmed=False,
    ),
    CompetenceRule(
        code="denunciation.official",
        kinds=(Kind.DENUNCIATION,),
        target=OWN_BODY,
        citation=_(
            "Luật Tố cáo 2018, Điều 12 khoản 1, Điều 13 khoản 1: người đứng đầu cơ quan quản lý cán bộ, "
            "công chức giải quyết."
        ),
        confirmed=True,
    ),
    # Complaints: the body whose head made the decision or act, then the level above.
    CompetenceRule(
        code="complaint.first",
        kinds=(Kind.COMPLAINT,),
        complaint_round=1,
        target=OWN_BODY,
        citation=_(
            "Luật Khiếu nại 2011, Điều 17, 20, 21 khoản 1: người đứng đầu cơ quan đã ra quyết định hành chính "
            "hoặc có hành vi hành chính giải quyết lần đầu."
        ),
        confirmed=True,
    ),
    CompetenceRule(
        code="complaint.second",
        kinds=(Kind.COMPLAINT,),
        complaint_round=2,
        target=BODY_ABOVE,
        citation=_(
            "Luật Khiếu nại 2011, Điều 18, 21 khoản 2: cấp trên trực tiếp giải quyết lần hai; quyết định của "
            "Chủ tịch UBND cấp xã do Chủ tịch UBND cấp tỉnh giải quyết lần hai từ 01/7/2025 (chưa đối chiếu "
            "văn bản sửa đổi)."
        ),
        confirmed=False,
    ),
    # Reports on the conduct of a party member (signs of decline): the party track.
    CompetenceRule(
        code="conduct.party.head",
        kinds=(Kind.REPORT, Kind.PETITION),
        ranks=HEADS,
        party_member=True,
        target=PARTY_ABOVE,
        citation=format_lazy(
            "{} {}",
            _PARTY,
            _("Người đứng đầu, cấp phó ở cấp xã do Ban Thường vụ cấp tỉnh quản lý (chưa đối chiếu văn bản)."),
        ),
        confirmed=False,
        party=True,
    ),
    CompetenceRule(
        code="conduct.party.member",
        kinds=(Kind.REPORT, Kind.PETITION),
        party_member=True,
        target=PARTY_MANAGING,
        citation=format_lazy("{} {}", _PARTY, _("(chưa đối chiếu điều khoản cụ thể)")),
        confirmed=False,
        party=True,
    ),
    # Reports on the conduct of an official who is not (known to be) a party member: as for denunciations.
    CompetenceRule(
        code="conduct.head",
        kinds=(Kind.REPORT, Kind.PETITION),
        ranks=HEADS,
        target=BODY_ABOVE,
        citation=_(
            "Theo nguyên tắc của Luật Tố cáo 2018, Điều 12 khoản 1 (áp dụng tương tự cho phản ánh về cán bộ; "
            "chưa có văn bản xác nhận)."
        ),
        confirmed=False,
    ),
    CompetenceRule(
        code="conduct.official",
        kinds=(Kind.REPORT, Kind.PETITION),
        target=OWN_BODY,
        citation=_(
            "Cơ quan quản lý cán bộ, công chức xem xét (Luật Cán bộ, công chức; áp dụng tương tự Luật Tố cáo "
            "2018, Điều 12 khoản 1; chưa có văn bản xác nhận)."
        ),
        confirmed=False,
    ),
)

FALLBACK_CITATION = _(
    "Không có cơ quan cấp trên trong hệ thống (cơ quan trung ương): đơn được giao tạm cho đơn vị này để "
    "chuyển đến cơ quan có thẩm quyền."
)

RULES_BY_CODE = {r.code: r for r in RULES}


@dataclass(frozen=True)
class UnitNode:
    id: int
    kind: str
    level: str
    parent_id: int | None
    province_code: str
    commune_code: str | None = None


@dataclass(frozen=True)
class Person:
    rank: str  # Rank value
    body: UnitNode  # the body the person belongs to, or whose decision a complaint is about
    party_member: bool = False
    party_unit: UnitNode | None = None  # the party organisation that manages the member, when known


@dataclass(frozen=True)
class Decision:
    unit: UnitNode
    rule: CompetenceRule
    fallback: bool = False


def find_rule(
    rules: Iterable[CompetenceRule], *, kind: str, person: Person, complaint_round: int | None = None
) -> CompetenceRule | None:
    party = person.party_member or person.body.kind in PARTY_BODIES or person.party_unit is not None
    for rule in rules:
        if rule.matches(
            kind=kind, rank=person.rank, body_kind=person.body.kind, party_member=party, complaint_round=complaint_round
        ):
            return rule
    return None


def _party_committee(node: UnitNode, units: Mapping[int, UnitNode]) -> UnitNode | None:
    """The party committee of ``node``'s place and level (``node`` itself when it is one)."""
    if node.kind == UnitKind.PARTY_COMMITTEE:
        return node
    if node.kind == UnitKind.INSPECTION_COMMISSION and node.parent_id is not None and node.parent_id in units:
        return units[node.parent_id]
    for other in units.values():
        if (
            other.kind == UnitKind.PARTY_COMMITTEE
            and other.province_code == node.province_code
            and other.level == node.level
            and (other.commune_code or None) == (node.commune_code or None)
        ):
            return other
    return None


def _commission(committee: UnitNode, units: Mapping[int, UnitNode]) -> UnitNode:
    for other in units.values():
        if other.kind == UnitKind.INSPECTION_COMMISSION and other.parent_id == committee.id:
            return other
    return committee


def resolve_target(target: str, person: Person, units: Mapping[int, UnitNode]) -> UnitNode | None:
    body = person.body
    if target == OWN_BODY:
        return body
    if target == BODY_ABOVE:
        return units.get(body.parent_id) if body.parent_id is not None else None
    committee = person.party_unit or _party_committee(body, units)
    if committee is None:
        return None
    if target == PARTY_MANAGING:
        if committee.id == body.id and person.rank in HEADS:
            committee = units.get(committee.parent_id) if committee.parent_id is not None else None  # type: ignore[assignment]
            if committee is None:
                return None
        return _commission(committee, units)
    if target == PARTY_ABOVE:
        above = units.get(committee.parent_id) if committee.parent_id is not None else None
        if above is None or above.kind == UnitKind.INSPECTION_COMMISSION:
            return None
        return _commission(above, units)
    raise ValueError(f"unknown target {target!r}")


def _inside(node: UnitNode, body: UnitNode, units: Mapping[int, UnitNode]) -> bool:
    """``node`` is ``body`` or below it."""
    current: UnitNode | None = node
    for _depth in range(10):
        if current is None:
            return False
        if current.id == body.id:
            return True
        current = units.get(current.parent_id) if current.parent_id is not None else None
    return False


def choose(
    rules: Iterable[CompetenceRule],
    *,
    kind: str,
    person: Person,
    units: Mapping[int, UnitNode],
    complaint_round: int | None = None,
    fallbacks: Sequence[UnitNode] = (),
) -> Decision | None:
    """The competent unit for a case about ``person`` (None when no rule applies: route by place).

    ``units`` holds the nodes the targets may need (the body, the units above it, the party committees and
    their inspection commissions). The person's own body, and anything below it, is never chosen for a
    head or deputy; an unresolvable target takes the first acceptable fallback."""
    rule = find_rule(rules, kind=kind, person=person, complaint_round=complaint_round)
    if rule is None:
        return None
    accused_head = person.rank in (*HEADS, BODY_ONLY) and rule.target != OWN_BODY

    def acceptable(node: UnitNode | None) -> bool:
        return node is not None and not (accused_head and _inside(node, person.body, units))

    unit = resolve_target(rule.target, person, units)
    if unit is not None and acceptable(unit):
        return Decision(unit=unit, rule=rule)
    for candidate in fallbacks:
        if acceptable(candidate):
            return Decision(unit=candidate, rule=rule, fallback=True)
    return None


def conflict_applies(*, kind: str, rank: str, rule_target: str | None) -> bool:
    """Whether the members of the person's body must not see the case: they head or deputy-head it and are
    accused (a denunciation, a report on their conduct), or the case went above them. A first-time
    complaint is resolved by the head whose decision it is (Luật Khiếu nại 2011, Điều 17): not hidden."""
    if rank == BODY_ONLY:
        return kind in ACCUSING_KINDS and rule_target not in (None, OWN_BODY)
    if rank not in HEADS:
        return False
    return kind in ACCUSING_KINDS or rule_target not in (None, OWN_BODY)


def province_level(level: str) -> bool:
    return level == UnitLevel.PROVINCE
