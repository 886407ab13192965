"""The Front's forwarding: opinions become cases of the competent unit or join existing ones; the Front
reads back status and answers without residents' names, and is told when the answer comes."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COMMUNE, identity_of, make_user
from frontdesk.conftest import RESIDENT, batch_input, opinion


def test_each_opinion_becomes_a_routed_case_with_the_resident_sealed(batch: Any, supervisor: Any) -> None:
    from pakn.cases.models import Channel
    from pakn.frontdesk.models import FrontOpinion
    from pakn.reception.models import Activity

    item = FrontOpinion.objects.get(batch=batch)
    case = item.case
    assert case.channel == Channel.FRONT and case.unit.code == f"UBND-{COMMUNE}"
    assert case.received_on == batch.forwarded_on and not item.joined
    assert identity_of(case)["name"] == RESIDENT["name"]
    for row in FrontOpinion.objects.values():
        assert RESIDENT["name"] not in str(row) and RESIDENT["phone"] not in str(row)
    log = Activity.objects.get(app="frontdesk")
    assert log.action == "front_batch_recorded" and log.data["cases"] == [case.tracking_code]


def test_an_opinion_that_repeats_a_case_joins_it_and_tells_its_unit(
    make_case: Any, supervisor: Any, clerk: Any
) -> None:
    from pakn.cases.models import Case
    from pakn.frontdesk import services
    from pakn.notify.models import Outbox

    existing = make_case()
    before = Case.objects.count()
    batch = services.record_batch(
        actor=supervisor,
        **batch_input(opinions=[opinion(), {"join": existing.tracking_code, "title": "Đèn đường phố Đội Cấn"}]),
    )
    items = list(batch.opinions.order_by("number"))
    assert [i.joined for i in items] == [False, True]
    assert items[1].case == existing
    assert Case.objects.count() == before + 1  # linked, not duplicated
    assert Outbox.objects.filter(dedupe_key__startswith=f"front-joined:{items[1].pk}").exists()


def test_everything_is_checked_before_anything_is_written(supervisor: Any, make_case: Any) -> None:
    from pakn.cases.models import Case
    from pakn.core.errors import InvalidInput
    from pakn.frontdesk import services
    from pakn.frontdesk.models import FrontBatch

    elsewhere = make_case(commune_code="00008")  # outside the Front's commune
    with pytest.raises(InvalidInput) as error:
        services.record_batch(
            actor=supervisor,
            **batch_input(
                meeting="",
                document_number="",
                opinions=[
                    opinion(),
                    {"join": elsewhere.tracking_code, "title": "x"},
                    {"join": "nonsense", "title": "y"},
                ],
            ),
        )
    assert {"meeting", "document_number", "opinions.1.join", "opinions.2.join"} <= set(error.value.fields)
    with pytest.raises(InvalidInput) as error:  # submit's own checks, on the opinion's field names
        services.record_batch(actor=supervisor, **batch_input(opinions=[opinion(), opinion(kind="complaint")]))
    assert "opinions.1.resident.name" in error.value.fields
    assert not FrontBatch.objects.exists() and Case.objects.count() == 1


def test_only_a_front_committee_forwards(clerk: Any, make_case: Any) -> None:
    from pakn.core.errors import NotFound
    from pakn.frontdesk import services

    # A supervisor role at a body that is not a Front committee does not make a Front member.
    not_front = make_user("ubnd_supervisor", unit_code=f"UBND-{COMMUNE}", role="supervisor")
    for user in (clerk, not_front, make_user("citizen")):
        with pytest.raises(NotFound):
            services.record_batch(actor=user, **batch_input())


def test_the_answer_is_told_to_the_front_and_shown_without_names(batch: Any, supervisor: Any, clerk: Any) -> None:
    from pakn.cases import services as case_services
    from pakn.frontdesk import services
    from pakn.notify.models import Outbox

    item = batch.opinions.get()
    assert services.opinion_rows(batch)[0]["answered"] is False
    case_services.resolve_case(
        actor=clerk,
        case=item.case,
        body="Kính gửi bà Phạm Thị Hoa: UBND phường đã giao sửa vỉa hè trước số 5 Quán Thánh trong tháng 12.",
    )
    notices = Outbox.objects.filter(dedupe_key__startswith="front-answer:")
    assert notices.count() == 1 and "25/MTTQ-BTT" in notices.get().subject
    row = services.opinion_rows(batch)[0]
    assert row["answered"] and "sửa vỉa hè" in row["answer"]
    assert RESIDENT["name"] not in row["answer"]


def test_an_answer_through_a_merge_reaches_the_front(batch: Any, clerk: Any, make_case: Any) -> None:
    from pakn.cases import services as case_services
    from pakn.frontdesk import services
    from pakn.notify.models import Outbox

    item = batch.opinions.get()
    survivor = make_case(kind="petition", title="Vỉa hè Quán Thánh lún", content="Vỉa hè phố Quán Thánh lún, hỏng.")
    case_services.merge_case(actor=clerk, case=item.case, into=survivor)
    case_services.resolve_case(actor=clerk, case=survivor, body="Đã sửa vỉa hè phố Quán Thánh.")
    assert Outbox.objects.filter(dedupe_key__startswith="front-answer:").exists()
    row = services.opinion_rows(batch)[0]
    assert row["answered"] and row["answer"] == "Đã sửa vỉa hè phố Quán Thánh."


def test_demo_is_idempotent(db: Any) -> None:
    from pakn.cases.demo import load_demo as load_cases
    from pakn.frontdesk.demo import load_demo
    from pakn.frontdesk.models import FrontOpinion

    load_cases()
    assert load_demo() == 2
    assert load_demo() == 0
    assert list(FrontOpinion.objects.order_by("number").values_list("joined", flat=True)) == [False, True]
