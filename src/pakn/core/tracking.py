"""Tracking codes: unguessable (50 random bits), easy to read aloud and type (Crockford base32: no
I, L, O, U), with a Crockford mod-37 check character so a mistyped code is caught before lookup.

Shown as ``XXXX-XXXX-XXC``; lookups accept any case, spaces and dashes, and the look-alikes
O→0, I/L→1."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
BODY_LENGTH = 10
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_character(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return CHECK_ALPHABET[value % 37]


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def normalise_tracking_code(text: str) -> str | None:
    """The canonical code for what a person typed, or None if it is malformed or the check fails."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(cleaned) != BODY_LENGTH + 1:
        return None
    body, check = cleaned[:-1], cleaned[-1]
    if any(c not in ALPHABET for c in body):
        return None
    return cleaned if check_character(body) == check else None


def format_tracking_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
