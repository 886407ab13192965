"""The case services: every business act, its deadlines, its audit event, and the workflow table enforced
exhaustively. Deadlines are checked against the pure calculator fed with the shipped default rules and the
Vietnamese calendar, at fixed dates (2026-03-02 is a Monday with no holiday for six weeks)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import outbox_to
from pakn.cases import services
from pakn.cases.audit_check import verify_all
from pakn.cases.deadlines import DEFAULT_RULES, compute_deadlines
from pakn.cases.models import (
    Answer,
    AuditEvent,
    Case,
    Forward,
    Message,
    Obligation,
    Rating,
)
from pakn.cases.workflow import TRANSITIONS, Action, Status
from pakn.core.calendar import DECREED_OVERRIDES, vietnam_calendar
from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition
from pakn.notify.models import Outbox
from pakn.org.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D0 = date(2026, 3, 2)  # Monday
ACCEPTED = date(2026, 3, 9)  # Monday
CAL = vietnam_calendar(
    range(2025, 2029),
    extra_working_days=[d for d, working, _ in DECREED_OVERRIDES if working],
    extra_days_off=[d for d, working, _ in DECREED_OVERRIDES if not working],
)
REPORTER_EMAIL = "an.nguyen@example.vn"
KINDS = ["report", "petition", "opinion", "complaint", "denunciation"]
STATUTORY = {"complaint", "denunciation"}


def expected(**kwargs: Any) -> Any:
    return compute_deadlines(DEFAULT_RULES, CAL, **kwargs)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(at(D0), tick=False) as traveller:
        yield traveller


def go(clock: Any, day: date) -> None:
    clock.move_to(at(day))


@contextmanager
def adds_events(*actions: str) -> Iterator[None]:
    """The block appends exactly these audit events (in this order), nothing else."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    new = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk").values_list("action", flat=True))
    assert new == list(actions)


@contextmanager
def changes_nothing(case: Case) -> Iterator[None]:
    before = Case.objects.values().get(pk=case.pk)
    counts = (
        AuditEvent.objects.count(),
        Obligation.objects.count(),
        Answer.objects.count(),
        Forward.objects.count(),
        Rating.objects.count(),
        Outbox.objects.count(),
    )
    yield
    assert Case.objects.values().get(pk=case.pk) == before
    assert counts == (
        AuditEvent.objects.count(),
        Obligation.objects.count(),
        Answer.objects.count(),
        Forward.objects.count(),
        Rating.objects.count(),
        Outbox.objects.count(),
    )


def open_obligations(case: Case) -> list[Obligation]:
    return list(Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).order_by("due_on", "pk"))


def reload(case: Case) -> Case:
    return Case.objects.select_related("unit").get(pk=case.pk)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def test_expected_calendar_sanity() -> None:
    # Guards the reference itself: the worked example.
    result = expected(kind="complaint", received=D0, accepted=ACCEPTED)
    # Complaint acceptance is 10 days (Luật Khiếu nại 2011, Điều 27): Mon Mar 2 + 10 = Thu Mar 12.
    assert (result.accept_by, result.resolve_by) == (date(2026, 3, 12), date(2026, 4, 8))


