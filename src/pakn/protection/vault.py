"""Sealing and opening vault items, storing encrypted files, and re-sealing when the recipients change.

Who an item is sealed to (``recipients_for``): the active keys of the protection officers of the case's
unit and of the unit above, and the escrow key. Re-sealing happens in memory with the data key unwrapped
by an officer who just unlocked their key (or by the escrow key, ``pakn protection reseal``); plaintext is
never written anywhere.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.core.errors import PaknError
from pakn.core.inserts import insert, insert_many
from pakn.protection import crypto, keys
from pakn.protection.models import KeyWrap, RecipientKey, VaultConfig, VaultItem

logger = logging.getLogger("pakn.protection")
VAULT_DIR = "vault"  # originals: random data key, sealed to the recipients
FILES_DIR = "files"  # clean copies: the server files key


class StoredFileMissing(PaknError):
    """An encrypted file a row refers to is not on disk (a database restored without ``vault/`` and
    ``files/``) or does not decrypt: a clear 503 for the person, an error in the log for the operator."""

    code = "file_missing"
    http_status = 503
    default_message = _(
        "Tệp này tạm thời không mở được: bản lưu trên máy chủ bị thiếu hoặc hỏng. Vui lòng báo quản trị viên."
    )


# ---------------------------------------------------------------- blobs on disk


def _folder(name: str) -> Path:
    folder = Path(settings.DATA_DIR) / name
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def write_blob(folder: str, data: bytes) -> str:
    name = secrets.token_hex(16)
    target = _folder(folder) / name
    temporary = target.with_suffix(".part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    written = _written.get()
    if written is not None:
        written.append((folder, name))
    return name


def read_blob(folder: str, name: str) -> bytes:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise FileNotFoundError(name)
    return (_folder(folder) / name).read_bytes()


def delete_blob(folder: str, name: str) -> None:
    if name:
        (_folder(folder) / name).unlink(missing_ok=True)


@contextmanager
def files_guard() -> Iterator[None]:
    """Around a transaction that writes blobs: if it fails, the blobs it wrote are deleted (no orphans)."""
    written: list[tuple[str, str]] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for folder, name in written:
            delete_blob(folder, name)
        raise
    finally:
        _written.reset(token)


_written: ContextVar[list[tuple[str, str]] | None] = ContextVar("pakn_written_blobs", default=None)


def write_clean(data: bytes) -> str:
    return write_blob(FILES_DIR, crypto.encrypt(keys.files_key(), data))


def _stored(folder: str, name: str) -> bytes:
    try:
        return read_blob(folder, name)
    except FileNotFoundError:
        logger.error("encrypted file missing from %s/: restore the data archive (pakn restore)", folder)
        raise StoredFileMissing() from None


def read_clean(name: str) -> bytes:
    key = keys.files_key()  # KeysUnavailable (503) before anything is read
    try:
        return crypto.decrypt(key, _stored(FILES_DIR, name))
    except crypto.CryptoError:
        logger.error("a clean copy in %s/ does not decrypt with the files key", FILES_DIR)
        raise StoredFileMissing() from None


# ---------------------------------------------------------------- recipients


def unit_ids(unit: Any) -> list[int]:
    return [unit.pk] + ([unit.parent_id] if unit.parent_id else [])


def case_unit_ids(case: Any) -> list[int]:
    return unit_ids(case.unit)


def recipients_for_units(ids: list[int]) -> list[RecipientKey]:
    """The escrow key, then the active keys of the units' protection officers by age.

    One query, written out: it runs on every named submission, and the ORM took longer to build it (two
    subqueries) than the database took to answer it."""
    from pakn.org.models import Membership, Role

    if not ids:
        return [keys.escrow_key()]
    sql = (  # the tables' names from the models; every value a parameter
        f"SELECT * FROM {RecipientKey._meta.db_table} "  # noqa: S608
        f"WHERE id = (SELECT escrow_id FROM {VaultConfig._meta.db_table} WHERE id = 1) "
        "OR (kind = %s AND retired_at IS NULL AND user_id IN "
        f"(SELECT user_id FROM {Membership._meta.db_table} WHERE role = %s AND unit_id IN "
        f"({', '.join(['%s'] * len(ids))}))) ORDER BY id"
    )
    found = list(RecipientKey.objects.raw(sql, [RecipientKey.Kind.OFFICER, Role.PROTECTION_OFFICER, *ids]))
    escrow = [r for r in found if r.kind == RecipientKey.Kind.ESCROW] or [keys.escrow_key()]  # none: installed
    return [escrow[0], *(r for r in found if r.kind == RecipientKey.Kind.OFFICER)]


def recipients_for(case: Any) -> list[RecipientKey]:
    return recipients_for_units(case_unit_ids(case))


def recipients_for_item(item: VaultItem) -> list[RecipientKey]:
    return recipients_for(item.case) if item.case_id else recipients_for_units(unit_ids(item.unit))


def _wrap(item: VaultItem, recipients: Iterable[RecipientKey], data_key: bytes) -> None:
    insert_many(
        [
            KeyWrap(item=item, recipient=r, sealed_key=crypto.b64e(crypto.seal(crypto.b64d(r.public_key), data_key)))
            for r in recipients
        ]
    )


# ---------------------------------------------------------------- seal and open


@sensitive_variables()
def seal_item(
    *, case: Any, kind: str, plaintext: bytes, as_file: bool = False, recipients: list[RecipientKey] | None = None
) -> VaultItem:
    """``recipients``: ``recipients_for(case)`` read beforehand (before the transaction: on SQLite its write
    lock is held from the first statement to the commit); read here otherwise."""
    data_key = crypto.new_data_key()
    ciphertext = crypto.encrypt(data_key, plaintext)
    item = VaultItem(case=case, kind=kind)
    if as_file:
        item.blob = write_blob(VAULT_DIR, ciphertext)
    else:
        item.ciphertext = crypto.b64e(ciphertext)
    insert(item)
    _wrap(item, recipients_for(case) if recipients is None else recipients, data_key)
    return item


@sensitive_variables()
def seal_json(*, case: Any, kind: str, data: dict[str, Any], recipients: list[RecipientKey] | None = None) -> VaultItem:
    plaintext = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return seal_item(case=case, kind=kind, plaintext=plaintext, recipients=recipients)


@sensitive_variables()
def seal_for_unit(*, unit: Any, data: dict[str, Any], label: str = "") -> VaultItem:
    """Seal personal data that belongs to no case (yet) — e.g. the name, ID number and phone of a person in
    the reception-day register — to the protection officers of ``unit`` and of the unit above, and the
    escrow key. Store the returned item's id instead of the data; open it with ``open_json``. ``label``
    says what the item is on the officers' pages and must not identify anybody."""
    data_key = crypto.new_data_key()
    plaintext = json.dumps(data, ensure_ascii=False).encode("utf-8")
    item = VaultItem.objects.create(
        unit=unit,
        kind=VaultItem.Kind.PERSON,
        label=label[:200],
        ciphertext=crypto.b64e(crypto.encrypt(data_key, plaintext)),
    )
    _wrap(item, recipients_for_units(unit_ids(unit)), data_key)
    return item


