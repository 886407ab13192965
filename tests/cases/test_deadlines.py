"""Deadline rules and the pure deadline calculator (no database)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakn.cases.deadlines import (
    ANSWER_KINDS,
    DEFAULT_RULES,
    RESOLUTION_KINDS,
    AmbiguousRuleError,
    DeadlineResult,
    Item,
    NoRuleError,
    Rule,
    Unit,
    apply_period,
    compute_deadlines,
    find_ambiguities,
    rule_in_force,
)
from pakn.core.calendar import DECREED_OVERRIDES, vietnam_calendar

CAL = vietnam_calendar(
    range(2024, 2030),
    extra_working_days=[day for day, working, _ in DECREED_OVERRIDES if working],
    extra_days_off=[day for day, working, _ in DECREED_OVERRIDES if not working],
)
PLAIN = vietnam_calendar(range(2024, 2030))


def d(s: str) -> date:
    return date.fromisoformat(s)


# --- Hand-worked table over the real 2026-2027 calendar ------------------------------------------
# Days off used below (holidays.VN + the decreed working Saturday 2026-08-22):
#   2026: Jan 1; Feb 16-20 (Tết); Apr 26 (Sun) + Apr 27 in lieu; Apr 30; May 1; Aug 31; Sep 1-2; Nov 24.
#   2027: Jan 1; Feb 4-10 (Tết); Apr 16; Apr 30; May 1 (Sat) + May 3 in lieu; Sep 2-3; Nov 24.
# Weekdays: 2026-03-02, 2026-06-01, 2026-09-07, 2026-12-21, 2027-03-01 are Mondays; 2027-01-01 is a Friday.
# Complaint acceptance: 10 days (calendar days, Luật Khiếu nại 2011 Art. 27, 36; the end moves to the next
# working day) if received <= 2026-06-30, 7 working days from 2026-07-01 (unconfirmed rule).
# Complaint resolution (calendar days): round 1 30 / complex 45 / remote 45 / both 60;
# round 2 45 / 60 / 60 / 70. Denunciation: accept 7 working days, resolve 30 days (+30 per extension).
# Report/petition/opinion: answer in 10 working days from receipt.

CASES: list[tuple[str, dict[str, Any], tuple[str | None, str | None, str | None]]] = [
    (
        # The example from the issue.
        # accept: Mon Mar 2 + 10 days = Thu Mar 12, a working day.
        # resolve: Mar 9 + 30 = Mar 31 (22) + 8 = Wed Apr 8, a working day.
        "complaint-issue-example",
        {"kind": "complaint", "complaint_round": 1, "received": "2026-03-02", "accepted": "2026-03-09"},
        ("2026-03-12", "2026-04-08", None),
    ),
    (
        # Switchover, old rule: received Tue Jun 30 + 10 days = Fri Jul 10.
        # not accepted yet → resolve from Fri Jul 10: + 30 = Jul 31 (21) + 9 = Sun Aug 9 → Mon Aug 10.
        "complaint-switchover-old",
        {"kind": "complaint", "received": "2026-06-30"},
        ("2026-07-10", "2026-08-10", None),
    ),
    (
        # Switchover, new rule: received Wed Jul 1 → 7 wd: Jul 2(1) 3(2) 6(3) 7(4) 8(5) 9(6) 10(7).
        # resolve from Fri Jul 10: + 30 = Sun Aug 9 → Mon Aug 10.
        "complaint-switchover-new",
        {"kind": "complaint", "received": "2026-07-01"},
        ("2026-07-10", "2026-08-10", None),
    ),
    (
        # Day count ending on a holiday: accepted Tue Mar 31 + 30 = Thu Apr 30 (holiday), May 1 (holiday),
        # May 2-3 weekend → Mon May 4.
        # accept: received Fri Mar 20 + 10 days = Mon Mar 30.
        "complaint-resolve-ends-on-apr-30",
        {"kind": "complaint", "received": "2026-03-20", "accepted": "2026-03-31"},
        ("2026-03-30", "2026-05-04", None),
    ),
    (
        # Day count ending on a Sunday before Tết: accepted Fri Jan 16 + 30 = Sun Feb 15; Feb 16-20 Tết,
        # Feb 21-22 weekend → Mon Feb 23.
        # accept: received Mon Jan 12 + 10 days = Thu Jan 22.
        "complaint-resolve-ends-before-tet",
        {"kind": "complaint", "received": "2026-01-12", "accepted": "2026-01-16"},
        ("2026-01-22", "2026-02-23", None),
    ),
    (
        # Round 1 complex (45 days). accept: received Wed Apr 22 + 10 days = Sat May 2 → Sun May 3 →
        # Mon May 4 (the Apr 27, Apr 30 and May 1 days off inside the period do not matter for days).
        # resolve (accepted late, on Mon May 11): + 45 = May 31 (20) + 25 = Thu Jun 25.
        "complaint-r1-complex-over-hung-kings",
        {"kind": "complaint", "received": "2026-04-22", "accepted": "2026-05-11", "complex": True},
        ("2026-05-04", "2026-06-25", None),
    ),
    (
        # Round 1 remote (45 days). accept: received Thu Jul 9 (7 wd): Jul 10(1) 13(2) 14 15 16 17(6) 20(7).
        # resolve: Fri Jul 17 + 45 = Jul 31 (14) + 31 = Mon Aug 31 (day off), Sep 1-2 off → Thu Sep 3.
        "complaint-r1-remote-ends-on-aug-31",
        {"kind": "complaint", "received": "2026-07-09", "accepted": "2026-07-17", "remote": True},
        ("2026-07-20", "2026-09-03", None),
    ),
    (
        # Round 1 remote + complex (60 days). accept: received Fri May 29 + 10 days (old rule) = Mon Jun 8.
        # resolve: Mon Jun 1 + 60 = Jun 30 (29) + 31 = Fri Jul 31.
        "complaint-r1-remote-complex",
        {
            "kind": "complaint",
            "received": "2026-05-29",
            "accepted": "2026-06-01",
            "remote": True,
            "complex": True,
        },
        ("2026-06-08", "2026-07-31", None),
    ),
    (
        # Round 2 (45 days) into Tết 2027. accept: received Mon Dec 14 (7 wd): Dec 15(1) 16 17 18(4)
        # 21(5) 22(6) 23(7). resolve: Mon Dec 21 + 45 = Dec 31 (10) + 31 = Jan 31 (41) + 4 = Thu Feb 4 2027,
        # Tết Feb 4-10 → Thu Feb 11.
        "complaint-r2-ends-in-tet-2027",
        {"kind": "complaint", "complaint_round": 2, "received": "2026-12-14", "accepted": "2026-12-21"},
        ("2026-12-23", "2027-02-11", None),
    ),
    (
        # Round 2 remote + complex (70 days). accept: received Tue Sep 8 (7 wd): Sep 9(1) 10 11 14 15
        # 16(6) 17(7). resolve: Tue Sep 15 + 70 = Sep 30 (15) + 31 = Oct 31 (46) + 24 = Tue Nov 24
        # (Ngày Văn hóa Việt Nam) → Wed Nov 25.
        "complaint-r2-remote-complex-ends-on-nov-24",
        {
            "kind": "complaint",
            "complaint_round": 2,
            "received": "2026-09-08",
            "accepted": "2026-09-15",
            "remote": True,
            "complex": True,
        },
        ("2026-09-17", "2026-11-25", None),
    ),
    (
        # Round 2 remote (60 days). accept: received Mon Feb 22 2027 (7 wd): Feb 23(1) 24 25 26(4)
        # Mar 1(5) 2(6) 3(7). resolve: Mon Mar 1 + 60 = Mar 31 (30) + 30 = Fri Apr 30 (holiday),
        # Sat May 1 (holiday), Sun May 2, Mon May 3 (in lieu) → Tue May 4.
        "complaint-r2-remote-2027",
        {
            "kind": "complaint",
            "complaint_round": 2,
            "received": "2027-02-22",
            "accepted": "2027-03-01",
            "remote": True,
        },
        ("2027-03-03", "2027-05-04", None),
    ),
    (
        # Received on the decreed working Saturday Aug 22 (which itself does not count):
        # Aug 24(1) 25 26 27 28(5) [Aug 31, Sep 1-2 off] Sep 3(6) 4(7).
        # not accepted → resolve from Fri Sep 4 + 30 = Sep 30 (26) + 4 = Sun Oct 4 → Mon Oct 5.
        "complaint-received-on-working-saturday",
        {"kind": "complaint", "received": "2026-08-22"},
        ("2026-09-04", "2026-10-05", None),
    ),
    (
        # Denunciation, no extension. accept: received Mon Mar 2 (7 wd): Mar 3(1) 4 5 6(4) 9(5) 10(6) 11(7).
        # not accepted → resolve from Wed Mar 11 + 30 = Mar 31 (20) + 10 = Fri Apr 10.
        "denunciation-0-ext",
        {"kind": "denunciation", "received": "2026-03-02"},
        ("2026-03-11", "2026-04-10", None),
    ),
    (
        # One extension: Mar 11 + 60 = Apr 10 (30) + 30 = Sun May 10 → Mon May 11.
        "denunciation-1-ext",
        {"kind": "denunciation", "received": "2026-03-02", "accepted": "2026-03-11", "extensions": 1},
        ("2026-03-11", "2026-05-11", None),
    ),
    (
        # Two extensions: Mar 11 + 90 = May 10 (60) + 30 = Tue Jun 9.
        "denunciation-2-ext",
        {"kind": "denunciation", "received": "2026-03-02", "accepted": "2026-03-11", "extensions": 2},
        ("2026-03-11", "2026-06-09", None),
    ),
    (
        # Denunciation over the July switchover (its acceptance period does not change).
        # accept: received Fri Jun 26 (7 wd): Jun 29(1) 30(2) Jul 1(3) 2(4) 3(5) 6(6) 7(7).
        # resolve: Fri Jul 3 + 30 = Jul 31 (28) + 2 = Sun Aug 2 → Mon Aug 3.
        "denunciation-0-ext-summer",
        {"kind": "denunciation", "received": "2026-06-26", "accepted": "2026-07-03"},
        ("2026-07-07", "2026-08-03", None),
    ),
    (
        # One extension: Jul 3 + 60 = Aug 31 (59) + 1 = Tue Sep 1 (holiday), Sep 2 (holiday) → Thu Sep 3.
        "denunciation-1-ext-ends-on-national-day",
        {"kind": "denunciation", "received": "2026-06-26", "accepted": "2026-07-03", "extensions": 1},
        ("2026-07-07", "2026-09-03", None),
    ),
    (
        # Two extensions: Jul 3 + 90 = Sep 30 (89) + 1 = Thu Oct 1.
        "denunciation-2-ext-summer",
        {"kind": "denunciation", "received": "2026-06-26", "accepted": "2026-07-03", "extensions": 2},
        ("2026-07-07", "2026-10-01", None),
    ),
    (
        # Denunciation over Tết 2027: received Mon Feb 1: Feb 2(1) 3(2) [Feb 4-10 Tết] 11(3) 12(4) 15(5)
        # 16(6) 17(7). resolve: Wed Feb 17 + 30 = Feb 28 (11) + 19 = Fri Mar 19.
        "denunciation-over-tet-2027",
        {"kind": "denunciation", "received": "2027-02-01"},
        ("2027-02-17", "2027-03-19", None),
    ),
    (
        # Report answered over Tết 2026: received Fri Feb 13; Feb 16-20 Tết; Feb 23(1) 24(2) 25(3)
        # 26(4) 27(5) Mar 2(6) 3(7) 4(8) 5(9) 6(10).
        "report-over-tet-2026",
        {"kind": "report", "received": "2026-02-13"},
        (None, None, "2026-03-06"),
    ),
    (
        # Report over Tết 2027: received Wed Feb 3; Feb 4-10 off; Feb 11(1) 12(2) 15(3) 16 17 18 19(7)
        # 22(8) 23(9) 24(10).
        "report-over-tet-2027",
        {"kind": "report", "received": "2027-02-03"},
        (None, None, "2027-02-24"),
    ),
    (
        # Petition over Hùng Kings + Apr 30/May 1: received Fri Apr 24; Apr 27 (in lieu) off;
        # Apr 28(1) 29(2) [Apr 30, May 1 off] May 4(3) 5 6 7 8(7) 11(8) 12(9) 13(10).
        "petition-over-hung-kings",
        {"kind": "petition", "received": "2026-04-24"},
        (None, None, "2026-05-13"),
    ),
    (
        # Report over the Aug 22 working Saturday: received Thu Aug 20; Aug 21(1) Sat 22(2) 24(3) 25 26
        # 27 28(7) [Aug 31, Sep 1-2 off] Sep 3(8) 4(9) 7(10).
        "report-over-working-saturday",
        {"kind": "report", "received": "2026-08-20"},
        (None, None, "2026-09-07"),
    ),
    (
        # Opinion with the unit's own period of 5 working days, over New Year 2027:
        # received Thu Dec 31; Fri Jan 1 off; Jan 4(1) 5(2) 6(3) 7(4) 8(5).
        "opinion-unit-period-over-new-year",
        {"kind": "opinion", "received": "2026-12-31", "answer_working_days": 5},
        (None, None, "2027-01-08"),
    ),
    (
        # Report received on a Saturday: Mar 9(1) ... 13(5) 16(6) ... 20(10).
        "report-received-on-saturday",
        {"kind": "report", "received": "2026-03-07"},
        (None, None, "2026-03-20"),
    ),
]


def _run(kwargs: dict[str, Any], calendar: Any = CAL) -> DeadlineResult:
    kw = dict(kwargs)
    for key in ("received", "accepted"):
        if key in kw:
            kw[key] = d(kw[key])
    return compute_deadlines(DEFAULT_RULES, calendar, **kw)


@pytest.mark.parametrize(("kwargs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hand_worked_table(kwargs: dict[str, Any], expected: tuple[str | None, ...]) -> None:
    result = _run(kwargs)
    got = (result.accept_by, result.resolve_by, result.answer_by)
    assert got == tuple(d(e) if e else None for e in expected)
    for value in got:
        if value is not None:
            assert CAL.is_working_day(value)


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 15


def test_working_saturday_matters() -> None:
    # Same report without the decreed working Saturday: one more day.
    assert _run({"kind": "report", "received": "2026-08-20"}, PLAIN).answer_by == d("2026-09-08")


def test_switchover_uses_rule_in_force_on_received_date() -> None:
    old = _run({"kind": "complaint", "received": "2026-06-30"})
    new = _run({"kind": "complaint", "received": "2026-07-01"})
    assert old.rules[0].code == "complaint.accept.2012"
    assert (old.rules[0].amount, old.rules[0].unit, old.rules[0].confirmed) == (10, Unit.DAYS, True)
    assert new.rules[0].code == "complaint.accept.2026"
    assert (new.rules[0].amount, new.rules[0].unit, new.rules[0].confirmed) == (7, Unit.WORKING_DAYS, False)


def test_rules_used_are_reported_in_order() -> None:
    r = _run({"kind": "denunciation", "received": "2026-03-02", "extensions": 2})
    assert [x.item for x in r.rules] == [Item.ACCEPT, Item.RESOLVE, Item.EXTENSION]
    r = _run({"kind": "complaint", "received": "2026-03-02", "complaint_round": 2, "remote": True})
    assert [x.code for x in r.rules] == ["complaint.accept.2012", "complaint.resolve.round2.remote.2012"]
    r = _run({"kind": "petition", "received": "2026-03-02"})
    assert [x.code for x in r.rules] == ["petition.answer.default"]


def test_not_accepted_resolves_as_if_accepted_on_accept_by() -> None:
    pending = _run({"kind": "complaint", "received": "2026-03-02"})
    accepted = _run({"kind": "complaint", "received": "2026-03-02", "accepted": "2026-03-12"})
    assert pending == accepted


def test_resolve_rule_chosen_on_accepted_date() -> None:
    # A rule table where resolution changed on 2026-07-01: the acceptance date decides.
    changed = [
        replace(r, effective_to=d("2026-06-30")) if r.code == "denunciation.resolve.2018" else r for r in DEFAULT_RULES
    ] + [
        Rule(
            "denunciation.resolve.2026",
            "denunciation",
            Item.RESOLVE,
            20,
            Unit.DAYS,
            d("2026-07-01"),
            None,
            "y",
        )
    ]
    before = compute_deadlines(changed, CAL, kind="denunciation", received=d("2026-06-22"), accepted=d("2026-06-30"))
    after = compute_deadlines(changed, CAL, kind="denunciation", received=d("2026-06-22"), accepted=d("2026-07-01"))
    assert before.rules[1].amount == 30
    assert after.rules[1].amount == 20
    assert after.resolve_by == CAL.add_days(d("2026-07-01"), 20)


def test_answer_kinds_have_only_answer_and_resolution_kinds_no_answer() -> None:
    for kind in ANSWER_KINDS:
        r = compute_deadlines(DEFAULT_RULES, CAL, kind=kind, received=d("2026-03-02"))
        assert r.accept_by is None and r.resolve_by is None and r.answer_by is not None
    for kind in RESOLUTION_KINDS:
        r = compute_deadlines(DEFAULT_RULES, CAL, kind=kind, received=d("2026-03-02"))
        assert r.accept_by is not None and r.resolve_by is not None and r.answer_by is None


def test_answer_working_days_override() -> None:
    r = _run({"kind": "report", "received": "2026-03-02", "answer_working_days": 3})
    assert r.answer_by == d("2026-03-05")
    assert r.rules[0].amount == 3
    assert r.rules[0].unit == Unit.WORKING_DAYS
    assert r.rules[0].code == "report.answer.default"
    assert _run({"kind": "report", "received": "2026-03-02", "answer_working_days": 0}).answer_by == d("2026-03-02")
    with pytest.raises(ValueError):
        _run({"kind": "report", "received": "2026-03-02", "answer_working_days": -1})


@pytest.mark.parametrize("extensions", [-1, 3])
def test_denunciation_extension_limits(extensions: int) -> None:
    with pytest.raises(ValueError):
        _run({"kind": "denunciation", "received": "2026-03-02", "extensions": extensions})


@pytest.mark.parametrize("kind", ["complaint", "report", "petition", "opinion"])
def test_extension_on_kind_without_extension_rule(kind: str) -> None:
    with pytest.raises(ValueError):
        _run({"kind": kind, "received": "2026-03-02", "extensions": 1})


def test_extension_whole_period_counted_from_acceptance() -> None:
    # Accepted Thu 2026-01-15: + 30 = Sat Feb 14; chaining would move it to Mon Feb 23 (after Tết)
    # and add 30 from there (Wed Mar 25). Counting the whole period: Jan 15 + 60 = Mon Mar 16.
    r = _run({"kind": "denunciation", "received": "2026-01-12", "accepted": "2026-01-15", "extensions": 1})
    assert r.resolve_by == d("2026-03-16")


def test_extension_chained_when_units_differ() -> None:
    rules = [replace(r, unit=Unit.WORKING_DAYS, amount=5) if r.item == Item.EXTENSION else r for r in DEFAULT_RULES]
    r = compute_deadlines(
        rules, CAL, kind="denunciation", received=d("2026-03-02"), accepted=d("2026-03-11"), extensions=2
    )
    # Mar 11 + 30 = Fri Apr 10; + 5 wd = Apr 17; + 5 wd = Apr 24.
    assert r.resolve_by == d("2026-04-24")


def test_max_count_none_means_unlimited() -> None:
    rules = [replace(r, max_count=None) if r.item == Item.EXTENSION else r for r in DEFAULT_RULES]
    r = compute_deadlines(
        rules, CAL, kind="denunciation", received=d("2026-03-02"), accepted=d("2026-03-11"), extensions=3
    )
    assert r.resolve_by == CAL.add_days(d("2026-03-11"), 120)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError):
        _run({"kind": "complaint", "received": "2026-03-09", "accepted": "2026-03-02"})
    with pytest.raises(ValueError):
        _run({"kind": "grievance", "received": "2026-03-02"})
    with pytest.raises(NoRuleError):
        _run({"kind": "complaint", "received": "2026-03-02", "complaint_round": 3})
    with pytest.raises(NoRuleError):
        _run({"kind": "denunciation", "received": "2018-12-31"})  # before the 2018 law took effect


# --- Rule selection -------------------------------------------------------------------------------


def test_no_rule_error_is_lookup_error() -> None:
    assert issubclass(NoRuleError, LookupError)
    with pytest.raises(LookupError):
        rule_in_force(DEFAULT_RULES, case_kind="complaint", item=Item.ANSWER, on=d("2026-03-02"))


def test_rule_in_force_effective_range_inclusive() -> None:
    kw: dict[str, Any] = {"case_kind": "complaint", "item": Item.ACCEPT}
    assert rule_in_force(DEFAULT_RULES, on=d("2012-07-01"), **kw).code == "complaint.accept.2012"
    assert rule_in_force(DEFAULT_RULES, on=d("2026-06-30"), **kw).code == "complaint.accept.2012"
    assert rule_in_force(DEFAULT_RULES, on=d("2026-07-01"), **kw).code == "complaint.accept.2026"
    assert rule_in_force(DEFAULT_RULES, on=d("2099-01-01"), **kw).code == "complaint.accept.2026"
    with pytest.raises(NoRuleError):
        rule_in_force(DEFAULT_RULES, on=d("2012-06-30"), **kw)


@pytest.mark.parametrize(
    ("round_", "complex_", "remote", "amount"),
    [
        (1, False, False, 30),
        (1, True, False, 45),
        (1, False, True, 45),
        (1, True, True, 60),
        (2, False, False, 45),
        (2, True, False, 60),
        (2, False, True, 60),
        (2, True, True, 70),
    ],
)
def test_complaint_resolution_grid(round_: int, complex_: bool, remote: bool, amount: int) -> None:
    rule = rule_in_force(
        DEFAULT_RULES,
        case_kind="complaint",
        item=Item.RESOLVE,
        on=d("2026-03-02"),
        complaint_round=round_,
        complex=complex_,
        remote=remote,
    )
    assert (rule.amount, rule.unit) == (amount, Unit.DAYS)
    assert rule.citation == ("Luật Khiếu nại 2011, Điều 28" if round_ == 1 else "Luật Khiếu nại 2011, Điều 37")


def test_more_specific_rule_wins() -> None:
    generic = Rule("g", "report", Item.ANSWER, 10, Unit.WORKING_DAYS, d("2000-01-01"), None, "g")
    remote = replace(generic, code="r", amount=15, remote=True)
    both = replace(generic, code="rc", amount=20, remote=True, complex=True)
    rules = [both, generic, remote]
    kw: dict[str, Any] = {"case_kind": "report", "item": Item.ANSWER, "on": d("2026-03-02")}
    assert rule_in_force(rules, **kw).code == "g"
    assert rule_in_force(rules, remote=True, **kw).code == "r"
    assert rule_in_force(rules, remote=True, complex=True, **kw).code == "rc"
    assert rule_in_force(rules, complex=True, **kw).code == "g"


def test_ambiguous_rules_are_detected() -> None:
    a = Rule("a", "report", Item.ANSWER, 10, Unit.WORKING_DAYS, d("2000-01-01"), None, "a", remote=True)
    b = replace(a, code="b", remote=None, complex=True)
    kw: dict[str, Any] = {"case_kind": "report", "item": Item.ANSWER, "on": d("2026-03-02")}
    assert rule_in_force([a, b], remote=True, **kw).code == "a"
    with pytest.raises(AmbiguousRuleError):
        rule_in_force([a, b], remote=True, complex=True, **kw)
    assert [{r.code for r in group} for group in find_ambiguities([a, b])] == [{"a", "b"}]
    # Overlapping effective ranges of two rules for the same case are ambiguous too.
    old = Rule("old", "report", Item.ANSWER, 10, Unit.WORKING_DAYS, d("2000-01-01"), d("2026-07-01"), "o")
    new = replace(old, code="new", effective_from=d("2026-07-01"), effective_to=None)
    assert [{r.code for r in g} for g in find_ambiguities([old, new])] == [{"old", "new"}]
    assert find_ambiguities([replace(old, effective_to=d("2026-06-30")), new]) == []


def test_default_rules_are_unambiguous_and_complete() -> None:
    assert find_ambiguities(DEFAULT_RULES) == []
    assert len({r.code for r in DEFAULT_RULES}) == len(DEFAULT_RULES)
    for r in DEFAULT_RULES:
        assert r.citation
    # Every case the platform creates gets exactly one rule per deadline from these dates on.
    for on, kind, round_, complex_, remote in itertools.product(
        [d("2019-01-01"), d("2026-06-30"), d("2026-07-01"), d("2030-01-01")],
        RESOLUTION_KINDS,
        [1, 2],
        [False, True],
        [False, True],
    ):
        for item in (Item.ACCEPT, Item.RESOLVE):
            rule_in_force(
                DEFAULT_RULES,
                case_kind=kind,
                item=item,
                on=on,
                complaint_round=round_ if kind == "complaint" else None,
                complex=complex_,
                remote=remote,
            )


def test_complaint_acceptance_periods_are_contiguous() -> None:
    old, new = (r for r in DEFAULT_RULES if r.case_kind == "complaint" and r.item == Item.ACCEPT)
    assert old.effective_to is not None
    assert old.effective_to + timedelta(days=1) == new.effective_from == d("2026-07-01")
    assert old.effective_from == d("2012-07-01")


def test_rule_coerces_strings_and_validates() -> None:
    r = Rule("x", "report", "answer", 5, "working_days", d("2026-01-01"), None, "c")  # type: ignore[arg-type]
    assert r.item is Item.ANSWER and r.unit is Unit.WORKING_DAYS
    with pytest.raises(ValueError):
        Rule("x", "report", "answer", 5, "hours", d("2026-01-01"), None, "c")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Rule("x", "report", Item.ANSWER, -1, Unit.DAYS, d("2026-01-01"), None, "c")
    with pytest.raises(ValueError):
        Rule("x", "report", Item.ANSWER, 1, Unit.DAYS, d("2026-01-02"), d("2026-01-01"), "c")


def test_apply_period() -> None:
    assert apply_period(CAL, d("2026-02-13"), 2, Unit.DAYS) == d("2026-02-23")
    assert apply_period(CAL, d("2026-02-13"), 2, Unit.WORKING_DAYS) == d("2026-02-24")
    assert apply_period(CAL, d("2026-02-13"), 2, "days") == d("2026-02-23")  # type: ignore[arg-type]


# --- Properties -----------------------------------------------------------------------------------

PROPS = settings(max_examples=150, database=None, deadline=None)
received_dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@PROPS
@given(
    kind=st.sampled_from(sorted(RESOLUTION_KINDS)),
    received=received_dates,
    delay=st.one_of(st.none(), st.integers(min_value=0, max_value=30)),
    round_=st.sampled_from([1, 2]),
    complex_=st.booleans(),
    remote=st.booleans(),
    extensions=st.integers(min_value=0, max_value=2),
)
def test_resolution_properties(
    kind: str,
    received: date,
    delay: int | None,
    round_: int,
    complex_: bool,
    remote: bool,
    extensions: int,
) -> None:
    if kind == "complaint":
        extensions = 0
    accepted = None if delay is None else received + timedelta(days=delay)
    r = compute_deadlines(
        DEFAULT_RULES,
        CAL,
        kind=kind,
        received=received,
        accepted=accepted,
        complaint_round=round_,
        complex=complex_,
        remote=remote,
        extensions=extensions,
    )
    assert r.accept_by is not None and r.resolve_by is not None and r.answer_by is None
    assert CAL.is_working_day(r.accept_by) and CAL.is_working_day(r.resolve_by)
    start = accepted or r.accept_by
    accept_rule, resolve_rule = r.rules[0], r.rules[1]
    if accept_rule.unit is Unit.WORKING_DAYS:
        assert CAL.working_days_between(received, r.accept_by) == accept_rule.amount
    else:
        assert r.accept_by == CAL.next_working_day(received + timedelta(days=accept_rule.amount))
    total = resolve_rule.amount + sum(x.amount for x in r.rules[2:]) * extensions
    assert r.resolve_by == CAL.next_working_day(start + timedelta(days=total))
    assert r.resolve_by > start


@PROPS
@given(
    kind=st.sampled_from(sorted(ANSWER_KINDS)),
    received=received_dates,
    days=st.one_of(st.none(), st.integers(min_value=1, max_value=30)),
)
def test_answer_properties(kind: str, received: date, days: int | None) -> None:
    r = compute_deadlines(DEFAULT_RULES, CAL, kind=kind, received=received, answer_working_days=days)
    assert r.accept_by is None and r.resolve_by is None and r.answer_by is not None
    assert CAL.is_working_day(r.answer_by)
    assert CAL.working_days_between(received, r.answer_by) == (10 if days is None else days)
