"""Vietnamese text helpers that must be the same everywhere: NFC for storage, a folded key for matching."""

from __future__ import annotations

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, diacritics removed, đ→d: the key for diacritic-insensitive matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_D)


def clean_text(text: str) -> str:
    """NFC, control characters removed (except newlines and tabs), surrounding spaces stripped."""
    text = nfc(text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C").strip()
