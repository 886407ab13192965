"""The portal's snapshots (``pakn.public.snapshots``): the figures of each statistics page computed ahead by the
worker and read by a request with one query. Written by the duty and by ``stats_rebuild``; marked stale after a
case change for the scopes that count it and no other; computed again at most every
``PAKN_PORTAL_REFRESH_SECONDS``; never recomputed by a request when one exists; computed and stored by the request
when missing; equal to the direct computation; numbers and codes only, named in the visitor's language."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from conftest import COMMUNE, OTHER_COMMUNE, make_user
from pakn.cases import services
from pakn.cases.models import Case, Topic
from pakn.org.models import Unit
from pakn.public import facts, snapshots, stats
from pakn.public.models import PortalSnapshot, TopicMonthStat
from pakn.public.views import statistics_context
from public.test_reports import TZ, build_scenario, on

TODAY = date(2026, 4, 15)
UNIT = f"UBND-{COMMUNE}"
HCMC_COMMUNE = "25747"


@pytest.fixture
def portal(settings: Any) -> Any:
    """The snapshots and the cache on, as in production (the suite turns both off by default)."""
    settings.PUBLIC_CACHE_SECONDS = 300
    settings.PORTAL_REFRESH_SECONDS = 60
    return settings


@pytest.fixture
def cases(make_case: Any) -> dict[str, Any]:
    """The hand-counted scenario of test_reports (March 2026, Ba Đình), plus cases in April (the edge of the
    default period), with topics, and one in Hồ Chí Minh City."""
    scenario = build_scenario(make_case)
    clerk = scenario["clerk"]
    topics = list(Topic.objects.order_by("pk")[:2])
    with on(date(2026, 4, 2)):
        april = make_case(title="Ổ gà trên phố Kim Mã")
        services.set_topic(actor=clerk, case=april, topic_code=topics[0].code)
        services.resolve_case(actor=clerk, case=april, body="Đã vá ổ gà.")
        late = make_case(kind="petition", title="Đề nghị lắp đèn tín hiệu")
        services.set_topic(actor=clerk, case=late, topic_code=topics[1].code)
        make_case(title="Ngập nước đường Nguyễn Huệ", province_code="79", commune_code=HCMC_COMMUNE)
    services.set_topic(actor=clerk, case=Case.objects.get(pk=scenario["cases"][1].pk), topic_code=topics[0].code)
    return scenario


def scopes() -> dict[str, stats.Scope]:
    return {
        "nation": stats.Scope.nation(),
        "province": stats.Scope.province("01", "Thành phố Hà Nội"),
        "commune": stats.Scope.units(Unit.objects.get(code=UNIT)),
        "province unit": stats.Scope.units(Unit.objects.get(code="UBND-01")),
    }


def periods() -> dict[str, stats.Period]:
    return {
        "default": stats.Period.default(TODAY),
        "edges": stats.Period(date(2026, 2, 20), date(2026, 4, 10)),
        "within a month": stats.Period(date(2026, 3, 2), date(2026, 3, 20)),
        "across a month end": stats.Period(date(2026, 3, 25), date(2026, 4, 5)),
    }


def computed_at(page: str) -> str:
    found = re.search(r'id="computed-at">[^<]*?(\d\d:\d\d \d\d/\d\d/\d{4})', page)
    assert found, page[:2000]
    return found.group(1)


def without_time(page: str) -> str:
    return re.sub(r'id="computed-at">[^<]*', "", page)


def get(url: str, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------------------------------------------------------------- the figures


def test_the_figures_equal_the_direct_computation(cases: dict[str, Any]) -> None:
    """One pass per table (``page_measures``) gives what each grouping computed on its own gives, from the month
    tables and from the facts alone; and a snapshot read back from the database gives the same page rows."""
    with on(TODAY, 10):
        for scope_name, scope in scopes().items():
            place = "province" if scope_name == "nation" else "unit"
            for period_name, period in periods().items():
                page = stats.page_measures(scope, period)
                for source in ("auto", "facts"):
                    where = (scope_name, period_name, source)
                    assert page["total"] == stats.totals(scope, period, source=source), where
                    by_month = stats.aggregate(scope, period, by="month", medians=False, source=source)
                    assert page["months"] == by_month, where
                    by_topic = stats.aggregate(scope, period, by="topic", medians=False, source=source)
                    assert page["topics"] == by_topic, where
                    assert page["places"] == stats.aggregate(scope, period, by=place, source=source), where
                data = snapshots.compute(scope, period)
                stored = json.loads(json.dumps(data))  # as read back from the JSON column
                direct, read_back = statistics_context(scope, period), snapshots.context(stored, scope, period)
                for key in ("total", "months", "topics", "units", "unit_heading"):
                    assert read_back[key] == direct[key], (scope_name, period_name, key)
    totals = stats.totals(scopes()["commune"], stats.Period.month(2026, 3))
    assert (totals["received"], totals["resolved"], totals["overdue_open"]) == (7, 2, 2)  # test_reports' count


def topic_buckets() -> list[tuple[Any, ...]]:
    rows = TopicMonthStat.objects.values_list("province_id", "month", "topic_id", *facts.STORED_MEASURES)
    return sorted(rows, key=lambda r: (r[0], r[1], r[2] is not None, r[2] or 0))


def test_the_topic_table_follows_the_cases_and_a_rebuild_agrees(cases: dict[str, Any]) -> None:
    kept = topic_buckets()
    assert kept and any(row[2] is not None for row in kept)
    facts.rebuild()
    assert topic_buckets() == kept
    facts.rebuild_topic_buckets()  # what migration public.0006 runs on an installation with cases
    assert topic_buckets() == kept


def test_a_snapshot_holds_numbers_and_codes_and_each_language_names_them(cases: dict[str, Any], portal: Any) -> None:
    with on(TODAY, 10):
        assert snapshots.refresh_portal() == 3  # the country and the two provinces of the test database
        get(f"/public/statistics/?province=01&unit={UNIT}")  # a unit's snapshot: stored by its first visit
        for snapshot in PortalSnapshot.objects.all():
            assert set(snapshot.data) == {"format", "columns", "total", "months", "topics", "units_by", "units"}
            for text in strings(snapshot.data):
                assert text in CODES or re.fullmatch(r"\d{4}-\d\d-\d\d|\d\d", text), (snapshot.key, text)
        cache.clear()
        vi, en = get("/public/statistics/"), get("/public/statistics/?lang=en")
    assert "Theo tỉnh, thành phố" in vi and "Thành phố Hà Nội" in vi
    assert 'lang="en"' in en and "Theo tỉnh, thành phố" not in en
    assert re.search(r'id="kpi-received">([^<]*)<', vi).group(1) == re.search(r'id="kpi-received">([^<]*)<', en).group(
        1
    )


CODES = {*snapshots.COLUMNS, "province", "unit"}


def strings(value: Any) -> list[str]:
    """Every text in a snapshot's data (its values, not its keys)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in strings(v)]
    return []


