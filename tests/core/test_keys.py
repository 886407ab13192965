from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from pakn.core import keys
from pakn.open311.models import ApiKey


def test_a_key_never_starts_with_a_dash() -> None:
    draws = iter(["-starts-with-a-dash", "Ab-rest"])
    with mock.patch.object(keys.secrets, "token_urlsafe", side_effect=lambda n: next(draws)):
        assert keys.new_key() == "Ab-rest"


def test_real_keys_are_long_and_start_with_a_letter_or_digit() -> None:
    drawn = [keys.new_key() for _ in range(500)]
    assert all(key[0] != "-" and len(key) >= 43 for key in drawn)
    assert len(set(drawn)) == 500


@pytest.mark.django_db
def test_an_operator_can_revoke_every_key_by_its_prefix() -> None:
    # A prefix once began with "-" one time in 64 and the command took it for an option.
    draws = iter(["-first-draw-is-discarded-" + "a" * 24, "Q-second-draw-is-kept-" + "b" * 24])
    with mock.patch.object(keys.secrets, "token_urlsafe", side_effect=lambda n: next(draws)):
        call_command("open311key", "create", "Ứng dụng phường", stdout=StringIO())
    record = ApiKey.objects.get()
    assert record.prefix == "Q-second"
    call_command("open311key", "revoke", record.prefix, stdout=StringIO())
    record.refresh_from_db()
    assert not record.active
