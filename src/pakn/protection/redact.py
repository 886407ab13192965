"""Redaction of identifying details from free text, as pure functions.

Two sources of what to remove:

- the reporter's own details (name, address, phone, ID number), given as *keyed hashes* of their folded
  word sequences and digit strings (``identity_terms``). The same hashes are kept with the case, so text
  the reporter writes later (answers, added information) is redacted without the identity ever being
  readable on the server again;
- generic patterns: e-mail addresses, phone numbers (0…/+84…, with or without separators) and
  9- or 12-digit ID numbers.

Matching is case- and diacritic-insensitive (``pakn.core.text.fold``) and on whole words; every match
becomes ``[đã che]`` in the original text, which is otherwise kept exactly as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pakn.core.text import fold
from pakn.protection.crypto import keyed_hash

REDACTED = "[đã che]"
MAX_WORDS = 12  # the longest word sequence compared (a full address)
MAX_GROUPS = 6  # the most digit groups one number is written in ("+84 91 234 56 78")

_WORD = re.compile(r"[^\W_]+")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_DIGIT_RUN = re.compile(r"(?<![\w.])\+?\d+(?:[ .\-]\d+)*(?![\w])")
_GROUP = re.compile(r"\d+")


@dataclass(frozen=True)
class Redaction:
    text: str
    count: int


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def national_digits(digits: str) -> str:
    """+84 912… / 84912… → 0912…, so a phone number matches however it is written."""
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    return digits


@dataclass(frozen=True)
class Identity:
    """What ``identity_terms`` hashes, in the clear: only while the reporter's submission is being filed."""

    phrases: frozenset[str]  # folded word sequences
    digits: frozenset[str]  # digit strings


def identity_terms(identity: dict[str, str], key: bytes) -> list[str]:
    """Keyed hashes of what identifies the reporter: ``w:`` word sequences, ``d:`` digit strings."""
    plain = identity_in_clear(identity)
    terms = {"w:" + keyed_hash(key, p) for p in plain.phrases}
    terms |= {"d:" + keyed_hash(key, d) for d in plain.digits}
    return sorted(terms)


def identity_in_clear(identity: dict[str, str]) -> Identity:
    """The word sequences and digit strings that identify the reporter (``identity_terms`` before hashing)."""
    phrases: set[str] = set()
    name = _words(identity.get("name", ""))
    if name:
        phrases.add(" ".join(name))
        if len(name) >= 3:
            phrases.add(" ".join(name[-2:]))  # "Văn An" without the family name
    address = identity.get("address", "")
    if address:
        words = _words(address)
        if words:
            phrases.add(" ".join(words[:MAX_WORDS]))
        first = _words(address.split(",")[0])
        if len(first) >= 2:
            phrases.add(" ".join(first[:MAX_WORDS]))
    digits = set()
    for field in ("phone", "id_number"):
        value = "".join(c for c in identity.get(field, "") if c.isdigit())
        if len(value) >= 6:
            digits.add(national_digits(value))
            if len(value.lstrip("0")) >= 6:
                digits.add(value.lstrip("0"))  # typed into a spreadsheet as a number: leading zeros lost
    return Identity(frozenset(phrases), frozenset(digits))


def _generic_number(digits: str, *, separated: bool) -> bool:
    national = national_digits(digits)
    is_phone = national.startswith("0") and len(national) in (10, 11)
    if separated:
        return is_phone  # "0912 345 678"; amounts like "150.000.000" never start with 0
    return is_phone or len(digits) in (9, 12)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


