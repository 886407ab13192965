"""Keys: the server's key files (outside the database and the settings), the deployment's escrow key
and the protection officers' password-locked keys.

- ``PAKN_NOTIFY_KEY_FILE`` (default ``PAKN_DATA_DIR/keys/notify.key``): the X25519 private key that opens
  reporters' sealed notification contacts; only the worker needs it.
- ``PAKN_SERVER_KEY_FILE`` (default ``PAKN_DATA_DIR/keys/server.key``): a master key from which the key of
  the clean attachment copies and the key of the redaction hashes are derived.
- ``PAKN_ESCROW_KEY_FILE`` (default ``PAKN_DATA_DIR/keys/escrow.key``): where the escrow *private* key is
  written when the deployment creates it itself (demo, tests). In production create it with
  ``pakn protection init-escrow --out …`` and keep it offline; only its public key is in the database.

Files are created with mode 0600 in a 0700 folder, and only on a fresh install: the first time a server key
is used with a database, its *fingerprint* (never the secret) is written to ``KeyFingerprint``. From then on
a key file that is missing or different — a database restored without its key files, or with another
instance's — is refused with ``KeysUnavailable`` (503) instead of being replaced by a new key: a new server
key would redact nothing (the stored redaction hashes are keyed with the old one), open no clean copy and no
sealed contact. Only ``pakn protection init-keys --replace-lost`` makes new keys for such a database.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import nacl.utils
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import PaknError
from pakn.protection import crypto
from pakn.protection.models import KeyFingerprint, RecipientKey, VaultConfig

logger = logging.getLogger("pakn.protection")
_cache: dict[str, bytes] = {}
_verified: set[str] = set()  # cached keys whose fingerprint is committed in the database
_lock = threading.Lock()
_table_ready = False


class KeysUnavailable(PaknError):
    """A server key file is missing, unreadable or not the one this database was used with. Nothing that
    needs it may be written or read until the right file is back (``problem`` says which, for operators)."""

    code = "keys_mismatch"
    http_status = 503
    default_message = _(
        "Hệ thống tạm thời không xử lý được yêu cầu này: khóa mã hóa của máy chủ không khớp với cơ sở dữ liệu. "
        "Không có dữ liệu nào bị thay đổi. Vui lòng thử lại sau hoặc báo quản trị viên."
    )

    def __init__(self, problem: str = "") -> None:
        super().__init__()
        self.problem = problem


def key_path(setting: str, default: str) -> Path:
    value = getattr(settings, setting, "") or ""
    return Path(value) if value else Path(settings.DATA_DIR) / "keys" / default


def public_key_fingerprint(public: bytes) -> str:
    return "x25519-sha256:" + hashlib.sha256(public).hexdigest()


@dataclass(frozen=True)
class ServerKey:
    """One of the key files the server itself uses (the escrow key is not one: it is kept offline)."""

    name: str
    setting: str
    filename: str
    comment: str

    def path(self) -> Path:
        return key_path(self.setting, self.filename)

    @sensitive_variables()
    def fingerprint(self, secret: bytes) -> str:
        """What the database keeps: a hash of the notifier's public key; a subkey (keyed BLAKE2b) of the
        server master key. Neither reveals the secret."""
        if self.name == "notify":
            return public_key_fingerprint(crypto.public_of(secret))
        return "blake2b:" + crypto.subkey(secret, "key-fingerprint").hex()


SERVER = ServerKey(
    "server",
    "SERVER_KEY_FILE",
    "server.key",
    "PAKN server key: encrypts clean attachment copies, keys the redaction hashes. Back up apart from the DB.",
)
NOTIFY = ServerKey(
    "notify",
    "NOTIFY_KEY_FILE",
    "notify.key",
    "PAKN notifier private key: opens reporters' notification contacts. Never put it in a database backup.",
)
SERVER_KEYS = (SERVER, NOTIFY)


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


def parse_key_file(content: bytes) -> bytes:
    """The key in the bytes of a key file (e.g. read from a backup archive)."""
    lines = [line.strip() for line in content.decode("ascii").splitlines()]
    value = crypto.b64d(next(line for line in lines if line and not line.startswith("#")))
    if len(value) != crypto.KEY_SIZE:
        raise ValueError("not a 32-byte key")
    return value


# ---------------------------------------------------------------- fingerprints


def stored_fingerprints() -> dict[str, str] | None:
    """The fingerprints this database holds; None while its table does not exist yet (during ``migrate``)."""
    global _table_ready
    if not _table_ready:
        if KeyFingerprint._meta.db_table not in connection.introspection.table_names():
            return None
        _table_ready = True
    return dict(KeyFingerprint.objects.values_list("name", "fingerprint"))


@dataclass(frozen=True)
class KeyState:
    """A server key file compared with the fingerprint the database holds."""

    key: ServerKey
    path: Path
    stored: str | None  # in the database
    actual: str | None  # of the file; None when missing or unreadable
    error: str  # "" | "missing" | "different" | "unreadable"

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def problem(self) -> str:
        """For operators (``/readyz``, ``pakn check``, logs): what is wrong and what to do. No secret, no path."""
        name = self.key.filename
        if self.error == "unreadable":
            return f"{name} cannot be read by this process (owner, mode 0600, or not a PAKN key file)"
        if self.error == "missing":
            return (
                f"{name} is missing but the database holds its fingerprint (or data encrypted with it): "
                "restore the key archive made with this database's backup (pakn restore)"
            )
        if self.error == "different":
            return (
                f"{name} is not the key this database was used with (another instance's, or a new one): "
                "put back the right key file"
            )
        return ""


def _read(key: ServerKey, path: Path) -> tuple[bytes | None, str]:
    if not path.exists():
        return None, "missing"
    try:
        return read_key_file(path), ""
    except (OSError, ValueError, StopIteration, UnicodeDecodeError):
        return None, "unreadable"


def _in_use_without_fingerprint(key: ServerKey) -> bool:
    """Data encrypted or keyed with ``key`` exists although no fingerprint was recorded (a database from before
    fingerprints): a missing file is then a lost key, not a fresh install."""
    from pakn.cases.models import Reporter
    from pakn.protection.models import Attachment

    try:
        with transaction.atomic():
            if key is NOTIFY:
                return Reporter.objects.exclude(notify_sealed="").exists()
            return (
                Attachment.objects.exclude(clean_blob="").exists()
                or Reporter.objects.exclude(redaction_terms=[]).exists()
            )
    except DatabaseError:  # an older schema during migrate
        return False


def key_states() -> list[KeyState]:
    """Every server key file compared with the database (``/readyz``, ``pakn check``, ``pakn protection``)."""
    stored = stored_fingerprints() or {}
    states = []
    for key in SERVER_KEYS:
        path = key.path()
        value, error = _read(key, path)
        actual = key.fingerprint(value) if value is not None else None
        expected = stored.get(key.name)
        if error == "missing" and expected is None and not _in_use_without_fingerprint(key):
            error = ""  # a fresh install: created on first use
        elif not error and expected is not None and actual != expected:
            error = "different"
        states.append(KeyState(key=key, path=path, stored=expected, actual=actual, error=error))
    return states


def _unavailable(key: ServerKey, path: Path, error: str) -> KeysUnavailable:
    state = KeyState(key=key, path=path, stored=None, actual=None, error=error)
    logger.error("refusing to use the server keys: %s", state.problem)
    return KeysUnavailable(state.problem)


def record_fingerprint(key: ServerKey, value: bytes, *, replace: bool = False) -> None:
    """Write ``key``'s fingerprint (first use with this database; ``replace``: ``init-keys --replace-lost``)."""
    fingerprint = key.fingerprint(value)
    if replace:
        KeyFingerprint.objects.update_or_create(name=key.name, defaults={"fingerprint": fingerprint})
        return
    try:
        with transaction.atomic():
            row, _created = KeyFingerprint.objects.get_or_create(name=key.name, defaults={"fingerprint": fingerprint})
    except IntegrityError:  # recorded at the same moment by another process
        row = KeyFingerprint.objects.get(name=key.name)
    if row.fingerprint != fingerprint:
        raise _unavailable(key, key.path(), "different")


