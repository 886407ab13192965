"""Tracking codes: unguessable (50 random bits), easy to read aloud and type (Crockford base32: no
I, L, O, U), with a check character so a mistyped code is caught before lookup.

New codes end in a check character from the same 32 letters and digits, so every character of a code
can be read out on the phone: the weighted sum of the symbols over the field GF(32) (weights: powers of
x modulo x⁵ + x² + 1), which catches every single mistyped character and every swap of two neighbours.
Codes issued before used Crockford's mod-37 check, whose alphabet adds ``* ~ $ = U``; they still work.

Shown as ``XXXX-XXXX-XXC``; lookups accept any case, spaces and dashes, and the look-alikes
O→0, I/L→1."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LEGACY_CHECK_ALPHABET = ALPHABET + "*~$=U"
BODY_LENGTH = 10
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _times_x(value: int) -> int:
    """Multiply by x in GF(32) = GF(2)[x] / (x⁵ + x² + 1)."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def check_character(body: str) -> str:
    """The symbol c with x·(…(x·s₁ + s₂)…) + c = 0 in GF(32), addition being XOR."""
    state = 0
    for char in body:
        state = _times_x(state) ^ ALPHABET.index(char)
    return ALPHABET[_times_x(state)]


def legacy_check_character(body: str) -> str:
    """Crockford's mod-37 check of codes issued before the GF(32) check."""
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return LEGACY_CHECK_ALPHABET[value % 37]


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
    return cleaned if check in (check_character(body), legacy_check_character(body)) else None


def format_tracking_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