# ---------------------------------------------------------------- written by the duty, read by the request


def test_the_duty_writes_the_snapshots_and_the_page_reads_them(cases: dict[str, Any], portal: Any) -> None:
    with on(TODAY, 10):
        assert snapshots.refresh_portal() == 3
        assert snapshots.refresh_portal() == 0  # nothing stale, nothing missing
        keys = set(PortalSnapshot.objects.values_list("key", flat=True))
        assert keys == {"nation|last12", "province:01|last12", "province:79|last12"}
        nation = PortalSnapshot.objects.get(key="nation|last12")
        assert nation.data == snapshots.compute(stats.Scope.nation(), stats.Period.default())
        assert not nation.stale and nation.period_end == TODAY
    with on(TODAY, 11):
        client = Client()
        stats_page, home = get("/public/statistics/", client), get("/public/", client)
        assert computed_at(stats_page) == computed_at(home) == "10:00 15/04/2026"  # the snapshot's time
        portal.PUBLIC_CACHE_SECONDS = 0  # computed in the request: the same page
        assert without_time(get("/public/statistics/")) == without_time(stats_page)


def test_the_worker_runs_the_duty(cases: dict[str, Any], portal: Any) -> None:
    out = io.StringIO()
    with on(TODAY, 10):
        call_command("worker", stdout=out)
    assert "portal_refreshed=3" in out.getvalue()
    assert PortalSnapshot.objects.count() == 3


