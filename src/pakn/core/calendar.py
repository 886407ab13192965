"""The working-day calendar used for every statutory deadline.

Pure module: plain dates in, plain dates out, no Django. The database layer builds a
:class:`WorkingCalendar` with :func:`vietnam_calendar` from the ``holidays`` package plus the decreed
overrides that administrators keep as data (see :data:`DECREED_OVERRIDES` and ``docs/deadlines.md``).

Day counting follows the Civil Code 2015, Art. 147–148 (domain.md §4):

* a period of *N days* starting from day D begins on D + 1 and ends on D + N; if that day is not a
  working day the period ends on the next working day (:meth:`WorkingCalendar.add_days`);
* a period of *N working days* from day D ends on the N-th working day after D
  (:meth:`WorkingCalendar.add_working_days`).

The working week is Monday–Friday. Public holidays, in-lieu days and decreed extra days off are not
working days; decreed working Saturdays/Sundays are working days even if they are also listed as days
off (an explicit working day always wins).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

__all__ = ["DECREED_OVERRIDES", "WorkingCalendar", "vietnam_calendar"]

_ONE_DAY = timedelta(days=1)

# Decreed swaps of working days that the ``holidays`` package does not know: the package lists the
# *day off* of a swap ("Ngày nghỉ (thay cho ngày 22/08/2026)") but not the Saturday that is worked in
# exchange, so without this data the calendar would count one working day too few.
#
# Each entry is (date, is_working_day, reason). is_working_day=True makes a weekend/holiday a working
# day; False adds an extra day off. The project stores overrides in a database table that
# administrators edit (each year's swaps are decreed late, usually by an announcement of the Ministry
# of Home Affairs / the Government Office); this constant only seeds that table. Other years' swaps
# are added there as data, not here.
#
# The entries mirror the swaps whose day off ``holidays.VN`` (0.109) already contains; the test suite
# checks that every "thay cho ngày …" day off in the package has its working day listed here.
DECREED_OVERRIDES: tuple[tuple[date, bool, str], ...] = (
    (date(2012, 2, 4), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Sáu 27/01/2012 (Tết Nguyên Đán)"),
    (date(2013, 5, 4), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 29/04/2013"),
    (date(2014, 4, 26), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Sáu 02/05/2014"),
    (date(2014, 9, 6), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 01/09/2014"),
    (date(2014, 12, 27), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Sáu 02/01/2015"),
    (date(2015, 2, 14), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 16/02/2015 (Tết Nguyên Đán)"),
    (date(2015, 4, 25), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Tư 29/04/2015"),
    (date(2019, 1, 5), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 31/12/2018"),
    (date(2019, 5, 4), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 29/04/2019"),
    (date(2024, 5, 4), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 29/04/2024"),
    (date(2025, 4, 26), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Sáu 02/05/2025"),
    (date(2026, 8, 22), True, "Thứ Bảy làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026 (Quốc khánh)"),
)

EXTRA_DAY_OFF_NAME = "Ngày nghỉ theo quyết định bổ sung"


def _weekdays_through(d: date) -> int:
    """Number of Mondays–Fridays from 0001-01-01 (a Monday) through ``d`` inclusive."""
    n = d.toordinal()  # 1 == 0001-01-01, a Monday
    weeks, rest = divmod(n, 7)
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days.

    ``days_off``: public holidays (including in-lieu days) and decreed extra days off.
    ``working_days``: decreed working Saturdays/Sundays; they override weekends *and* ``days_off``.
    ``names``: display names of the days off (Vietnamese), not part of equality.

    A calendar only knows the holidays it was built with: build it for every year a deadline can
    reach (``vietnam_calendar`` callers should include at least the next year).
    """

    days_off: frozenset[date]
    working_days: frozenset[date]
    names: Mapping[date, str] = field(default_factory=dict, compare=False)
    # Derived in __post_init__ (not constructor arguments): weekday days off that are not overridden,
    # and weekend working days. With Mon–Fri arithmetic they make working_days_between O(log holidays).
    _weekday_days_off: tuple[date, ...] = field(init=False, repr=False, compare=False, default=())
    _weekend_working_days: tuple[date, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        # Accept any iterable of dates (sets, lists, query results) and freeze it.
        if not isinstance(self.days_off, frozenset):
            object.__setattr__(self, "days_off", frozenset(self.days_off))
        if not isinstance(self.working_days, frozenset):
            object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(
            self,
            "_weekday_days_off",
            tuple(sorted(d for d in self.days_off if d.weekday() < 5 and d not in self.working_days)),
        )
        object.__setattr__(
            self, "_weekend_working_days", tuple(sorted(d for d in self.working_days if d.weekday() >= 5))
        )

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri and not a day off, or a decreed working day."""
        if d in self.working_days:
            return True
        return d.weekday() < 5 and d not in self.days_off

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def add_days(self, start: date, n: int) -> date:
        """End of a period of ``n`` (calendar) days from ``start``: ``start + n``, moved to the next
        working day if that day is a weekend, holiday or day off (Civil Code 2015 Art. 148)."""
        return self.next_working_day(start + timedelta(days=n))

    def add_working_days(self, start: date, n: int) -> date:
        """End of a period of ``n`` working days from ``start``: the n-th working day strictly after
        ``start`` (``start`` itself never counts, even if it is a working day). ``n == 0`` returns
        ``start`` unchanged."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d = start
        while n:
            d += _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days d with ``start < d <= end``; negative (minus the count of working
        days with ``end < d <= start``) if ``end < start``. Useful for "N working days overdue".

        ``working_days_between(s, add_working_days(s, n)) == n`` for every n >= 0.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_through(end) - _weekdays_through(start)
        off, extra = self._weekday_days_off, self._weekend_working_days
        count -= bisect_right(off, end) - bisect_right(off, start)
        count += bisect_right(extra, end) - bisect_right(extra, start)
        return count

    def name(self, d: date) -> str | None:
        """Display name of a day off, if known."""
        return self.names.get(d)


def _vn_holidays(years: list[int]) -> holidays.HolidayBase:
    if "vi" in (getattr(holidays.VN, "supported_languages", ()) or ()):
        return holidays.VN(years=years, language="vi")
    return holidays.VN(years=years)  # pragma: no cover - only with a holidays release without "vi"


def vietnam_calendar(
    years: Iterable[int],
    *,
    extra_days_off: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
) -> WorkingCalendar:
    """The Vietnamese working calendar for ``years``: public holidays and in-lieu days from
    ``holidays.VN`` (names in Vietnamese), plus decreed extra days off and decreed working days.

    ``DECREED_OVERRIDES`` is *not* applied automatically: the overrides live in the database (seeded
    from that constant) and the caller passes them in, so an administrator's edit always wins. Pure
    callers (tests, scripts) can pass them explicitly::

        vietnam_calendar(
            [2026, 2027],
            extra_working_days=[d for d, working, _ in DECREED_OVERRIDES if working],
            extra_days_off=[d for d, working, _ in DECREED_OVERRIDES if not working],
        )
    """
    year_list = sorted(set(years))
    names: dict[date, str] = {}
    if year_list:
        names.update(_vn_holidays(year_list).items())
    extra_off = frozenset(extra_days_off)
    for d in extra_off:
        names.setdefault(d, EXTRA_DAY_OFF_NAME)
    return WorkingCalendar(
        days_off=frozenset(names),
        working_days=frozenset(extra_working_days),
        names=names,
    )
