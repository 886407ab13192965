"""`pakn demo` prints every account it made, and `pakn serve --worker` runs the worker beside the server."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_demo_prints_every_demo_account_with_its_role() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    made = set(get_user_model().objects.values_list("username", flat=True))
    assert {"admin", "canbo.badinh", "thanhuy.hanoi", "danguy.ngocha", "baove2.badinh"} <= made
    for username in made:
        assert re.search(rf"^  {re.escape(username)}\s", text, re.MULTILINE), username
    assert "Trần Thị Bình" in text  # family name first
    assert "Cán bộ bảo vệ người tố cáo" in text


def test_serve_starts_and_stops_the_worker(monkeypatch: Any) -> None:
    started: list[list[str]] = []

    class FakeWorker:
        def __init__(self, command: list[str]) -> None:
            started.append(command)
            self.stopped = False

        def terminate(self) -> None:
            self.stopped = True

        def wait(self, timeout: float) -> int:
            assert self.stopped
            return 0

    import pakn.core.management.commands.serve as serve

    monkeypatch.setattr(serve.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    call_command("serve", "--port", "8999", "--worker", "15", stdout=StringIO())
    assert started and started[0][-3:] == ["worker", "--loop", "15"]
