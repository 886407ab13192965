"""The routing rule chooser (``pakn.cases.routing.choose_rule``): which rule row decides the unit a new case goes
to. Properties over generated rule tables, then worked examples, then the documented fallback of
``services.route`` when no rule matches.

What the code defines (routing.py, models.RoutingRule): a rule matches when each of its conditions is empty or
equal to the case's (province, commune, kind, topic); among the matching rules the most specific wins — place
first (a commune over a province over anywhere), then a topic, then a kind — ties go to the lower priority
number, then to the older row (lower id). No match: ``None``, and ``route`` falls back to the commune's people's
committee, else the province's."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn.cases.routing import RouteRule, choose_rule, specificity, unit_code_for

PROVINCES = ("01", "79")
COMMUNES = ("00004", "00008", "26734")  # Ba Đình, Ngọc Hà (Hà Nội); Bến Thành (TP HCM)
KINDS = ("report", "petition", "complaint", "denunciation", "opinion")
TOPICS = ("land", "environment", "corruption_conduct")
TARGETS = ("commune_pc", "commune_party", "province_pc", "province_party", "unit")


# ---------------------------------------------------------------- strategies and a reading of the rules


@st.composite
def rules(draw: Any, min_size: int = 0, max_size: int = 12) -> list[RouteRule]:
    """A rule table: distinct ids (database keys), conditions drawn from a small world so that many match."""
    size = draw(st.integers(min_size, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    return [
        RouteRule(
            id=rule_id,
            target=draw(st.sampled_from(TARGETS)),
            unit_id=draw(st.none() | st.integers(1, 50)),
            province_code=draw(st.none() | st.sampled_from(PROVINCES)),
            commune_code=draw(st.none() | st.sampled_from(COMMUNES)),
            kind=draw(st.just("") | st.sampled_from(KINDS)),
            topic_code=draw(st.none() | st.sampled_from(TOPICS)),
            priority=draw(st.integers(0, 3) | st.just(100)),  # many ties
        )
        for rule_id in ids
    ]


queries = st.fixed_dictionaries(
    {
        "province_code": st.sampled_from(PROVINCES),
        "commune_code": st.none() | st.sampled_from(COMMUNES),
        "kind": st.sampled_from(KINDS),
        "topic_code": st.none() | st.sampled_from(TOPICS),
    }
)


def matches(rule: RouteRule, q: dict[str, Any]) -> bool:
    """Each condition of the rule is empty or the case's own value (the definition, written out)."""
    return (
        rule.province_code in (None, q["province_code"])
        and rule.commune_code in (None, q["commune_code"])
        and rule.kind in ("", q["kind"])
        and rule.topic_code in (None, q["topic_code"])
    )


def precedence(rule: RouteRule) -> tuple[int, int, int]:
    """Specific over general, written as the documented order rather than as the code's weights: place (commune 2,
    province 1, anywhere 0), then topic, then kind."""
    place = 2 if rule.commune_code else 1 if rule.province_code else 0
    return (place, 1 if rule.topic_code else 0, 1 if rule.kind else 0)


def choose(table: list[RouteRule], q: dict[str, Any]) -> RouteRule | None:
    return choose_rule(table, **q)


# ---------------------------------------------------------------- properties


@given(rules(), queries)
def test_the_chosen_rule_is_a_matching_candidate_and_none_only_without_one(
    table: list[RouteRule], q: dict[str, Any]
) -> None:
    chosen = choose(table, q)
    candidates = [r for r in table if matches(r, q)]
    if not candidates:
        assert chosen is None
        return
    assert chosen is not None and any(chosen is r for r in candidates)
    # Every condition of the winner is a wildcard or the case's own value.
    assert chosen.province_code in (None, q["province_code"]) and chosen.commune_code in (None, q["commune_code"])
    assert chosen.kind in ("", q["kind"]) and chosen.topic_code in (None, q["topic_code"])


