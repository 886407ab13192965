"""Keys: the server's key files (outside the database and the settings), the deployment's escrow key
and the protection officers' password-locked keys.

- ``PAKN_NOTIFY_KEY_FILE`` (default ``PAKN_DATA_DIR/keys/notify.key``): the X25519 private key that opens
  reporters' sealed notification contacts; only the worker needs it.
- ``PAKN_SERVER_KEY_FILE`` (default ``PAKN_DATA_DIR/keys/server.key``): a master key from which the key of
  the clean attachment copies and the key of the redaction hashes are derived.
- ``PAKN_ESCROW_KEY_FILE`` (default ``PAKN_DATA_DIR/keys/escrow.key``): where the escrow *private* key is
  written when the deployment creates it itself (demo, tests). In production create it with
  ``pakn protection init-escrow --out …`` and keep it offline; only its public key is in the database.

Files are created on first use with mode 0600 in a 0700 folder.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import nacl.utils
from django.conf import settings
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from pakn.protection import crypto
from pakn.protection.models import RecipientKey, VaultConfig

logger = logging.getLogger("pakn.protection")
_cache: dict[str, bytes] = {}
_lock = threading.Lock()


def key_path(setting: str, default: str) -> Path:
    value = getattr(settings, setting, "") or ""
    return Path(value) if value else Path(settings.DATA_DIR) / "keys" / default


def write_key_file(path: Path, secret: bytes, comment: str) -> bool:
    """Create ``path`` (0600) holding ``secret``; False when it already exists (never overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"# {comment}\n{crypto.b64e(secret)}\n")
    return True


@sensitive_variables()
def read_key_file(path: Path) -> bytes:
    lines = [line.strip() for line in path.read_text(encoding="ascii").splitlines()]
    value = crypto.b64d(next(line for line in lines if line and not line.startswith("#")))
    if len(value) != crypto.KEY_SIZE:
        raise ValueError(f"{path}: not a 32-byte key")
    return value


def _load_or_create(path: Path, comment: str) -> bytes:
    cache_key = str(path)
    if cache_key in _cache:
        return _cache[cache_key]
    with _lock:
        if not path.exists() and write_key_file(path, nacl.utils.random(crypto.KEY_SIZE), comment):
            logger.info("created key file %s", path.name)
        value = read_key_file(path)
        _cache[cache_key] = value
        return value


def notify_private_key() -> bytes:
    return _load_or_create(
        key_path("NOTIFY_KEY_FILE", "notify.key"),
        "PAKN notifier private key: opens reporters' notification contacts. Never put it in a database backup.",
    )


def notify_public_key() -> bytes:
    return crypto.public_of(notify_private_key())


def _server_master() -> bytes:
    return _load_or_create(
        key_path("SERVER_KEY_FILE", "server.key"),
        "PAKN server key: encrypts clean attachment copies, keys the redaction hashes. Back up apart from the DB.",
    )


def files_key() -> bytes:
    return crypto.subkey(_server_master(), "clean-files")


def redaction_key() -> bytes:
    return crypto.subkey(_server_master(), "redaction-terms")


def contact_digest(channel: str, contact: str) -> str:
    """A keyed hash of a phone number or e-mail address, to find the same contact again (one booking per
    person and session) without storing it."""
    return channel + ":" + crypto.keyed_hash(crypto.subkey(_server_master(), "contact-lookup"), contact.strip().lower())


# ---------------------------------------------------------------- escrow and deployment config


def new_deployment_escrow_public_key() -> bytes:
    """The escrow public key for a new deployment: from the key file when one exists (e.g. the database
    was recreated), otherwise a new key pair whose private half is written to the file."""
    path = key_path("ESCROW_KEY_FILE", "escrow.key")
    if not path.exists():
        public, private = crypto.new_keypair()
        if write_key_file(path, private, "PAKN escrow private key: move it offline (see docs/protection.md)."):
            logger.warning("created the escrow key at %s: move it offline (docs/protection.md)", path)
            return public
    return crypto.public_of(read_key_file(path))


def vault_config() -> VaultConfig:
    config = VaultConfig.objects.select_related("escrow").filter(pk=1).first()
    if config is not None:
        return config
    return install_config(escrow_public=new_deployment_escrow_public_key())


def install_config(*, escrow_public: bytes, models: tuple[Any, Any] | None = None) -> VaultConfig:
    """The deployment's vault configuration. ``models``: (RecipientKey, VaultConfig) of a data migration's
    historical state, so a migration does not depend on today's model classes."""
    recipient_model, config_model = models or (RecipientKey, VaultConfig)
    opslimit, memlimit = crypto.PROFILES[settings.ARGON2_PROFILE]
    try:
        with transaction.atomic():
            escrow = recipient_model.objects.create(kind="escrow", public_key=crypto.b64e(escrow_public))
            return config_model.objects.create(  # type: ignore[no-any-return]
                pk=1,
                escrow=escrow,
                receipt_salt=crypto.b64e(nacl.utils.random(crypto.SALT_SIZE)),
                receipt_opslimit=opslimit,
                receipt_memlimit=memlimit,
            )
    except IntegrityError:  # created at the same moment by another request
        return config_model.objects.select_related("escrow").get(pk=1)  # type: ignore[no-any-return]


def escrow_key() -> RecipientKey:
    return vault_config().escrow


def receipt_digest(digits: str) -> str:
    config = vault_config()
    return crypto.receipt_digest(
        digits, crypto.b64d(config.receipt_salt), opslimit=config.receipt_opslimit, memlimit=config.receipt_memlimit
    )


# ---------------------------------------------------------------- officer keys


def active_key(user: Any) -> RecipientKey | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return RecipientKey.objects.filter(kind=RecipientKey.Kind.OFFICER, user=user, retired_at__isnull=True).first()


def locked(key: RecipientKey) -> crypto.LockedKey:
    return crypto.LockedKey(
        box=crypto.b64d(key.locked_private_key),
        salt=crypto.b64d(key.kdf_salt),
        opslimit=key.kdf_opslimit,
        memlimit=key.kdf_memlimit,
    )


@sensitive_variables()
def lock_into(key: RecipientKey, private: bytes, password: str) -> None:
    box = crypto.lock_private_key(private, password, profile=settings.ARGON2_PROFILE)
    key.locked_private_key = crypto.b64e(box.box)
    key.kdf_salt = crypto.b64e(box.salt)
    key.kdf_opslimit, key.kdf_memlimit = box.opslimit, box.memlimit
