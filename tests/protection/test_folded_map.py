"""The folded text used to find a reporter's details keeps, for each folded character, where it came from: the
fast path (every character folds to one) and the slow one give the same map as folding character by character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pakn.protection.redact import _fold_char, _folded_map


def _one_by_one(text: str) -> tuple[str, list[int]]:
    out, origin = [], []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÁ "
ODD = "\u0301\u0323ßﬁİ\u00a0①"  # combining marks, letters that fold to two, a dotted capital I, a no-break space


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + "0123456789@.,"), max_size=80))
def test_vietnamese_text_takes_the_fast_path_and_keeps_positions(text: str) -> None:
    assert _folded_map(text) == _one_by_one(text)


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + ODD), max_size=60))
def test_text_with_marks_alone_or_ligatures_keeps_positions(text: str) -> None:
    assert _folded_map(text) == _one_by_one(text)


def test_a_name_after_a_ligature_is_still_found() -> None:
    folded, origin = _folded_map("ﬁ Tôi là Nguyễn Văn An")
    start = folded.index("nguyen")
    assert "ﬁ Tôi là Nguyễn Văn An"[origin[start] :].startswith("Nguyễn")
