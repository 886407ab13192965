"""Supervision: supervisors read their area (never the reporter), see the lists that matter and the audit trail,
and send recommendations whose answer deadline is tracked on both sides; units answer; scorecards and reports
are isolated by unit. Everything a user may not see answers 404."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from conftest import COMMUNE, OTHER_COMMUNE, REPORTER, make_user, recipient_of
from pakn.cases import policy, services
from pakn.cases.models import Case
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.notify.models import Outbox
from pakn.org.models import Unit
from pakn.oversight import services as oversight
from pakn.oversight.models import Recommendation, RecommendationStatus, ResponsePeriod

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = f"UBND-{COMMUNE}"
OTHER = f"UBND-{OTHER_COMMUNE}"
IDENTITY = [REPORTER["name"], REPORTER["phone"], REPORTER["email"], REPORTER["id_number"], REPORTER["address"]]


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def unit() -> Unit:
    return Unit.objects.get(code=UNIT)


# ---------------------------------------------------------------- the supervisor's area, read-only, anonymous


def test_supervisor_reads_area_cases_without_identity(make_case: Any, supervisor: Any, login: Any) -> None:
    case = make_case(content=f"Liên hệ {REPORTER['phone']} hoặc {REPORTER['email']}, CCCD {REPORTER['id_number']}.")
    denunciation = make_case(kind="denunciation", content=f"Tôi, {REPORTER['name']}, tố cáo cán bộ X.")
    client = login(supervisor)
    pages = [
        "/oversight/",
        "/oversight/cases/",
        f"/oversight/cases/{case.pk}/",
        f"/oversight/cases/{denunciation.pk}/",
        "/oversight/audit/",
        "/oversight/cases/?list=overdue",
        "/oversight/cases/?list=refused",
        "/oversight/cases/?list=soon",
        "/oversight/cases/?list=escalated",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in IDENTITY:
            assert secret not in body, (url, secret)
        assert case.tracking_code not in body and denunciation.tracking_code not in body, url
    detail = client.get(f"/oversight/cases/{case.pk}/").content.decode()
    # Masked here ("[đã ẩn]") or already redacted at submission by the identity vault ("[đã che]").
    assert ("[đã ẩn]" in detail or "[đã che]" in detail) and "Đèn đường" in detail


def test_supervisor_sees_only_their_area(make_case: Any, supervisor: Any, login: Any) -> None:
    mine = make_case()
    theirs = make_case(commune_code=OTHER_COMMUNE, title="Ở phường Ngọc Hà")
    client = login(supervisor)
    assert client.get(f"/oversight/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/oversight/cases/{theirs.pk}/").status_code == 404
    assert "Ở phường Ngọc Hà" not in client.get("/oversight/cases/").content.decode()
    assert "Ở phường Ngọc Hà" not in client.get("/oversight/audit/").content.decode()


def test_supervisor_cannot_act_on_a_case(make_case: Any, supervisor: Any, login: Any) -> None:
    case = make_case()
    today = case.received_on.isoformat()
    response = login(supervisor).post(f"/staff/cases/{case.pk}/accept", {"complexity": "normal", "accepted_on": today})
    assert response.status_code in (302, 403, 404)  # refused by the service, shown as an error message
    assert Case.objects.get(pk=case.pk).status == "received"
    assert not case.events.filter(action="accepted").exists()


def test_staff_and_strangers_do_not_get_the_supervisor_pages(make_case: Any, clerk: Any, head: Any, login: Any) -> None:
    case = make_case()
    for user in (clerk, head, make_user("citizen_only")):
        client = login(user)
        for url in (
            "/oversight/cases/",
            f"/oversight/cases/{case.pk}/",
            "/oversight/audit/",
            "/oversight/recommendations/new/",
        ):
            assert client.get(url).status_code == 404, (user.username, url)
    assert login(make_user("citizen2")).get("/oversight/").status_code == 404
    assert Client().get("/oversight/").status_code == 302  # to the login page


def test_lists_overdue_soon_refused_and_repeatedly_escalated(
    make_case: Any, clerk: Any, supervisor: Any, login: Any
) -> None:
    with on(date(2026, 3, 2)):
        complaint = make_case(kind="complaint", title="Khiếu nại chậm")
        refused = make_case(kind="petition", title="Bị từ chối")
        make_case(title="Sắp hạn")
        services.refuse_case(actor=clerk, case=refused, reason_code="feedback_not_competent")
    with on(date(2026, 3, 17)):  # acceptance deadline (12/03, 10 days) passed: first escalation
        services.check_deadlines()
        services.accept_case(actor=clerk, case=Case.objects.get(pk=complaint.pk))
    with on(date(2026, 4, 17)):  # resolution deadline (30 days after acceptance: 16/04) passed: second escalation
        services.check_deadlines()
    assert complaint.events.filter(action="overdue").count() == 2
    with on(date(2026, 3, 12)):
        client = login(supervisor)

        def listed(name: str) -> str:
            return client.get(f"/oversight/cases/?list={name}").content.decode()

        assert "Sắp hạn" in listed("soon") and "Bị từ chối" not in listed("soon")
        assert "Bị từ chối" in listed("refused") and "Sắp hạn" not in listed("refused")
        assert "Khiếu nại chậm" in listed("escalated") and "Sắp hạn" not in listed("escalated")
    with on(date(2026, 4, 17)):
        overdue = login(supervisor).get("/oversight/cases/?list=overdue").content.decode()
        assert "Khiếu nại chậm" in overdue and "Bị từ chối" not in overdue


def test_audit_trail_shows_who_did_what(make_case: Any, clerk: Any, supervisor: Any, login: Any) -> None:
    clerk.first_name, clerk.last_name = "Bình", "Trần Thị"
    clerk.save()
    case = make_case()
    services.accept_case(actor=clerk, case=case)
    body = login(supervisor).get(f"/oversight/cases/{case.pk}/").content.decode()
    assert "Thụ lý" in body and "Người gửi" in body
    assert "Trần Thị Bình" in body and "Bình Trần Thị" not in body  # family name first


# ---------------------------------------------------------------- recommendations and their deadline


def outbox_subjects(user: Any, text: str) -> list[str]:
    return [o.subject for o in Outbox.objects.filter(subject__contains=text) if recipient_of(o) == user.email]


def test_recommendation_deadline_is_tracked_on_both_sides(
    make_case: Any, supervisor: Any, clerk: Any, head: Any, unit: Unit, login: Any
) -> None:
    case = make_case()
    with on(date(2026, 3, 2)):
        rec = oversight.send_recommendation(
            actor=supervisor, to_unit=unit, case=case, title="Chậm trả lời", body="Đề nghị trả lời đúng hạn."
        )
    assert rec.sent_on == date(2026, 3, 2)
    assert rec.due_on == date(2026, 3, 23) == policy.working_calendar().add_working_days(date(2026, 3, 2), 15)
    assert "15" in rec.period_note
    emails = {recipient_of(o) for o in Outbox.objects.filter(subject__contains="Kiến nghị giám sát")}  # sealed
    assert {clerk.email, head.email} <= emails

    with on(date(2026, 3, 18)):  # three working days before: one reminder, however often the job runs
        assert oversight.check_recommendations() == {"reminded": 1, "overdue": 0}
        assert oversight.check_recommendations() == {"reminded": 0, "overdue": 0}
    with on(date(2026, 3, 24)):
        assert Recommendation.objects.get(pk=rec.pk).is_overdue()
        assert oversight.check_recommendations() == {"reminded": 0, "overdue": 1}
        assert oversight.check_recommendations() == {"reminded": 0, "overdue": 0}
        for user in (supervisor, clerk, head):
            client = login(user)
            page = client.get(f"/oversight/recommendations/{rec.pk}/").content.decode()
            assert "23/03/2026" in page and "Quá hạn trả lời" in page, user.username
            assert "Chậm trả lời" in client.get("/oversight/recommendations/?state=overdue").content.decode()
    with on(date(2026, 3, 25)):
        response = login(clerk).post(f"/oversight/recommendations/{rec.pk}/answer", {"answer": "Đã trả lời người dân."})
        assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.ANSWERED and rec.answered_on == date(2026, 3, 25) and rec.answered_late
    assert "Trả lời muộn" in login(supervisor).get(f"/oversight/recommendations/{rec.pk}/").content.decode()
    assert [e.action for e in rec.events.all()] == ["sent", "overdue", "answered"]
    with pytest.raises(InvalidTransition):
        oversight.answer_recommendation(actor=clerk, recommendation=rec, answer="Lần nữa")


def test_answer_on_time_and_configurable_period(supervisor: Any, clerk: Any, unit: Unit) -> None:
    ResponsePeriod.objects.create(
        code="supervision_recommendation", working_days=5, effective_from=date(2026, 1, 1), note="Cấu hình thử"
    )
    with on(date(2026, 3, 2)):
        rec = oversight.send_recommendation(actor=supervisor, to_unit=unit, title="Góp ý", body="Nội dung.")
    assert rec.due_on == date(2026, 3, 9)
    with on(date(2026, 3, 9)):
        rec = oversight.answer_recommendation(actor=clerk, recommendation=rec, answer="Đã tiếp thu.")
    assert rec.deadline_state() == "answered_on_time"


def test_supervisor_accepts_asks_again_or_escalates_to_the_unit_above(
    supervisor: Any, clerk: Any, head: Any, province_head: Any, unit: Unit, login: Any
) -> None:
    with on(date(2026, 3, 2)):
        rec = oversight.send_recommendation(actor=supervisor, to_unit=unit, title="Đèn đường", body="Sửa đèn.")
    with on(date(2026, 3, 5)):
        oversight.answer_recommendation(actor=clerk, recommendation=rec, answer="Sẽ xem xét.")
    page = login(supervisor).get(f"/oversight/recommendations/{rec.pk}/").content.decode()
    assert "Chấp nhận trả lời" in page and "Đề nghị trả lời lại" in page and "Kiến nghị lên" in page
    assert "Chấp nhận trả lời" not in login(clerk).get(f"/oversight/recommendations/{rec.pk}/").content.decode()
    # The unit cannot judge its own answer; a reason is needed to ask again.
    with pytest.raises(NotFound):
        oversight.assess_answer(actor=clerk, recommendation=rec, decision="accept")
    with pytest.raises(InvalidInput):
        oversight.assess_answer(actor=supervisor, recommendation=rec, decision="ask_again", note=" ")
    with on(date(2026, 3, 6)):
        response = login(supervisor).post(
            f"/oversight/recommendations/{rec.pk}/assess",
            {"decision": "ask_again", "note": "Trả lời chưa nêu thời gian sửa."},
        )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.AWAITING and rec.answer == "" and rec.answered_on is None
    assert rec.due_on == policy.working_calendar().add_working_days(date(2026, 3, 6), 15)
    asked = rec.events.get(action="asked_again")
    assert asked.data["previous_answer"] == "Sẽ xem xét." and asked.data["note"] == "Trả lời chưa nêu thời gian sửa."
    assert outbox_subjects(clerk, "Đề nghị trả lời lại")
    with on(date(2026, 3, 9)):
        oversight.answer_recommendation(actor=clerk, recommendation=rec, answer="Sẽ sửa trong tuần này.")
        oversight.assess_answer(actor=supervisor, recommendation=rec, decision="accept")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.ACCEPTED and rec.deadline_state() == "accepted"
    assert len(outbox_subjects(supervisor, "Đã có trả lời kiến nghị")) == 2  # the second round is a new notice
    assert [e.action for e in rec.events.all()] == ["sent", "answered", "asked_again", "answered", "accepted"]
    with pytest.raises(InvalidTransition):
        oversight.assess_answer(actor=supervisor, recommendation=rec, decision="accept")

    # No answer in time: the supervisor takes it to the unit above (the province People's Committee).
    with on(date(2026, 3, 2)):
        late = oversight.send_recommendation(actor=supervisor, to_unit=unit, title="Rác thải", body="Thu gom rác.")
    with on(date(2026, 3, 10)), pytest.raises(InvalidTransition):
        oversight.assess_answer(actor=supervisor, recommendation=late, decision="escalate", note="Chưa trả lời.")
    with on(date(2026, 3, 24)):
        followed = oversight.assess_answer(
            actor=supervisor, recommendation=late, decision="escalate", note="Đơn vị không trả lời đúng hạn."
        )
    late.refresh_from_db()
    assert late.status == RecommendationStatus.ESCALATED and followed.follows_id == late.pk
    assert followed.to_unit == unit.parent and followed.status == RecommendationStatus.AWAITING
    assert "Đơn vị không trả lời đúng hạn." in followed.body and "Thu gom rác." in followed.body
    assert "chưa trả lời" in followed.body
    above = login(province_head).get(f"/oversight/recommendations/{followed.pk}/").content.decode()
    assert "Rác thải" in above and "Gửi trả lời" in above
    with on(date(2026, 3, 25)):
        oversight.answer_recommendation(actor=province_head, recommendation=followed, answer="Đã chỉ đạo phường.")


def test_recommendation_isolation(
    make_case: Any, supervisor: Any, clerk: Any, other_clerk: Any, unit: Unit, login: Any
) -> None:
    other_unit = Unit.objects.get(code=OTHER)
    with pytest.raises(InvalidInput):
        oversight.send_recommendation(actor=supervisor, to_unit=other_unit, title="Ngoài địa bàn", body="X")
    with pytest.raises(NotFound):
        oversight.send_recommendation(actor=clerk, to_unit=unit, title="Không phải giám sát", body="X")
    theirs = make_case(commune_code=OTHER_COMMUNE)
    with pytest.raises(NotFound):
        oversight.send_recommendation(actor=supervisor, to_unit=unit, case=theirs, title="Hồ sơ nơi khác", body="X")
    rec = oversight.send_recommendation(actor=supervisor, to_unit=unit, title="Riêng", body="Nội dung")
    assert login(other_clerk).get(f"/oversight/recommendations/{rec.pk}/").status_code == 404
    assert "Riêng" not in login(other_clerk).get("/oversight/recommendations/").content.decode()
    with pytest.raises(NotFound):
        oversight.answer_recommendation(actor=other_clerk, recommendation=rec, answer="Không phải việc của tôi")
    with pytest.raises(NotFound):
        oversight.withdraw_recommendation(actor=clerk, recommendation=rec, reason="x")
    rec = oversight.withdraw_recommendation(actor=supervisor, recommendation=rec, reason="Đã làm rõ")
    assert rec.status == RecommendationStatus.WITHDRAWN


def test_send_recommendation_through_the_page(make_case: Any, supervisor: Any, unit: Unit, login: Any) -> None:
    case = make_case()
    client = login(supervisor)
    form = client.get(f"/oversight/recommendations/new/?case={case.pk}")
    assert form.status_code == 200 and "15 ngày làm việc" in form.content.decode()
    bad = client.post(
        "/oversight/recommendations/new/", {"to_unit": str(unit.pk), "title": "", "body": "", "case": case.pk}
    )
    assert bad.status_code == 400
    response = client.post(
        "/oversight/recommendations/new/",
        {"to_unit": str(unit.pk), "title": "Đề nghị giải quyết", "body": "Nội dung kiến nghị", "case": case.pk},
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.case_id == case.pk and rec.to_unit == unit
    assert "Đề nghị giải quyết" in client.get(f"/oversight/cases/{case.pk}/").content.decode()


# ---------------------------------------------------------------- scorecards


def _resolved(make_case: Any, actor: Any, **kwargs: Any) -> Case:
    case = make_case(**kwargs)
    services.resolve_case(actor=actor, case=case, body="Đã xử lý.")
    services.rate_case(case=case, level=5)
    return case


def test_unit_scorecards_are_limited_to_the_users_units(
    make_case: Any, clerk: Any, other_clerk: Any, province_head: Any, login: Any
) -> None:
    _resolved(make_case, clerk)
    _resolved(make_case, other_clerk, commune_code=OTHER_COMMUNE)
    mine = login(clerk).get("/oversight/scorecards/")
    assert mine.status_code == 200
    assert [r.unit.code for r in mine.context["rows"]] == [UNIT]
    assert "Công thức" in mine.content.decode() or "Cách tính" in mine.content.decode()
    wide = login(province_head).get("/oversight/scorecards/")
    assert {r.unit.code for r in wide.context["rows"]} == {UNIT, OTHER}
    narrowed = login(province_head).get(f"/oversight/scorecards/?unit={OTHER}")
    assert [r.unit.code for r in narrowed.context["rows"]] == [OTHER]
    outside = login(clerk).get(f"/oversight/scorecards/?unit={OTHER}")
    assert outside.status_code == 200 and all(r.unit.code == UNIT for r in outside.context["rows"])


def test_official_scorecards_for_heads_only(
    make_case: Any, clerk: Any, head: Any, supervisor: Any, other_clerk: Any, login: Any
) -> None:
    clerk.first_name, clerk.last_name = "Bình", "Trần Thị"
    clerk.save()
    for _ in range(5):
        _resolved(make_case, clerk)
    _resolved(make_case, other_clerk, commune_code=OTHER_COMMUNE)
    for user in (clerk, supervisor, other_clerk):
        assert login(user).get("/oversight/scorecards/officials/").status_code == 404, user.username
    response = login(head).get("/oversight/scorecards/officials/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.key for r in rows] == [clerk.pk]
    assert rows[0].measures["resolved"] == 5 and rows[0].measures.ranked and rows[0].measures.mark == "commend"
    assert "Đề nghị biểu dương" in response.content.decode()


def test_supervisor_scorecards_cover_the_area(
    make_case: Any, clerk: Any, other_clerk: Any, supervisor: Any, login: Any
) -> None:
    _resolved(make_case, clerk)
    _resolved(make_case, other_clerk, commune_code=OTHER_COMMUNE)
    response = login(supervisor).get("/oversight/scorecards/")
    assert [r.unit.code for r in response.context["rows"]] == [UNIT]
