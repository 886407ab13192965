"""What the operators see of the vault's files and keys: the ``keys`` check of ``/readyz`` (required: a
node whose key files are missing or another instance's must not take traffic), the start-up check
``pakn.E010`` (``pakn migrate``, ``pakn check --database default``) and what ``pakn backup`` / ``pakn
restore`` need to know about the key files. Registered with core in ``ProtectionConfig.ready``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError

from pakn.protection import crypto, keys
from pakn.protection.vault import FILES_DIR, VAULT_DIR

ESCROW = "escrow"


def _newest_blob_missing() -> list[str]:
    """The newest encrypted file each folder should hold, looked up on disk (a database restored without
    ``vault/`` or ``files/``). One file per folder: cheap enough for every probe."""
    from pakn.protection.models import Attachment, VaultItem

    problems = []
    for folder, newest in (
        (FILES_DIR, Attachment.objects.exclude(clean_blob="").order_by("-pk").values_list("clean_blob", flat=True)),
        (VAULT_DIR, VaultItem.objects.exclude(blob="").order_by("-pk").values_list("blob", flat=True)),
    ):
        name = newest.first()
        if name and not (Path(settings.DATA_DIR) / folder / name).is_file():
            problems.append(f"{folder}/ lacks the encrypted files the database refers to: restore the data archive")
    return problems


def readiness() -> dict[str, Any]:
    states = keys.key_states()
    problems = [state.problem for state in states if not state.ok] + _newest_blob_missing()
    result: dict[str, Any] = {
        "ok": not problems,
        "files": {state.key.filename: state.error or "ok" for state in states},
    }
    if problems:
        result["problem"] = "; ".join(problems)
    return result


def check_key_files(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Any]:
    """``pakn.E010``: the key files are not the ones the database was used with. A database check: it runs
    with ``pakn migrate`` and ``pakn check --database default``, so a restore without keys stops there."""
    from django.core import checks

    if not databases:
        return []
    try:
        states = keys.key_states()
    except DatabaseError:  # no database yet: nothing to compare with
        return []
    return [
        checks.Error(
            state.problem,
            hint="docs/operations.md, 'Backups': restore the key archive; `pakn protection init-keys --replace-lost` "
            "only if the keys are lost for good.",
            id="pakn.E010",
        )
        for state in states
        if not state.ok
    ]


# ---------------------------------------------------------------- pakn backup / pakn restore


def key_files_all() -> dict[str, Path]:
    """Where the key files a backup keeps apart from the data are configured: the two server keys, and the
    escrow private key (on the server only in a demo; in production it is offline and left out)."""
    files = {key.name: key.path() for key in keys.SERVER_KEYS}
    files[ESCROW] = keys.key_path("ESCROW_KEY_FILE", "escrow.key")
    return files


def fingerprint(name: str, content: bytes) -> str:
    """Of a key file's bytes: never the secret (see ``keys.ServerKey.fingerprint``)."""
    secret = keys.parse_key_file(content)
    if name == ESCROW:
        return keys.public_key_fingerprint(crypto.public_of(secret))
    return next(key for key in keys.SERVER_KEYS if key.name == name).fingerprint(secret)


def stored() -> dict[str, str]:
    """The fingerprints this database holds: the server keys', and the escrow public key's."""
    found = dict(keys.stored_fingerprints() or {})
    config = keys.VaultConfig.objects.select_related("escrow").filter(pk=1).first()
    if config is not None:
        found[ESCROW] = keys.public_key_fingerprint(crypto.b64d(config.escrow.public_key))
    return found


def prepare_backup() -> None:
    """Before the database is dumped: the key files must be the database's, and a key file used before
    fingerprints existed gets its fingerprint now, so the dump can be matched with its key archive."""
    from pakn.core.backup import BackupError

    stored_now = keys.stored_fingerprints() or {}
    for state in keys.key_states():
        if not state.ok:
            raise BackupError(state.problem)
        if state.actual is not None and state.stored is None and state.key.name not in stored_now:
            keys.record_fingerprint(state.key, keys.read_key_file(state.path))


def backup_source() -> Any:
    from pakn.core.backup import KeySource
    from pakn.protection.models import KeyFingerprint

    return KeySource(
        paths=key_files_all,
        fingerprint=fingerprint,
        stored=stored,
        table=KeyFingerprint._meta.db_table,
        optional=frozenset({ESCROW}),
        prepare=prepare_backup,
    )
