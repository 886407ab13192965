"""Secret keys handed to people once (API tokens, Open311 keys)."""

from __future__ import annotations

import secrets

KEY_BYTES = 32


def new_key() -> str:
    """A URL-safe random key whose first character is a letter or digit.

    Operators revoke a key by its first eight characters on the command line
    (``pakn token revoke PREFIX``); a prefix starting with ``-`` would be read
    as an option there, so such draws are discarded (1 in 64, no loss of
    strength worth counting: 6 of 256 bits).
    """
    while True:
        key = secrets.token_urlsafe(KEY_BYTES)
        if key[0] != "-":
            return key
