"""Replacing the escrow key goes through ``protection.services.rotate_escrow_key``: every sealed identity opens
with the new key and no longer with the old one, and the act is in the activity log (no key material)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from conftest import REPORTER, escrow_private_key
from pakn.protection import keys, vault
from pakn.protection.models import VaultItem
from pakn.reception.models import Activity


@pytest.mark.django_db
def test_rotating_the_escrow_key_reseals_every_identity(make_case: Any, tmp_path: Path) -> None:
    case = make_case(kind="denunciation")
    item = VaultItem.objects.get(case=case, kind=VaultItem.Kind.IDENTITY)
    old_private = escrow_private_key()
    old_file = tmp_path / "old-escrow.key"
    keys.write_key_file(old_file, old_private, "old escrow key")
    new_file = tmp_path / "new-escrow.key"
    out = StringIO()
    call_command("protection", "init-escrow", "--out", str(new_file), "--old-key", str(old_file), stdout=out)
    assert "re-sealed" in out.getvalue()
    new_private = keys.read_key_file(new_file)
    opened = vault.open_json(VaultItem.objects.get(pk=item.pk), keys.escrow_key(), new_private)
    assert opened["name"] == REPORTER["name"]
    with pytest.raises(Exception):  # noqa: B017 - the old key no longer opens anything
        vault.open_json(VaultItem.objects.get(pk=item.pk), keys.escrow_key(), old_private)
    logged = Activity.objects.get(app="protection", action="escrow_key_rotated")
    assert logged.data["items"] >= 1 and "private" not in str(logged.data).lower()
    # A wrong old key is refused before anything changes.
    with pytest.raises(CommandError):
        call_command("protection", "init-escrow", "--out", str(tmp_path / "x.key"), "--old-key", str(old_file))
