"""The normaliser (core.text): pure functions, checked on examples and with generated text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn.core.text import (
    NEW,
    OLD,
    clean_text,
    fold,
    nfc,
    normalise_tones,
    search_key,
    tokens,
    toned_key,
    word_spans,
)
from pakn.language.search import highlight, parse_query, snippet

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
viet_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.-0123456789", max_size=80)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ban Bí thư", "ban bi thu"),
        ("đất đai", "dat dai"),
        ("ĐẤT ĐAI", "dat dai"),
        ("Ðà Nẵng", "da nang"),  # U+00D0, the look-alike of Đ
        ("hòa", "hoa"),
        ("hoà", "hoa"),
        (NFD("Thủy lợi"), "thuy loi"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key
    assert search_key(text) == key


def test_fold_keeps_its_contract() -> None:
    assert fold("Đường Láng, Hà Nội") == "duong lang, ha noi"  # punctuation kept: fold is character-level
    assert clean_text("  a\x00b\n ") == "ab"
    assert nfc(NFD("Việt")) == "Việt"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hòa", "hoà"),
        ("Hòa Bình", "Hoà Bình"),
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
        ("Ủy ban", "Uỷ ban"),
        ("xóa", "xoá"),
        ("hòe", "hoè"),
        ("THỦY", "THUỶ"),
    ],
)
def test_tone_styles(old: str, new: str) -> None:
    for text in (old, new, NFD(old), NFD(new)):
        assert normalise_tones(text, OLD) == old
        assert normalise_tones(text, NEW) == new
    assert toned_key(new) == toned_key(old) == old.lower()


@pytest.mark.parametrize("word", ["quý", "quỷ", "hoàng", "thuyền", "khoái", "hoa", "án", "Nguyễn"])
def test_tone_styles_leave_other_syllables_alone(word: str) -> None:
    assert normalise_tones(word, OLD) == normalise_tones(word, NEW) == word


@given(viet_text)
def test_normalise_tones_is_idempotent_and_only_moves_marks(text: str) -> None:
    once = normalise_tones(text)
    assert normalise_tones(once) == once
    assert fold(once) == fold(text)
    assert unicodedata.is_normalized("NFC", once)
    assert normalise_tones(normalise_tones(text, NEW), OLD) == once


@given(viet_text)
def test_fold_is_nfd_and_case_insensitive(text: str) -> None:
    assert fold(NFD(text)) == fold(text) == fold(text.upper()) == fold(fold(text))
    assert all(ord(c) < 128 for c in fold(text))


@pytest.mark.parametrize(
    ("typed", "expanded"),
    [
        ("ko", ["khong"]),
        ("k", ["khong"]),
        ("hok", ["khong"]),
        ("dc", ["duoc"]),
        ("đc", ["duoc"]),
        ("UBND", ["uy", "ban", "nhan", "dan"]),
        ("TP.HCM", ["thanh", "pho", "ho", "chi", "minh"]),
        ("hỏng", ["hong"]),
        ("50k", ["50k"]),
    ],
)
def test_slang_expanded_for_matching(typed: str, expanded: list[str]) -> None:
    assert tokens(typed) == expanded
    assert search_key(typed) == " ".join(expanded)


def test_slang_can_be_left_out() -> None:
    assert tokens("ko dc", slang=False) == ["ko", "dc"]


def test_stored_text_is_not_altered_by_slang() -> None:
    text = "Đèn ko sáng"
    assert clean_text(text) == text
    assert search_key(text) == "den khong sang"


def test_word_spans_point_into_the_original_text() -> None:
    text = "UBND phường ko trả lời"
    spans = list(word_spans(text))
    assert [text[s.start : s.end] for s in spans] == ["UBND", "phường", "ko", "trả", "lời"]
    assert spans[0].keys == ("uy", "ban", "nhan", "dan")
    assert spans[2].keys == ("khong",)


def test_parse_query() -> None:
    parsed = parse_query("  Ban Bi thu ")
    assert parsed.words == ("ban", "bi", "thu")
    assert parsed.toned == ""
    accented = parse_query("Hoà bình")
    assert accented.words == ("hoa", "binh") and accented.toned == "hòa bình"
    assert parse_query("").words == () and not parse_query("   ")
    assert parse_query("ko ko không").words == ("khong",)


def test_highlight_marks_original_words_and_escapes() -> None:
    words = parse_query("dat dai").words
    assert str(highlight("Tranh chấp đất đai <b>", words)) == "Tranh chấp <mark>đất đai</mark> &lt;b&gt;"
    assert (
        str(highlight("hòa và hoà, hoa", parse_query("hoa").words))
        == "<mark>hòa</mark> và <mark>hoà</mark>, <mark>hoa</mark>"
    )
    assert str(highlight("Gửi UBND phường", parse_query("uy ban").words)) == "Gửi <mark>UBND</mark> phường"
    assert str(highlight("Đất", parse_query(NFD("đất")).words)) == "<mark>Đất</mark>"


def test_snippet_is_centred_on_the_matches() -> None:
    text = " ".join(["chữ"] * 100 + ["đất", "đai"] + ["chữ"] * 100)
    out = str(snippet(text, ["dat", "dai"], width=20))
    assert "<mark>đất đai</mark>" in out and out.startswith("… ") and out.endswith(" …")
    assert str(snippet("ngắn gọn", ["x"])) == "ngắn gọn"
