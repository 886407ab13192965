"""The working-day calendar (pure, no database)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakn.core.calendar import DECREED_OVERRIDES, EXTRA_DAY_OFF_NAME, WorkingCalendar, vietnam_calendar

OVERRIDE_WORKING = [d for d, working, _ in DECREED_OVERRIDES if working]
OVERRIDE_OFF = [d for d, working, _ in DECREED_OVERRIDES if not working]
CAL = vietnam_calendar(range(2024, 2030), extra_working_days=OVERRIDE_WORKING, extra_days_off=OVERRIDE_OFF)
PLAIN = vietnam_calendar(range(2024, 2030))  # without the decreed working Saturdays

PROPS = settings(max_examples=200, database=None, deadline=None)

# Dates whose results stay inside the years CAL was built for.
real_dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 6, 30))
small_n = st.integers(min_value=0, max_value=60)


def d(s: str) -> date:
    return date.fromisoformat(s)


# --- The real 2026-2027 calendar (domain.md §8) ---------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-01-01", False),  # Thu, Tết Dương lịch
        ("2026-01-02", True),  # Fri
        ("2026-02-13", True),  # Fri before Tết
        ("2026-02-16", False),  # Mon, Giao thừa
        ("2026-02-20", False),  # Fri, Mùng bốn
        ("2026-02-23", True),  # Mon after Tết
        ("2026-04-26", False),  # Sun, Giỗ Tổ Hùng Vương
        ("2026-04-27", False),  # Mon, in lieu
        ("2026-04-30", False),  # Thu
        ("2026-05-01", False),  # Fri
        ("2026-08-22", True),  # Sat, decreed working day (pays back Aug 31)
        ("2026-08-23", False),  # Sun
        ("2026-08-31", False),  # Mon, swapped day off
        ("2026-09-01", False),
        ("2026-09-02", False),
        ("2026-09-03", True),
        ("2026-11-24", False),  # Tue, Ngày Văn hóa Việt Nam
        ("2027-02-04", False),  # Thu, 29 Tết
        ("2027-02-10", False),  # Wed, Mùng năm
        ("2027-02-11", True),  # Thu
        ("2027-05-03", False),  # Mon, in lieu of Sat May 1
        ("2025-04-26", True),  # Sat, decreed working day (pays back Fri 2025-05-02)
        ("2025-05-02", False),
    ],
)
def test_is_working_day_real_calendar(day: str, working: bool) -> None:
    assert CAL.is_working_day(d(day)) is working


def test_without_overrides_the_swap_saturday_is_not_working() -> None:
    assert not PLAIN.is_working_day(d("2026-08-22"))
    assert not PLAIN.is_working_day(d("2026-08-31"))


def test_names_are_vietnamese() -> None:
    assert CAL.names[d("2026-02-17")] == "Tết Nguyên Đán"
    assert CAL.name(d("2026-04-27")) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert CAL.name(d("2026-11-24")) == "Ngày Văn hóa Việt Nam"
    assert CAL.name(d("2026-03-02")) is None


def test_holidays_package_supports_vietnamese() -> None:
    assert "vi" in holidays.VN.supported_languages


def test_decreed_overrides_cover_every_swap_in_the_package() -> None:
    # The package names each swapped day off "Ngày nghỉ (thay cho ngày DD/MM/YYYY)", where the date in
    # brackets is the Saturday worked in exchange: each of those must be a decreed working day.
    pkg = holidays.VN(years=range(2012, 2031), language="vi")
    paid_back = set()
    for name in pkg.values():
        m = re.search(r"thay cho ngày (\d\d)/(\d\d)/(\d{4})", name)
        if m:
            paid_back.add(date(int(m[3]), int(m[2]), int(m[1])))
    assert paid_back == set(OVERRIDE_WORKING)
    assert date(2026, 8, 22) in paid_back


def test_decreed_overrides_shape() -> None:
    assert len({o[0] for o in DECREED_OVERRIDES}) == len(DECREED_OVERRIDES)
    for day, working, reason in DECREED_OVERRIDES:
        assert reason
        if working:
            assert day.weekday() >= 5, day  # a working-day override only matters on a weekend


def test_next_working_day() -> None:
    assert CAL.next_working_day(d("2026-03-02")) == d("2026-03-02")  # already working
    assert CAL.next_working_day(d("2026-02-14")) == d("2026-02-23")  # Sat before Tết
    assert CAL.next_working_day(d("2026-04-25")) == d("2026-04-28")  # Sat, Sun+holiday, Mon in lieu
    assert CAL.next_working_day(d("2026-08-29")) == d("2026-09-03")  # weekend, Aug 31, Sep 1-2
    assert CAL.next_working_day(d("2027-02-04")) == d("2027-02-11")


def test_add_days_examples() -> None:
    assert CAL.add_days(d("2026-03-09"), 30) == d("2026-04-08")  # Wed, working
    assert CAL.add_days(d("2026-03-31"), 30) == d("2026-05-04")  # Apr 30 → May 1, 2, 3 → Mon May 4
    assert CAL.add_days(d("2026-07-21"), 30) == d("2026-08-20")  # Jul 21 + 10 = Jul 31, + 20 = Thu Aug 20
    assert CAL.add_days(d("2026-02-13"), 2) == d("2026-02-23")  # Sun Feb 15, then Tết Feb 16-20


def test_add_days_lands_on_working_saturday() -> None:
    # Jul 23 + 30 days: Jul 23 + 8 = Jul 31, + 22 = Aug 22, a Saturday decreed a working day.
    assert CAL.add_days(d("2026-07-23"), 30) == d("2026-08-22")
    assert PLAIN.add_days(d("2026-07-23"), 30) == d("2026-08-24")


def test_add_working_days_examples() -> None:
    # Fri 2026-02-13: Tết Feb 16-20, weekend 21-22; Feb 23(1) 24(2) 25(3) 26(4) 27(5) Mar 2(6) 3(7)
    assert CAL.add_working_days(d("2026-02-13"), 7) == d("2026-03-03")
    # Thu 2026-08-20: Fri 21(1), Sat 22(2, working), Mon 24(3)
    assert CAL.add_working_days(d("2026-08-20"), 3) == d("2026-08-24")
    assert PLAIN.add_working_days(d("2026-08-20"), 3) == d("2026-08-25")
    assert CAL.add_working_days(d("2026-03-02"), 0) == d("2026-03-02")
    assert CAL.add_working_days(d("2026-03-07"), 0) == d("2026-03-07")  # n=0 returns start as is


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(d("2026-03-02"), -1)


def test_working_days_between_examples() -> None:
    assert CAL.working_days_between(d("2026-02-13"), d("2026-03-03")) == 7
    assert CAL.working_days_between(d("2026-03-03"), d("2026-02-13")) == -7
    assert CAL.working_days_between(d("2026-03-02"), d("2026-03-02")) == 0
    # Aug 21 (Fri), 22 (Sat, working), 24-28 → 7; Aug 31, Sep 1, 2 off; Sep 3, 4 → 9
    assert CAL.working_days_between(d("2026-08-20"), d("2026-09-04")) == 9
    assert PLAIN.working_days_between(d("2026-08-20"), d("2026-09-04")) == 8
    # A whole year: 2026 (starts on a Thursday, 365 days) has 52*5 + 1 = 261 weekdays; 13 of its 14
    # holidays fall on weekdays (Apr 26 is a Sunday); plus 1 working Saturday → 261 - 13 + 1 = 249.
    assert CAL.working_days_between(d("2025-12-31"), d("2026-12-31")) == 249
    assert PLAIN.working_days_between(d("2025-12-31"), d("2026-12-31")) == 248


# --- Construction ---------------------------------------------------------------------------------


def test_working_day_override_beats_day_off() -> None:
    mon = d("2026-03-02")
    sat = d("2026-03-07")
    cal = WorkingCalendar(days_off=frozenset({mon, sat}), working_days=frozenset({mon, sat}))
    assert cal.is_working_day(mon)
    assert cal.is_working_day(sat)
    assert cal.working_days_between(d("2026-03-01"), d("2026-03-08")) == 6


def test_calendar_accepts_plain_iterables_and_is_hashable() -> None:
    a = WorkingCalendar(days_off={d("2026-03-02")}, working_days=[d("2026-03-07")])  # type: ignore[arg-type]
    b = WorkingCalendar(
        days_off=frozenset({d("2026-03-02")}),
        working_days=frozenset({d("2026-03-07")}),
        names={d("2026-03-02"): "x"},
    )
    assert isinstance(a.days_off, frozenset)
    assert a == b  # names are for display only
    assert hash(a) == hash(b)


def test_extra_days_off_and_working_days() -> None:
    cal = vietnam_calendar([2026], extra_days_off=[d("2026-03-03")], extra_working_days=[d("2026-03-07")])
    assert not cal.is_working_day(d("2026-03-03"))
    assert cal.name(d("2026-03-03")) == EXTRA_DAY_OFF_NAME
    assert cal.is_working_day(d("2026-03-07"))
    assert cal.name(d("2026-02-17")) == "Tết Nguyên Đán"  # package names are kept


def test_empty_years() -> None:
    cal = vietnam_calendar([])
    assert cal.days_off == frozenset()
    assert cal.is_working_day(d("2026-02-17"))


def test_only_requested_years_are_loaded() -> None:
    cal = vietnam_calendar([2026])
    assert not cal.is_working_day(d("2026-02-17"))
    assert cal.is_working_day(d("2027-02-08"))  # 2027 Tết not loaded: callers must load the years


# --- Properties -----------------------------------------------------------------------------------


def brute_between(cal: WorkingCalendar, start: date, end: date) -> int:
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    n = sum(cal.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    return sign * n


window = (date(2026, 1, 1), date(2026, 4, 30))
window_dates = st.dates(min_value=window[0], max_value=window[1])


@st.composite
def random_calendars(draw: st.DrawFn) -> WorkingCalendar:
    return WorkingCalendar(
        days_off=frozenset(draw(st.sets(window_dates, max_size=40))),
        working_days=frozenset(draw(st.sets(window_dates, max_size=10))),
    )


calendars = st.one_of(st.just(CAL), st.just(PLAIN), random_calendars())
near_dates = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 5, 31))


@PROPS
@given(cal=calendars, start=st.one_of(real_dates, near_dates), n=small_n)
def test_add_working_days_properties(cal: WorkingCalendar, start: date, n: int) -> None:
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    assert brute_between(cal, start, end) == n
    if n > 0:
        assert end > start
        assert cal.is_working_day(end)
    else:
        assert end == start


@PROPS
@given(cal=calendars, start=st.one_of(real_dates, near_dates), n=small_n)
def test_add_days_properties(cal: WorkingCalendar, start: date, n: int) -> None:
    end = cal.add_days(start, n)
    nominal = start + timedelta(days=n)
    assert end >= nominal
    assert cal.is_working_day(end)
    assert not any(cal.is_working_day(nominal + timedelta(days=i)) for i in range((end - nominal).days))


@PROPS
@given(cal=calendars, start=st.one_of(real_dates, near_dates), n1=small_n, n2=small_n)
def test_monotonic_in_n(cal: WorkingCalendar, start: date, n1: int, n2: int) -> None:
    n1, n2 = sorted((n1, n2))
    assert cal.add_working_days(start, n1) <= cal.add_working_days(start, n2)
    assert cal.add_days(start, n1) <= cal.add_days(start, n2)
    if n1 < n2:
        assert cal.add_working_days(start, n1) < cal.add_working_days(start, n2)


@PROPS
@given(cal=calendars, s1=st.one_of(real_dates, near_dates), s2=st.one_of(real_dates, near_dates), n=small_n)
def test_monotonic_in_start(cal: WorkingCalendar, s1: date, s2: date, n: int) -> None:
    s1, s2 = sorted((s1, s2))
    assert cal.add_working_days(s1, n) <= cal.add_working_days(s2, n)
    assert cal.add_days(s1, n) <= cal.add_days(s2, n)


@PROPS
@given(cal=calendars, a=st.one_of(real_dates, near_dates), b=st.one_of(real_dates, near_dates))
def test_working_days_between_matches_brute_force(cal: WorkingCalendar, a: date, b: date) -> None:
    assert cal.working_days_between(a, b) == brute_between(cal, a, b)
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)


@PROPS
@given(cal=calendars, day=st.one_of(real_dates, near_dates))
def test_next_working_day_properties(cal: WorkingCalendar, day: date) -> None:
    nxt = cal.next_working_day(day)
    assert nxt >= day
    assert cal.is_working_day(nxt)
    assert not any(cal.is_working_day(day + timedelta(days=i)) for i in range((nxt - day).days))
    assert cal.add_days(day, 0) == nxt
