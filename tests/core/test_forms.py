"""The shared form pieces: dates typed the Vietnamese way, long texts with their limit stated."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from pakn.core.forms import DateField, LongTextField


class Sample(forms.Form):
    day = DateField()
    text = LongTextField(max_length=20_000)


@pytest.mark.parametrize("typed", ["27/11/2026", "27-11-2026", "27.11.2026", "2026-11-27", "27/11/26"])
def test_dates_are_read_day_first(typed: str) -> None:
    form = Sample({"day": typed, "text": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 11, 27)


def test_a_date_shows_as_dd_mm_yyyy_and_a_wrong_one_says_how_to_write_it() -> None:
    assert 'value="02/03/2026"' in str(Sample(initial={"day": date(2026, 3, 2)})["day"])
    form = Sample({"day": "11/27/2026", "text": "x"})
    assert not form.is_valid() and "ngày/tháng/năm" in form.errors["day"][0]


def test_long_text_limit_is_stated_with_grouped_numbers_and_not_cut_by_the_browser() -> None:
    form = Sample({"day": "01/01/2026", "text": "x" * 20_001})
    assert not form.is_valid()
    assert form.errors["text"] == ["Quá dài: tối đa 20.000 ký tự (đã nhập 20.001)."]
    html = str(Sample()["text"])
    assert 'data-maxlength="20000"' in html and " maxlength=" not in html
