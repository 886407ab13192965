"""A denunciation's conclusion says whether it was true, partly true or false (Luật Tố cáo 2018, Điều 35(1)(c)),
and a false one can be followed by what was done about the denouncer (Điều 9(2), 36): recorded by the handler,
internal, never opening the vault."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import make_user
from pakn.cases import services
from pakn.cases.models import Answer, AuditEvent, FalseReport
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound


def accepted_denunciation(make_case: Any, clerk: Any) -> Any:
    case = make_case(kind="denunciation", subject="Cán bộ địa chính phường")
    return services.accept_case(actor=clerk, case=case)


@pytest.mark.django_db
def test_a_denunciation_conclusion_must_say_what_it_found_and_nothing_else_may(make_case: Any, clerk: Any) -> None:
    case = accepted_denunciation(make_case, clerk)
    with pytest.raises(InvalidInput) as caught:
        services.resolve_case(actor=clerk, case=case, body="Kết luận.", kind="conclusion")
    assert "Điều 35" not in str(caught.value.fields["finding"][0])  # a plain sentence, the form says the article
    assert "đúng một phần" in str(caught.value.fields["finding"][0])
    with pytest.raises(InvalidInput):
        services.resolve_case(actor=clerk, case=case, body="Kết luận.", kind="conclusion", finding="maybe")
    complaint = services.accept_case(actor=clerk, case=make_case(kind="complaint"))
    with pytest.raises(InvalidInput) as caught:
        services.resolve_case(actor=clerk, case=complaint, body="Quyết định.", kind="conclusion", finding="false")
    assert "finding" in caught.value.fields
    services.resolve_case(actor=clerk, case=case, body="Kết luận: tố cáo sai sự thật.", kind="conclusion",
                          finding="false")  # fmt: skip
    assert Answer.objects.get(case=case).finding == "false"
    event = AuditEvent.objects.get(case=case, action="resolved")
    assert event.data["finding"] == "false" and event.public


@pytest.mark.django_db
def test_what_was_done_about_a_false_denunciation(make_case: Any, clerk: Any, other_clerk: Any) -> None:
    case = accepted_denunciation(make_case, clerk)
    referral = {"intentional": True, "action": "referred", "referred_to": "Công an quận Ba Đình", "document": "12/UBND"}
    with pytest.raises(InvalidTransition):  # no conclusion yet
        services.record_false_report(actor=clerk, case=case, **referral)
    services.resolve_case(actor=clerk, case=case, body="Tố cáo đúng một phần.", kind="conclusion", finding="partly")
    with pytest.raises(InvalidTransition):  # found partly true: nothing to record
        services.record_false_report(actor=clerk, case=case, **referral)

    other = accepted_denunciation(make_case, clerk)
    services.resolve_case(actor=clerk, case=other, body="Tố cáo sai sự thật.", kind="conclusion", finding="false")
    with pytest.raises(InvalidInput) as caught:
        services.record_false_report(actor=clerk, case=other, intentional=True, action="none")
    assert "action" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        services.record_false_report(actor=clerk, case=other, intentional=False, action="referred")
    assert "intentional" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        services.record_false_report(actor=clerk, case=other, intentional=True, action="referred")
    assert {"referred_to", "document"} <= set(caught.value.fields)
    with pytest.raises(Forbidden):
        services.record_false_report(actor=other_clerk, case=other, **referral)
    report = services.record_false_report(actor=clerk, case=other, **referral)
    assert (report.intentional, report.action, report.referred_to) == (True, "referred", "Công an quận Ba Đình")
    event = AuditEvent.objects.get(case=other, action="false_report_recorded")
    assert not event.public  # not on the public timeline
    with pytest.raises(InvalidTransition):
        services.record_false_report(actor=clerk, case=other, **referral)


@pytest.mark.django_db
def test_pages_and_api(make_case: Any, clerk: Any, login: Any, client: Any) -> None:
    case = accepted_denunciation(make_case, clerk)
    staff = login(clerk)
    url = reverse("staff_case_action", args=[case.pk, "resolve"])
    refused = staff.post(url, {"kind": "conclusion", "body": "Kết luận."})
    assert refused.status_code == 400 and "đúng một phần" in refused.content.decode()
    done = staff.post(url, {"kind": "conclusion", "body": "Tố cáo sai sự thật.", "finding": "false", "confirm": "on"})
    assert done.status_code == 302
    page = staff.get(reverse("staff_case", args=[case.pk])).content.decode()
    assert "Xử lý tố cáo sai sự thật" in page  # the step is offered
    public = client.get(f"/track/{case.tracking_code}/").content.decode()
    assert "Tố cáo sai sự thật" in public

    api = staff.post(
        f"/api/v1/cases/{case.pk}/false-report",
        {"intentional": False, "action": "none", "note": "Người tố cáo hiểu nhầm quy định."},
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    assert FalseReport.objects.get(case=case).action == "none"
    page = staff.get(reverse("staff_case", args=[case.pk])).content.decode()
    assert "Không có căn cứ" in page and "hai cán bộ bảo vệ" in page
    outsider = make_user("far", unit_code="UBND-00008")
    assert login(outsider).post(
        f"/api/v1/cases/{case.pk}/false-report", {"intentional": False, "action": "none"},
        content_type="application/json",
    ).status_code == 404  # fmt: skip
    with pytest.raises(NotFound):
        from pakn.org.access import access_case

        access_case(outsider, case.pk)
