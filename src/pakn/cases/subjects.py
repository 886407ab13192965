"""Who a case is about, read from the words of the ``subject`` field ("Chủ tịch UBND phường Phú Diễn",
"Bí thư Đảng ủy xã Tân Lập", "ông Nguyễn Văn A, phó chủ tịch UBND xã"). Pure: plain values in and out,
diacritic-insensitive (``core.text`` folding, "UBND"/"TP" expanded), so letters typed without marks, API
clients and clerks copying a letter all route the same way. The service turns the result into a
``CaseSubject`` row and the competence rules (``cases.competence``) choose the unit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pakn.core.text import nfc, tokens
from pakn.org.models import POSITION_INFO, Position, UnitKind, UnitLevel

# Abbreviations the general slang table does not expand (it is shared with search, so kept apart).
_EXTRA = {
    "ubmttq": "uy ban mat tran to quoc",
    "ubkt": "uy ban kiem tra",
    "ub": "uy ban",
    "gd": "giam doc",
    "pgd": "pho giam doc",
    "ct": "chu tich",
    "pct": "pho chu tich",
    "bt": "bi thu",
    "pbt": "pho bi thu",
}


def key(text: str) -> str:
    """Folded words, abbreviations expanded, padded with a space at each end for whole-word matching."""
    words: list[str] = []
    for word in tokens(text):
        words.extend(_EXTRA.get(word, word).split())
    return f" {' '.join(words)} "


@dataclass(frozen=True)
class PlaceRef:
    """A commune or province the text may name. ``key``/``short_key`` are ``key()`` of its names."""

    code: str
    level: str  # UnitLevel value
    province_code: str
    key: str
    short_key: str = ""


@dataclass(frozen=True)
class NamedUnit:
    """A unit the text may name in full ("Sở Tài nguyên và Môi trường", "Phòng Kinh tế phường Ba Đình")."""

    code: str
    kind: str
    key: str


@dataclass(frozen=True)
class Recognition:
    position: str = ""  # Position value, "" when no position is named
    body_kind: str = ""  # UnitKind value of the body the person belongs to (or whose decision it is)
    level: str = ""  # UnitLevel value, "" when the text does not say
    place_code: str = ""  # commune or province code named in the text, "" when not named
    unit_code: str = ""  # a unit named in full (department, office), "" otherwise
    party_member: bool | None = None
    name: str = ""

    @property
    def found(self) -> bool:
        return bool(self.position or self.body_kind or self.unit_code or self.party_member)


# Body words, folded and expanded. Order matters: the Front's "ủy ban mặt trận" before "ủy ban".
_BODIES: tuple[tuple[str, str], ...] = (
    (UnitKind.INSPECTION_COMMISSION, r" uy ban kiem tra "),
    (UnitKind.FRONT_COMMITTEE, r" (?:uy ban )?mat tran(?: to quoc)?(?: viet nam)? "),
    (UnitKind.PEOPLES_COMMITTEE, r" uy ban(?: nhan dan)? "),
    (UnitKind.PARTY_COMMITTEE, r" (?:dang uy|tinh uy|thanh uy|cap uy|ban thuong vu) "),
)
_PROVINCE_WORDS = re.compile(r"^ (?:tinh uy|thanh uy|tinh|thanh pho) ")
_COMMUNE_WORDS = re.compile(r"^ (?:xa|phuong|dac khu|thi tran) ")
_PARTY_PROVINCE = re.compile(r" (?:tinh uy|thanh uy) ")

# Positions: (position if "phó" comes first, position otherwise, pattern after an optional "phó").
_POSITIONS: tuple[tuple[str, str, str], ...] = (
    (Position.PARTY_DEPUTY_SECRETARY, Position.PARTY_SECRETARY, r"bi thu"),
    (Position.DEPARTMENT_DEPUTY_DIRECTOR, Position.DEPARTMENT_DIRECTOR, r"giam doc so"),
    (Position.OFFICE_DEPUTY_HEAD, Position.OFFICE_HEAD, r"truong phong"),
    (Position.PC_VICE_CHAIR, Position.PC_CHAIR, r"chu tich"),
)
_OFFICIAL = re.compile(
    r" (?:can bo|cong chuc|vien chuc|nhan vien|dia chinh|tu phap|chi huy truong|truong cong an|cong an|"
    r"van phong|ke toan|thu quy) "
)
_PARTY_MEMBER = re.compile(r" dang vien ")
_CHAPTER = re.compile(r" chi bo ")
_HONORIFICS = {"ông", "bà", "anh", "chị", "đồng", "cô", "chú"}


def _position(text: str) -> tuple[str, int]:
    """The first position named, and where its words end (0 when none)."""
    best: tuple[int, str, int] | None = None
    for deputy, head, pattern in _POSITIONS:
        m = re.search(rf" (pho )?{pattern} ", text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), deputy if m.group(1) else head, m.end() - 1)
    if best is None:
        return "", 0
    return best[1], best[2]


def _body(text: str, start: int) -> tuple[str, str, int]:
    """The first body word at or after ``start``: its kind, its words and where they end."""
    best: tuple[int, str, int] | None = None
    for kind, pattern in _BODIES:
        m = re.compile(pattern).search(text, start)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind, m.end() - 1)
    if best is None:
        return "", "", start
    return best[1], text[best[0] : best[2] + 1], best[2]


def _name(text: str) -> str:
    """A person's name after "ông", "bà", "đồng chí"…: two to five capitalised words."""
    words = nfc(text).replace(",", " , ").replace(";", " , ").split()
    for i, word in enumerate(words):
        if word.lower() not in _HONORIFICS:
            continue
        j = i + 1
        if word.lower() == "đồng" and j < len(words) and words[j].lower() == "chí":
            j += 1
        found: list[str] = []
        while j < len(words) and len(found) < 5 and words[j][:1].isupper():
            found.append(words[j].strip(".:()"))
            j += 1
        if len(found) >= 2:
            return " ".join(found)
    return ""


