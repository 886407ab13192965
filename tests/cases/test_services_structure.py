"""The case services stay readable: no module over 500 lines, no function over 80 (issue #14), and the
first step of a submission, ``clean``, checks everything without touching the database."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from pakn.cases import services
from pakn.core.errors import InvalidInput

PACKAGE = Path(services.__file__).resolve().parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def test_the_services_are_a_package_of_modules() -> None:
    assert len(modules()) > 5


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_no_module_is_too_long(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines (split it by act)"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_no_function_is_too_long(path: Path) -> None:
    too_long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"  # type: ignore[operator]
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES  # type: ignore[operator]
    ]
    assert not too_long, f"{path.name}: " + ", ".join(too_long)


def test_clean_reports_every_field_error_at_once_without_the_database() -> None:
    """No ``django_db`` mark: pytest-django fails the test if ``clean`` touches the database."""
    fields: dict[str, Any] = {
        "kind": "complaint",
        "title": "",
        "content": 42,
        "reporter": {"email": "not-an-address", "phone": "12"},
        "complaint_round": 3,
        "publish": "yes",
        "channel": "pigeon",
        "received_on": "2999-01-01",
        "province_code": 79,
    }
    with pytest.raises(InvalidInput) as caught:
        services.clean(**fields)
    assert set(caught.value.fields) == {
        "title",
        "content",
        "reporter.email",
        "reporter.phone",
        "reporter.name",  # a complaint must be signed (Luật Khiếu nại 2011, Điều 8)
        "complaint_round",
        "publish",
        "channel",
        "received_on",
        "province_code",
    }


def test_clean_refuses_a_plaintext_and_a_sealed_reporter_together() -> None:
    sealed = services.SealedReporter(item=None, terms=[], verifiable=True)
    with pytest.raises(ValueError, match="not both"):
        services.clean(kind="report", title="t", content="c", reporter={"name": "A"}, sealed_reporter=sealed)


def test_a_clean_submission_cannot_be_changed() -> None:
    assert services.CleanSubmission.__dataclass_params__.frozen  # type: ignore[attr-defined]