def test_the_request_never_recomputes_a_snapshot_that_exists(
    cases: dict[str, Any], portal: Any, make_case: Any, monkeypatch: Any
) -> None:
    with on(TODAY, 10):
        snapshots.refresh_portal()
        get(f"/public/statistics/?province=01&unit={UNIT}")
        before = get("/public/statistics/")
    with on(TODAY, 10):
        make_case(title="Một việc mới sau khi tính")  # the snapshots of the country, Hà Nội, Ba Đình: stale

    def no_computing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a visitor waited for the figures to be computed")

    monkeypatch.setattr(snapshots, "compute", no_computing)
    with on(TODAY, 12):  # long after the cache expired
        cache.clear()
        for url in (
            "/public/",
            "/public/statistics/",
            "/public/statistics/?province=01",
            f"/public/statistics/?province=01&unit={UNIT}",
        ):
            page = get(url)
            assert computed_at(page) == "10:00 15/04/2026", url  # the figures as they were, and when
        assert without_time(get("/public/statistics/")) == without_time(before)


def test_a_missing_snapshot_is_computed_in_the_request_and_stored(cases: dict[str, Any], portal: Any) -> None:
    commune = Unit.objects.get(code=UNIT)
    with on(TODAY, 10):
        page = get(f"/public/statistics/?province=01&unit={UNIT}")
        assert computed_at(page) == "10:00 15/04/2026"
        snapshot = PortalSnapshot.objects.get(key=f"unit:{commune.pk}|last12")
        assert (snapshot.scope, snapshot.unit_id, snapshot.stale) == ("unit", commune.pk, False)
        assert snapshot.data == snapshots.compute(stats.Scope.units(commune), stats.Period.default())
        # The same dates chosen in the form read the default period's snapshot too.
        default = stats.Period.default()
        dates = f"date_from={default.start:%d/%m/%Y}&date_to={default.end:%d/%m/%Y}"
        get(f"/public/statistics/?{dates}")
        assert PortalSnapshot.objects.filter(key="nation|last12").exists()


def test_a_chosen_period_is_computed_and_not_stored(cases: dict[str, Any], portal: Any) -> None:
    with on(TODAY, 10):
        page = get("/public/statistics/?province=01&date_from=01/03/2026&date_to=31/03/2026")
    assert not PortalSnapshot.objects.exists()
    assert "01/03/2026 – 31/03/2026" in page
    # Hà Nội in March: Ba Đình's 7 (test_reports) and the one forwarded to Ngọc Hà, counted again there
    assert re.search(r'id="kpi-received">([^<]*)<', page).group(1) == "8"


# ---------------------------------------------------------------- stale after a change, refreshed by the worker


def test_a_case_change_marks_stale_the_snapshots_that_count_it_and_no_other(
    cases: dict[str, Any], portal: Any, make_case: Any
) -> None:
    units = {code: Unit.objects.get(code=code) for code in (UNIT, f"UBND-{OTHER_COMMUNE}", "UBND-01")}
    with on(TODAY, 10):
        snapshots.refresh_portal()
        for unit in units.values():
            snapshots.store(stats.Scope.units(unit), stats.Period.default())
        assert not PortalSnapshot.objects.filter(stale=True).exists()
    with on(TODAY, 10):
        make_case(title="Cống thoát nước bị tắc")  # Ba Đình, Hà Nội
    stale = set(PortalSnapshot.objects.filter(stale=True).values_list("key", flat=True))
    assert stale == {
        "nation|last12",
        "province:01|last12",
        f"unit:{units[UNIT].pk}|last12",
        f"unit:{units['UBND-01'].pk}|last12",  # the province's People's Committee and the units under it
    }
    # A case older than the default period changes no snapshot.
    PortalSnapshot.objects.update(stale=False, stale_since=None)
    assert snapshots.mark_stale({(units[UNIT].pk, date(2024, 1, 1))}, today=TODAY) == 0


