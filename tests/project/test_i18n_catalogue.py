"""The English catalogue covers every Vietnamese string of the code and templates: `makemessages` is run on a
copy of the package and the resulting catalogue must have no untranslated and no fuzzy entry. Needs GNU
gettext's xgettext (Debian package gettext); skipped with the reason printed when it is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "pakn"


def problems(po_text: str) -> list[str]:
    """msgids (first line) that are untranslated or fuzzy; plural entries are checked on msgstr[0]."""
    found = []
    for block in po_text.split("\n\n"):
        if "msgid" not in block or block.lstrip().startswith('msgid ""\nmsgstr ""\n"Project'):
            continue
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        if msgid is None or (msgid.group(1) == "" and '"Project-Id-Version' in block):
            continue
        fuzzy = re.search(r"^#, .*fuzzy", block, re.M) is not None
        strs = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', block, re.M)
        empty = not strs or all(s.strip().replace('"', "").replace("\n", "") == "" for s in strs)
        if fuzzy or empty:
            found.append(msgid.group(1) or block.splitlines()[1][:80])
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_every_string_has_an_english_translation(tmp_path: Path) -> None:
    copy = tmp_path / "pakn"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    result = subprocess.run(  # noqa: S603 - Django's own command on a copy of the package
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        env={"DJANGO_SETTINGS_MODULE": "pakn.settings", "PATH": "/usr/bin:/bin", "PAKN_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    missing = problems((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    assert not missing, f"{len(missing)} strings without an English translation, e.g. {missing[:5]}"


def test_the_checker_sees_untranslated_and_fuzzy_entries() -> None:
    sample = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n\n'
        'msgid "Đã dịch"\nmsgstr "Translated"\n\n'
        'msgid "Chưa dịch"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Mờ"\nmsgstr "Guess"\n\n'
        'msgid "%(n)s hồ sơ"\nmsgid_plural "%(n)s hồ sơ"\nmsgstr[0] "%(n)s case"\nmsgstr[1] "%(n)s cases"\n'
    )
    assert problems(sample) == ["Chưa dịch", "Mờ"]