def share_with_case(item: VaultItem, *, case: Any) -> VaultItem:
    """The identity of a case opened from a person sealed outside any case (a register entry): the same
    ciphertext under the same data key, so no key is needed and nothing is decrypted. Where the case's
    recipients differ from the item's (the case went to another unit), the copy is marked: the next
    officer who unlocks (or ``pakn protection reseal``) seals it to the missing recipients and re-keys it
    away from the ones that no longer belong."""
    copy = VaultItem.objects.create(
        case=case, kind=VaultItem.Kind.IDENTITY, ciphertext=item.ciphertext, blob="", shared_from=item
    )
    wraps = list(KeyWrap.objects.filter(item=item))
    KeyWrap.objects.bulk_create(
        [KeyWrap(item=copy, recipient_id=w.recipient_id, sealed_key=w.sealed_key) for w in wraps]
    )
    current = {w.recipient_id for w in wraps}
    wanted = {r.pk for r in recipients_for(case)}
    copy.needs_reseal = bool(wanted - current) or item.needs_reseal
    copy.needs_rekey = bool(current - wanted) or item.needs_rekey
    if copy.needs_reseal or copy.needs_rekey:
        copy.save(update_fields=["needs_reseal", "needs_rekey"])
    return copy


def _ciphertext(item: VaultItem) -> bytes:
    return _stored(VAULT_DIR, item.blob) if item.blob else crypto.b64d(item.ciphertext)


@sensitive_variables()
def data_key_for(item: VaultItem, key: RecipientKey, private: bytes) -> bytes:
    wrap = KeyWrap.objects.filter(item=item, recipient=key).first()
    if wrap is None:
        raise crypto.CryptoError("not sealed to this key")
    return crypto.unseal(private, crypto.b64d(wrap.sealed_key))


@sensitive_variables()
def open_item(item: VaultItem, key: RecipientKey, private: bytes) -> bytes:
    return crypto.decrypt(data_key_for(item, key, private), _ciphertext(item))


@sensitive_variables()
def open_json(item: VaultItem, key: RecipientKey, private: bytes) -> dict[str, Any]:
    return dict(json.loads(open_item(item, key, private).decode("utf-8")))


