"""Commendations (Quyết định 99-QĐ/TW): a head commends a unit or an official with a good model, which the public
library shows with the unit's figures on the day; or thanks the citizen whose report led to a result, through
their sealed contact, never naming them and never in the library."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import REPORTER, make_user, outbox_to
from pakn.cases import services
from pakn.cases.models import AuditEvent
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.org.models import Unit
from pakn.public import commendations
from pakn.public.models import Commendation

WARD = "UBND-00004"


def ward() -> Unit:
    return Unit.objects.get(code=WARD)


def decide(head: Any, **extra: Any) -> Commendation:
    data: dict[str, Any] = {
        "actor": head,
        "kind": "unit",
        "issued_by": ward(),
        "unit": ward(),
        "form": "Giấy khen",
        "reason": "Trả lời đúng hạn mọi đơn trong năm.",
        "decision_number": "15/QĐ-UBND",
        "decided_on": timezone.localdate(),
    }
    data.update(extra)
    return commendations.record_commendation(**data)


@pytest.mark.django_db
def test_a_good_model_is_published_with_the_figures_of_the_day(head: Any, make_case: Any, clerk: Any) -> None:
    case = make_case()
    services.resolve_case(actor=clerk, case=case, body="Đã sửa.")
    services.rate_case(case=case, level=5)
    with pytest.raises(InvalidInput) as caught:
        decide(head, published=True)  # a published model needs its name and description
    assert {"model_title", "model_description"} <= set(caught.value.fields)
    model = decide(head, published=True, model_title="Tổ tiếp nhận đơn lưu động",
                   model_description="Cán bộ đến từng tổ dân phố nhận đơn mỗi thứ Bảy.")  # fmt: skip
    assert model.figures["received"] == 1 and model.figures["satisfaction_rate"] == 100.0
    decide(head, decision_number="16/QĐ-UBND")  # not published: not in the library
    page = Client().get("/public/good-models/").content.decode()
    assert "Tổ tiếp nhận đơn lưu động" in page and "Cán bộ đến từng tổ dân phố" in page
    assert "100,0 %" in page  # the figures of the day, as the portal writes numbers
    assert "16/QĐ-UBND" not in page
    assert list(commendations.good_models()) == [model]


@pytest.mark.django_db
def test_the_citizen_is_thanked_without_being_named(head: Any, make_case: Any, clerk: Any) -> None:
    case = make_case(kind="report", title="Cán bộ địa chính nhận tiền")
    with pytest.raises(InvalidTransition):  # no result yet
        decide(head, kind="citizen", unit=None, case=case, form="Thư cảm ơn")
    services.resolve_case(actor=clerk, case=case, body="Đã xử lý kỷ luật.")
    with pytest.raises(InvalidInput) as caught:
        decide(head, kind="citizen", unit=None, case=case, form="Thư cảm ơn", published=True, model_title="x",
               model_description="x")  # fmt: skip
    assert "published" in caught.value.fields
    thanks = decide(head, kind="citizen", unit=None, case=case, form="Thư cảm ơn")
    assert thanks.case == case and thanks.figures == {}
    [mail] = [m for m in outbox_to(REPORTER["email"], case=case) if "Cảm ơn" in m.subject]
    assert "Thư cảm ơn" in mail.body and REPORTER["name"] not in mail.body
    assert AuditEvent.objects.filter(case=case, action="reporter_commended").exists()
    assert "Đơn vị cảm ơn, khen thưởng người gửi" in Client().get(f"/track/{case.tracking_code}/").content.decode()
    assert not commendations.good_models().exists()


@pytest.mark.django_db
def test_only_heads_of_the_unit(head: Any, clerk: Any, login: Any) -> None:
    with pytest.raises(NotFound):
        decide(clerk)
    other = make_user("other_head", unit_code="UBND-00008", role="head")
    with pytest.raises(NotFound):
        decide(other)  # issued by a unit they do not head
    assert login(clerk).get("/oversight/commendations/").status_code == 404
    page = login(head).get("/oversight/commendations/")
    assert page.status_code == 200
    posted = login(head).post(
        "/oversight/commendations/",
        {"kind": "official", "issued_by": ward().pk, "unit": ward().pk, "official_name": "Trần Thị Bình",
         "form": "Giấy khen", "reason": "Tiếp dân tận tình.", "decision_number": "17/QĐ-UBND",
         "decided_on": timezone.localdate().strftime("%d/%m/%Y")},
    )  # fmt: skip
    assert posted.status_code == 302
    assert Commendation.objects.get(decision_number="17/QĐ-UBND").official_name == "Trần Thị Bình"
    refused = login(head).post("/oversight/commendations/", {"kind": "official", "issued_by": ward().pk})
    assert refused.status_code == 400