def test_the_worker_computes_a_stale_snapshot_again_at_most_every_n_seconds(
    cases: dict[str, Any], portal: Any, make_case: Any
) -> None:
    with time_machine.travel(datetime(2026, 4, 15, 10, 0, tzinfo=TZ), tick=False) as clock:
        snapshots.refresh_portal()
        before = snapshots.context_total(PortalSnapshot.objects.get(key="nation|last12").data)["received"]
        clock.move_to(datetime(2026, 4, 15, 10, 0, 20, tzinfo=TZ))
        make_case(title="Cây xanh gãy cành")
        assert PortalSnapshot.objects.get(key="nation|last12").stale
        clock.move_to(datetime(2026, 4, 15, 10, 0, 50, tzinfo=TZ))
        assert snapshots.refresh_portal() == 0  # computed 50 s ago: not yet (PAKN_PORTAL_REFRESH_SECONDS = 60)
        clock.move_to(datetime(2026, 4, 15, 10, 1, 0, tzinfo=TZ))
        assert snapshots.refresh_portal() == 2  # the country and Hà Nội; Hồ Chí Minh City was not touched
        nation = PortalSnapshot.objects.get(key="nation|last12")
        assert not nation.stale and snapshots.context_total(nation.data)["received"] == before + 1
        clock.move_to(datetime(2026, 4, 15, 10, 7, 0, tzinfo=TZ))  # past the cache: the visitor sees 10:01
        cache.clear()
        assert computed_at(get("/public/statistics/")) == "10:01 15/04/2026"


def test_a_change_while_a_snapshot_is_computed_leaves_it_stale(
    cases: dict[str, Any], portal: Any, monkeypatch: Any
) -> None:
    unit = Unit.objects.get(code=UNIT)
    compute = snapshots.compute

    def slow(scope: stats.Scope, period: stats.Period, **kwargs: Any) -> dict[str, Any]:
        snapshots.mark_stale({(unit.pk, date(2026, 4, 1))})  # a case change commits meanwhile
        return compute(scope, period, **kwargs)

    with on(TODAY, 10):
        snapshots.store(stats.Scope.nation(), stats.Period.default())
    monkeypatch.setattr(snapshots, "compute", slow)
    with on(TODAY, 11):
        snapshots.store(stats.Scope.nation(), stats.Period.default())
    nation = PortalSnapshot.objects.get(key="nation|last12")
    assert nation.stale and nation.computed_at == datetime(2026, 4, 15, 11, tzinfo=TZ)


def test_yesterdays_snapshot_is_shown_with_its_dates_until_the_worker_computes_todays(
    cases: dict[str, Any], portal: Any
) -> None:
    with on(TODAY, 10):
        snapshots.refresh_portal()
    tomorrow = TODAY + timedelta(days=1)
    with on(tomorrow, 0):
        page = get("/public/statistics/")
        assert computed_at(page) == "10:00 15/04/2026" and "01/05/2025 – 15/04/2026" in page
        assert snapshots.refresh_portal() == 3  # a new day: every snapshot is out of date
        cache.clear()
        page = get("/public/statistics/")
        assert computed_at(page) == "00:00 16/04/2026" and "01/05/2025 – 16/04/2026" in page


def test_stats_rebuild_rebuilds_the_snapshots(cases: dict[str, Any], portal: Any) -> None:
    commune = Unit.objects.get(code=UNIT)
    with on(TODAY, 10):
        snapshots.store(stats.Scope.units(commune), stats.Period.default())
        PortalSnapshot.objects.update(stale=True)
    with on(TODAY, 11):
        out = io.StringIO()
        call_command("stats_rebuild", stdout=out)
    assert "4 trang" in out.getvalue()  # the country, two provinces, the commune someone chose
    assert set(PortalSnapshot.objects.values_list("stale", flat=True)) == {False}
    assert set(PortalSnapshot.objects.values_list("computed_at", flat=True)) == {datetime(2026, 4, 15, 11, tzinfo=TZ)}


def test_without_the_cache_every_request_computes(cases: dict[str, Any], settings: Any) -> None:
    settings.PUBLIC_CACHE_SECONDS = 0  # the suite's default: tests see every change at once
    with on(TODAY, 10):
        assert snapshots.refresh_portal() == 0
        get("/public/statistics/")
    assert not PortalSnapshot.objects.exists()


def test_an_officer_logged_in_sees_the_same_figures(cases: dict[str, Any], portal: Any) -> None:
    """The body is cached, the page's frame is not: a logged-in visitor's menu stays theirs."""
    officer = make_user("ba_dinh_head", unit_code=UNIT, role="head")
    staff = Client()
    staff.force_login(officer)
    with on(TODAY, 10):
        anonymous = get("/public/statistics/")
        logged_in = get("/public/statistics/", staff)
    assert "Đăng xuất" in logged_in and "Đăng xuất" not in anonymous
    assert computed_at(anonymous) == computed_at(logged_in)
