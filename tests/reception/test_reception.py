"""Citizen reception: the publication rule (5 working days) and the notice deadline (10 working days)
over the real Vietnamese calendar, sessions, bookings, the register, opening cases from it (split
into several cases through ``cases.services.submit``), conclusions and follow-up, compliance, access
isolation, the public page without personal data, and the Excel/PDF reports."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import COMMUNE, OTHER_COMMUNE, identity_of, make_user, outbox_to, recipient_of
from pakn.cases import services as case_services
from pakn.cases.models import AuditEvent, Case
from pakn.core.calendar import DECREED_OVERRIDES, vietnam_calendar
from pakn.core.documents import FONT_DIRS
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.org.models import Unit
from pakn.reception import queries, rules, services
from pakn.reception.defaults import REQUIREMENTS
from pakn.reception.models import (
    Activity,
    Booking,
    BookingStatus,
    Entry,
    EntryCase,
    FollowUpTask,
    ReceptionRequirement,
    Session,
    SessionStatus,
    TimeRule,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar(
    range(2025, 2029),
    extra_working_days=[d for d, working, _ in DECREED_OVERRIDES if working],
    extra_days_off=[d for d, working, _ in DECREED_OVERRIDES if not working],
)
PUBLIC_NAME = "Nguyễn Thị Bí Mật"
PUBLIC_PHONE = "0987001122"
PUBLIC_EMAIL = "bi.mat@example.vn"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def schedule(actor: Any, *, day: date, code: str = f"UBND-{COMMUNE}", **extra: Any) -> Session:
    data: dict[str, Any] = {
        "actor": actor,
        "unit": unit(code),
        "date": day,
        "start_time": time(8, 0),
        "end_time": time(10, 0),
        "place": "Trụ sở UBND phường, 1 Đội Cấn",
        "presider_name": "Đồng chí Lê Văn Cường, Chủ tịch UBND phường",
        "publish": True,
    }
    data.update(extra)
    return services.schedule_session(**data)


def register(actor: Any, *, code: str = f"UBND-{COMMUNE}", **extra: Any) -> Entry:
    data: dict[str, Any] = {
        "actor": actor,
        "unit": unit(code),
        "received_on": date(2026, 4, 21),
        "name": "Trần Văn Bình",
        "address": "5 Liễu Giai, Ba Đình",
        "id_number": "001085099999",
        "phone": "0912000111",
        "summary": "Khiếu nại việc thu hồi đất và tố cáo cán bộ địa chính nhận tiền.",
        "kind": "mixed",
        "competence": "yes",
        "people_count": 2,
    }
    data.update(extra)
    return services.register_contact(**data)


# ---------------------------------------------------------------- pure rules over the real calendar


def test_publication_rule_counts_working_days_over_hung_kings_holidays() -> None:
    # Published Tue 21/04/2026: 22, 23, 24 (Fri), 27/04 in lieu of Hùng Kings day, 28 (4th), 29 (5th).
    assert (
        rules.publication_shortfall(
            CAL, published_on=date(2026, 4, 21), session_on=date(2026, 4, 28), min_working_days=5
        )
        == 1
    )
    assert (
        rules.publication_shortfall(
            CAL, published_on=date(2026, 4, 21), session_on=date(2026, 4, 29), min_working_days=5
        )
        == 0
    )
    assert rules.earliest_session_day(CAL, published_on=date(2026, 4, 21), min_working_days=5) == date(2026, 4, 29)
    assert (
        rules.publication_shortfall(
            CAL, published_on=date(2026, 4, 21), session_on=date(2026, 4, 21), min_working_days=5
        )
        == 5
    )


def test_notice_deadline_is_ten_working_days_across_tet() -> None:
    # Received Thu 12/02/2026: 13/02 is day 1, Tết 16–20/02 is skipped, day 10 is Thu 05/03.
    assert rules.notice_due(CAL, received_on=date(2026, 2, 12), working_days=10) == date(2026, 3, 5)
    assert rules.notice_due(CAL, received_on=date(2026, 2, 12), working_days=15) == date(2026, 3, 12)


def test_compliance_weekly_requirement_skips_a_week_without_working_days() -> None:
    weekly = [
        rules.Requirement(days=1, period="week", effective_from=date(2014, 7, 1), effective_to=None, citation="Điều 18")
    ]
    held = [date(2026, 2, 4), date(2026, 2, 11), date(2026, 2, 25)]  # nothing in the Tết week 16–22/02
    result = rules.compliance(
        weekly, CAL, held_days=held, start=date(2026, 2, 2), end=date(2026, 3, 1), today=date(2026, 3, 10)
    )
    assert [(p.start, p.required, p.held) for p in result.periods] == [
        (date(2026, 2, 2), 1, 1),
        (date(2026, 2, 9), 1, 1),
        (date(2026, 2, 16), 0, 0),
        (date(2026, 2, 23), 1, 1),
    ]
    assert (result.periods_due, result.periods_met, result.periods_missed, result.rate) == (3, 3, 0, 1.0)
    missed = rules.compliance(
        weekly, CAL, held_days=held[:1], start=date(2026, 2, 2), end=date(2026, 3, 1), today=date(2026, 3, 10)
    )
    assert (missed.periods_met, missed.periods_missed) == (1, 2)


def test_compliance_uses_the_rule_in_force_at_the_start_of_each_month() -> None:
    rows = [r for r in REQUIREMENTS if r[0].startswith("party-commune")]
    reqs = [
        rules.Requirement(days=r[4], period=r[5], effective_from=r[6], effective_to=r[7], citation=r[8]) for r in rows
    ]
    result = rules.compliance(
        reqs,
        CAL,
        held_days=[date(2025, 11, 5), date(2025, 12, 3)],
        start=date(2025, 11, 1),
        end=date(2025, 12, 31),
        today=date(2026, 1, 5),
    )
    november, december = result.periods
    assert (november.required, november.met) == (1, True)  # Regulation 11-QĐi/TW: 1 day a month
    assert (december.required, december.met) == (2, False)  # Conclusion 215-KL/TW (23/11/2025): 2 days a month
    assert "215-KL/TW" in december.citation


def test_an_unfinished_period_is_never_missed() -> None:
    weekly = [rules.Requirement(days=1, period="week", effective_from=date(2014, 7, 1), effective_to=None, citation="")]
    result = rules.compliance(
        weekly, CAL, held_days=[], start=date(2026, 3, 2), end=date(2026, 3, 8), today=date(2026, 3, 4)
    )
    assert result.periods[0].missed is False and result.periods_due == 0


# ---------------------------------------------------------------- seeded data


def test_requirements_and_time_rules_are_seeded_with_citations(db: Any) -> None:
    commune_pc = ReceptionRequirement.objects.get(code="pc-commune")
    assert (commune_pc.days, commune_pc.period) == (1, "week") and "Điều 18" in commune_pc.citation
    assert ReceptionRequirement.objects.get(code="party-commune-2025").days == 2
    assert ReceptionRequirement.objects.get(code="party-province-2025").days == 1
    assert ReceptionRequirement.objects.get(code="pc-province").period == "month"
    assert TimeRule.objects.get(code="publish-ahead").working_days == 5
    assert "Điều 28" in TimeRule.objects.get(code="notice-law-2013").citation
    for row in ReceptionRequirement.objects.all():
        assert row.citation and unicodedata.is_normalized("NFC", row.citation)


# ---------------------------------------------------------------- sessions


def test_publishing_fewer_than_five_working_days_ahead_is_refused_in_vietnamese(clerk: Any, travel: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        schedule(clerk, day=date(2026, 4, 28))
    message = str(caught.value.fields["date"][0])
    assert "5 ngày làm việc" in message and "29/04/2026" in message
    assert not Session.objects.exists()  # nothing stored half-way
    session = schedule(clerk, day=date(2026, 4, 29))
    assert session.status == SessionStatus.PUBLISHED and session.published_on == date(2026, 4, 21)


def test_a_draft_can_be_published_later_only_if_still_five_working_days_ahead(clerk: Any, travel: Any) -> None:
    session = schedule(clerk, day=date(2026, 5, 5), publish=False)
    assert session.status == SessionStatus.DRAFT
    travel.move_to(at(date(2026, 4, 28)))  # 29/04, 04/05 (30/04 and 01/05 are holidays), 05/05: only 3 working days
    with pytest.raises(InvalidInput):
        services.publish_session(actor=clerk, session=session)
    travel.move_to(at(date(2026, 4, 23)))  # 24, 28, 29/04, 04, 05/05: five working days
    assert services.publish_session(actor=clerk, session=session).status == SessionStatus.PUBLISHED
    with pytest.raises(InvalidTransition):
        services.publish_session(actor=clerk, session=session)


def test_ad_hoc_sessions_are_exempt_from_the_publication_rule(clerk: Any, travel: Any) -> None:
    session = schedule(clerk, day=date(2026, 4, 22), kind="ad_hoc")
    assert session.status == SessionStatus.PUBLISHED


def test_regular_session_on_a_holiday_and_online_session_without_link_are_refused(clerk: Any, travel: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        schedule(clerk, day=date(2026, 4, 30))
    assert "date" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        schedule(clerk, day=date(2026, 5, 6), mode="online", place="")
    assert "video_url" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        schedule(clerk, day=date(2026, 5, 6), mode="online", video_url="http://insecure.example/room")
    assert "video_url" in caught.value.fields


def test_only_the_units_own_staff_schedule_its_sessions(other_clerk: Any, supervisor: Any, travel: Any) -> None:
    for actor in (other_clerk, supervisor):
        with pytest.raises(Forbidden):
            schedule(actor, day=date(2026, 5, 6))


def test_online_session_must_keep_its_recording_when_held(clerk: Any, travel: Any) -> None:
    session = schedule(
        clerk, day=date(2026, 5, 6), mode="online", place="", video_url="https://hop.example.vn/tiep-dan"
    )
    with pytest.raises(InvalidInput):
        services.record_session_held(actor=clerk, session=session, presider_name="Lê Văn Cường", presided_by_head=True)
    travel.move_to(at(date(2026, 5, 6), 15))
    with pytest.raises(InvalidInput) as caught:
        services.record_session_held(actor=clerk, session=session, presider_name="Lê Văn Cường", presided_by_head=True)
    assert "recording_ref" in caught.value.fields
    held = services.record_session_held(
        actor=clerk,
        session=session,
        presider_name="Lê Văn Cường",
        presided_by_head=True,
        recording_ref="Lưu trữ số 12/2026",
    )
    assert held.status == SessionStatus.HELD


def test_cancelling_a_session_cancels_bookings_and_tells_the_citizens(clerk: Any, travel: Any) -> None:
    session = schedule(clerk, day=date(2026, 5, 6))
    booking = services.book_slot(
        session=session, name="Phạm Văn Hải", summary="Hỏi về cấp sổ đỏ", email="hai@example.vn"
    )
    services.cancel_session(actor=clerk, session=session, reason="Lãnh đạo đi công tác đột xuất")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert outbox_to("hai@example.vn", subject__startswith="Hủy buổi tiếp")  # the address is stored sealed


# ---------------------------------------------------------------- bookings


def test_booking_takes_the_next_free_slot_until_the_session_is_full(clerk: Any, travel: Any) -> None:
    session = schedule(clerk, day=date(2026, 5, 6), end_time=time(9, 0), slot_minutes=20)  # 3 slots
    first = services.book_slot(session=session, name="Người Một", summary="Việc một", phone="0912000001")
    second = services.book_slot(session=session, name="Người Hai", summary="Việc hai", phone="0912000002")
    assert (first.slot, second.slot) == (1, 2)
    assert services.slot_time(session, second.slot) == "08:20"
    # The same phone again is not refused (that would tell a stranger who booked): staff see the repeat.
    again = services.book_slot(session=session, name="Người Một", summary="Lần nữa", phone="0912 000 001")
    assert services.repeated_contacts(session.bookings.all()) == {again.pk: 1}
    services.cancel_booking(booking=first)
    services.cancel_booking(booking=again)
    assert services.book_slot(session=session, name="Người Ba", summary="Việc ba", phone="0912000003").slot == 1
    services.book_slot(session=session, name="Người Bốn", summary="Việc bốn", phone="0912000004")
    with pytest.raises(InvalidTransition) as caught:
        services.book_slot(session=session, name="Người Năm", summary="Việc năm", phone="0912000005")
    assert caught.value.code == "full"


def test_booking_needs_a_way_to_reach_the_citizen_and_a_summary(clerk: Any, travel: Any) -> None:
    session = schedule(clerk, day=date(2026, 5, 6))
    with pytest.raises(InvalidInput) as caught:
        services.book_slot(session=session, name="Ẩn Danh", summary="")
    assert {"phone", "summary"} <= set(caught.value.fields)
    with pytest.raises(InvalidInput) as caught:
        services.book_slot(session=session, name="A", summary="B", phone="12ab", email="không-phải-email")
    assert {"phone", "email"} <= set(caught.value.fields)
    assert not Booking.objects.exists()


def test_online_booking_sends_the_video_link_to_the_citizen_only(clerk: Any, travel: Any, client: Any) -> None:
    session = schedule(
        clerk, day=date(2026, 5, 6), mode="online", place="", video_url="https://hop.example.vn/phong-42"
    )
    booking = services.book_slot(session=session, name=PUBLIC_NAME, summary="Việc cần trình bày", email=PUBLIC_EMAIL)
    [message] = outbox_to(PUBLIC_EMAIL)
    assert "https://hop.example.vn/phong-42" in message.body and "08:00" in message.body
    assert "phong-42" not in client.get(reverse("reception_public")).content.decode()
    page = client.get(reverse("reception_booking", args=[booking.code])).content.decode()
    assert "phong-42" in page and PUBLIC_NAME not in page and PUBLIC_EMAIL not in page


def test_public_pages_list_sessions_without_any_personal_data(clerk: Any, travel: Any, client: Any) -> None:
    session = schedule(clerk, day=date(2026, 5, 6), topic="Đất đai, xây dựng")
    services.book_slot(
        session=session,
        name=PUBLIC_NAME,
        summary="Nhà tôi bị lấn chiếm lối đi riêng",
        phone=PUBLIC_PHONE,
        email=PUBLIC_EMAIL,
        address="Số 9 ngõ bí mật",
    )
    response = client.get(reverse("reception_public"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ủy ban nhân dân Phường Ba Đình" in page and "06/05/2026" in page and "Đất đai, xây dựng" in page
    for secret in (PUBLIC_NAME, PUBLIC_PHONE, PUBLIC_EMAIL, "lấn chiếm lối đi", "ngõ bí mật"):
        assert secret not in page
    book_page = client.get(reverse("reception_book", args=[session.pk])).content.decode()
    for secret in (PUBLIC_NAME, PUBLIC_PHONE, PUBLIC_EMAIL, "lấn chiếm lối đi"):
        assert secret not in book_page
    assert 'for="id_summary"' in book_page  # labelled fields


def test_citizen_books_through_the_public_form_without_javascript(clerk: Any, travel: Any, client: Any) -> None:
    session = schedule(clerk, day=date(2026, 5, 6))
    url = reverse("reception_book", args=[session.pk])
    bad = client.post(url, {"name": "", "summary": "", "people_count": 1})
    assert bad.status_code == 400 and "Trường này là bắt buộc" in bad.content.decode()
    response = client.post(
        url, {"name": PUBLIC_NAME, "phone": PUBLIC_PHONE, "summary": "Đề nghị sửa đường", "people_count": 1}
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Đăng ký thành công" in page and PUBLIC_NAME not in page
    honeypot = client.post(
        url, {"name": "Bot", "phone": "0900000000", "summary": "x", "people_count": 1, "website": "spam"}
    )
    assert honeypot.status_code == 400 and Booking.objects.count() == 1
    assert booking.session_id == session.pk


def test_unpublished_or_past_sessions_cannot_be_booked(clerk: Any, travel: Any, client: Any) -> None:
    draft = schedule(clerk, day=date(2026, 5, 6), publish=False)
    assert client.get(reverse("reception_book", args=[draft.pk])).status_code == 404
    with pytest.raises(InvalidTransition):
        services.book_slot(session=draft, name="A", summary="B", phone="0912000001")


# ---------------------------------------------------------------- the register


def test_register_numbers_entries_per_unit_and_year_and_sets_the_notice_deadline(
    clerk: Any, other_clerk: Any, travel: Any
) -> None:
    first = register(clerk)
    second = register(clerk, received_on=date(2026, 2, 12))
    other = register(other_clerk, code=f"UBND-{OTHER_COMMUNE}")
    old = register(clerk, received_on=date(2025, 12, 30))
    assert (first.number, second.number, other.number, old.number) == (1, 2, 1, 1)
    assert second.reference == "2/2026" and old.year == 2025
    # 22, 23, 24, 28, 29/04, 04, 05, 06, 07, 08/05 (27/04, 30/04 and 01/05 are holidays)
    assert first.notice_due_on == CAL.add_working_days(date(2026, 4, 21), 10) == date(2026, 5, 8)
    assert second.notice_due_on == date(2026, 3, 5) and "Điều 28" in second.notice_rule
    assert Activity.objects.filter(action="registered").count() == 4


def test_party_committee_complex_matter_gets_fifteen_working_days(db: Any, travel: Any) -> None:
    party_clerk = make_user("party_clerk", unit_code=f"DU-{COMMUNE}")
    entry = register(party_clerk, code=f"DU-{COMMUNE}", received_on=date(2026, 2, 12), complex=True)
    assert entry.notice_due_on == date(2026, 3, 12) and "11-QĐi/TW" in entry.notice_rule
    simple = register(party_clerk, code=f"DU-{COMMUNE}", received_on=date(2026, 2, 12))
    assert simple.notice_due_on == date(2026, 3, 5)


def test_register_validates_every_column_before_writing(clerk: Any, travel: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(clerk, name="", id_number="12345", received_on=date(2026, 5, 1), kind="gossip", competence="maybe")
    assert {"name", "id_number", "received_on", "kind", "competence"} <= set(caught.value.fields)
    assert not Entry.objects.exists()


def test_mixed_letter_is_split_into_separate_cases_through_submit(clerk: Any, travel: Any, monkeypatch: Any) -> None:
    calls: list[dict[str, Any]] = []
    real_submit = case_services.submit

    def spy(**kwargs: Any) -> Case:
        calls.append(kwargs)
        return real_submit(**kwargs)

    monkeypatch.setattr(case_services, "submit", spy)
    entry = register(clerk, received_on=date(2026, 4, 20))
    cases = services.open_cases(
        actor=clerk,
        entry=entry,
        matters=[
            {
                "kind": "complaint",
                "title": "Khiếu nại quyết định thu hồi đất",
                "content": "Quyết định thu hồi đất số 5/QĐ-UBND không đúng.",
            },
            {
                "kind": "denunciation",
                "title": "Tố cáo cán bộ địa chính",
                "content": "Cán bộ địa chính yêu cầu nộp tiền ngoài quy định.",
                "subject": "Cán bộ địa chính phường",
            },
        ],
    )
    assert len(calls) == 2 and {c["channel"] for c in calls} == {"reception"}
    assert all(c["received_on"] == date(2026, 4, 20) and c["actor"] == clerk for c in calls)
    assert [c.kind for c in cases] == ["complaint", "denunciation"]
    for case in cases:
        case.refresh_from_db()
        assert case.channel == "reception" and case.received_on == date(2026, 4, 20)
        identity = identity_of(case)  # sealed in the vault, opened here with the escrow key
        assert identity["name"] == "Trần Văn Bình" and identity["id_number"] == "001085099999"
        assert case.track == "statutory"
        assert AuditEvent.objects.filter(case=case, action="submitted").exists()
    assert list(EntryCase.objects.filter(entry=entry).values_list("case_id", flat=True)) == [c.pk for c in cases]


def test_opening_cases_is_all_or_nothing(clerk: Any, travel: Any) -> None:
    entry = register(clerk)
    before = Case.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.open_cases(
            actor=clerk,
            entry=entry,
            matters=[
                {"kind": "report", "title": "Đèn đường hỏng", "content": "Đèn đường trước số 5 hỏng."},
                {"kind": "report", "title": "", "content": "Thiếu tiêu đề"},
            ],
        )
    assert "matters.1.title" in caught.value.fields
    assert Case.objects.count() == before and not EntryCase.objects.exists()
    with pytest.raises(InvalidInput):
        services.open_cases(actor=clerk, entry=entry, matters=[])


def test_staff_of_another_unit_cannot_open_cases_or_write_notices(clerk: Any, other_clerk: Any, travel: Any) -> None:
    entry = register(clerk)
    with pytest.raises(Forbidden):
        services.open_cases(actor=other_clerk, entry=entry, matters=[{"kind": "report", "title": "A", "content": "B"}])
    with pytest.raises(Forbidden):
        services.record_notice(actor=other_clerk, entry=entry, outcome="accepted", notified_on=date(2026, 4, 21))


def test_notice_late_and_overdue_are_tracked(clerk: Any, travel: Any) -> None:
    on_time = register(clerk, received_on=date(2026, 4, 1))
    late = register(clerk, received_on=date(2026, 4, 1))
    pending = register(clerk, received_on=date(2026, 4, 2))
    due = on_time.notice_due_on
    assert due == date(2026, 4, 15)
    services.record_notice(
        actor=clerk, entry=on_time, outcome="accepted", notified_on=date(2026, 4, 10), document="12/TB-UBND"
    )
    services.record_notice(actor=clerk, entry=late, outcome="forwarded", notified_on=date(2026, 4, 20))
    with pytest.raises(InvalidInput):
        services.record_notice(actor=clerk, entry=pending, outcome="refused", notified_on=date(2026, 3, 1))
    row = queries.compliance_for(
        [unit(f"UBND-{COMMUNE}")], start=date(2026, 4, 1), end=date(2026, 4, 30), today=date(2026, 4, 21)
    )[0]
    assert (row.entries, row.notices_pending, row.notices_overdue, row.notices_late) == (3, 1, 1, 1)
    assert Activity.objects.filter(action="notified", data__late=True).count() == 1


# ---------------------------------------------------------------- conclusions, follow-up, compliance


def test_conclusion_tasks_appear_in_the_heads_compliance_view(head: Any, travel: Any) -> None:
    travel.move_to(at(date(2026, 5, 6), 8))
    session = schedule(head, day=date(2026, 5, 6), kind="ad_hoc")
    with pytest.raises(InvalidTransition):  # not held yet
        services.issue_conclusion(
            actor=head, session=session, number="1/TB-UBND", issued_on=date(2026, 5, 6), body="Kết luận"
        )
    travel.move_to(at(date(2026, 5, 6), 16))
    services.record_session_held(actor=head, session=session, presider_name="Lê Văn Cường", presided_by_head=True)
    entry = register(head, received_on=date(2026, 5, 6), session=session)
    owner = unit(f"UBND-{COMMUNE}")
    with pytest.raises(InvalidInput) as caught:
        services.issue_conclusion(
            actor=head,
            session=session,
            number="15/TB-UBND",
            issued_on=date(2026, 5, 7),
            body="Kết luận",
            tasks=[{"title": "", "owner_unit": owner, "due_on": date(2026, 5, 1)}],
        )
    assert {"issued_on", "tasks.0.title", "tasks.0.due_on"} <= set(caught.value.fields)
    conclusion = services.issue_conclusion(
        actor=head,
        session=session,
        number="15/TB-UBND",
        issued_on=date(2026, 5, 6),
        body="Giao bộ phận địa chính kiểm tra, trả lời công dân.",
        tasks=[
            {
                "title": "Kiểm tra hiện trạng thửa đất, báo cáo Chủ tịch",
                "owner_unit": owner,
                "owner_name": "Cán bộ địa chính",
                "due_on": date(2026, 5, 20),
                "entry": entry,
            }
        ],
    )
    task = conclusion.tasks.get()
    row = queries.compliance_for([owner], start=date(2026, 5, 1), end=date(2026, 5, 31), today=date(2026, 5, 6))[0]
    assert (row.tasks_open, row.tasks_overdue, row.sessions_held, row.entries) == (1, 0, 1, 1)
    late_row = queries.compliance_for([owner], start=date(2026, 5, 1), end=date(2026, 5, 31), today=date(2026, 5, 21))[
        0
    ]
    assert late_row.tasks_overdue == 1
    travel.move_to(at(date(2026, 5, 22)))
    services.complete_follow_up_task(
        actor=head, task=task, result="Đã kiểm tra, trả lời công dân", done_on=date(2026, 5, 22)
    )
    task.refresh_from_db()
    assert task.done_on == date(2026, 5, 22)
    with pytest.raises(InvalidTransition):
        services.complete_follow_up_task(actor=head, task=task, result="Lần nữa", done_on=date(2026, 5, 22))
    assert (
        queries.compliance_for([owner], start=date(2026, 5, 1), end=date(2026, 5, 31), today=date(2026, 5, 22))[
            0
        ].tasks_open
        == 0
    )


def test_compliance_counts_days_the_head_presided_against_the_weekly_requirement(clerk: Any, travel: Any) -> None:
    owner = unit(f"UBND-{COMMUNE}")
    # Weeks of 04/05, 11/05, 18/05 and 25/05/2026: the head receives on a regular day in the 1st week and
    # ad hoc in the 3rd; a deputy receives in the 2nd; the 4th has only a dialogue, which does not count.
    travel.move_to(at(date(2026, 4, 24)))
    regular = schedule(clerk, day=date(2026, 5, 6))
    travel.move_to(at(date(2026, 5, 6), 16))
    services.record_session_held(actor=clerk, session=regular, presider_name="Chủ tịch", presided_by_head=True)
    for day, kind, by_head in (
        (date(2026, 5, 13), "ad_hoc", False),
        (date(2026, 5, 20), "ad_hoc", True),
        (date(2026, 5, 27), "dialogue", True),
    ):
        travel.move_to(at(day - timedelta(days=14)))
        session = schedule(clerk, day=day, kind=kind)
        travel.move_to(at(day, 16))
        services.record_session_held(
            actor=clerk,
            session=session,
            presider_name="Chủ tịch" if by_head else "Phó Chủ tịch",
            presided_by_head=by_head,
        )
    row = queries.compliance_for([owner], start=date(2026, 5, 4), end=date(2026, 5, 31), today=date(2026, 6, 1))[0]
    assert row.requirement == "1 ngày/tuần" and "Điều 18" in row.citation
    assert (row.head_days, row.sessions_held, row.dialogues) == (2, 4, 1)
    assert (row.result.periods_due, row.result.periods_met, row.result.periods_missed) == (4, 2, 2)
    assert row.rate_percent == 50
    assert [p.held for p in row.result.periods] == [1, 0, 1, 0]


# ---------------------------------------------------------------- pages and access


def test_staff_walk_schedule_hold_register_open_case_conclude(head: Any, login: Any, travel: Any) -> None:
    client = login(head)
    owner = unit(f"UBND-{COMMUNE}")
    response = client.post(
        reverse("reception_session_new"),
        {
            "unit": owner.pk,
            "kind": "regular",
            "mode": "in_person",
            "date": "2026-04-28",
            "start_time": "08:00",
            "end_time": "11:00",
            "place": "Trụ sở UBND phường",
            "presider_name": "Chủ tịch UBND phường",
            "presided_by_head": "on",
            "slot_minutes": 20,
            "publish": "on",
        },
    )
    assert response.status_code == 400 and "29/04/2026" in response.content.decode()
    response = client.post(
        reverse("reception_session_new"),
        {
            "unit": owner.pk,
            "kind": "regular",
            "mode": "in_person",
            "date": "2026-04-29",
            "start_time": "08:00",
            "end_time": "11:00",
            "place": "Trụ sở UBND phường",
            "presider_name": "Chủ tịch UBND phường",
            "presided_by_head": "on",
            "slot_minutes": 20,
            "publish": "on",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    booking = services.book_slot(
        session=session, name=PUBLIC_NAME, summary="Đề nghị sửa cống thoát nước", phone=PUBLIC_PHONE
    )
    travel.move_to(at(date(2026, 4, 29), 15))
    url = reverse("reception_session_action", args=[session.pk, "held"])
    assert client.post(url, {"presider_name": "Chủ tịch UBND phường", "presided_by_head": "on"}).status_code == 302
    detail = client.get(reverse("reception_session", args=[session.pk])).content.decode()
    assert booking.pseudonym in detail and "Đã tiếp" in detail  # staff see a pseudonym, never who booked
    assert PUBLIC_NAME not in detail and PUBLIC_PHONE not in detail
    form = client.get(reverse("reception_entry_new") + f"?session={session.pk}&booking={booking.pk}").content.decode()
    assert PUBLIC_NAME not in form and "Đề nghị sửa cống thoát nước" in form
    response = client.post(
        reverse("reception_entry_new"),
        {
            "session": session.pk,
            "booking": booking.pk,
            "unit": owner.pk,
            "received_on": "2026-04-29",
            "summary": "Đề nghị sửa cống thoát nước",
            "kind": "petition",
            "people_count": 1,
            "competence": "yes",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED and entry.booking_id == booking.pk
    assert entry.identity_id == booking.identity_id and entry.verifiable  # the sealed booking details are kept
    response = client.post(
        reverse("reception_entry_action", args=[entry.pk, "open_cases"]),
        {"m0_kind": "petition", "m0_title": "Sửa cống thoát nước ngõ 5", "m0_content": "Cống thoát nước ngõ 5 bị tắc."},
    )
    assert response.status_code == 302
    case = Case.objects.get(channel="reception")
    page = client.get(reverse("reception_entry", args=[entry.pk])).content.decode()
    assert case.tracking_code in page and PUBLIC_NAME not in page
    assert identity_of(case)["name"] == PUBLIC_NAME and case.track == "feedback"
    response = client.post(
        reverse("reception_session_action", args=[session.pk, "conclude"]),
        {
            "number": "20/TB-UBND",
            "issued_on": "2026-04-29",
            "body": "Giao tổ dân phố phối hợp khơi thông cống.",
            "t0_title": "Khơi thông cống ngõ 5",
            "t0_owner_unit": owner.pk,
            "t0_due_on": "2026-05-15",
            "t0_entry": entry.pk,
        },
    )
    assert response.status_code == 302
    assert FollowUpTask.objects.get().entry_id == entry.pk
    compliance = client.get(reverse("reception_compliance_unit", args=[owner.pk]) + "?start=2026-04-01&end=2026-04-30")
    assert compliance.status_code == 200
    text = compliance.content.decode()
    assert "Khơi thông cống ngõ 5" in text and "1 ngày/tuần" in text


def test_another_units_register_and_sessions_answer_not_found(
    clerk: Any, other_clerk: Any, supervisor: Any, login: Any, travel: Any
) -> None:
    entry = register(clerk)
    session = schedule(clerk, day=date(2026, 5, 6))
    other = login(other_clerk)
    for url in (
        reverse("reception_entry", args=[entry.pk]),
        reverse("reception_session", args=[session.pk]),
        reverse("reception_compliance_unit", args=[entry.unit_id]),
        reverse("reception_register") + f"?unit={entry.unit_id}",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(
            reverse("reception_entry_action", args=[entry.pk, "notice"]),
            {"outcome": "accepted", "notified_on": "2026-04-21"},
        ).status_code
        == 404
    )
    assert (
        other.post(reverse("reception_session_action", args=[session.pk, "cancel"]), {"reason": "x"}).status_code == 404
    )
    listing = other.get(reverse("reception_register")).content.decode()
    assert "Trần Văn Bình" not in listing
    # The commune's Fatherland Front reads the register, changes nothing.
    watcher = login(supervisor)
    assert watcher.get(reverse("reception_entry", args=[entry.pk])).status_code == 200
    assert (
        watcher.post(
            reverse("reception_entry_action", args=[entry.pk, "notice"]),
            {"outcome": "accepted", "notified_on": "2026-04-21"},
        ).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.notified_on is None
    assert login(make_user("citizen_account")).get(reverse("reception_staff")).status_code == 404


def test_register_identities_are_sealed_from_staff_supervisors_and_exports(
    clerk: Any, supervisor: Any, login: Any, travel: Any
) -> None:
    entry = register(
        clerk,
        kind="denunciation",
        name="Người Tố Cáo Kín",
        phone="0911222333",
        summary="Tôi là Người Tố Cáo Kín, số máy 0911 222 333, tố cáo cán bộ thu tiền.",
        handled_before="Tổ dân phố đã gặp bà Người Tố Cáo Kín",
    )
    assert "Người Tố Cáo Kín" not in entry.handled_before and entry.handled_before.startswith("Tổ dân phố")
    entry = services.update_entry(
        actor=clerk, entry=entry, guidance_document="Số 5/HD gửi Người Tố Cáo Kín", follow_up="Gọi 0911222333"
    )
    entry = services.record_notice(
        actor=clerk, entry=entry, outcome="guided", notified_on=date(2026, 4, 21), document="Phiếu gửi Người Tố Cáo Kín"
    )
    assert "Người Tố Cáo Kín" not in entry.summary and "0911 222 333" not in entry.summary
    assert "[đã che]" in entry.summary and "tố cáo cán bộ thu tiền" in entry.summary
    row = Entry.objects.filter(pk=entry.pk).values().get()
    assert not any("Người Tố Cáo Kín" in str(v) or "0911222333" in str(v) for v in row.values())
    for user in (clerk, supervisor):
        client = login(user)
        for url in (reverse("reception_entry", args=[entry.pk]), reverse("reception_register")):
            page = client.get(url).content.decode()
            assert entry.pseudonym in page and "Người Tố Cáo Kín" not in page and "0911222333" not in page, url
            assert "Đề nghị mở danh tính" not in page  # only protection officers get a way in
    from openpyxl import load_workbook

    export = login(clerk).get(reverse("reception_register") + f"?unit={entry.unit_id}&format=xlsx")
    cells = [
        str(c) for r in load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True) for c in r
    ]
    assert entry.pseudonym in cells and not any("Người Tố Cáo Kín" in c for c in cells)
    # The escrow holder (offline) can still open it: nothing was lost.
    from conftest import escrow_private_key
    from pakn.protection import keys, vault

    assert entry.identity is not None
    opened = vault.open_json(entry.identity, keys.escrow_key(), escrow_private_key())
    assert opened == {
        "name": "Người Tố Cáo Kín",
        "address": "5 Liễu Giai, Ba Đình",
        "id_number": "001085099999",
        "phone": "0911222333",
    }


def test_register_person_reveal_takes_two_officers_and_shows_on_the_cases(
    clerk: Any, other_clerk: Any, supervisor: Any, login: Any, travel: Any
) -> None:
    from pakn.protection import services as protection
    from pakn.protection.models import RevealRequest

    officers = []
    for name in ("baove.reception1", "baove.reception2"):
        user = make_user(name, unit_code=f"UBND-{COMMUNE}", role="protection_officer")
        protection.setup_key(user=user, password="mat-khau-thu-nghiem-2026")
        officers.append(user)
    first, second = officers
    entry = register(clerk, kind="denunciation")
    (case,) = services.open_cases(
        actor=clerk,
        entry=entry,
        matters=[{"kind": "denunciation", "title": "Tố cáo cán bộ thu tiền", "content": "Thu tiền ngoài quy định."}],
    )
    assert entry.identity is not None
    person = reverse("protection_person", args=[entry.identity_id])
    assert login(clerk).get(person).status_code == 403  # staff of the unit: forbidden
    assert login(supervisor).get(person).status_code == 403
    assert login(other_clerk).get(person).status_code == 404  # another unit: not even its existence
    officer = login(first)
    page = officer.get(reverse("protection_home")).content.decode()
    assert person in page and entry.identity.label in page  # "Sổ tiếp công dân số 1/2026"
    response = officer.post(
        person + "reveal", {"legal_basis": "verification", "reason": "Xác minh người tố cáo theo Điều 28."}
    )
    assert response.status_code == 302
    request = RevealRequest.objects.get(item=entry.identity)
    with pytest.raises(Forbidden):
        protection.decide_reveal(actor=first, request=request, approve=True)
    shown = officer.post(
        reverse("protection_reveal_open", args=[request.pk]), {"password": "mat-khau-thu-nghiem-2026"}
    ).content.decode()
    assert "Trần Văn Bình" not in shown  # not approved yet
    assert (
        login(second).post(reverse("protection_reveal_decide", args=[request.pk]), {"decision": "approve"}).status_code
        == 302
    )
    shown = officer.post(
        reverse("protection_reveal_open", args=[request.pk]), {"password": "mat-khau-thu-nghiem-2026"}
    ).content.decode()
    assert "Trần Văn Bình" in shown and "001085099999" in shown
    again = officer.post(reverse("protection_reveal_open", args=[request.pk]), {"password": "mat-khau-thu-nghiem-2026"})
    assert "Trần Văn Bình" not in again.content.decode()  # once
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", "public"))
    assert ("reveal_requested", False) in actions and ("identity_revealed", True) in actions
    listing = login(supervisor).get(reverse("protection_home")).content.decode()
    assert entry.identity.label in listing  # the supervisor sees that a register person was revealed


def test_province_head_sees_communes_below(clerk: Any, province_head: Any, login: Any, travel: Any) -> None:
    entry = register(clerk)
    assert login(province_head).get(reverse("reception_entry", args=[entry.pk])).status_code == 200


# ---------------------------------------------------------------- reports


def _make_compliance_data(clerk: Any, travel: Any) -> None:
    travel.move_to(at(date(2026, 4, 24)))
    session = schedule(clerk, day=date(2026, 5, 6))
    travel.move_to(at(date(2026, 5, 6), 16))
    services.record_session_held(actor=clerk, session=session, presider_name="Chủ tịch", presided_by_head=True)
    register(clerk, received_on=date(2026, 5, 6), session=session)
    travel.move_to(at(date(2026, 6, 2)))


def test_compliance_excel_opens_and_contains_the_figures(clerk: Any, login: Any, travel: Any) -> None:
    from openpyxl import load_workbook

    _make_compliance_data(clerk, travel)
    response = login(clerk).get(reverse("reception_compliance") + "?start=2026-05-01&end=2026-05-31&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Báo cáo tình hình tiếp công dân định kỳ của người đứng đầu"
    unit_row = next(r for r in rows if r[0] == "Ủy ban nhân dân Phường Ba Đình")
    assert unit_row[2] == "1 ngày/tuần" and unit_row[3] == 1 and unit_row[8] == 1  # head days, register entries
    assert unit_row[5] == "1/5"  # weeks overlapping May (from 27/04 to 31/05): one met
    missed = book.worksheets[1]
    assert sum(1 for r in missed.iter_rows(values_only=True) if r[0] == "Ủy ban nhân dân Phường Ba Đình") == 4


def test_compliance_pdf_is_a_pdf_with_vietnamese_text(clerk: Any, login: Any, travel: Any) -> None:
    _make_compliance_data(clerk, travel)
    response = login(clerk).get(reverse("reception_compliance") + "?start=2026-05-01&end=2026-05-31&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (FONT_DIRS[0] / "DejaVuSans.ttf").exists()
    # The links on a first visit carry no period: the default period is used.
    page = login(clerk).get(reverse("reception_compliance"))
    assert page.status_code == 200 and "format=pdf" in page.content.decode()
    assert login(clerk).get(reverse("reception_compliance") + "?format=pdf").content.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    text = unicodedata.normalize(
        "NFC", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    )
    assert "Ủy ban nhân dân Phường Ba Đình" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "1 ngày/tuần" in text


def test_register_excel_is_one_unit_at_a_time(clerk: Any, login: Any, travel: Any) -> None:
    from openpyxl import load_workbook

    entry = register(clerk)
    client = login(clerk)
    assert client.get(reverse("reception_register") + "?format=xlsx").status_code == 404
    response = client.get(reverse("reception_register") + f"?unit={entry.unit_id}&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert any(r[0] == "1/2026" and r[2] == entry.pseudonym and r[4] == "(niêm phong)" for r in rows)
    assert not any("Trần Văn Bình" in str(c) or "001085099999" in str(c) for r in rows for c in r)


def test_worker_reminds_of_notices_and_follow_up_tasks_once_then_reports_them_overdue(
    clerk: Any, head: Any, province_head: Any, travel: Any
) -> None:
    from pakn.notify.models import Outbox

    entry = register(clerk, name="Người Chờ Tin")
    done = register(clerk)
    services.record_notice(actor=clerk, entry=done, outcome="accepted", notified_on=date(2026, 4, 21))
    soon = entry.notice_due_on - timedelta(days=1)
    counts = services.check_reception_deadlines(today=soon, due_soon_days=3)
    assert counts == {"reminded": 1, "overdue": 0}  # the entry already notified is left alone
    reminded = Outbox.objects.filter(subject__contains=entry.reference)
    assert sorted(outbox_to(a, subject__contains=entry.reference) != [] for a in (clerk.email, head.email)) == [
        True,
        True,
    ]
    assert services.check_reception_deadlines(today=soon, due_soon_days=3) == {"reminded": 0, "overdue": 0}
    assert reminded.count() == 2  # queued once, whatever the worker's schedule
    late = entry.notice_due_on + timedelta(days=1)
    assert services.check_reception_deadlines(today=late, due_soon_days=3)["overdue"] == 1
    overdue = [o for o in Outbox.objects.filter(subject__startswith="Quá hạn thông báo")]
    assert {recipient_of(o) for o in overdue} == {head.email, province_head.email}
    for item in Outbox.objects.all():
        assert "Người Chờ Tin" not in item.subject + item.body
    # A follow-up task of a conclusion, reminded to its owner unit, then overdue to the heads.
    session = schedule(clerk, day=date(2026, 5, 6))
    travel.move_to(at(date(2026, 5, 6), 16))
    services.record_session_held(actor=clerk, session=session, presider_name="Chủ tịch", presided_by_head=True)
    conclusion = services.issue_conclusion(
        actor=head,
        session=session,
        number="30/TB-UBND",
        issued_on=date(2026, 5, 6),
        body="Giao kiểm tra.",
        tasks=[{"title": "Kiểm tra cống ngõ 7", "owner_unit": unit(f"UBND-{COMMUNE}"), "due_on": date(2026, 5, 20)}],
    )
    (task,) = conclusion.tasks.all()
    assert services.check_reception_deadlines(today=date(2026, 5, 18), due_soon_days=3)["reminded"] >= 1
    assert outbox_to(clerk.email, subject__contains="Kiểm tra cống ngõ 7")
    assert services.check_reception_deadlines(today=date(2026, 5, 21), due_soon_days=3)["overdue"] >= 1
    assert outbox_to(province_head.email, subject__startswith="Quá hạn việc sau tiếp công dân")
    travel.move_to(at(date(2026, 5, 21), 16))
    services.complete_follow_up_task(actor=clerk, task=task, result="Đã khơi thông.", done_on=date(2026, 5, 21))
    before = Outbox.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.check_reception_deadlines(today=date(2026, 5, 22), due_soon_days=3)
    assert not Outbox.objects.filter(pk__gt=before, subject__contains="Kiểm tra cống ngõ 7").exists()


def test_json_calendar_booking_and_register(
    clerk: Any, other_clerk: Any, supervisor: Any, login: Any, travel: Any
) -> None:
    import json

    from django.test import Client

    online = schedule(
        clerk, day=date(2026, 5, 6), mode="online", place="", video_url="https://hop.example.vn/phong-kin"
    )
    anonymous = Client()
    listed = anonymous.get("/api/v1/reception/sessions", {"province_code": "01"}).json()
    [item] = [s for s in listed if s["id"] == online.pk]
    assert item["free_slots"] == item["capacity"] == 6 and item["mode"] == "online"
    assert "hop.example.vn" not in json.dumps(listed)  # the link goes to the people who booked only
    url = f"/api/v1/reception/sessions/{online.pk}/bookings"
    bad = anonymous.post(url, json.dumps({"name": "", "summary": ""}), content_type="application/json")
    assert bad.status_code == 400 and {"name", "summary"} <= set(bad.json()["error"]["fields"])
    booked = anonymous.post(
        url,
        json.dumps({"name": PUBLIC_NAME, "summary": "Hỏi về sổ đỏ", "phone": PUBLIC_PHONE}),
        content_type="application/json",
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["slot"] == 1 and booked.json()["time"] == "08:00"
    assert Booking.objects.get(code=booked.json()["code"]).identity_id
    assert anonymous.get("/api/v1/reception/sessions").json()[0]["free_slots"] == 5
    assert anonymous.post(
        "/api/v1/reception/sessions/999999/bookings", json.dumps({}), content_type="application/json"
    ).status_code in (400, 404)
    # The register: staff and supervisors of the unit, pseudonyms only; nobody else.
    entry = register(clerk)
    assert anonymous.get("/api/v1/reception/register").status_code == 401
    for user in (clerk, supervisor):
        rows = login(user).get("/api/v1/reception/register").json()
        assert [r["person"] for r in rows] == [entry.pseudonym]
        assert "Trần Văn Bình" not in json.dumps(rows, ensure_ascii=False)
    assert login(other_clerk).get("/api/v1/reception/register").json() == []


def test_public_booking_form_is_throttled_like_the_api(clerk: Any, settings: Any, travel: Any) -> None:
    from django.test import Client

    settings.THROTTLE_RATES = "submit=2/3600"
    session = schedule(clerk, day=date(2026, 5, 6))
    client = Client()
    url = reverse("reception_book", args=[session.pk])
    statuses = [
        client.post(
            url, {"name": f"Người {n}", "phone": f"091200000{n}", "summary": "Hỏi thủ tục", "people_count": 1}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Booking.objects.count() == 2