class _FoldTable(dict[int, str]):
    """``str.translate``'s table: each character folded alone (as ``_fold_char``), learnt as it is met; the
    characters that do not fold to exactly one character are kept in ``uneven``."""

    uneven: set[str] = set()

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(folded) != 1:
            self.uneven.add(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _folded_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of the original character."""
    folded = text.translate(_FOLD_TABLE)
    if _FOLD_TABLE.uneven.isdisjoint(text):  # every character folded to one: the same positions (most texts)
        return folded, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def _is_term(prefix: str, wanted: set[str], key: bytes, clear: frozenset[str] | None) -> Callable[[str], bool]:
    """Whether a word sequence (``w:``) or digit string (``d:``) is one of the reporter's: compared in the
    clear when the identity is at hand (``clear``, at submission: no hash per word sequence of the text),
    else by its keyed hash; never hashed when no term of that kind is wanted."""
    if clear is not None:
        return clear.__contains__
    if not any(t.startswith(prefix) for t in wanted):
        return lambda _value: False
    return lambda value: prefix + keyed_hash(key, value) in wanted


def find_spans(
    text: str, terms: Iterable[str], key: bytes, *, identity: Identity | None = None
) -> list[tuple[int, int]]:
    """Spans to remove: the reporter's details (``terms``, or ``identity``: the same in the clear, whose hashes
    ``terms`` are) and the generic identifiers."""
    wanted = set(terms)
    own_phrase = _is_term("w:", wanted, key, identity.phrases if identity else None)
    own_digits = _is_term("d:", wanted, key, identity.digits if identity else None)
    spans: list[tuple[int, int]] = []
    folded, origin = _folded_map(text)
    any_phrase = bool(identity.phrases) if identity else any(t.startswith("w:") for t in wanted)
    if any_phrase:
        tokens = [(m.group(0), origin[m.start()], origin[m.end() - 1] + 1) for m in _WORD.finditer(folded)]
        for i in range(len(tokens)):
            phrase = ""
            for n in range(min(MAX_WORDS, len(tokens) - i)):
                phrase = tokens[i][0] if n == 0 else f"{phrase} {tokens[i + n][0]}"
                if own_phrase(phrase):
                    spans.append((tokens[i][1], tokens[i + n][2]))
    for match in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(match.group(0)))
        base = match.start()
        # The whole run, or else every window of up to MAX_GROUPS consecutive groups ("số 45 0912 345 678").
        windows = [(0, len(groups))] + [
            (a, b)
            for a in range(len(groups))
            for b in range(a + 1, min(len(groups), a + MAX_GROUPS) + 1)
            if (a, b) != (0, len(groups))
        ]
        for a, b in windows:
            digits = "".join(g.group(0) for g in groups[a:b])
            if own_digits(national_digits(digits)) or _generic_number(digits, separated=b > a + 1):
                start = base if a == 0 else base + groups[a].start()
                spans.append((start, base + groups[b - 1].end()))
                if (a, b) == (0, len(groups)):
                    break
    for match in _EMAIL.finditer(text):
        spans.append(match.span())
    spans.extend(self_introductions(text, (folded, origin)))
    return spans


# "Tôi là Nguyễn Văn An", "họ tên: TRẦN THỊ LAN", "người viết đơn Lê Văn C": a name written after a
# self-introduction is removed even when the sender is anonymous (no identity to compare with).
_INTRO = re.compile(
    r"\b(toi la|toi ten la|toi ten|ten toi la|ten toi|ho va ten|ho ten|nguoi viet don|nguoi viet|nguoi gui|"
    r"nguoi to cao|ky ten|chau la|con la|em la)\b[\s:,.\-]*"
)
_NAME_WORD = re.compile(r"[^\W\d_]+")


def self_introductions(text: str, folded_map: tuple[str, list[int]] | None = None) -> list[tuple[int, int]]:
    folded, origin = folded_map or _folded_map(text)
    spans = []
    for match in _INTRO.finditer(folded):
        if match.end() >= len(origin):
            continue
        position = origin[match.end() - 1] + 1
        words: list[tuple[int, int]] = []
        while len(words) < 6:
            word = _NAME_WORD.match(text, position)
            if word is None or not word.group(0)[0].isupper():
                break
            words.append(word.span())
            gap = re.match(r"[ \t]+", text[word.end() :])
            position = word.end() + (gap.end() if gap else 0)
            if gap is None:
                break
        following = text[words[-1][1] : words[-1][1] + 1] if words else ""
        if len(words) >= 2 or (words and following in ("", ",", ".", ";", ")", "\n")):
            spans.append((words[0][0], words[-1][1]))
    return spans


def apply_spans(text: str, spans: list[tuple[int, int]]) -> Redaction:
    if not spans:
        return Redaction(text, 0)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        parts.append(text[last:start])
        parts.append(REDACTED)
        last = end
    parts.append(text[last:])
    return Redaction("".join(parts), len(merged))


def redact(text: str, terms: Iterable[str], key: bytes, *, identity: Identity | None = None) -> Redaction:
    """``text`` with the reporter's details (``terms``; or ``identity``, the same in the clear, when the
    reporter is filing now) and every generic identifier replaced."""
    if not text:
        return Redaction(text or "", 0)
    return apply_spans(text, find_spans(text, terms, key, identity=identity))


def redact_identity(text: str, identity: dict[str, str], key: bytes) -> Redaction:
    return redact(text, identity_terms(identity, key), key)
