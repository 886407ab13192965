"""Finding a unit by what a clerk types, and the units a case is usually forwarded to."""

from __future__ import annotations

import pytest

from pakn.org.directory import find_units, matches, query_words, rank, suggested_targets, unit_label
from pakn.org.models import Unit


def test_words_carry_their_abbreviations() -> None:
    assert query_words("UBND  Ba Đình") == [("ubnd", "uy ban nhan dan"), ("ba",), ("dinh",)]
    key = " uy ban mttq viet nam phuong ngoc ha | thanh pho ha noi "
    assert matches(key, query_words("mttq ngoc ha")) and matches(key, query_words("MTTQ Ngọc Hà"))
    assert not matches(key, query_words("mat tran ba dinh"))


def test_a_phrase_and_whole_words_rank_first() -> None:
    words = query_words("thanh uy")
    assert rank(" thanh uy ha noi | thanh pho ha noi ", words) < rank(" uy ban nhan dan thanh pho ha noi | x ", words)
    ha = query_words("ngoc ha")
    hanoi = " | thanh pho ha noi "
    assert rank(" dang uy phuong ngoc ha" + hanoi, ha) < rank(" dang uy xa ngoc hoi" + hanoi, ha)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("ubnd thanh pho ha noi", "UBND-01"),
        ("Ủy ban nhân dân Thành phố Hà Nội", "UBND-01"),
        ("thanh uy ha noi", "DU-01"),
        ("dang uy phuong ba dinh", "DU-00004"),
        ("mttq ngoc ha", "MTTQ-00008"),
    ],
)
def test_find_units_by_name_with_or_without_marks(typed: str, first: str) -> None:
    near = Unit.objects.get(code="UBND-00004")
    assert find_units(typed, near=near)[0].code == first


@pytest.mark.django_db
def test_nothing_typed_finds_nothing_and_new_units_are_found_at_once() -> None:
    assert find_units("   ") == []
    assert find_units("ban tiep cong dan") == []
    Unit.objects.create(code="BTCD-01", name="Ban Tiếp công dân Thành phố Hà Nội", kind="agency", level="province",
                        province_id="01")
    assert [u.code for u in find_units("ban tiep cong dan")] == ["BTCD-01"]


@pytest.mark.django_db
def test_suggested_targets_are_the_bodies_above_and_around() -> None:
    unit = Unit.objects.get(code="UBND-00004")
    codes = [u.code for u in suggested_targets(unit)]
    assert codes[0] == "UBND-01" and {"DU-00004", "MTTQ-00004", "DU-01"} <= set(codes)
    assert "UBND-00004" not in codes and all(c.endswith(("-01", "-00004")) for c in codes)
    assert unit_label(unit) == "Ủy ban nhân dân Phường Ba Đình (Thành phố Hà Nội)"
    assert unit_label(Unit.objects.get(code="UBND-01")) == "Ủy ban nhân dân Thành phố Hà Nội"