@sensitive_variables()
def _load(key: ServerKey) -> bytes:
    """The key, checked against the fingerprint the database holds. Created only on a fresh install (no
    fingerprint, no data that was encrypted with it); never replaced."""
    path = key.path()
    cache_key = str(path)
    cached = _cache.get(cache_key)
    if cached is not None and cache_key in _verified:
        return cached
    with _lock:
        stored = stored_fingerprints()
        expected = None if stored is None else stored.get(key.name)
        value, error = _read(key, path)
        if error == "unreadable" or (error and expected is not None):
            raise _unavailable(key, path, error)
        if value is None:
            if stored is not None and _in_use_without_fingerprint(key):
                raise _unavailable(key, path, "missing")
            if write_key_file(path, nacl.utils.random(crypto.KEY_SIZE), key.comment):
                logger.info("created key file %s", path.name)
            value, error = _read(key, path)
            if value is None:
                raise _unavailable(key, path, error)
        if expected is not None and key.fingerprint(value) != expected:
            raise _unavailable(key, path, "different")
        if stored is not None and expected is None:
            record_fingerprint(key, value)
        _cache[cache_key] = value
        if stored is not None:
            # Checked once per process, after the fingerprint is known to be committed (a request that
            # recorded it and then failed leaves it to the next one).
            transaction.on_commit(partial(_verified.add, cache_key))
        return value


def forget() -> None:
    """Drop the keys this process holds (after ``init-keys`` or a restore; tests: a new process)."""
    global _table_ready
    with _lock:
        _cache.clear()
        _verified.clear()
        _table_ready = False


def require_server_keys() -> None:
    """Raise ``KeysUnavailable`` unless every server key is usable (the worker checks before it runs)."""
    for key in SERVER_KEYS:
        _load(key)


def notify_private_key() -> bytes:
    return _load(NOTIFY)


def notify_public_key() -> bytes:
    return crypto.public_of(notify_private_key())


def _server_master() -> bytes:
    return _load(SERVER)


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
