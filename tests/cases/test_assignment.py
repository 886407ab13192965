"""Case tools (what users of django-helpdesk, FixMyStreet and SecureDrop expect): give a case to an officer of the
unit, one or many at once (one audit event per case), "my cases", the list sorted by a column, and internal notes
the citizen never sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import REPORTER, make_user
from pakn.cases import services
from pakn.cases.models import AuditEvent, CaseSubject
from pakn.core.errors import Forbidden, InvalidInput


@pytest.mark.django_db
def test_a_case_is_given_to_an_officer_who_may_handle_it(
    make_case: Any, clerk: Any, head: Any, other_clerk: Any
) -> None:
    case = make_case()
    assert set(services.assignable_officers(case)) == {clerk, head}
    assert services.assign_case(actor=head, case=case, officer=clerk).assignee == clerk
    with pytest.raises(InvalidInput):
        services.assign_case(actor=head, case=case, officer=other_clerk)  # another unit's
    with pytest.raises(Forbidden):
        services.assign_case(actor=other_clerk, case=case, officer=None)
    services.assign_case(actor=head, case=case, officer=clerk)  # the same: nothing recorded
    services.assign_case(actor=head, case=case, officer=None)
    events = AuditEvent.objects.filter(case=case, action="assigned").order_by("seq")
    assert [e.public for e in events] == [False, False] and events[0].data["to"]


@pytest.mark.django_db
def test_nobody_is_given_a_case_about_themselves(make_case: Any, clerk: Any, head: Any) -> None:
    case = make_case(kind="denunciation", subject="Cán bộ phường")
    CaseSubject.objects.update_or_create(case=case, defaults={"user": clerk, "source": "staff"})
    assert clerk not in services.assignable_officers(case)
    with pytest.raises(InvalidInput):
        services.assign_case(actor=head, case=case, officer=clerk)


@pytest.mark.django_db
def test_bulk_assignment_gives_each_case_its_own_event(make_case: Any, clerk: Any, head: Any, login: Any) -> None:
    cases = [make_case(title=f"Đèn đường hỏng số {i}") for i in range(10)]
    staff = login(head)
    response = staff.post(
        reverse("staff_bulk_assign"), {"case": [c.pk for c in cases], "officer": str(clerk.pk), "next": "/staff/"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="assigned", case__in=cases).count() == 10
    mine = login(clerk).get("/staff/", {"status": "open", "mine": "on"}).content.decode()
    assert all(c.title in mine for c in cases)
    assert 'id="count-mine">10<' in mine
    sorted_page = staff.get("/staff/", {"status": "open", "sort": "title"}).content.decode()
    assert sorted_page.index("Đèn đường hỏng số 0") < sorted_page.index("Đèn đường hỏng số 9")
    newest = staff.get("/staff/", {"status": "open", "sort": "-received"})
    assert newest.status_code == 200


@pytest.mark.django_db
def test_internal_notes_stay_internal(make_case: Any, clerk: Any, other_clerk: Any, login: Any) -> None:
    case = make_case()
    with pytest.raises(InvalidInput):
        services.add_note(actor=clerk, case=case, body="  ")
    with pytest.raises(Forbidden):
        services.add_note(actor=other_clerk, case=case, body="x")
    note = services.add_note(actor=clerk, case=case, body=f"Đã gọi {REPORTER['phone']}: hẹn kiểm tra thứ Hai.")
    assert REPORTER["phone"] not in note.body  # redacted like everything staff read
    page = login(clerk).get(reverse("staff_case", args=[case.pk])).content.decode()
    assert "hẹn kiểm tra thứ Hai" in page
    public = Client().get(f"/track/{case.tracking_code}/").content.decode()
    assert "hẹn kiểm tra thứ Hai" not in public and "Ghi chú nội bộ" not in public
    event = AuditEvent.objects.get(case=case, action="note_added")
    assert not event.public and event.data == {}


@pytest.mark.django_db
def test_api(make_case: Any, clerk: Any, head: Any, login: Any) -> None:
    case = make_case()
    staff = login(head)
    given = staff.post(f"/api/v1/cases/{case.pk}/assign", {"username": clerk.username}, content_type="application/json")
    assert given.status_code == 200
    wrong = staff.post(f"/api/v1/cases/{case.pk}/assign", {"username": "nobody"}, content_type="application/json")
    assert wrong.status_code == 400 and "username" in wrong.json()["error"]["fields"]
    mine = login(clerk).get("/api/v1/cases", {"mine": "true"}).json()
    assert [c["id"] for c in mine["items"]] == [case.pk]
    added = staff.post(
        f"/api/v1/cases/{case.pk}/notes", {"body": "Cần ảnh hiện trường."}, content_type="application/json"
    )
    assert added.status_code == 201
    assert [n["body"] for n in staff.get(f"/api/v1/cases/{case.pk}/notes").json()] == ["Cần ảnh hiện trường."]
    outsider = make_user("outsider", unit_code="UBND-00008")
    assert login(outsider).get(f"/api/v1/cases/{case.pk}/notes").status_code == 404
