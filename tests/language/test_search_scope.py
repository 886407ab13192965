"""Search at national scale: the scope and recency terms of the index (migration 0003), the scope hint of each
kind of staff member, what is searchable after filing (redacted), and the newest-first window on both
databases. The suite runs on SQLite and PostgreSQL; every expectation is exact."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from tests.conftest import COMMUNE, OTHER_COMMUNE, make_user

from pakn.cases.models import Case
from pakn.language import search, services
from pakn.language.models import CaseSearchDocument
from pakn.org.access import visible_cases
from pakn.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case: Callable[..., Case]) -> dict[str, Case]:
    return {
        "here_lamp": make_case(title="Đèn đường hỏng ở ngõ 3", content="Đèn không sáng."),
        "here_drain": make_case(title="Cống thoát nước bị tắc", content="Nước tràn ra đường, đèn cũng hỏng."),
        "there_lamp": make_case(title="Đèn đường hỏng ở phố Hoàng Hoa Thám", commune_code=OTHER_COMMUNE),
        "hcm_lamp": make_case(
            title="Đèn đường hỏng ở hẻm 5", province_code="79", commune_code=_hcm_commune(), content="Tối om."
        ),
    }


def _hcm_commune() -> str:
    return Unit.objects.filter(province_id="79", commune__isnull=False).values_list("commune_id", flat=True).first()


def _terms(case: Case) -> set[str]:
    return set(CaseSearchDocument.objects.get(case_id=case.pk).scope_key.split())


def staff() -> dict[str, Any]:
    return {
        "clerk": make_user("clerk", unit_code=f"UBND-{COMMUNE}"),
        "head": make_user("head", unit_code=f"UBND-{COMMUNE}", role="head"),
        "other_clerk": make_user("other_clerk", unit_code=f"UBND-{OTHER_COMMUNE}"),
        "province_head": make_user("province_head", unit_code="UBND-01", role="head", include_subunits=True),
        "commune_supervisor": make_user("supervisor", unit_code=f"MTTQ-{COMMUNE}", role="supervisor"),
        "province_supervisor": make_user("psupervisor", unit_code="UBND-79", role="supervisor"),
        "nobody": make_user("nobody"),
        "admin": make_user("admin", superuser=True),
    }


def test_scope_terms_of_a_case(cases: dict[str, Case]) -> None:
    case = cases["here_lamp"]
    unit = Unit.objects.get(pk=case.unit_id)
    assert _terms(case) == {
        f"u_{case.unit_id}",
        f"p_{case.province_id}",
        f"p_{unit.province_id}",
        f"c_{case.commune_id}",
        f"c_{unit.commune_id}",
        f"r_{case.pk // search.RECENT_BUCKET}",
        f"q_{case.province_id}_{case.pk // search.RECENT_BUCKET}",  # the province's slice
    }
    # typed words can never meet them: the folded keys hold letters and digits only
    words = search.parse_query("u_1 p_01 c_00004 r_0").words
    assert words and not any("_" in w for w in words)


def test_every_visible_case_has_one_of_the_viewers_scope_terms(cases: dict[str, Case]) -> None:
    """The hint never hides a case the viewer may see (and ``visible_cases`` still filters every result)."""
    for name, user in staff().items():
        scope = search.index_scope(user)
        visible = set(visible_cases(user).values_list("pk", flat=True))
        if scope is None:
            assert name in ("admin", "nobody"), name
            continue
        if name == "province_head":  # a province's tree of units: narrowed to the province
            assert scope == ("p_01",)
        reached = {pk for pk in Case.objects.values_list("pk", flat=True) if _terms(Case(pk=pk)) & set(scope)}
        assert visible <= reached, name
        assert visible, name  # every kind of staff member above sees some case


@pytest.mark.parametrize("q", ["den duong hong", "đèn", "nuoc tran", "hoang hoa tham", "den karaoke"])
def test_the_scoped_search_is_the_same_as_the_unscoped_one(cases: dict[str, Case], q: str) -> None:
    for name, user in staff().items():
        queryset = visible_cases(user)
        hinted = search.find(queryset, q, scope=search.index_scope(user))
        plain = search.find(queryset, q)
        assert list(hinted.cases.values_list("pk", flat=True)) == list(plain.cases.values_list("pk", flat=True)), name
        assert hinted.partial == plain.partial, name


def test_a_forwarded_case_moves_to_its_new_units_scope(cases: dict[str, Case]) -> None:
    from pakn.cases import services as case_services

    people = staff()
    case = cases["here_lamp"]
    other_unit = Unit.objects.get(code=f"UBND-{OTHER_COMMUNE}")
    case_services.forward_case(actor=people["clerk"], case=case, to_unit=other_unit, reason="Không thuộc thẩm quyền.")
    assert f"u_{other_unit.pk}" in _terms(case)

    def finds(user: Any) -> bool:
        found = search.find(visible_cases(user), "den duong hong ngo 3", scope=search.index_scope(user))
        return case.pk in set(found.cases.values_list("pk", flat=True))

    assert finds(people["other_clerk"]) and not finds(people["clerk"])


def test_answers_and_messages_are_searchable_and_redacted(make_case: Callable[..., Case]) -> None:
    from pakn.cases import services as case_services

    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    case = make_case(title="Đề nghị sửa đèn", content="Đèn ngõ 7 không sáng.")
    case_services.resolve_case(
        actor=clerk,
        case=case,
        body="Trả lời ông Nguyễn Văn An (0912345678): đã thay bóng cao áp mới.",
    )

    def hit(q: str) -> bool:
        return case.pk in set(search.filter_cases(Case.objects.all(), q).values_list("pk", flat=True))

    assert hit("thay bong cao ap")  # the unit's answer is searchable
    assert not hit("Nguyen Van An") and not hit("0912345678")  # the reporter's identity is not
    body_key = CaseSearchDocument.objects.get(case_id=case.pk).body_key
    assert " cao ap " in body_key and "nguyen van an" not in body_key and "0912345678" not in body_key


def test_the_window_is_the_newest_matches_on_both_databases(
    make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With slices of 2 cases, PostgreSQL widens the newest slices 1, 4, 16… until the window is full; the
    ids are the newest matches, as FTS5 gives them on SQLite."""
    monkeypatch.setattr(search, "RECENT_BUCKET", 2)  # 12 cases: slices 0-6
    made = [
        make_case(title=f"Đèn đường hỏng số {i}" if i % 3 == 0 else f"Rác thải {i}", content=f"Phản ánh số {i}.")
        for i in range(12)
    ]
    lamps = [c.pk for c in made if "Đèn" in c.title][::-1]
    for limit in (1, 2, 3, 10):
        assert search.newest_matches(("den",), limit) == lamps[:limit]
    assert search.newest_matches(("den", "rac"), 5, any_word=True) == [c.pk for c in made][::-1][:5]
    assert search.newest_matches(("karaoke",), 5) == []
    clerk = make_user("clerk", unit_code=f"UBND-{COMMUNE}")
    scope = search.index_scope(clerk)
    assert search.newest_matches(("den",), 3, scope=scope) == lamps[:3]
    other = make_user("other", unit_code=f"UBND-{OTHER_COMMUNE}")
    assert search.newest_matches(("den",), 3, scope=search.index_scope(other)) == []
    # a province walks its own slices ("q_"); a scope of a province and a commune walks both kinds
    hcm = [make_case(title=f"Đèn hẻm {i}", province_code="79", commune_code=_hcm_commune()).pk for i in range(2)]
    for limit in (1, 3, 10):
        assert search.newest_matches(("den",), limit, scope=("p_01",)) == lamps[:limit]
        assert search.newest_matches(("den",), limit, scope=("p_79",)) == hcm[::-1][:limit]
    both = search.newest_matches(("den",), 10, scope=("p_79", f"c_{made[0].commune_id}"))
    assert both == sorted(hcm + lamps, reverse=True)