def remove_orphans() -> int:
    """Delete blobs that no row refers to (a process killed mid-submission). Only files older than an
    hour are considered, so a submission in progress is never touched."""
    import time

    from pakn.protection.models import Attachment

    removed = 0
    referenced_vault = set(VaultItem.objects.exclude(blob="").values_list("blob", flat=True))
    referenced_files = set(Attachment.objects.exclude(clean_blob="").values_list("clean_blob", flat=True))
    for folder, referenced in ((VAULT_DIR, referenced_vault), (FILES_DIR, referenced_files)):
        for path in _folder(folder).iterdir():
            if path.name not in referenced and time.time() - path.stat().st_mtime > 3600:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


# ---------------------------------------------------------------- recipients change


def items_of_units(unit_ids: Iterable[int]) -> QuerySet[VaultItem]:
    ids = list(unit_ids)
    return VaultItem.objects.filter(
        Q(case__unit_id__in=ids) | Q(case__unit__parent_id__in=ids) | Q(unit_id__in=ids) | Q(unit__parent_id__in=ids)
    )


def mark_for_reseal(items: QuerySet[VaultItem]) -> int:
    return items.filter(needs_reseal=False).update(needs_reseal=True)


def revoke_stale(items: QuerySet[VaultItem]) -> int:
    """Remove at once the wraps of keys that are no longer recipients (an officer left the unit, a key
    was retired): no key is needed for that. The data is re-keyed at the next re-seal."""
    removed = 0
    for item in items.select_related("case__unit", "unit"):
        wanted = {r.pk for r in recipients_for_item(item)}
        stale = KeyWrap.objects.filter(item=item).exclude(recipient_id__in=wanted)
        count = stale.count()
        if count:
            stale.delete()
            VaultItem.objects.filter(pk=item.pk).update(needs_rekey=True, needs_reseal=True)
            removed += count
    return removed


def pending_for(key: RecipientKey) -> QuerySet[VaultItem]:
    return VaultItem.objects.filter(Q(needs_reseal=True) | Q(needs_rekey=True), wraps__recipient=key).distinct()


def pending_count(unit_ids: Iterable[int]) -> int:
    return items_of_units(unit_ids).filter(Q(needs_reseal=True) | Q(needs_rekey=True)).count()


@sensitive_variables()
def reseal(*, key: RecipientKey, private: bytes, items: QuerySet[VaultItem] | None = None) -> dict[str, int]:
    """Bring every pending item this key can open to its current recipient set: seal the data key to the
    new recipients, and where a recipient was removed, re-encrypt under a new data key. In memory only."""
    counts = {"resealed": 0, "rekeyed": 0}
    queryset = items if items is not None else pending_for(key)
    for item in queryset.select_related("case__unit", "unit"):
        with files_guard(), transaction.atomic():
            item = (
                VaultItem.objects.select_for_update(of=("self",)).select_related("case__unit", "unit").get(pk=item.pk)
            )
            try:
                data_key = data_key_for(item, key, private)
            except crypto.CryptoError:
                continue
            wanted = recipients_for_item(item)
            wanted_ids = {r.pk for r in wanted}
            current = set(KeyWrap.objects.filter(item=item).values_list("recipient_id", flat=True))
            if item.needs_rekey or current - wanted_ids:
                plaintext = crypto.decrypt(data_key, _ciphertext(item))
                new_key = crypto.new_data_key()
                ciphertext = crypto.encrypt(new_key, plaintext)
                del plaintext
                old_blob = item.blob
                if item.blob:
                    item.blob = write_blob(VAULT_DIR, ciphertext)
                else:
                    item.ciphertext = crypto.b64e(ciphertext)
                KeyWrap.objects.filter(item=item).delete()
                _wrap(item, wanted, new_key)
                item.key_version += 1
                item.needs_rekey = item.needs_reseal = False
                item.save(update_fields=["blob", "ciphertext", "key_version", "needs_rekey", "needs_reseal"])
                if old_blob:
                    transaction.on_commit(partial(delete_blob, VAULT_DIR, old_blob))
                counts["rekeyed"] += 1
            else:
                _wrap(item, [r for r in wanted if r.pk not in current], data_key)
                item.needs_reseal = False
                item.save(update_fields=["needs_reseal"])
                counts["resealed"] += 1
    return counts


@sensitive_variables()
def move_wraps(*, old: RecipientKey, old_private: bytes, new: RecipientKey) -> int:
    """Key rotation: every data key sealed to ``old`` is unwrapped in memory and sealed to ``new``."""
    moved = 0
    new_public = crypto.b64d(new.public_key)
    for wrap in KeyWrap.objects.filter(recipient=old).select_for_update():
        data_key = crypto.unseal(old_private, crypto.b64d(wrap.sealed_key))
        KeyWrap.objects.create(
            item_id=wrap.item_id, recipient=new, sealed_key=crypto.b64e(crypto.seal(new_public, data_key))
        )
        wrap.delete()
        moved += 1
    return moved
