"""The cryptography of the identity vault, as small pure functions over bytes (libsodium via PyNaCl).

- A *data key* (random, 32 bytes) encrypts one item with XSalsa20-Poly1305 (``SecretBox``).
- The data key is *sealed* (``SealedBox``, X25519) to the public key of every recipient: the protection
  officers of the case's unit and of the unit above, and the deployment's escrow key.
- An officer's private key is stored encrypted with a key derived from their password by Argon2id.
- A drop-box receipt is stored only as an Argon2id digest with the deployment's salt.

Nothing here touches the database, the disk or the settings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import nacl.exceptions
import nacl.public
import nacl.secret
import nacl.utils
from django.views.decorators.debug import sensitive_variables
from nacl.pwhash import argon2id

KEY_SIZE = nacl.secret.SecretBox.KEY_SIZE  # 32
SALT_SIZE = argon2id.SALTBYTES  # 16

# Argon2id cost profiles (opslimit, memlimit). "min" exists for the test suite only: settings refuse it
# in production. The profile is stored next to each derived value, so changing it never breaks old keys.
PROFILES: dict[str, tuple[int, int]] = {
    "min": (argon2id.OPSLIMIT_MIN, argon2id.MEMLIMIT_MIN),
    "interactive": (argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE),
    "moderate": (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE),
    "sensitive": (argon2id.OPSLIMIT_SENSITIVE, argon2id.MEMLIMIT_SENSITIVE),
}


class CryptoError(Exception):
    """Decryption failed: wrong key, wrong password or tampered data."""


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


# ---------------------------------------------------------------- symmetric


def new_data_key() -> bytes:
    return nacl.utils.random(KEY_SIZE)


@sensitive_variables()
def encrypt(key: bytes, plaintext: bytes) -> bytes:
    """Nonce + ciphertext + MAC."""
    return bytes(nacl.secret.SecretBox(key).encrypt(plaintext))


@sensitive_variables()
def decrypt(key: bytes, blob: bytes) -> bytes:
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(blob))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise CryptoError("cannot decrypt") from exc


# ---------------------------------------------------------------- public key


def new_keypair() -> tuple[bytes, bytes]:
    """(public key, private key), 32 bytes each."""
    private = nacl.public.PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_of(private_key: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(private_key).public_key)


@sensitive_variables()
def seal(public_key: bytes, data: bytes) -> bytes:
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(public_key)).encrypt(data))


@sensitive_variables()
def unseal(private_key: bytes, blob: bytes) -> bytes:
    try:
        return bytes(nacl.public.SealedBox(nacl.public.PrivateKey(private_key)).decrypt(blob))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise CryptoError("cannot unseal") from exc


def fingerprint(public_key: bytes) -> str:
    """Short, readable identifier of a public key (shown to officers, never secret)."""
    digest = hashlib.blake2b(public_key, digest_size=8).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


# ---------------------------------------------------------------- passwords


@sensitive_variables()
def derive(secret: str | bytes, salt: bytes, *, opslimit: int, memlimit: int, size: int = KEY_SIZE) -> bytes:
    """Argon2id: the slow, memory-hard key derivation."""
    data = secret.encode("utf-8") if isinstance(secret, str) else secret
    return bytes(argon2id.kdf(size, data, salt, opslimit=opslimit, memlimit=memlimit))


@dataclass(frozen=True)
class LockedKey:
    box: bytes  # the private key encrypted with the password-derived key
    salt: bytes
    opslimit: int
    memlimit: int


@sensitive_variables()
def lock_private_key(private_key: bytes, password: str, *, profile: str) -> LockedKey:
    opslimit, memlimit = PROFILES[profile]
    salt = nacl.utils.random(SALT_SIZE)
    wrapping = derive(password, salt, opslimit=opslimit, memlimit=memlimit)
    return LockedKey(box=encrypt(wrapping, private_key), salt=salt, opslimit=opslimit, memlimit=memlimit)


@sensitive_variables()
def unlock_private_key(locked: LockedKey, password: str) -> bytes:
    wrapping = derive(password, locked.salt, opslimit=locked.opslimit, memlimit=locked.memlimit)
    return decrypt(wrapping, locked.box)


# ---------------------------------------------------------------- drop-box receipts

RECEIPT_DIGITS = 16


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def new_receipt() -> str:
    """16 digits in groups of four: 15 random digits (``secrets``) and a Luhn check digit, so a mistyped
    receipt is caught at once, before the slow hash."""
    body = "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS - 1))
    return format_receipt(body + _luhn_digit(body))


def format_receipt(digits: str) -> str:
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalise_receipt(text: str) -> str | None:
    """The 16 digits as typed (spaces, dashes and dots ignored), or None when it cannot be a receipt."""
    digits = "".join(c for c in (text or "") if not c.isspace() and c not in "-.")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    if _luhn_digit(digits[:-1]) != digits[-1]:
        return None
    return digits


def receipt_digest(digits: str, salt: bytes, *, opslimit: int, memlimit: int) -> str:
    return derive(digits, salt, opslimit=opslimit, memlimit=memlimit).hex()


# ---------------------------------------------------------------- keyed hashes


def subkey(master: bytes, purpose: str) -> bytes:
    """Independent 32-byte keys from one master key (BLAKE2b keyed, personalised)."""
    return hashlib.blake2b(purpose.encode(), key=master, digest_size=32, person=b"pakn-subkey").digest()


def keyed_hash(key: bytes, text: str) -> str:
    return hmac.digest(key, text.encode("utf-8"), "sha256").hex()[:32]  # one call into OpenSSL