@given(rules(min_size=1), queries)
def test_no_matching_rule_is_more_specific_and_ties_go_to_priority_then_age(
    table: list[RouteRule], q: dict[str, Any]
) -> None:
    chosen = choose(table, q)
    for other in (r for r in table if matches(r, q)):
        assert chosen is not None
        assert precedence(chosen) >= precedence(other)  # place, then topic, then kind
        if precedence(chosen) == precedence(other):
            assert (chosen.priority, chosen.id) <= (other.priority, other.id)


@given(rules(), queries, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_rows(
    table: list[RouteRule], q: dict[str, Any], rnd: random.Random
) -> None:
    shuffled = list(table)
    rnd.shuffle(shuffled)
    assert choose(shuffled, q) == choose(table, q)
    assert choose(list(reversed(table)), q) == choose(table, q)
    assert choose(iter(table), q) == choose(table, q)  # any iterable (policy passes a tuple)


@given(rules(), rules(), queries)
def test_rules_that_do_not_match_change_nothing(
    table: list[RouteRule], extra: list[RouteRule], q: dict[str, Any]
) -> None:
    taken = {r.id for r in table}
    foreign = [r for r in extra if not matches(r, q) and r.id not in taken]
    assert choose(table + foreign, q) == choose(table, q)


@given(rules(min_size=1), queries, st.data())
def test_removing_rules_that_lost_keeps_the_winner(table: list[RouteRule], q: dict[str, Any], data: Any) -> None:
    chosen = choose(table, q)
    kept = [r for r in table if r is chosen or data.draw(st.booleans())]
    assert choose(kept, q) == chosen


@given(rules(), queries, st.sampled_from(TARGETS))
def test_a_rule_for_exactly_this_case_wins_over_any_table(
    table: list[RouteRule], q: dict[str, Any], target: str
) -> None:
    """Commune, kind and topic all set (the most specific rule there is) and the lowest priority and id."""
    exact = RouteRule(
        id=0,
        target=target,
        province_code=q["province_code"],
        commune_code=q["commune_code"],
        kind=q["kind"],
        topic_code=q["topic_code"],
        priority=0,
    )
    assert choose([*table, exact], q) is exact


@given(rules(max_size=6), rules(max_size=6))
def test_specificity_weights_give_the_documented_order(left: list[RouteRule], right: list[RouteRule]) -> None:
    """The numeric weights (commune 8, province 4, topic 2, kind 1) order rules exactly as place > topic > kind."""
    for a in left:
        for b in right:
            assert (specificity(a) > specificity(b)) == (precedence(a) > precedence(b))
            assert (specificity(a) == specificity(b)) == (precedence(a) == precedence(b))


@given(queries)
def test_an_empty_table_chooses_nothing(q: dict[str, Any]) -> None:
    assert choose([], q) is None


@given(rules(), st.sampled_from(PROVINCES), st.sampled_from(KINDS), st.none() | st.sampled_from(TOPICS))
def test_without_a_commune_no_commune_rule_applies(
    table: list[RouteRule], province: str, kind: str, topic: str | None
) -> None:
    chosen = choose_rule(table, province_code=province, commune_code=None, kind=kind, topic_code=topic)
    assert chosen is None or chosen.commune_code is None


# ---------------------------------------------------------------- examples

Q = {"province_code": "01", "commune_code": "00004", "kind": "denunciation", "topic_code": "corruption_conduct"}


def rule(rule_id: int, target: str = "commune_pc", **conditions: Any) -> RouteRule:
    return RouteRule(id=rule_id, target=target, **conditions)


def test_the_shipped_default_table() -> None:
    from pakn.cases.defaults import ROUTES

    table = [
        rule(n, target, kind=kind, topic_code=topic) for n, (kind, topic, target, _note) in enumerate(ROUTES, start=1)
    ]
    assert choose(table, Q).target == "commune_party"  # a denunciation of conduct: the party committee
    assert choose(table, {**Q, "kind": "report"}).target == "commune_party"
    assert choose(table, {**Q, "kind": "complaint"}).target == "commune_pc"  # the catch-all
    assert choose(table, {**Q, "topic_code": None}).target == "commune_pc"
    assert choose(table, {**Q, "commune_code": None}).target == "commune_party"


def test_place_counts_more_than_topic_and_kind_together() -> None:
    province_topic_kind = rule(
        1, "province_party", province_code="01", kind="denunciation", topic_code="corruption_conduct"
    )
    commune_only = rule(2, "commune_pc", commune_code="00004")
    assert choose([province_topic_kind, commune_only], Q) is commune_only
    national_topic_kind = rule(3, "unit", unit_id=7, kind="denunciation", topic_code="corruption_conduct")
    province_only = rule(4, "province_pc", province_code="01")
    assert choose([national_topic_kind, province_only], Q) is province_only


def test_topic_counts_more_than_kind() -> None:
    by_kind = rule(1, kind="denunciation")
    by_topic = rule(2, "commune_party", topic_code="corruption_conduct")
    assert choose([by_kind, by_topic], Q) is by_topic
    assert choose([by_kind, by_topic, rule(3, "unit", kind="denunciation", topic_code="corruption_conduct")], Q).id == 3


def test_ties_go_to_the_lower_priority_then_the_older_row() -> None:
    late, early = rule(5, "province_pc", kind="denunciation"), rule(9, kind="denunciation")
    assert choose([early, late], Q) is late  # same priority: lower id
    urgent = rule(12, "unit", unit_id=3, kind="denunciation", priority=10)
    assert choose([early, late, urgent], Q) is urgent  # lower priority number


def test_a_rule_of_another_place_or_kind_never_applies() -> None:
    table = [
        rule(1, commune_code="00008"),
        rule(2, province_code="79"),
        rule(3, kind="complaint"),
        rule(4, topic_code="land"),
        rule(5, commune_code="00004", province_code="79"),  # contradictory: both must hold
    ]
    assert choose(table, Q) is None


@pytest.mark.parametrize(
    ("target", "commune", "code"),
    [
        ("commune_pc", "00004", "UBND-00004"),
        ("commune_pc", None, "UBND-01"),
        ("commune_party", "00004", "DU-00004"),
        ("commune_party", None, "DU-01"),
        ("province_pc", "00004", "UBND-01"),
        ("province_party", "00004", "DU-01"),
        ("unit", "00004", None),
    ],
)
def test_unit_code_for_each_target(target: str, commune: str | None, code: str | None) -> None:
    assert unit_code_for(target, province_code="01", commune_code=commune) == code


# ---------------------------------------------------------------- the rule rows in the database, and the fallback


@pytest.fixture
def _fresh_rule_cache() -> Any:
    """The rule tables are cached per process; the rows this test writes are rolled back after it, so the cache
    is dropped again then (the next test in this process must see the shipped rules)."""
    from pakn.cases import policy

    policy.clear_caches()
    yield
    policy.clear_caches()


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_rule_cache")
def test_route_uses_the_rule_rows_and_falls_back_without_a_match() -> None:
    from pakn.cases import policy, services
    from pakn.cases.models import RoutingRule
    from pakn.org.models import Unit

    RoutingRule.objects.all().delete()
    policy.clear_caches()
    place = {"province_code": "01", "commune_code": "00004", "kind": "complaint", "topic_code": None}
    assert choose_rule(policy.route_rules(), **place) is None
    assert services.route(**place).code == "UBND-00004"  # no rule: the commune's people's committee
    assert services.route(**{**place, "commune_code": None}).code == "UBND-01"  # no commune: the province's

    fixed = Unit.objects.get(code="UBND-01")
    RoutingRule.objects.create(province_id="01", kind="complaint", target="unit", unit=fixed, priority=5)
    RoutingRule.objects.create(target="commune_party")
    policy.clear_caches()
    assert services.route(**place) == fixed  # the province rule for complaints
    assert services.route(**{**place, "kind": "report"}).code == "DU-00004"  # the catch-all
    fixed.is_active = False
    fixed.save(update_fields=["is_active"])
    # The chosen rule's unit is closed: a fixed-unit target has no place-relative code, so the fallback answers.
    assert services.route(**place).code == "UBND-00004"