def test_filters_outside_the_index_widen_the_window(cases: dict[str, Case], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SMALL_SCOPE", -1)  # the index path
    monkeypatch.setattr(search, "RANK_WINDOW", 1)
    queryset = Case.objects.filter(province_id="01")  # keeps only part of what the index hands over
    found = search.find(queryset, "den duong hong")
    assert list(found.cases.values_list("pk", flat=True)) == [cases["there_lamp"].pk]  # the newest in Hà Nội


def test_scope_terms_must_be_terms() -> None:
    with pytest.raises(ValueError, match="not index terms"):
        search.newest_matches(("den",), 5, scope=("u_1') | ('x",))


def test_migration_0005_fills_the_same_terms_as_the_index_job_and_takes_them_back(cases: dict[str, Case]) -> None:
    migration = importlib.import_module("pakn.language.migrations.0005_province_slice_terms")
    expected = dict(CaseSearchDocument.objects.values_list("case_id", "scope_key"))
    assert expected == services.scope_keys(list(expected))

    def fill(terms: str) -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE language_casesearchdocument SET scope_key = ''")
            cursor.execute(migration._fill(terms, connection.vendor))
        return dict(CaseSearchDocument.objects.values_list("case_id", "scope_key"))

    assert fill(f"{migration.TERMS_0003} || {migration.PROVINCE_SLICES}") == expected
    before = fill(migration.TERMS_0003)  # the way back: migration 0003's terms
    assert before == {pk: " ".join(t for t in key.split(" ") if not t.startswith("q_")) for pk, key in expected.items()}
    assert str(search.RECENT_BUCKET) in migration.TERMS_0003 and str(search.RECENT_BUCKET) in migration.PROVINCE_SLICES