# ---------------------------------------------------------------- lifecycle of each kind


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_full_lifecycle(kind: str, clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    with adds_events("submitted"):
        case = make_case(kind=kind)
    case = reload(case)
    assert case.status == Status.RECEIVED
    assert case.unit.code == "UBND-00004"
    assert case.received_on == D0
    assert case.track == ("statutory" if kind in STATUTORY else "feedback")
    assert case.complaint_round == (1 if kind == "complaint" else None)

    first = expected(kind=kind, received=D0)
    [obligation] = open_obligations(case)
    assert obligation.unit_id == case.unit_id
    assert obligation.opened_on == D0
    if kind in STATUTORY:
        assert obligation.kind == "accept"
        assert obligation.due_on == first.accept_by
    else:
        assert obligation.kind == "answer"
        assert obligation.due_on == first.answer_by == CAL.add_working_days(D0, 10)
    assert obligation.rule_code == first.rules[0].code
    assert obligation.citation == first.rules[0].citation
    assert case.due_on == obligation.due_on

    go(clock, ACCEPTED)
    with adds_events("accepted"):
        case = services.accept_case(actor=clerk, case=case)
    case = reload(case)
    assert case.status == Status.ACCEPTED
    assert case.accepted_on == ACCEPTED
    if kind in STATUTORY:
        obligation.refresh_from_db()
        assert obligation.met_on == ACCEPTED
        [resolve] = open_obligations(case)
        second = expected(kind=kind, received=D0, accepted=ACCEPTED)
        assert resolve.kind == "resolve"
        assert resolve.opened_on == ACCEPTED
        assert resolve.due_on == second.resolve_by == date(2026, 4, 8)
        assert resolve.rule_code == second.rules[1].code
        assert case.due_on == second.resolve_by
    else:
        # Accepting a report does not restart the answer period the citizen was promised on receipt.
        assert [o.pk for o in open_obligations(case)] == [obligation.pk]
        assert case.due_on == first.answer_by

    with adds_events("started"):
        case = services.start_case(actor=clerk, case=case)
    assert reload(case).status == Status.IN_PROGRESS

    answer_kind = "conclusion" if kind in STATUTORY else "answer"
    with adds_events("resolved"):
        finding = "true" if kind == "denunciation" else ""  # a denunciation's conclusion says it (Điều 35)
        case = services.resolve_case(
            actor=clerk, case=case, body="Kết quả: đã xử lý xong.", kind=answer_kind, finding=finding
        )
    case = reload(case)
    assert case.status == Status.RESOLVED
    published = []
    if kind == "denunciation":
        # The conclusion is published within 7 working days (Luật Tố cáo 2018, Điều 40): resolved Mon Mar 9 →
        # Mar 10(1) 11(2) 12(3) 13(4) 16(5) 17(6) 18(7).
        [publication] = open_obligations(case)
        assert (publication.kind, publication.due_on) == ("publish_conclusion", date(2026, 3, 18))
        with adds_events("conclusion_published"):
            services.publish_conclusion(actor=clerk, case=case, method="portal")
        published = ["conclusion_published"]
        case = reload(case)
    assert open_obligations(case) == []
    assert case.due_on is None
    assert Answer.objects.get(case=case).kind == answer_kind

    with adds_events("closed"):
        case = services.close_case(actor=clerk, case=case)
    case = reload(case)
    assert case.status == Status.CLOSED
    assert list(AuditEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "submitted",
        "accepted",
        "started",
        "resolved",
        *published,
        "closed",
    ]
    assert case.audit_count == 5 + len(published)
    # The reporter hears of the submission, the acceptance and the result.
    assert len(outbox_to(REPORTER_EMAIL, case=case)) == 3
    assert verify_all()[1] == []


@pytest.mark.django_db
def test_staff_intake_counts_from_the_real_date_received(
    clock: Any, clerk: Any, make_case: Callable[..., Case]
) -> None:
    go(clock, date(2026, 3, 10))
    case = make_case(actor=clerk, kind="complaint", channel="letter", received_on=D0)
    assert case.received_on == D0
    assert case.channel == "letter"
    [obligation] = open_obligations(case)
    assert obligation.due_on == expected(kind="complaint", received=D0).accept_by
    with pytest.raises(InvalidInput) as info:
        make_case(actor=clerk, channel="letter", received_on=date(2026, 3, 11))
    assert "received_on" in info.value.fields


@pytest.mark.django_db
def test_feedback_can_be_answered_without_separate_acceptance(make_case: Callable[..., Case], clerk: Any) -> None:
    """Reports, petitions, opinions and anonymous tips may be answered straight away: the service
    composes the table's accept and resolve transitions, and writes one event."""
    case = make_case(kind="petition")
    with adds_events("resolved"):
        services.resolve_case(actor=clerk, case=case, body="Đã tiếp thu kiến nghị.")
    case = reload(case)
    assert case.status == Status.RESOLVED
    assert case.accepted_on is not None
    # A complaint on the statutory track must be accepted first.
    complaint = make_case(kind="complaint")
    with changes_nothing(complaint), pytest.raises(InvalidTransition):
        services.resolve_case(actor=clerk, case=complaint, body="Kết luận")


# ---------------------------------------------------------------- refuse


@pytest.mark.django_db
@pytest.mark.parametrize("reason", sorted(services.REFUSAL_REASONS))
def test_refuse_with_each_legal_reason(reason: str, make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case(kind=services.REFUSAL_REASON_KINDS[reason][0])
    with adds_events("refused"):
        case = services.refuse_case(actor=clerk, case=case, reason_code=reason, explanation="Căn cứ cụ thể.")
    case = reload(case)
    assert case.status == Status.REFUSED
    answer = Answer.objects.get(case=case)
    assert answer.kind == "refusal"
    assert str(services.REFUSAL_REASONS[reason]) in answer.body
    assert open_obligations(case) == []
    assert AuditEvent.objects.get(case=case, action="refused").data["reason_code"] == reason
    assert len(outbox_to(REPORTER_EMAIL, case=case)) == 2
    with adds_events("closed"):
        services.close_case(actor=clerk, case=case)


@pytest.mark.django_db
def test_refuse_needs_a_legal_reason(make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case(kind="complaint")
    with changes_nothing(case):
        with pytest.raises(InvalidInput) as info:
            services.refuse_case(actor=clerk, case=case, reason_code="khong_thich")
        assert "reason_code" in info.value.fields
        with pytest.raises(InvalidInput) as info:
            services.refuse_case(actor=clerk, case=case, reason_code="other", explanation="   ")
        assert "explanation" in info.value.fields


# ---------------------------------------------------------------- forward and escalate


@pytest.mark.django_db
def test_forward_creates_a_forward_and_an_obligation_at_the_target(
    clock: Any, make_case: Callable[..., Case], clerk: Any, other_clerk: Any
) -> None:
    case = make_case(kind="complaint")
    [original] = open_obligations(case)
    target = unit("UBND-00008")
    forward_day = date(2026, 3, 4)
    go(clock, forward_day)
    with changes_nothing(case):
        with pytest.raises(InvalidInput):
            services.forward_case(actor=clerk, case=case, to_unit=target, reason="  ")
        with pytest.raises(InvalidInput):
            services.forward_case(actor=clerk, case=case, to_unit=case.unit, reason="Cùng đơn vị")
    with adds_events("forwarded"):
        case = services.forward_case(actor=clerk, case=case, to_unit=target, reason="Thuộc thẩm quyền phường Ngọc Hà")
    case = reload(case)
    assert case.status == Status.FORWARDED
    assert case.unit == target

    forward = Forward.objects.get(case=case)
    assert forward.from_unit.code == "UBND-00004"
    assert forward.to_unit == target
    assert forward.reason == "Thuộc thẩm quyền phường Ngọc Hà"
    assert forward.actor == clerk
    assert forward.respond_by == expected(kind="complaint", received=forward_day).accept_by

    original.refresh_from_db()
    assert original.met_on == forward_day
    [new] = open_obligations(case)
    assert (new.kind, new.unit, new.opened_on) == ("forward_response", target, forward_day)
    assert new.due_on == forward.respond_by
    assert case.due_on == forward.respond_by
    assert AuditEvent.objects.get(case=case, action="forwarded").data["respond_by"] == forward.respond_by.isoformat()
    # The target unit is notified, the reporter too.
    assert outbox_to(other_clerk.email, case=case)

    # The sending unit no longer handles it; the target does.
    with changes_nothing(case), pytest.raises(Forbidden):
        services.accept_case(actor=clerk, case=case)
    go(clock, date(2026, 3, 6))
    with adds_events("accepted"):
        case = services.accept_case(actor=other_clerk, case=case)
    new.refresh_from_db()
    assert new.met_on == date(2026, 3, 6)
    [resolve] = open_obligations(case)
    assert resolve.unit == target
    assert resolve.due_on == expected(kind="complaint", received=D0, accepted=date(2026, 3, 6)).resolve_by


@pytest.mark.django_db
def test_escalate_once_after_unsatisfied_rating(
    clock: Any, make_case: Callable[..., Case], clerk: Any, province_head: Any
) -> None:
    case = make_case(kind="complaint")
    go(clock, ACCEPTED)
    case = services.accept_case(actor=clerk, case=case)
    go(clock, date(2026, 3, 20))
    case = services.resolve_case(actor=clerk, case=case, body="Giữ nguyên quyết định.", kind="conclusion")
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.escalate_case(case=case, reason="Chưa đánh giá mà đã đề nghị")
    with adds_events("rated"):
        services.rate_case(case=case, level=2, comment="Không thỏa đáng")

    escalate_day = date(2026, 3, 23)
    go(clock, escalate_day)
    with adds_events("escalated"):
        case = services.escalate_case(case=case, reason="Tôi không đồng ý với kết luận")
    case = reload(case)
    assert case.unit.code == "UBND-01"
    assert case.status == Status.FORWARDED
    assert case.escalated is True
    assert case.complaint_round == 2
    assert case.accepted_on is None
    forward = Forward.objects.get(case=case)
    assert (forward.from_unit.code, forward.to_unit.code, forward.actor) == ("UBND-00004", "UBND-01", None)
    second_accept = expected(kind="complaint", complaint_round=2, received=escalate_day).accept_by
    assert forward.respond_by == second_accept
    [obligation] = open_obligations(case)
    assert (obligation.kind, obligation.unit.code, obligation.due_on) == ("forward_response", "UBND-01", second_accept)

    # The unit above handles it as a second-time complaint (45 days).
    go(clock, date(2026, 3, 25))
    case = services.accept_case(actor=province_head, case=case)
    [resolve] = open_obligations(case)
    assert (
        resolve.due_on
        == expected(kind="complaint", complaint_round=2, received=D0, accepted=date(2026, 3, 25)).resolve_by
    )
    assert resolve.due_on == CAL.add_days(date(2026, 3, 25), 45)
    case = services.resolve_case(actor=province_head, case=case, body="Quyết định lần hai.", kind="conclusion")
    # The new unit's answer can be rated (once), but there is no second escalation.
    services.rate_case(case=case, level=1)
    with pytest.raises(InvalidTransition):
        services.rate_case(case=case, level=1)
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.escalate_case(case=case, reason="Lần nữa")
    assert Rating.objects.filter(case=case).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "remote", "last_day"),
    [
        # Answered Friday 2026-03-20: 30 days → Sunday 2026-04-19, moved to Monday 04-20 (Civil Code Art. 148).
        ("complaint", False, date(2026, 4, 20)),
        # Remote area: 45 days → Monday 2026-05-04 (2026-05-01 Labour Day falls before it, nothing to move).
        ("complaint", True, date(2026, 5, 4)),
        ("report", False, date(2026, 4, 20)),
        ("denunciation", False, None),  # Luật Tố cáo 2018, Điều 37: no limit
    ],
)
def test_escalation_period_and_escalating_after_the_unit_closed_the_case(
    kind: str, remote: bool, last_day: date | None, clock: Any, make_case: Callable[..., Case], clerk: Any
) -> None:
    case = make_case(kind=kind)
    if remote:  # the unit serves a remote area (accepting takes the flag from the unit)
        Unit.objects.filter(pk=case.unit_id).update(remote_area=True)
        Case.objects.filter(pk=case.pk).update(remote_area=True)
        case = reload(case)
    go(clock, ACCEPTED)
    if kind in ("complaint", "denunciation"):
        case = services.accept_case(actor=clerk, case=case)
    go(clock, date(2026, 3, 20))
    finding = "partly" if kind == "denunciation" else ""
    case = services.resolve_case(actor=clerk, case=case, body="Trả lời.", kind="conclusion", finding=finding)
    services.rate_case(case=case, level=1)
    if kind == "denunciation":
        services.publish_conclusion(actor=clerk, case=case, method="posting")
    case = services.close_case(actor=clerk, case=case)  # the unit closes at once
    assert case.status == Status.CLOSED and not open_obligations(case)
    assert services.escalation_ends(case) == last_day
    if last_day is not None:
        assert services.can_escalate(case, today=last_day)
        assert not services.can_escalate(case, today=last_day + timedelta(days=1))
        go(clock, last_day + timedelta(days=1))
        with changes_nothing(case), pytest.raises(InvalidTransition):
            services.escalate_case(case=case, reason="Quá hạn mới đề nghị")
        go(clock, last_day)
    else:
        go(clock, date(2027, 3, 1))  # a year later: still allowed
    with adds_events("escalated"):
        case = services.escalate_case(case=case, reason="Tôi không đồng ý với kết quả")
    case = reload(case)
    assert case.status == Status.FORWARDED and case.unit.code == "UBND-01"
    assert Forward.objects.get(case=case).escalation is True


@pytest.mark.django_db
@pytest.mark.parametrize("level", [3, 4, 5])
def test_no_escalation_when_satisfied(level: int, make_case: Callable[..., Case], clerk: Any) -> None:
    case = services.resolve_case(actor=clerk, case=make_case(), body="Đã sửa đèn.")
    services.rate_case(case=case, level=level)
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.escalate_case(case=case, reason="Muốn cấp trên xem")


@pytest.mark.django_db
def test_escalated_denunciation_starts_a_fresh_resolution_period(
    clock: Any, make_case: Callable[..., Case], clerk: Any, province_head: Any
) -> None:
    """Extensions granted by the first unit are not carried over to the unit above."""
    case = make_case(kind="denunciation")
    go(clock, ACCEPTED)
    case = services.accept_case(actor=clerk, case=case)
    case = services.extend_deadline(actor=clerk, case=case, complexity="complex", reason="Nhiều nội dung")
    case = services.resolve_case(
        actor=clerk, case=case, body="Kết luận nội dung tố cáo.", kind="conclusion", finding="true"
    )
    services.rate_case(case=case, level=1)
    go(clock, date(2026, 4, 13))
    case = services.escalate_case(case=case, reason="Kết luận không khách quan")
    go(clock, date(2026, 4, 14))
    case = services.accept_case(actor=province_head, case=case)
    assert reload(case).extensions == 0
    [resolve] = open_obligations(case)
    assert resolve.due_on == expected(kind="denunciation", received=D0, accepted=date(2026, 4, 14)).resolve_by


# ---------------------------------------------------------------- anonymous track


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "reporter"),
    [
        ("denunciation", None),
        ("denunciation", {"name": "Nguyễn Văn An"}),  # a name nobody can verify
        ("denunciation", {"phone": "0912345678"}),  # contact without a name
        ("denunciation", {"name": "   ", "email": "x@example.vn"}),
    ],
)
def test_anonymous_track(kind: str, reporter: Any, clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    with adds_events("submitted"):
        case = make_case(kind=kind, reporter=reporter)
    case = reload(case)
    assert case.status == Status.RECEIVED  # not rejected
    assert case.track == "anonymous"
    [obligation] = open_obligations(case)
    assert obligation.kind == "triage"
    assert obligation.due_on == expected(kind="report", received=D0).answer_by
    # Anonymous denunciations have no statutory extension.
    case = services.accept_case(actor=clerk, case=case)
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.extend_deadline(actor=clerk, case=case, complexity="complex", reason="Phức tạp")
    services.resolve_case(actor=clerk, case=case, body="Đã kiểm tra thông tin.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reporter", "field"),
    [
        (None, "reporter.name"),
        ({"phone": "0912345678"}, "reporter.name"),  # contact without a name
        ({"name": "Nguyễn Văn An"}, "reporter.address"),  # a name with no way to find the complainant
    ],
)
def test_unsigned_complaint_is_refused(reporter: Any, field: str, make_case: Callable[..., Case]) -> None:
    """The anonymous track is Art. 25 of the Law on Denunciations; a complaint must carry the complainant's
    name and address (Luật Khiếu nại 2011, Điều 8): refused, with the way out (send it as a report)."""
    with pytest.raises(InvalidInput) as error:
        make_case(kind="complaint", reporter=reporter)
    message = str(error.value.fields[field][0])
    assert "Điều 8" in message and "phản ánh" in message
    assert make_case(kind="report", reporter=reporter).track == "feedback"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["complaint", "denunciation"])
