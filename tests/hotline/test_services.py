"""Hotline services: the directory, the roster, the call log and the one step from a call to a case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import COMMUNE, identity_of

CALLER = {"name": "Đặng Thị Mai", "phone": "0903123456", "address": "8 Ngõ 12 Đào Tấn"}


def test_directory_search_by_province_commune_and_words_without_diacritics(hotline: Any) -> None:
    from pakn.hotline import services

    assert list(services.public_hotlines(province_code="01")) == [hotline]
    assert list(services.public_hotlines(province_code="79")) == []
    assert list(services.public_hotlines(commune_code=COMMUNE)) == [hotline]
    assert list(services.public_hotlines(query="ba dinh")) == [hotline]
    assert list(services.public_hotlines(query="cuong chu tich")) == [hotline]
    assert list(services.public_hotlines(query="ngoc ha")) == []


def test_hotline_changes_are_logged_and_checked(hotline: Any, clerk: Any, other_clerk: Any) -> None:
    from pakn.core.errors import InvalidInput, NotFound
    from pakn.hotline import services
    from pakn.reception.models import Activity

    with pytest.raises(InvalidInput) as error:
        services.update_hotline(
            actor=clerk, hotline=hotline, official_name="", position="x", phone="abc", hours="", is_active=True
        )
    assert set(error.value.fields) == {"official_name", "phone", "hours"}
    with pytest.raises(NotFound):
        services.update_hotline(
            actor=other_clerk, hotline=hotline, official_name="A", position="B", phone="0243", hours="C"
        )
    services.update_hotline(
        actor=clerk,
        hotline=hotline,
        official_name="Lê Văn Cường",
        position="Chủ tịch UBND phường Ba Đình",
        phone="024 3823 9999",
        hours="Thứ 2–6, 7:30–17:00",
        is_active=False,
    )
    assert list(services.public_hotlines()) == []
    actions = list(Activity.objects.filter(app="hotline").values_list("action", flat=True))
    assert actions == ["hotline_created", "hotline_updated"]
    changed = Activity.objects.filter(app="hotline", action="hotline_updated").get().data["changed"]
    assert changed == {"phone": ["024 3823 4567", "024 3823 9999"], "is_active": [True, False]}


def test_roster_only_the_units_officials_and_sane_times(hotline: Any, clerk: Any, other_clerk: Any) -> None:
    from pakn.core.errors import InvalidInput
    from pakn.hotline import services

    now = timezone.now()
    with pytest.raises(InvalidInput) as error:
        services.add_shift(actor=clerk, hotline=hotline, official=other_clerk, starts_at=now, ends_at=now)
    assert set(error.value.fields) == {"official", "ends_at"}
    shift = services.add_shift(
        actor=clerk, hotline=hotline, official=clerk, starts_at=now, ends_at=now + timedelta(hours=8)
    )
    assert services.shift_at(hotline, now + timedelta(hours=1)) == shift
    assert services.shift_at(hotline, now + timedelta(hours=9)) is None


def test_a_call_becomes_a_case_in_one_step_with_the_caller_sealed(
    hotline: Any, shift: Any, clerk: Any, head: Any
) -> None:
    from pakn.cases.models import Case, Channel
    from pakn.hotline import services
    from pakn.hotline.models import Call
    from pakn.reception.models import Activity

    call = services.record_call(
        actor=clerk,
        hotline=hotline,
        received_at=timezone.now() - timedelta(minutes=10),
        duration_minutes=6,
        summary="Cống thoát nước trước nhà bà Đặng Thị Mai ở ngõ 12 Đào Tấn bị tắc.",
        outcome="case",
        kind="report",
        title="Cống thoát nước ngõ 12 Đào Tấn bị tắc",
        caller=dict(CALLER),
    )
    case = Case.objects.get(pk=call.case_id)
    assert case.channel == Channel.HOTLINE
    assert case.unit.code == f"UBND-{COMMUNE}"
    assert identity_of(case)["name"] == CALLER["name"]
    assert call.on_duty == head and call.shift == shift and call.recorded_by == clerk
    # Nothing of the caller in the hotline's own tables or its log.
    for row in Call.objects.values():
        assert not any(CALLER["name"] in str(v) or CALLER["phone"] in str(v) for v in row.values())
    assert "Đặng Thị Mai" not in call.summary
    log = Activity.objects.get(app="hotline", action="call_recorded")
    assert log.data["case"] == case.tracking_code and log.data["on_duty"] == head.pk
    assert CALLER["phone"] not in str(log.data)


def test_an_information_call_keeps_no_caller_and_no_case(hotline: Any, clerk: Any) -> None:
    from pakn.core.errors import InvalidInput
    from pakn.hotline import services

    call = services.record_call(
        actor=clerk,
        hotline=hotline,
        received_at=timezone.now(),
        duration_minutes=2,
        summary="Hỏi lịch tiếp công dân; đã hướng dẫn.",
        outcome="information",
    )
    assert call.case is None and call.on_duty == clerk and call.shift is None
    with pytest.raises(InvalidInput) as error:
        services.record_call(
            actor=clerk,
            hotline=hotline,
            received_at=timezone.now(),
            duration_minutes=2,
            summary="Hỏi thông tin.",
            outcome="information",
            caller=dict(CALLER),
        )
    assert "outcome" in error.value.fields


def test_call_checks_everything_before_writing(hotline: Any, clerk: Any, other_clerk: Any) -> None:
    from pakn.cases.models import Case
    from pakn.core.errors import InvalidInput, NotFound
    from pakn.hotline import services
    from pakn.hotline.models import Call

    with pytest.raises(InvalidInput) as error:
        services.record_call(
            actor=clerk,
            hotline=hotline,
            received_at=timezone.now() + timedelta(hours=1),
            duration_minutes=-1,
            summary="",
            outcome="maybe",
        )
    assert set(error.value.fields) == {"received_at", "duration_minutes", "summary", "outcome"}
    with pytest.raises(InvalidInput) as error:  # submit's own checks, on the call's field names
        services.record_call(
            actor=clerk,
            hotline=hotline,
            received_at=timezone.now(),
            duration_minutes=1,
            summary="Khiếu nại quyết định thu hồi đất.",
            outcome="case",
            kind="complaint",
        )
    assert "caller_name" in error.value.fields
    with pytest.raises(NotFound):
        services.record_call(
            actor=other_clerk,
            hotline=hotline,
            received_at=timezone.now(),
            duration_minutes=1,
            summary="x",
            outcome="information",
        )
    assert not Call.objects.exists() and not Case.objects.exists()


def test_demo_is_idempotent(db: Any) -> None:
    from pakn.cases.demo import load_demo as load_cases
    from pakn.hotline.demo import load_demo
    from pakn.hotline.models import Call, Hotline

    load_cases()
    assert load_demo() == 2
    assert load_demo() == 0
    hotline = Hotline.objects.get()
    assert hotline.official_name == "Lê Văn Cường" and hotline.hours == "Thứ 2–6, 7:30–17:00"
    assert hotline.shifts.count() == 2
    assert Call.objects.filter(case__isnull=False).count() == 1
