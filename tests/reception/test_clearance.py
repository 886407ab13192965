"""Land clearance (Quyết định 99-QĐ/TW: "tăng cường đối thoại với dân … nhất là trong công tác giải phóng mặt bằng"):
a ward's project under its land-recovery decision, the households it affects sealed like the reception register's
people, dialogues linked to the project and to the complaint that required them (Luật Khiếu nại 2011, Điều 30, 39),
attendance, signed minutes that put an event on the complaint case, and the households' own word on the tasks of
the conclusion."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from tests.reception.test_reception import at, schedule, unit

from conftest import COMMUNE, OTHER_COMMUNE, escrow_private_key, make_user, outbox_to
from pakn.cases.models import AuditEvent
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from pakn.core.tracking import format_tracking_code
from pakn.notify.models import Outbox
from pakn.reception import clearance, follow_up, services
from pakn.reception.models import (
    Activity,
    AffectedHousehold,
    ClearanceProject,
    DialogueAttendance,
    FollowUpTask,
    Session,
)

WARD = f"UBND-{COMMUNE}"
DAY = date(2026, 5, 6)  # the dialogue: published on 21/04, 5 working days ahead and more
BINH = {
    "name": "Trần Văn Bình",
    "phone": "0912000111",
    "id_number": "001085099999",
    "address": "5 Liễu Giai, Ba Đình",
    "parcel": "Thửa số 45, tờ bản đồ số 12",
}
HOA = {"name": "Phạm Thị Hoa", "phone": "0988777666", "id_number": "001190088888", "parcel": "Thửa số 47, tờ 12"}
LAN = {"name": "Lê Thị Lan", "phone": "0977555444", "parcel": "Thửa số 51, tờ 12"}
SECRETS = [BINH["name"], BINH["phone"], BINH["id_number"], BINH["parcel"], "Liễu Giai"]


def new_project(actor: Any, **extra: Any) -> ClearanceProject:
    data: dict[str, Any] = {
        "actor": actor,
        "unit": unit(WARD),
        "name": "Mở rộng phố Đội Cấn đoạn số 1–50",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": date(2026, 3, 2),
        "description": "Thu hồi một phần đất mặt phố để mở rộng lòng đường.",
    }
    data.update(extra)
    return clearance.create_project(**data)


def add(actor: Any, project: ClearanceProject, person: dict[str, str]) -> AffectedHousehold:
    return clearance.add_household(actor=actor, project=project, **person)


def held_dialogue(head: Any, travel: Any, *, code: str = WARD) -> Session:
    """A dialogue published on 21/04/2026 for 06/05/2026 and held that day; the clock left at 06/05 16:00."""
    travel.move_to(at(date(2026, 4, 21), 9))
    session = schedule(head, day=DAY, kind="dialogue", code=code)
    travel.move_to(at(DAY, 16))
    return services.record_session_held(
        actor=head, session=session, presider_name="Lê Văn Cường", presided_by_head=True
    )


@pytest.fixture
def project(head: Any, travel: Any) -> ClearanceProject:
    return new_project(head)


@pytest.fixture
def households(head: Any, project: ClearanceProject) -> list[AffectedHousehold]:
    return [add(head, project, BINH), add(head, project, HOA), add(head, project, LAN)]


@pytest.fixture
def complaint(make_case: Any) -> Any:
    return make_case(
        kind="complaint",
        title="Khiếu nại quyết định thu hồi đất",
        content="Khiếu nại Quyết định 1234/QĐ-UBND về diện tích đất bị thu hồi của gia đình tôi.",
    )


def staff_visible(household: AffectedHousehold) -> str:
    """Every field of the household row and of the activity log, as staff and the admin could see them."""
    row = AffectedHousehold.objects.filter(pk=household.pk).values().get()
    logs = list(Activity.objects.values_list("data", flat=True))
    return json.dumps([row, logs], ensure_ascii=False, default=str)


# ---------------------------------------------------------------- projects and sealed households


def test_a_project_belongs_to_a_peoples_committee_and_is_checked_all_at_once(head: Any, travel: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        new_project(head, name="", decision_number="", decision_date="2026-12-01", commune="99999")
    assert {"name", "decision_number", "decision_date", "commune"} <= set(caught.value.fields)
    front = make_user("front_clerk", unit_code=f"MTTQ-{COMMUNE}", role="clerk")
    with pytest.raises(InvalidInput) as caught:
        new_project(front, unit=unit(f"MTTQ-{COMMUNE}"))
    assert "Ủy ban nhân dân" in str(caught.value.fields["unit"][0])
    project = new_project(head, description="Liên hệ 0912345678 để biết thêm.")
    assert project.commune_id == COMMUNE  # the ward's own, by default
    assert "0912345678" not in project.description  # a phone number never stays in text staff read
    assert Activity.objects.filter(action="project_created", object_id=project.pk).exists()


def test_a_household_is_sealed_and_named_by_a_pseudonym(head: Any, project: ClearanceProject) -> None:
    from pakn.protection import keys, vault
    from pakn.protection.notifier import open_contact

    with pytest.raises(InvalidInput) as caught:
        clearance.add_household(actor=head, project=project, name="", parcel="", phone="12", id_number="abc")
    assert {"name", "parcel", "phone", "id_number"} <= set(caught.value.fields)
    household = add(head, project, BINH)
    assert re.fullmatch(r"Hộ #[0-9A-Z]{4}", str(household.pseudonym))
    assert household.identity is not None and household.redaction_terms
    assert open_contact(household.notify_sealed) == BINH["phone"] and household.notify_channel == "sms"
    sealed = vault.open_json(household.identity, keys.escrow_key(), escrow_private_key())
    assert sealed == {k: BINH[k] for k in ("name", "address", "id_number", "phone", "parcel")}
    shown = staff_visible(household)
    for secret in SECRETS:
        assert secret not in shown
    assert Activity.objects.filter(action="household_added", object_id=household.pk).exists()


def test_who_writes_and_who_reads(
    head: Any, clerk: Any, other_clerk: Any, supervisor: Any, project: ClearanceProject
) -> None:
    add(clerk, project, BINH)  # a clerk of the ward writes
    for outsider in (other_clerk, supervisor):
        with pytest.raises(Forbidden):
            add(outsider, project, HOA)
        with pytest.raises(Forbidden):
            new_project(outsider)
    assert list(clearance.readable_projects(supervisor)) == [project]  # the Front of the ward reads
    assert not clearance.readable_projects(other_clerk).exists()
    far = make_user("far_front", unit_code=f"MTTQ-{OTHER_COMMUNE}", role="supervisor")
    assert not clearance.readable_projects(far).exists()


# ---------------------------------------------------------------- dialogues


def test_a_dialogue_is_linked_to_its_project_and_to_a_complaint_the_actor_may_see(
    head: Any, other_clerk: Any, travel: Any, project: ClearanceProject, complaint: Any, make_case: Any
) -> None:
    regular = schedule(head, day=date(2026, 5, 6))
    with pytest.raises(InvalidTransition):
        clearance.link_dialogue(actor=head, session=regular, project=project)
    dialogue = schedule(head, day=DAY, kind="dialogue")
    with pytest.raises(Forbidden):
        clearance.link_dialogue(actor=other_clerk, session=dialogue, project=project)
    elsewhere = new_project(
        make_user("ngoc_ha_head", unit_code=f"UBND-{OTHER_COMMUNE}", role="head"), unit=unit(f"UBND-{OTHER_COMMUNE}")
    )
    report = make_case(kind="report")
    far = make_case(kind="complaint", commune_code=OTHER_COMMUNE)  # Ngọc Hà's: not for Ba Đình's staff to see
    with pytest.raises(InvalidInput) as caught:
        clearance.link_dialogue(actor=head, session=dialogue, project=elsewhere, complaint=report)
    assert "đơn vị" in str(caught.value.fields["project"][0])
    assert "khiếu nại" in str(caught.value.fields["complaint"][0])
    with pytest.raises(InvalidInput) as caught:
        clearance.link_dialogue(actor=head, session=dialogue, complaint=far)
    assert "Không tìm thấy" in str(caught.value.fields["complaint"][0])
    with pytest.raises(InvalidInput):
        clearance.find_complaint(head, format_tracking_code(far.tracking_code))
    assert clearance.find_complaint(head, format_tracking_code(complaint.tracking_code)).pk == complaint.pk
    linked = clearance.link_dialogue(actor=head, session=dialogue, project=project, complaint=complaint)
    assert (linked.project_id, linked.complaint_id) == (project.pk, complaint.pk)
    assert list(project.dialogues.all()) == [dialogue]
    logged = Activity.objects.get(action="dialogue_linked", object_id=dialogue.pk)
    assert logged.data == {"project": project.pk, "complaint": complaint.pk}


def test_attendance_of_the_projects_households_only(
    head: Any, travel: Any, project: ClearanceProject, households: list[AffectedHousehold]
) -> None:
    dialogue = held_dialogue(head, travel)
    with pytest.raises(InvalidTransition):  # not linked to a project yet
        clearance.record_attendance(actor=head, session=dialogue, households=households, attended_ids=[])
    clearance.link_dialogue(actor=head, session=dialogue, project=project)
    binh, hoa, lan = households
    with pytest.raises(InvalidInput):
        clearance.record_attendance(actor=head, session=dialogue, households=[binh], attended_ids=[hoa.pk])
    other = new_project(head, name="Dự án khác")
    stranger = add(head, other, {"name": "Vũ Văn Tư", "parcel": "Thửa 9"})
    with pytest.raises(InvalidInput):
        clearance.record_attendance(actor=head, session=dialogue, households=[binh, stranger], attended_ids=[])
    clearance.record_attendance(actor=head, session=dialogue, households=households, attended_ids=[binh.pk])
    clearance.record_attendance(
        actor=head, session=dialogue, households=households, attended_ids=[str(binh.pk), str(lan.pk)]
    )  # recorded again: corrected, not added
    came = dict(DialogueAttendance.objects.filter(session=dialogue).values_list("household_id", "attended"))
    assert came == {binh.pk: True, hoa.pk: False, lan.pk: True}
    assert Activity.objects.filter(action="attendance_recorded", object_id=dialogue.pk).count() == 2
    with pytest.raises(InvalidInput):  # the project is fixed once attendance is recorded
        clearance.link_dialogue(actor=head, session=dialogue, project=None)


def test_minutes_only_for_a_held_dialogue_redacted_and_on_the_complaint_case(
    head: Any, travel: Any, project: ClearanceProject, households: list[AffectedHousehold], complaint: Any
) -> None:
    planned = schedule(head, day=date(2026, 5, 7), kind="dialogue")
    dialogue = held_dialogue(head, travel)
    travel.move_to(at(date(2026, 5, 7), 17))
    with pytest.raises(InvalidTransition):  # its day came, but it was never recorded as held
        clearance.record_minutes(
            actor=head, session=planned, text="Biên bản", signed_by="Chủ tịch", signed_on=date(2026, 5, 7)
        )
    clearance.link_dialogue(actor=head, session=dialogue, project=project, complaint=complaint)
    with pytest.raises(InvalidInput) as caught:
        clearance.record_minutes(actor=head, session=dialogue, text="", signed_by="", signed_on=date(2026, 5, 5))
    assert set(caught.value.fields) == {"text", "signed_by", "signed_on"}
    before = complaint.audit_count
    minutes = clearance.record_minutes(
        actor=head,
        session=dialogue,
        text="Ông Trần Văn Bình (0912000111) đề nghị đo lại Thửa số 45, tờ bản đồ số 12. Bà Phạm Thị Hoa đồng ý.",
        signed_by="Chủ tịch UBND phường; đại diện hộ ông Trần Văn Bình; thư ký",
        signed_on=DAY,
    )
    for secret in (BINH["name"], BINH["phone"], BINH["parcel"], HOA["name"]):
        assert secret not in minutes.text + minutes.signed_by
    assert "đề nghị đo lại" in minutes.text and "[đã che]" in minutes.text
    event = AuditEvent.objects.get(case=complaint, action="dialogue_held")
    assert event.data == {"on": "2026-05-06", "session": dialogue.pk} and event.actor == head
    complaint.refresh_from_db()
    assert complaint.audit_count == before + 1 and complaint.audit_head == event.hash
    with pytest.raises(InvalidTransition):  # signed once
        clearance.record_minutes(actor=head, session=dialogue, text="Lại", signed_by="Chủ tịch", signed_on=DAY)
    with pytest.raises(InvalidTransition):  # and the links are fixed
        clearance.link_dialogue(actor=head, session=dialogue, project=project)
    with pytest.raises(InvalidTransition):
        clearance.record_attendance(actor=head, session=dialogue, households=households, attended_ids=[])


def test_minutes_of_a_dialogue_without_a_complaint_touch_no_case(head: Any, travel: Any, complaint: Any) -> None:
    dialogue = held_dialogue(head, travel)
    clearance.record_minutes(actor=head, session=dialogue, text="Đối thoại chung.", signed_by="Chủ tịch", signed_on=DAY)
    assert not AuditEvent.objects.filter(action="dialogue_held").exists()


# ---------------------------------------------------------------- the households' follow-up


def conclude(head: Any, dialogue: Session, households: list[AffectedHousehold]) -> Any:
    return clearance.conclude_dialogue(
        actor=head,
        session=dialogue,
        number="31/TB-UBND",
        issued_on=DAY,
        body="Giao bộ phận địa chính đo lại diện tích thu hồi của hộ ông Trần Văn Bình.",
        tasks=[
            {"title": "Đo lại diện tích thu hồi", "owner_unit": unit(WARD), "due_on": date(2026, 5, 20),
             "household": households[0]},
        ],
    )  # fmt: skip


def test_households_are_told_of_the_conclusion_and_confirm_its_tasks_through_their_link(
    head: Any, travel: Any, project: ClearanceProject, households: list[AffectedHousehold]
) -> None:
    binh, hoa, lan = households
    dialogue = held_dialogue(head, travel)
    clearance.link_dialogue(actor=head, session=dialogue, project=project)
    clearance.record_attendance(actor=head, session=dialogue, households=households, attended_ids=[binh.pk, hoa.pk])
    other = add(head, new_project(head, name="Dự án khác"), {"name": "Vũ Văn Tư", "parcel": "Thửa 9"})
    with pytest.raises(InvalidInput) as caught:
        clearance.conclude_dialogue(
            actor=head, session=dialogue, number="1", issued_on=DAY, body="x",
            tasks=[{"title": "Việc", "owner_unit": unit(WARD), "due_on": date(2026, 5, 20), "household": other}],
        )  # fmt: skip
    assert "tasks.0.household" in caught.value.fields
    conclusion = conclude(head, dialogue, households)
    assert "Trần Văn Bình" not in conclusion.body  # shown on the project page: the household's name goes
    task = conclusion.tasks.get()
    assert task.household == binh and task.entry is None
    [mine] = [m for m in outbox_to(BINH["phone"]) if "31/TB-UBND" in m.body]
    assert "Đo lại diện tích thu hồi" in mine.body and "06/05/2026" in mine.body
    [hers] = [m for m in outbox_to(HOA["phone"]) if "31/TB-UBND" in m.body]  # came, no task about her
    assert "Đo lại" not in hers.body
    assert not [m for m in outbox_to(LAN["phone"]) if "31/TB-UBND" in m.body]  # absent, no task: not told

    travel.move_to(at(date(2026, 5, 15), 10))
    services.complete_follow_up_task(actor=head, task=task, result="Đã đo lại: 22 m².", done_on=date(2026, 5, 15))
    [ask] = [m for m in outbox_to(BINH["phone"]) if "/reception/follow-up/" in m.body]
    found = re.search(r"/reception/follow-up/([A-Za-z0-9_\-]+)/", ask.body)
    assert found
    token = found.group(1)
    assert follow_up.task_for_citizen(token).pk == task.pk
    review = follow_up.review_as_citizen(
        token=token, verdict="disputed", note="Tôi là Trần Văn Bình, Thửa số 45, tờ bản đồ số 12: chưa ai đến đo."
    )
    assert "Trần Văn Bình" not in review.note and "Thửa số 45" not in review.note and "chưa ai đến đo" in review.note
    assert Outbox.objects.filter(dedupe_key__startswith=f"task-disputed:{review.pk}").exists()


def test_a_household_without_a_phone_is_not_asked(
    head: Any, travel: Any, project: ClearanceProject, households: list[AffectedHousehold]
) -> None:
    silent = add(head, project, {"name": "Vũ Văn Tư", "parcel": "Thửa 9"})
    dialogue = held_dialogue(head, travel)
    clearance.link_dialogue(actor=head, session=dialogue, project=project)
    conclusion = clearance.conclude_dialogue(
        actor=head, session=dialogue, number="32/TB-UBND", issued_on=DAY, body="Giao việc.",
        tasks=[{"title": "Trả lời hộ", "owner_unit": unit(WARD), "due_on": date(2026, 5, 20), "household": silent}],
    )  # fmt: skip
    task = conclusion.tasks.get()
    services.complete_follow_up_task(actor=head, task=task, result="Đã trả lời.", done_on=DAY)
    assert FollowUpTask.objects.get(pk=task.pk).review_digest == ""


# ---------------------------------------------------------------- pages


def test_pages(
    head: Any,
    other_clerk: Any,
    supervisor: Any,
    travel: Any,
    login: Any,
    project: ClearanceProject,
    households: list[AffectedHousehold],
    complaint: Any,
) -> None:
    dialogue = held_dialogue(head, travel)  # the clock at 06/05/2026: before anyone logs in
    staff = login(head)
    listing = staff.get(reverse("reception_clearance"))
    assert listing.status_code == 200 and project.name in listing.content.decode()
    assert "Giải phóng mặt bằng" in listing.content.decode()  # the subnav link
    page = staff.get(reverse("reception_clearance_project", args=[project.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "1234/QĐ-UBND" in text
    assert all(str(h.pseudonym) in text for h in households)
    for secret in SECRETS:
        assert secret not in text
    assert login(supervisor).get(reverse("reception_clearance_project", args=[project.pk])).status_code == 200
    assert login(other_clerk).get(reverse("reception_clearance_project", args=[project.pk])).status_code == 404
    assert staff.get(reverse("reception_clearance_project", args=[999_999])).status_code == 404
    forbidden = login(supervisor).post(
        reverse("reception_clearance_household_new", args=[project.pk]), {"name": "X", "parcel": "Y"}
    )
    assert forbidden.status_code == 403

    new = staff.get(reverse("reception_clearance_new"))
    assert new.status_code == 200 and "Số quyết định thu hồi đất" in new.content.decode()
    typed = {"unit": unit(WARD).pk, "name": "Cải tạo ngõ 12", "decision_number": "", "decision_date": "02/03/2026"}
    refused = staff.post(reverse("reception_clearance_new"), typed)
    assert refused.status_code == 400 and "Cải tạo ngõ 12" in refused.content.decode()
    made = staff.post(reverse("reception_clearance_new"), {**typed, "decision_number": "77/QĐ-UBND"})
    created = ClearanceProject.objects.get(decision_number="77/QĐ-UBND")
    assert made.status_code == 302 and made["Location"] == reverse("reception_clearance_project", args=[created.pk])
    added = staff.post(
        reverse("reception_clearance_household_new", args=[created.pk]),
        {"name": "Vũ Văn Tư", "parcel": "Thửa 9, tờ 3", "phone": "0905123123"},
        follow=True,
    )
    assert "Đã thêm Hộ #" in added.content.decode() and "Vũ Văn Tư" not in added.content.decode()

    # The session page of a dialogue: link, attendance, minutes.
    url = reverse("reception_session", args=[dialogue.pk])
    assert "Gắn dự án, hồ sơ khiếu nại" in staff.get(url).content.decode()

    def act(name: str, data: dict[str, Any]) -> Any:
        return staff.post(reverse("reception_session_action", args=[dialogue.pk, name]), data)

    assert act("link", {"project": project.pk, "complaint": "ZZZZ-ZZZZ-ZZZ"}).status_code == 400
    code = format_tracking_code(complaint.tracking_code)
    assert act("link", {"project": project.pk, "complaint": code}).status_code == 302
    assert act("attendance", {"attended": [households[0].pk]}).status_code == 302
    assert act("minutes", {"text": "", "signed_by": "", "signed_on": ""}).status_code == 400
    signed = {
        "text": "Ông Trần Văn Bình đề nghị đo lại.",
        "signed_by": "Chủ tịch; đại diện 1 hộ",
        "signed_on": "06/05/2026",
    }
    assert act("minutes", signed).status_code == 302
    shown = staff.get(url).content.decode()
    assert project.name in shown and code in shown and "đề nghị đo lại" in shown and "Trần Văn Bình" not in shown
    assert "Gắn dự án, hồ sơ khiếu nại" not in shown  # signed: fixed
    regular = schedule(head, day=date(2026, 5, 13))
    assert staff.post(reverse("reception_session_action", args=[regular.pk, "minutes"]), signed).status_code == 404
    concluded = staff.post(
        reverse("reception_session_action", args=[dialogue.pk, "conclude"]),
        {"number": "31/TB-UBND", "issued_on": "06/05/2026", "body": "Giao đo lại.", "t0_title": "Đo lại",
         "t0_owner_unit": unit(WARD).pk, "t0_due_on": "20/05/2026", "t0_household": households[0].pk},
    )  # fmt: skip
    assert concluded.status_code == 302
    assert FollowUpTask.objects.get(title="Đo lại").household == households[0]
    page = staff.get(reverse("reception_clearance_project", args=[project.pk])).content.decode()
    assert "31/TB-UBND" in page and "Đo lại" in page and "1 hộ có mặt" in page


# ---------------------------------------------------------------- API


def test_api(
    head: Any, other_clerk: Any, supervisor: Any, login: Any, project: ClearanceProject, households: list[Any]
) -> None:
    staff = login(head)
    listed = staff.get("/api/v1/reception/clearance/projects")
    assert listed.status_code == 200
    assert [(p["id"], p["household_count"], p["decision_number"]) for p in listed.json()] == [
        (project.pk, 3, "1234/QĐ-UBND")
    ]
    detail = staff.get(f"/api/v1/reception/clearance/projects/{project.pk}")
    assert detail.status_code == 200
    assert [h["pseudonym"] for h in detail.json()["households"]] == [str(h.pseudonym) for h in households]
    for secret in SECRETS:
        assert secret not in detail.content.decode()
    path = f"/api/v1/reception/clearance/projects/{project.pk}/households"
    added = staff.post(path, {"name": "Vũ Văn Tư", "parcel": "Thửa 9"}, content_type="application/json")
    assert added.status_code == 201 and added.json()["pseudonym"].startswith("Hộ #")
    assert "Vũ Văn Tư" not in added.content.decode()
    bad = staff.post(path, {"name": "", "parcel": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert login(supervisor).get(f"/api/v1/reception/clearance/projects/{project.pk}").status_code == 200
    refused = login(supervisor).post(path, {"name": "X", "parcel": "Y"}, content_type="application/json")
    assert refused.status_code == 403
    assert login(other_clerk).get(f"/api/v1/reception/clearance/projects/{project.pk}").status_code == 404
    assert (
        login(other_clerk).post(path, {"name": "X", "parcel": "Y"}, content_type="application/json").status_code == 404
    )
    assert login(other_clerk).get("/api/v1/reception/clearance/projects").json() == []
    assert AffectedHousehold.objects.filter(project=project).count() == 4


def test_the_demo_has_a_project_with_a_held_dialogue(db: Any) -> None:
    from pakn.cases.demo import load_demo as load_cases
    from pakn.reception.demo import HOUSEHOLDS, load_demo

    load_cases()
    assert load_demo() > 0
    project = ClearanceProject.objects.get(decision_number="1234/QĐ-UBND", unit__code=WARD)
    assert project.households.count() == 3
    [dialogue] = project.dialogues.all()
    assert dialogue.status == "held" and dialogue.minutes.signed_by
    assert HOUSEHOLDS[0][0] not in dialogue.minutes.text  # the name said in the dialogue is removed
    [task] = FollowUpTask.objects.filter(conclusion__session=dialogue)
    assert task.household is not None and task.household.project == project
    with pytest.raises(NotFound):
        follow_up.task_for_citizen("x" * 24)
