"""Fixtures of the reception tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine


@pytest.fixture
def travel() -> Iterator[Any]:
    """The clock at 21/04/2026 09:00 in Hà Nội, moved by the test (``travel.move_to``)."""
    traveller = time_machine.travel(datetime(2026, 4, 21, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    yield traveller.start()
    traveller.stop()
