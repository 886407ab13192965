"""A letter on a settled matter is filed with the case that settled it and answered with a reference to the
earlier answer, counted on the case, instead of opening a new case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pakn.cases import services
from pakn.cases.models import AuditEvent, Case, RepeatLetter
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition


@pytest.mark.django_db
def test_a_repeat_is_filed_with_the_settled_case(make_case: Any, clerk: Any, other_clerk: Any) -> None:
    case = make_case(kind="petition")
    letter = {"received_on": None, "channel": "letter", "summary": "Lại đề nghị sửa đèn đường phố Đội Cấn."}
    with pytest.raises(InvalidTransition):  # not settled yet: new information joins the open case
        services.record_repeat_letter(actor=clerk, case=case, **letter)
    services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn.")
    with pytest.raises(InvalidInput) as caught:
        services.record_repeat_letter(actor=clerk, case=case, received_on=None, channel="pigeon", summary=" ")
    assert {"channel", "summary"} <= set(caught.value.fields)
    with pytest.raises(InvalidInput):
        services.record_repeat_letter(
            actor=clerk, case=case, **{**letter, "received_on": timezone.localdate() + timedelta(days=1)}
        )
    with pytest.raises(Forbidden):
        services.record_repeat_letter(actor=other_clerk, case=case, **letter)
    cases_before = Case.objects.count()
    first = services.record_repeat_letter(actor=clerk, case=case, **letter)
    assert case.tracking_code in first.reply and timezone.localdate().strftime("%d/%m/%Y") in first.reply
    services.record_repeat_letter(actor=clerk, case=case, **{**letter, "reply": "Đã trả lời, xin xem văn bản số 5."})
    assert Case.objects.count() == cases_before  # no new case
    assert RepeatLetter.objects.filter(case=case).count() == 2
    events = AuditEvent.objects.filter(case=case, action="repeat_received").order_by("seq")
    assert [e.data["count"] for e in events] == [1, 2] and not any(e.public for e in events)


@pytest.mark.django_db
def test_the_summary_keeps_the_reporters_details_out(make_case: Any, clerk: Any) -> None:
    from conftest import REPORTER

    case = make_case(kind="petition")
    services.resolve_case(actor=clerk, case=case, body="Đã trả lời.")
    letter = services.record_repeat_letter(
        actor=clerk, case=case, received_on=None, channel="letter",
        summary=f"Tôi là {REPORTER['name']}, số {REPORTER['phone']}, lại đề nghị sửa đèn.",
    )  # fmt: skip
    assert REPORTER["name"] not in letter.summary and REPORTER["phone"] not in letter.summary


@pytest.mark.django_db
def test_page_and_api(make_case: Any, clerk: Any, login: Any) -> None:
    case = make_case(kind="petition")
    staff = login(clerk)
    assert "Ghi nhận đơn trùng" not in staff.get(reverse("staff_case", args=[case.pk])).content.decode()
    services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn.")
    page = staff.get(reverse("staff_case", args=[case.pk])).content.decode()
    assert "Ghi nhận đơn trùng vụ việc đã giải quyết" in page and "không được xem xét lại" in page  # reply prefilled
    posted = staff.post(
        reverse("staff_case_action", args=[case.pk, "repeat_letter"]),
        {"received_on": timezone.localdate().strftime("%d/%m/%Y"), "channel": "letter",
         "summary": "Đơn gửi lần 2.", "reply": "Xin xem văn bản đã trả lời."},
    )  # fmt: skip
    assert posted.status_code == 302
    page = staff.get(reverse("staff_case", args=[case.pk])).content.decode()
    assert "Đơn trùng đã nhận sau khi giải quyết: 1" in page and "Đơn gửi lần 2." in page
    api = staff.post(
        f"/api/v1/cases/{case.pk}/repeat-letters", {"summary": "Lần 3."}, content_type="application/json"
    )
    assert api.status_code == 200, api.content
    assert RepeatLetter.objects.filter(case=case).count() == 2
