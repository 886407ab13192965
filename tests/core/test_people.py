"""Names read family name first; event details read as sentences with dd/mm/yyyy dates."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from pakn.cases.presenters import event_detail
from pakn.core.people import person_name


def test_vietnamese_names_are_shown_family_name_first() -> None:
    user = SimpleNamespace(first_name="Bình", last_name="Trần Thị", get_username=lambda: "binh")
    assert person_name(user) == "Trần Thị Bình"
    assert person_name(SimpleNamespace(first_name="", last_name="", get_username=lambda: "canbo.badinh")) == (
        "canbo.badinh"
    )
    assert person_name(None) == ""


def test_event_details_are_sentences_with_local_dates() -> None:
    data = {"to": "2026-12-16", "from": "2026-12-01", "reason": "Cần xác minh thêm", "extensions": 1}
    with translation.override("vi"):
        text = event_detail("extended", data, keys=("from", "to", "extensions", "reason"))
    assert text == "Hạn cũ: 01/12/2026. Hạn mới: 16/12/2026. Lần gia hạn thứ: 1. Lý do: Cần xác minh thêm."
    with translation.override("vi"):
        submitted = event_detail(
            "submitted", {"channel": "web", "track": "anonymous", "due_on": "2026-12-16"}, keys=("due_on", "channel")
        )
    assert "due_on" not in submitted and "web" not in submitted
    assert submitted == "Hạn: 16/12/2026. Kênh tiếp nhận: Cổng thông tin."
    with translation.override("en"):
        english = event_detail("extended", data, keys=("to",))
    assert "16/12/2026" in english and "Hạn" not in english


def test_masked_fields_go_through_the_mask() -> None:
    text = event_detail(
        "refused", {"explanation": "Ông A"}, keys=("explanation",), mask=lambda v: "***", masked=("explanation",)
    )
    assert text.endswith(": ***.")