def test_identified_sender_is_statutory(kind: str, make_case: Callable[..., Case]) -> None:
    case = make_case(kind=kind, reporter={"name": "Trần Thị Bình", "phone": "0987654321"})
    assert case.track == "statutory"


@pytest.mark.django_db
def test_report_without_reporter_is_feedback(make_case: Callable[..., Case]) -> None:
    assert make_case(kind="report", reporter=None).track == "feedback"


# ---------------------------------------------------------------- citizen acts


@pytest.mark.django_db
@pytest.mark.parametrize("steps", [(), ("accept",), ("accept", "start")])
def test_withdraw(steps: tuple[str, ...], make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case(kind="complaint")
    for step in steps:
        case = getattr(services, f"{step}_case")(actor=clerk, case=case)
    with adds_events("withdrawn"):
        case = services.withdraw_case(case=case, reason="Đã tự hòa giải")
    case = reload(case)
    assert case.status == Status.WITHDRAWN
    assert open_obligations(case) == []
    assert case.due_on is None
    assert Obligation.objects.filter(case=case, cancelled=True).count() == 1
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.withdraw_case(case=case)


@pytest.mark.django_db
def test_add_information(make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case()
    with adds_events("information_added"):
        message = services.add_information(case=case, body="Bổ sung: đèn số 14 cũng hỏng.")
    assert Message.objects.get(case=case) == message
    assert message.from_citizen is True
    assert len(outbox_to(clerk.email, case=case, subject__contains=case.tracking_code)) == 2
    with changes_nothing(case), pytest.raises(InvalidInput):
        services.add_information(case=case, body=" \n ")
    services.resolve_case(actor=clerk, case=case, body="Đã sửa.")
    services.close_case(actor=clerk, case=case)
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.add_information(case=case, body="Thêm nữa")


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_rate_five_levels_once(level: int, make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case()
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.rate_case(case=case, level=level)  # nothing to rate yet
    case = services.accept_case(actor=clerk, case=case)
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.rate_case(case=case, level=level)
    case = services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn.")
    with adds_events("rated"):
        rating = services.rate_case(case=case, level=str(level), comment="Nhận xét")
    assert (rating.level, rating.unit_id, rating.comment) == (level, case.unit_id, "Nhận xét")
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.rate_case(case=case, level=level)


@pytest.mark.django_db
@pytest.mark.parametrize("level", [0, 6, -1, "abc", None, "", 2.5])
def test_rate_rejects_levels_outside_the_scale(level: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    case = services.resolve_case(actor=clerk, case=make_case(), body="Đã sửa.")
    with changes_nothing(case), pytest.raises(InvalidInput):
        services.rate_case(case=case, level=level)


@pytest.mark.django_db
def test_rating_after_close_is_allowed(make_case: Callable[..., Case], clerk: Any) -> None:
    case = services.resolve_case(actor=clerk, case=make_case(), body="Đã sửa.")
    case = services.close_case(actor=clerk, case=case)
    services.rate_case(case=case, level=5)


# ---------------------------------------------------------------- denunciation extensions


@pytest.fixture
def accepted_denunciation(clock: Any, make_case: Callable[..., Case], clerk: Any) -> Case:
    case = make_case(kind="denunciation")
    go(clock, ACCEPTED)
    return services.accept_case(actor=clerk, case=case)


@pytest.mark.django_db
@pytest.mark.parametrize(("complexity", "allowed"), [("complex", 1), ("especially_complex", 2)])
def test_denunciation_extensions(complexity: str, allowed: int, accepted_denunciation: Case, clerk: Any) -> None:
    case = accepted_denunciation
    [obligation] = open_obligations(case)
    assert obligation.due_on == date(2026, 4, 8)
    previous = obligation.due_on
    for k in range(1, allowed + 1):
        with adds_events("extended"):
            case = services.extend_deadline(actor=clerk, case=case, complexity=complexity, reason="Cần xác minh thêm")
        obligation.refresh_from_db()
        assert obligation.met_on is None
        assert reload(case).extensions == k
        assert (
            obligation.due_on
            == expected(kind="denunciation", received=D0, accepted=ACCEPTED, complex=True, extensions=k).resolve_by
        )
        assert obligation.due_on == CAL.add_days(ACCEPTED, 30 * (k + 1))
        assert (obligation.due_on - previous).days >= 30  # moved by 30 days (then off a weekend)
        assert reload(case).due_on == obligation.due_on
        previous = obligation.due_on
    with changes_nothing(case), pytest.raises(InvalidTransition):
        services.extend_deadline(actor=clerk, case=case, complexity=complexity, reason="Thêm lần nữa")
    if complexity == "especially_complex":
        with changes_nothing(case), pytest.raises(InvalidTransition):
            services.extend_deadline(actor=clerk, case=case, complexity="complex", reason="Thêm lần nữa")


@pytest.mark.django_db
def test_extension_preconditions(clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    denunciation = make_case(kind="denunciation")
    with changes_nothing(denunciation):
        with pytest.raises(InvalidTransition):  # not accepted yet
            services.extend_deadline(actor=clerk, case=denunciation, complexity="complex", reason="x")
        with pytest.raises(InvalidInput):
            services.extend_deadline(actor=clerk, case=denunciation, complexity="normal", reason="x")
        with pytest.raises(InvalidInput):
            services.extend_deadline(actor=clerk, case=denunciation, complexity="complex", reason="")
    complaint = services.accept_case(actor=clerk, case=make_case(kind="complaint"))
    with changes_nothing(complaint), pytest.raises(InvalidTransition):
        services.extend_deadline(actor=clerk, case=complaint, complexity="complex", reason="Không áp dụng")


# ---------------------------------------------------------------- suspend and resume


@pytest.mark.django_db
def test_suspend_resume_shifts_the_due_date(clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case(kind="complaint")
    go(clock, ACCEPTED)
    case = services.accept_case(actor=clerk, case=case)
    case = services.start_case(actor=clerk, case=case)
    [obligation] = open_obligations(case)
    due = obligation.due_on
    go(clock, date(2026, 3, 12))
    with changes_nothing(case), pytest.raises(InvalidInput):
        services.suspend_case(actor=clerk, case=case, reason="")
    with adds_events("suspended"):
        case = services.suspend_case(actor=clerk, case=case, reason="Chờ kết quả giám định")
    assert reload(case).status == Status.SUSPENDED
    go(clock, date(2026, 3, 22))
    with adds_events("resumed"):
        case = services.resume_case(actor=clerk, case=case)
    case = reload(case)
    assert case.status == Status.IN_PROGRESS
    obligation.refresh_from_db()
    assert obligation.due_on == CAL.add_days(due, 10) == date(2026, 4, 20)  # 04-18 is a Saturday
    assert case.due_on == obligation.due_on
    assert AuditEvent.objects.get(case=case, action="resumed").data["days_paused"] == 10


@pytest.mark.django_db
def test_extension_after_suspension_keeps_the_paused_days(clock: Any, accepted_denunciation: Case, clerk: Any) -> None:
    case = accepted_denunciation
    go(clock, date(2026, 3, 10))
    case = services.suspend_case(actor=clerk, case=case, reason="Chờ giám định")
    go(clock, date(2026, 3, 20))
    case = services.resume_case(actor=clerk, case=case)
    case = services.extend_deadline(actor=clerk, case=case, complexity="complex", reason="Phức tạp")
    [obligation] = open_obligations(case)
    extended = expected(kind="denunciation", received=D0, accepted=ACCEPTED, complex=True, extensions=1).resolve_by
    assert obligation.due_on == CAL.add_days(extended, 10)


# ---------------------------------------------------------------- merge


@pytest.mark.django_db
def test_merge_moves_open_obligations(clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    first = make_case(kind="complaint")
    go(clock, date(2026, 3, 5))
    survivor = make_case(kind="complaint", title="Cùng nội dung khiếu nại")
    [moving] = open_obligations(first)
    [staying] = open_obligations(survivor)
    assert moving.due_on < staying.due_on
    with adds_events("merged", "merge_received"):
        services.merge_case(actor=clerk, case=first, into=survivor)
    first, survivor = reload(first), reload(survivor)
    assert first.status == Status.MERGED
    assert first.merged_into == survivor
    assert first.due_on is None
    assert open_obligations(first) == []
    assert [o.pk for o in open_obligations(survivor)] == [moving.pk, staying.pk]
    assert survivor.due_on == moving.due_on
    assert AuditEvent.objects.get(case=survivor, action="merge_received").public is False
    assert verify_all()[1] == []


@pytest.mark.django_db
def test_merged_reporters_learn_the_matter_was_answered(make_case: Callable[..., Case], clerk: Any) -> None:
    from conftest import REPORTER, outbox_to

    merged = make_case(reporter={**REPORTER, "email": "nguoi.gop@example.vn", "notify_by": "email"})
    survivor = make_case(title="Đèn đường hỏng", reporter={"name": "Lê Văn Bê", "email": "be@example.vn"})
    services.merge_case(actor=clerk, case=merged, into=survivor)
    services.resolve_case(actor=clerk, case=survivor, body="Kính gửi ông Lê Văn Bê: đã thay bóng đèn.")
    event = AuditEvent.objects.get(case=merged, action="merged_answered")
    assert event.public and event.data == {"to": survivor.unit.name}
    [notice] = outbox_to("nguoi.gop@example.vn", subject__contains="vụ việc đã có kết quả")
    assert "kết quả giải quyết chung" in notice.body and merged.tracking_code in notice.body
    assert "Lê Văn Bê" not in notice.body and survivor.tracking_code not in notice.body + notice.subject
    assert verify_all()[1] == []
    # Their own status page shows the joint answer, without the other reporter's name.
    from pakn.cases import presenters

    [joint] = presenters.public_status(reload(merged))["answers"]
    assert joint["joint"] and "đã thay bóng đèn" in joint["body"] and "Lê Văn Bê" not in joint["body"]
    assert presenters.public_status(reload(survivor))["answers"][0]["body"].startswith("Kính gửi ông Lê Văn Bê")


@pytest.mark.django_db
def test_merges_of_merges_reach_every_reporter(make_case: Callable[..., Case], clerk: Any) -> None:
    from conftest import outbox_to

    first = make_case(reporter={"name": "Ngô Thị Một", "email": "mot@example.vn"})
    middle = make_case(reporter={"name": "Đỗ Văn Hai", "email": "hai@example.vn"})
    last = make_case(reporter={"name": "Vũ Thị Ba", "email": "ba@example.vn"})
    services.merge_case(actor=clerk, case=first, into=middle)
    services.merge_case(actor=clerk, case=middle, into=last)
    assert reload(first).merge_survivor() == last and {c.pk for c in last.merged_family()} == {first.pk, middle.pk}
    services.resolve_case(actor=clerk, case=last, body="Gửi bà Vũ Thị Ba, ông Đỗ Văn Hai: đã xử lý.")
    for address in ("mot@example.vn", "hai@example.vn"):
        assert outbox_to(address, subject__contains="vụ việc đã có kết quả"), address
    from pakn.cases import presenters

    [joint] = presenters.public_status(reload(first))["answers"]
    assert "đã xử lý" in joint["body"] and "Vũ Thị Ba" not in joint["body"] and "Đỗ Văn Hai" not in joint["body"]


@pytest.mark.django_db
@pytest.mark.parametrize("into_state", ["self", "closed", "resolved", "withdrawn", "merged"])
def test_merge_needs_another_open_case(into_state: str, make_case: Callable[..., Case], clerk: Any) -> None:
    case = make_case()
    into = make_case()
    if into_state == "self":
        into = case
    elif into_state in ("resolved", "closed"):
        into = services.resolve_case(actor=clerk, case=into, body="Đã trả lời.")
        if into_state == "closed":
            into = services.close_case(actor=clerk, case=into)
    elif into_state == "withdrawn":
        into = services.withdraw_case(case=into)
    else:
        services.merge_case(actor=clerk, case=into, into=make_case())
    with changes_nothing(case), pytest.raises(InvalidInput):
        services.merge_case(actor=clerk, case=case, into=reload(into))


# ---------------------------------------------------------------- the workflow table, exhaustively


FORWARD_TARGETS = ("UBND-00008", "DU-00004")


def _other_unit(case: Case) -> Unit:
    return unit(next(code for code in FORWARD_TARGETS if code != case.unit.code))


def _reach(status: Status, make_case: Callable[..., Case], actor: Any, kind: str = "complaint") -> Case:
    """A statutory complaint (or ``kind``) in ``status``, reached through the services."""
    case = make_case(kind=kind)
    s = services
    if status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.SUSPENDED):
        case = s.accept_case(actor=actor, case=case)
    if status in (Status.IN_PROGRESS, Status.SUSPENDED):
        case = s.start_case(actor=actor, case=case)
    if status == Status.SUSPENDED:
        case = s.suspend_case(actor=actor, case=case, reason="Chờ giám định")
    if status in (Status.RESOLVED, Status.CLOSED):
        finding = "true" if kind == "denunciation" else ""
        case = s.resolve_case(actor=actor, case=case, body="Kết luận", kind="conclusion", finding=finding)
        s.rate_case(case=case, level=1)  # so that escalation is refused only by the status
    if status == Status.CLOSED:
        case = s.close_case(actor=actor, case=case)
    if status == Status.REFUSED:
        case = s.refuse_case(actor=actor, case=case, reason_code="not_signed")
    if status == Status.FORWARDED:
        case = s.forward_case(actor=actor, case=case, to_unit=_other_unit(case), reason="Không thuộc thẩm quyền")
    if status == Status.WITHDRAWN:
        case = s.withdraw_case(case=case)
    if status == Status.MERGED:
        case = s.merge_case(actor=actor, case=case, into=make_case(kind="complaint"))
    case = reload(case)
    assert case.status == status
    return case


def _finding_for(case: Case) -> str:
    return "true" if case.kind == "denunciation" else ""


def _do(action: Action, case: Case, actor: Any, into: Case) -> Case:
    s = services
    calls: dict[Action, Callable[[], Case]] = {
        Action.ACCEPT: lambda: s.accept_case(actor=actor, case=case),
        Action.REFUSE: lambda: s.refuse_case(actor=actor, case=case, reason_code="not_signed"),
        Action.FORWARD: lambda: s.forward_case(actor=actor, case=case, to_unit=_other_unit(case), reason="Chuyển"),
        Action.START: lambda: s.start_case(actor=actor, case=case),
        Action.RESOLVE: lambda: s.resolve_case(
            actor=actor, case=case, body="Trả lời", kind="conclusion", finding=_finding_for(case)
        ),
        Action.CLOSE: lambda: s.close_case(actor=actor, case=case),
        Action.WITHDRAW: lambda: s.withdraw_case(case=case),
        Action.MERGE: lambda: s.merge_case(actor=actor, case=case, into=into),
        Action.SUSPEND: lambda: s.suspend_case(actor=actor, case=case, reason="Tạm dừng"),
        Action.RESUME: lambda: s.resume_case(actor=actor, case=case),
        Action.ESCALATE: lambda: s.escalate_case(case=case, reason="Không đồng ý"),
        Action.CONTINUE: lambda: s.continue_withdrawn(actor=actor, case=case, ground="coerced", reason="Bị ép rút"),
    }
    assert set(calls) == set(Action)
    return calls[action]()


ALL_PAIRS = list(itertools.product(Action, Status))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"),
    [p for p in ALL_PAIRS if p not in TRANSITIONS],
    ids=[f"{a}-from-{s}" for a, s in ALL_PAIRS if (a, s) not in TRANSITIONS],
)
def test_every_transition_outside_the_table_is_refused(
    action: Action, status: Status, make_case: Callable[..., Case], admin_user: Any
) -> None:
    case = _reach(status, make_case, admin_user)
    into = make_case(kind="complaint")
    with changes_nothing(case), pytest.raises(InvalidTransition):
        _do(action, case, admin_user, into)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), list(TRANSITIONS), ids=[f"{a}-from-{s}" for a, s in TRANSITIONS])
def test_every_transition_in_the_table_works(
    action: Action, status: Status, make_case: Callable[..., Case], admin_user: Any
) -> None:
    # Only a denunciation is handled after its withdrawal (Luật Tố cáo 2018, Điều 33).
    case = _reach(status, make_case, admin_user, "denunciation" if action == Action.CONTINUE else "complaint")
    if action == Action.ESCALATE and status in (Status.ACCEPTED, Status.IN_PROGRESS):
        # Escalating an accepted case needs its resolution period to have passed without a decision.
        Obligation.objects.filter(case=case, kind="resolve").update(due_on=date.today() - timedelta(days=1))  # noqa: DTZ011
    into = make_case(kind="complaint")
    before = case.audit_count
    _do(action, case, admin_user, into)
    case = reload(case)
    # A denunciation withdrawn before acceptance goes back to waiting for it (services.continue_withdrawn).
    assert case.status == (Status.RECEIVED if action == Action.CONTINUE else TRANSITIONS[(action, status)])
    assert case.audit_count == before + 1  # exactly one event on this case (merge adds one on the other)
    assert verify_all()[1] == []
