"""Vietnamese text helpers that must be the same everywhere. Pure functions, plain values in and out.

- ``nfc`` / ``clean_text``: what is stored. Stored text is never altered beyond NFC (and control
  characters removed).
- ``normalise_tones``: one tone-mark style ("hòa"/"hoà", "thủy"/"thuỷ", "khỏe"/"khoẻ") for keys that
  keep diacritics; the canonical style is the traditional one (``OLD``), as in "Ủy ban nhân dân".
- ``fold``: lower case, every mark removed, đ/Đ and the look-alike Ð to d: the diacritic-free key.
- ``tokens`` / ``search_key``: the folded key cut into words, with common slang and administrative
  abbreviations expanded ("ko" → "khong", "UBND" → "uy ban nhan dan"). For matching only.
- ``word_spans``: the words of the *original* text with their offsets and keys, to highlight matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_D = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d", "Ɖ": "d", "ɖ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, diacritics removed, đ→d: the key for diacritic-insensitive matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_D)


def clean_text(text: str) -> str:
    """NFC, control characters removed (except newlines and tabs), surrounding spaces stripped."""
    text = nfc(text)
    if text.replace("\n", "").replace("\t", "").isprintable():  # no "Other" character: nothing to remove
        return text.strip()
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C").strip()


# ---------------------------------------------------------------- tone marks

OLD = "old"  # hòa, hòe, thủy, khỏe (mark on the first vowel of an open oa/oe/uy): the canonical style
NEW = "new"  # hoà, hoè, thuỷ, khoẻ (mark on the main vowel)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_LETTERS = re.compile(r"[^\W\d_]+")


def _retone_word(word: str, style: str) -> str:
    letters: list[list[str]] = []  # [base + shape marks, tone]
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and letters:
            if char in _TONES:
                letters[-1][1] = char
            else:
                letters[-1][0] += char
        else:
            letters.append([char, ""])
    toned = [i for i, (_, tone) in enumerate(letters) if tone]
    if len(toned) != 1 or len(letters) < 2:
        return word
    first, second = letters[-2], letters[-1]
    if (first[0].lower(), second[0].lower()) not in _PAIRS:
        return word
    if len(letters) >= 3 and letters[-3][0].lower() == "q" and first[0].lower() == "u":
        return word  # "quý": the u belongs to qu, the mark always sits on y
    if toned[0] not in (len(letters) - 2, len(letters) - 1):
        return word
    tone = letters[toned[0]][1]
    first[1] = second[1] = ""
    (first if style == OLD else second)[1] = tone
    return unicodedata.normalize("NFC", "".join(base + mark for base, mark in letters))


def normalise_tones(text: str, style: str = OLD) -> str:
    """NFC text with every open oa/oe/uy syllable written in one tone-mark style."""
    if style not in (OLD, NEW):
        raise ValueError(f"unknown tone style {style!r}")
    return _LETTERS.sub(lambda m: _retone_word(m.group(0), style), nfc(text))


def toned_key(text: str) -> str:
    """Lower case, NFC, canonical tone style, diacritics kept: the key for an exact (accented) match."""
    return " ".join(_WORDS.findall(normalise_tones(text.lower())))


# ---------------------------------------------------------------- folded tokens and slang

_WORDS = re.compile(r"[^\W_]+")
MAX_TOKEN = 60

# Folded slang, teencode and common administrative abbreviations → folded words. Matching only: the
# stored text keeps what the person wrote. Ambiguous forms are left out on purpose ("hong" is also
# "hỏng", "bit" also "bịt", "dk" also "đăng ký").
SLANG: dict[str, str] = {
    # không
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "kg": "khong",
    "hok": "khong",
    "hk": "khong",
    "hem": "khong",
    "hum": "khong",
    "kop": "khong",
    "khum": "khong",
    # được, gì, rồi, người, với, cũng, mọi người, trước, nói, như thế nào, quá, vậy…
    "dc": "duoc",
    "dx": "duoc",
    "j": "gi",
    "r": "roi",
    "ng": "nguoi",
    "ngta": "nguoi ta",
    "vs": "voi",
    "cx": "cung",
    "cug": "cung",
    "mn": "moi nguoi",
    "mng": "moi nguoi",
    "trc": "truoc",
    "ns": "noi",
    "ntn": "nhu the nao",
    "wa": "qua",
    "hnay": "hom nay",
    "hqua": "hom qua",
    "nhiu": "nhieu",
    "thui": "thoi",
    "bjo": "bay gio",
    "bh": "bao gio",
    "bn": "bao nhieu",
    "sr": "xin loi",
    "tks": "cam on",
    "thanks": "cam on",
    "ok": "dong y",
    "oke": "dong y",
    "okie": "dong y",
    # administrative abbreviations
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "csgt": "canh sat giao thong",
    "bhyt": "bao hiem y te",
    "bhxh": "bao hiem xa hoi",
    "gpmb": "giai phong mat bang",
    "tthc": "thu tuc hanh chinh",
    "cccd": "can cuoc cong dan",
    "cmnd": "chung minh nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "qsdd": "quyen su dung dat",
    "gcn": "giay chung nhan",
    "hcm": "ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "vn": "viet nam",
    "sdt": "so dien thoai",
    "stk": "so tai khoan",
    "pccc": "phong chay chua chay",
    "attp": "an toan thuc pham",
    "thpt": "trung hoc pho thong",
    "thcs": "trung hoc co so",
    "dbscl": "dong bang song cuu long",
}
_SLANG_SPLIT = {k: tuple(v.split()) for k, v in SLANG.items()}


def expand(word: str) -> tuple[str, ...]:
    """The folded word(s) a folded token stands for (itself when it is not slang)."""
    return _SLANG_SPLIT.get(word, (word,))


def tokens(text: str, *, slang: bool = True) -> list[str]:
    """Folded words of ``text``; slang expanded unless ``slang=False``. Only letters and digits, so
    SQLite FTS5 (unicode61) and PostgreSQL (``simple``) cut the joined key into the same words."""
    out: list[str] = []
    for word in _WORDS.findall(fold(text)):
        if len(word) > MAX_TOKEN:
            continue
        out.extend(expand(word) if slang else (word,))
    return out


def search_key(text: str) -> str:
    """The indexed form: folded, slang expanded, words joined by single spaces."""
    return " ".join(tokens(text))


class WordSpan(NamedTuple):
    start: int
    end: int
    keys: tuple[str, ...]  # the folded, slang-expanded words this original word stands for


def word_spans(text: str) -> Iterator[WordSpan]:
    """Words of the original (NFC) text with their offsets, for highlighting."""
    for m in _WORDS.finditer(text):
        folded = fold(m.group(0))
        keys: list[str] = []
        for part in _WORDS.findall(folded):
            keys.extend(expand(part))
        yield WordSpan(m.start(), m.end(), tuple(keys))


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