def _place(
    text: str, start: int, places: Iterable[PlaceRef], province_hint: str | None, party_province: bool
) -> tuple[str, str]:
    """(level, code) of the commune or province named after ``start``; the province hint decides between
    communes of the same name in several provinces, and an ambiguous name resolves to nothing."""
    rest = text[start:]
    communes: list[PlaceRef] = []
    provinces: list[PlaceRef] = []
    for place in places:
        keys = [place.key] + ([place.short_key] if place.short_key and place.level == UnitLevel.PROVINCE else [])
        for k in keys:
            if k.strip() and k in rest:
                (communes if place.level == UnitLevel.COMMUNE else provinces).append(place)
                break
    if communes and not party_province:
        local = [p for p in communes if p.province_code == province_hint] or communes
        longest = max(len(p.key) for p in local)
        local = [p for p in local if len(p.key) == longest]
        if len({p.code for p in local}) == 1:
            return UnitLevel.COMMUNE, local[0].code
    if provinces:
        longest = max(len(p.key) for p in provinces)
        chosen = {p.code for p in provinces if len(p.key) == longest}
        if len(chosen) == 1:
            return UnitLevel.PROVINCE, chosen.pop()
    if party_province or _PROVINCE_WORDS.match(rest):
        return UnitLevel.PROVINCE, ""
    if _COMMUNE_WORDS.match(rest):
        return UnitLevel.COMMUNE, ""
    return "", ""


def recognise(
    subject: str,
    *,
    places: Iterable[PlaceRef] = (),
    units: Iterable[NamedUnit] = (),
    province_hint: str | None = None,
) -> Recognition:
    """What the free text of ``subject`` says about the person concerned: their position, the kind, level
    and place of their body (a unit named in full wins), whether they are a party member, and a name.

    >>> recognise("Chủ tịch UBND xã").position
    'pc_chair'
    """
    text = key(subject or "")
    if not text.strip():
        return Recognition()
    position, after = _position(text)
    chapter = bool(_CHAPTER.search(text))
    if position in (Position.PARTY_SECRETARY, Position.PARTY_DEPUTY_SECRETARY) and chapter:
        position = Position.PARTY_MEMBER  # a chi bộ secretary: a party member managed by the party committee
    official = _OFFICIAL.search(text)
    if not position and official:
        position, after = Position.OFFICIAL, official.end() - 1
    party = bool(_PARTY_MEMBER.search(text)) or None
    if not position and party:
        position = Position.PARTY_MEMBER
    body_kind, body_words, body_end = _body(text, after)
    if not body_kind and position:
        # An official with no body named works for the People's Committee of the place (a commune clerk).
        body_kind = POSITION_INFO[position][1] or UnitKind.PEOPLES_COMMITTEE
        body_end = after
    if position == Position.PC_CHAIR and body_kind == UnitKind.FRONT_COMMITTEE:
        position = Position.FRONT_CHAIR
    elif position == Position.PC_VICE_CHAIR and body_kind == UnitKind.FRONT_COMMITTEE:
        position = Position.FRONT_VICE_CHAIR
    elif position in (Position.PC_CHAIR, Position.PC_VICE_CHAIR) and body_kind not in (
        "",
        UnitKind.PEOPLES_COMMITTEE,
    ):
        # "Chủ tịch" of something else (HĐND, a company): an official, not a People's Committee head.
        body_kind, position = UnitKind.PEOPLES_COMMITTEE, Position.OFFICIAL
    if body_kind in (UnitKind.PARTY_COMMITTEE, UnitKind.INSPECTION_COMMISSION):
        party = True
    if " hoi dong nhan dan " in text and position in (Position.PC_CHAIR, Position.PC_VICE_CHAIR):
        position = Position.OFFICIAL
    named = ""
    candidates = [u for u in units if u.key.strip() and u.key in text]
    if candidates:
        best = max(candidates, key=lambda u: len(u.key))
        named = best.code
        body_kind = best.kind
    party_province = bool(_PARTY_PROVINCE.search(body_words))
    level, place = _place(text, body_end, places, province_hint, party_province) if body_kind else ("", "")
    return Recognition(
        position=position,
        body_kind=body_kind,
        level=level,
        place_code=place,
        unit_code=named,
        party_member=party,
        name=_name(subject),
    )
