"""Every error code once, with its status: the classes, the codes raised anywhere in the code and docs/api.md
agree with ``core.errors.ERROR_CODES``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.db import OperationalError

from pakn.core import errors

SRC = Path(__file__).resolve().parents[2] / "src" / "pakn"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _classes() -> list[type[errors.PaknError]]:
    return [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.PaknError)]


def test_every_class_code_is_listed_with_its_status() -> None:
    for cls in _classes():
        if cls is errors.PaknError:
            continue
        assert errors.ERROR_CODES.get(cls.code) == cls.http_status, cls


def test_every_code_raised_in_the_code_is_listed() -> None:
    raised: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
                c.__name__ for c in _classes()
            }:
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        raised.add(keyword.value.value)
    assert raised, "the scan found no code= arguments"
    assert raised <= set(errors.ERROR_CODES), raised - set(errors.ERROR_CODES)


def test_the_api_document_lists_the_same_codes_and_statuses() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("Codes (the same table") :]
    section = section[: section.index("\n\n")]
    documented = {code: int(status) for code, status in re.findall(r"`([a-z_]+)`\s+\((\d{3})", section)}
    assert documented == errors.ERROR_CODES


@pytest.mark.parametrize(
    "message",
    ["database is locked", "canceling statement due to lock timeout", "could not serialize access"],
)
def test_a_busy_database_is_a_503_to_retry(message: str) -> None:
    busy = errors.busy_database(OperationalError(message))
    assert busy is not None and busy.http_status == 503 and busy.retry_after > 0
    assert errors.busy_database(OperationalError("no such table: cases_case")) is None
    assert errors.busy_database(ValueError("database is locked")) is None
