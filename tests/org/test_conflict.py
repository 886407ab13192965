"""Conflict of interest is an access rule (``org.access.conflicted_cases``): whoever works in the body the
accused heads — or in an office directly under it — never sees the case, whatever their role; nor does the
person, when linked to an account. The inspection commissions the loader creates sit under their party
committee, so they are covered too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import COMMUNE, make_user
from pakn.org.access import can_handle, conflicted_cases, visible_cases
from pakn.org.models import Unit, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_chair_case(make_case: Callable[..., Any]) -> Any:
    return make_case(
        kind="denunciation",
        title="Tố cáo chủ tịch Mặt trận phường",
        content="Chủ tịch Ủy ban MTTQ phường nhận tiền hỗ trợ hộ nghèo rồi không phát.",
        subject="Chủ tịch UBMTTQ phường Ba Đình",
    )


def test_front_chair_goes_to_the_city_front_and_the_ward_front_never_sees_it(front_chair_case: Any) -> None:
    from pakn.oversight.access import area_cases

    assert front_chair_case.unit.code == "MTTQ-01"
    ward_supervisor = make_user("giamsat.mttq", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    assert not visible_cases(ward_supervisor).filter(pk=front_chair_case.pk).exists()
    assert not area_cases(ward_supervisor).filter(pk=front_chair_case.pk).exists()
    # The ward's People's Inspection Board supervisor (not the Front's staff) still supervises it.
    city_front = make_user("canbo.mttq.hn", unit_code="MTTQ-01")
    assert visible_cases(city_front).filter(pk=front_chair_case.pk).exists()
    assert can_handle(city_front, front_chair_case)


def test_an_office_under_the_accused_body_is_conflicted_too(make_case: Callable[..., Any]) -> None:
    case = make_case(kind="denunciation", title="Tố cáo chủ tịch phường", subject="Chủ tịch UBND phường Ba Đình")
    body = Unit.objects.get(code=f"UBND-{COMMUNE}")
    office = Unit.objects.create(
        code="VP-00004",
        name="Văn phòng HĐND và UBND Phường Ba Đình",
        kind=UnitKind.AGENCY,
        level=UnitLevel.COMMUNE,
        province_id="01",
        commune_id=COMMUNE,
        parent=body,
    )
    secretary = make_user("vanphong.badinh", unit_code=office.code)
    assert case.pk in set(conflicted_cases(secretary).values_list("case_id", flat=True))
    # A city clerk whose unit's parent is nothing: not conflicted.
    city = make_user("canbo.hn", unit_code="UBND-01")
    assert not conflicted_cases(city).exists()
    assert visible_cases(city).filter(pk=case.pk).exists()


def test_superuser_sees_everything_except_a_case_about_themself(make_case: Callable[..., Any]) -> None:
    from pakn.cases import services

    root = make_user("root", superuser=True)
    case = make_case(kind="denunciation", title="Tố cáo", subject="Chủ tịch UBND phường Ba Đình")
    assert visible_cases(root).filter(pk=case.pk).exists()
    services.set_subject_person(
        actor=root, case=case, position="pc_chair", body_code=f"UBND-{COMMUNE}", username="root"
    )
    assert not visible_cases(root).filter(pk=case.pk).exists()


def test_a_first_complaint_against_the_chair_stays_visible_to_the_ward(
    make_case: Callable[..., Any], clerk: Any
) -> None:
    """The head whose decision it is resolves the first complaint (Luật Khiếu nại 2011, Điều 17): the
    ward must see it, so no conflict is recorded."""
    case = make_case(
        kind="complaint", title="Khiếu nại quyết định của chủ tịch", subject="Chủ tịch UBND phường Ba Đình"
    )
    assert case.unit.code == f"UBND-{COMMUNE}"
    assert case.subject_person.conflict_unit is None
    assert visible_cases(clerk).filter(pk=case.pk).exists()
