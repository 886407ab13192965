"""Pure pieces (tracking codes, text folding, the workflow table) and the project's settings."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from pakn.cases.workflow import OPEN, TERMINAL, TRANSITIONS, Action, Status, allowed_actions, next_status
from pakn.core.text import clean_text, fold, nfc
from pakn.core.tracking import (
    ALPHABET,
    BODY_LENGTH,
    check_character,
    format_tracking_code,
    legacy_check_character,
    new_tracking_code,
    normalise_tracking_code,
)

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------- tracking codes


def test_new_codes_are_valid_unique_and_readable() -> None:
    codes = {new_tracking_code() for _ in range(5000)}
    assert len(codes) == 5000
    for code in list(codes)[:200]:
        assert len(code) == BODY_LENGTH + 1
        assert normalise_tracking_code(code) == code
        assert not set(code[:-1]) & set("ILOU")


def test_typed_variants_are_accepted() -> None:
    code = new_tracking_code()
    shown = format_tracking_code(code)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}", shown)
    assert normalise_tracking_code(shown.lower()) == code
    assert normalise_tracking_code(" ".join(shown)) == code


@given(st.data())
def test_any_single_substitution_is_caught(data: st.DataObject) -> None:
    code = new_tracking_code()
    position = data.draw(st.integers(0, BODY_LENGTH - 1))
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]))
    mistyped = code[:position] + replacement + code[position + 1 :]
    assert check_character(mistyped[:-1]) != mistyped[-1]


@given(st.data())
def test_adjacent_transpositions_are_caught(data: st.DataObject) -> None:
    code = new_tracking_code()
    i = data.draw(st.integers(0, BODY_LENGTH - 2))
    if code[i] == code[i + 1]:
        return
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    assert check_character(swapped[:-1]) != swapped[-1]


def test_every_single_substitution_and_neighbour_swap_is_caught_exhaustively() -> None:
    """The check is linear over GF(32): a change is missed only if it sums to zero, which no single
    substitution and no swap of two different neighbours (the check character included) does."""
    body = "7K3M9Q2XZ0"
    code = body + check_character(body)
    for position in range(len(code)):
        for replacement in ALPHABET.replace(code[position], ""):
            mistyped = code[:position] + replacement + code[position + 1 :]
            assert check_character(mistyped[:-1]) != mistyped[-1], mistyped
    for i in range(BODY_LENGTH - 1):
        for a in ALPHABET:
            for b in ALPHABET.replace(a, ""):
                swapped = body[:i] + b + a + body[i + 2 :]
                valid = body[:i] + a + b + body[i + 2 :]
                assert check_character(swapped) != check_character(valid), (valid, swapped)
    for last in ALPHABET:  # the body's last symbol swapped with the check character
        check = check_character(body[:-1] + last)
        if check != last:
            assert check_character(body[:-1] + check) != last


def test_codes_issued_with_the_old_mod_37_check_still_work() -> None:
    for body in ("0000000001", "ZZZZZZZZZZ", "7K3M9Q2XZ0", "ABCDEFGHJK"):
        old = body + legacy_check_character(body)
        assert normalise_tracking_code(old) == old
        assert normalise_tracking_code(format_tracking_code(old).lower()) == old
    old_with_symbol = next(
        b + legacy_check_character(b) for b in (f"{n:010d}" for n in range(100)) if legacy_check_character(b) in "*~$=U"
    )
    assert normalise_tracking_code(old_with_symbol) == old_with_symbol


def test_new_codes_only_use_symbols_that_can_be_read_aloud() -> None:
    for _ in range(2000):
        assert set(new_tracking_code()) <= set(ALPHABET)


@pytest.mark.parametrize("text", ["", "ABC", "!!!!-????-???", "0" * 30, "\x00" * 11])
def test_garbage_codes_are_rejected(text: str) -> None:
    assert normalise_tracking_code(text) is None


# ----------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ban Bí thư", "ban bi thu"),
        ("đất đai", "dat dai"),
        ("ĐẤT ĐAI", "dat dai"),
        ("Ðất", "dat"),  # U+00D0, the Icelandic look-alike
        ("hoà", "hoa"),
        ("hòa", "hoa"),
    ],
)
def test_fold(typed: str, stored: str) -> None:
    assert fold(typed) == stored


def test_nfd_input_is_stored_as_nfc() -> None:
    decomposed = "Phu\u031bo\u031b\u0300ng"  # "Phường" as some phones send it
    assert clean_text(decomposed) == nfc(decomposed) == "Phường"


def test_clean_text_drops_control_characters_but_keeps_lines() -> None:
    assert clean_text(" a\x00b\x1bc\nd\t ") == "abc\nd"


# ----------------------------------------------------------------- workflow table


def test_every_status_has_a_way_on_unless_terminal() -> None:
    for status in Status:
        if status in TERMINAL:
            assert allowed_actions(status) == []
        else:
            assert allowed_actions(status), status


def test_terminal_statuses_are_never_left_and_targets_exist() -> None:
    for (action, source), target in TRANSITIONS.items():
        assert source not in TERMINAL
        assert isinstance(target, Status) and isinstance(action, Action)


def test_next_status_follows_the_table() -> None:
    assert next_status("accept", "received") == Status.ACCEPTED
    assert next_status("resolve", "received") is None
    assert next_status("withdraw", "closed") is None
    assert Status.RECEIVED in OPEN and Status.CLOSED not in OPEN


# ----------------------------------------------------------------- settings and databases


def test_every_setting_is_documented() -> None:
    from django.conf import settings

    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = [name for name in settings.SETTINGS_DOC if f"`{name}`" not in operations]
    assert missing == []
    source = (ROOT / "src" / "pakn" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))
    assert read <= set(settings.SETTINGS_DOC), read - set(settings.SETTINGS_DOC)


def test_production_refuses_the_default_secret(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PAKN_ENV": "production", "PAKN_DATA_DIR": str(tmp_path)}
    env.pop("PAKN_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import pakn.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "PAKN_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_sqlite_is_durable() -> None:
    if connection.vendor != "sqlite":
        pytest.skip(f"SQLite durability settings do not apply to {connection.vendor}")
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_runs_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run only: `make test` repeats the suite with DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000


@pytest.mark.django_db
def test_health_and_readiness_for_the_operators(client: Any, monkeypatch: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from pakn.core import health
    from pakn.notify.models import Outbox
    from pakn.notify.services import queue

    monkeypatch.setattr(health, "KEEP_SECONDS", 0.0)
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.head("/readyz").status_code == 200
    ready = client.get("/readyz")
    body = ready.json()
    assert ready.status_code == 200 and body["status"] == "ready" and body["warnings"] == [], body
    assert body["checks"]["database"]["unapplied_migrations"] == 0 and body["checks"]["cache"]["ok"]
    assert ready["Cache-Control"].startswith("max-age=0")
    # A notice nobody sent for 20 minutes: the worker is not running. Reported, but the node stays ready.
    queue(channel="email", recipient="clerk@example.vn", subject="Nhắc hạn", body="…", key="health-test")
    Outbox.objects.filter(dedupe_key="health-test").update(created_at=timezone.now() - timedelta(minutes=20))
    stalled = client.get("/readyz")
    assert stalled.status_code == 200 and stalled.json()["warnings"] == ["worker"]
    assert stalled.json()["checks"]["worker"]["oldest_pending_seconds"] >= 1200
    assert "clerk@example.vn" not in stalled.content.decode()
    # The database is what readiness depends on.
    monkeypatch.setattr(health, "REQUIRED", {**health.REQUIRED, "database": lambda: 1 / 0})
    broken = client.get("/readyz")
    assert broken.status_code == 503 and broken.json()["checks"]["database"] == {
        "ok": False,
        "error": "ZeroDivisionError",
    }
    assert client.post("/readyz").status_code == 405
    # Probes in a burst share one answer per process.
    monkeypatch.setattr(health, "KEEP_SECONDS", 60.0)
    health._last.clear()
    first = client.get("/readyz").json()
    monkeypatch.setattr(health, "REQUIRED", {"database": lambda: 1 / 0, "cache": health._cache})
    assert client.get("/readyz").json() == first
    health._last.clear()


def test_one_text_check_for_every_service() -> None:
    from pakn.cases import services as cases
    from pakn.core import validate
    from pakn.oversight import services as oversight
    from pakn.public import services as public
    from pakn.reception import validation

    for check in (
        lambda v, e: cases._text(v, "f", e, required=True, limit=10),
        lambda v, e: validation.text(v, "f", e, required=True, limit=10),
        lambda v, e: oversight._text(v, "f", e, limit=10),
        lambda v, e: public._clean(v, "f", e, limit=10, required=True),
    ):
        for bad in ("a\ud800b", 42, "", "x" * 11):  # lone surrogate, not text, empty, too long
            errors: dict[str, list[Any]] = {}
            check(bad, errors)
            assert errors.get("f"), bad
        ok: dict[str, list[Any]] = {}
        assert check("Phu\u031bo\u031b\u0300ng", ok) == "Phường" and not ok
    assert validation.text is validate.text


@given(st.text(alphabet=st.sampled_from("aăđÁ Ạ\n\t\r\x00\x1b\u200b\u00a0\u2028\ufeff\u0301x1"), max_size=40))
def test_clean_text_fast_path_removes_exactly_the_other_characters(text: str) -> None:
    import unicodedata

    slow = "".join(c for c in nfc(text) if c in "\n\t" or unicodedata.category(c)[0] != "C").strip()
    assert clean_text(text) == slow
