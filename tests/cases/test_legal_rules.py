"""The legal review of the case rules: each new or corrected rule against a worked example computed by hand
over the real 2026 calendar, the ``confirmed`` flag of citations, refusal grounds per kind, escalation when
the resolution period passes without a decision, withdrawal of a denunciation or a complaint, and the
denunciation steps (acceptance extended, notice of acceptance, publication of the conclusion).

2026 days off used below (holidays.VN + decreed overrides): Jan 1; Feb 16–20 (Tết); Apr 27 (in lieu of the
Hùng Kings' day, Sun Apr 26); Apr 30; May 1; Aug 31 (swapped, Sat Aug 22 worked instead); Sep 1–2; Nov 24
(Ngày Văn hóa Việt Nam). Mondays: Feb 2, Feb 23, Mar 2, Apr 20, Aug 24, Sep 7, Nov 23, Nov 30."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import outbox_to
from pakn.cases import deadlines, policy, presenters, services
from pakn.cases.audit_check import verify_all
from pakn.cases.deadlines import DEFAULT_RULES, Item, Unit, escalation_ends, period_end, rule_in_force
from pakn.cases.forms import RefuseForm
from pakn.cases.models import Answer, AuditEvent, Case, Obligation, Reporter
from pakn.cases.workflow import Status
from pakn.core.calendar import DECREED_OVERRIDES, vietnam_calendar
from pakn.core.errors import InvalidInput, InvalidTransition

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar(
    range(2025, 2029),
    extra_working_days=[d for d, working, _ in DECREED_OVERRIDES if working],
    extra_days_off=[d for d, working, _ in DECREED_OVERRIDES if not working],
)
REPORTER_EMAIL = "an.nguyen@example.vn"


def d(s: str) -> date:
    return date.fromisoformat(s)


def by_code(code: str) -> deadlines.Rule:
    return next(r for r in DEFAULT_RULES if r.code == code)


# ---------------------------------------------------------------- each rule, a worked example


@pytest.mark.parametrize(
    ("code", "start", "expected"),
    [
        # Luật Khiếu nại 2011, Điều 27/36: "10 ngày". Received Thu Feb 5 + 10 days = Sun Feb 15 → Tết Feb 16–20
        # → weekend Feb 21–22 → Mon Feb 23 (Civil Code Art. 148: the end moves to the next working day).
        ("complaint.accept.2012", "2026-02-05", "2026-02-23"),
        # Received Wed Apr 22 + 10 days = Sat May 2 → Sun May 3 → Mon May 4.
        ("complaint.accept.2012", "2026-04-22", "2026-05-04"),
        # From 2026-07-01 (unconfirmed): 7 working days. Received Mon Aug 24: Aug 25(1) 26(2) 27(3) 28(4)
        # [Aug 29–30 weekend, Aug 31 swapped, Sep 1–2 National Day] Sep 3(5) 4(6) 7(7) → Mon Sep 7.
        ("complaint.accept.2026", "2026-08-24", "2026-09-07"),
        # Luật Tố cáo 2018, Điều 24(1), extended to 10 working days. Received Mon Apr 20: Apr 21(1) 22(2) 23(3)
        # 24(4) [Apr 25–26, Apr 27 in lieu] 28(5) 29(6) [Apr 30, May 1, May 2–3] May 4(7) 5(8) 6(9) 7(10).
        ("denunciation.accept_extension.2018", "2026-04-20", "2026-05-07"),
        # Điều 29(3): notice within 5 working days of the acceptance decision. Accepted Fri Nov 20:
        # Nov 23(1) [Nov 24 Ngày Văn hóa Việt Nam] 25(2) 26(3) 27(4) 30(5) → Mon Nov 30.
        ("denunciation.notify_acceptance.2018", "2026-11-20", "2026-11-30"),
        # Điều 40: publish within 7 working days of the conclusion. Concluded Thu Feb 12: Feb 13(1)
        # [Tết Feb 16–20, Feb 21–22] 23(2) 24(3) 25(4) 26(5) 27(6) Mar 2(7) → Mon Mar 2.
        ("denunciation.publish_conclusion.2018", "2026-02-12", "2026-03-02"),
        # Luật Khiếu nại 2011, Điều 33: 30 days from the end of the resolution period without a decision.
        # Period ended Mon Aug 3: + 28 = Aug 31, + 30 = Wed Sep 2 (National Day) → Thu Sep 3.
        ("complaint.escalate.2012", "2026-08-03", "2026-09-03"),
        # Remote area: 45 days. From Sat Oct 10: + 21 = Oct 31, + 45 = Tue Nov 24 (day off) → Wed Nov 25.
        ("complaint.escalate.remote.2012", "2026-10-10", "2026-11-25"),
        # Product default for reports: 30 days. Answered Fri Jan 2: + 30 = Sun Feb 1 → Mon Feb 2.
        ("report.escalate.default", "2026-01-02", "2026-02-02"),
    ],
)
def test_rule_against_a_worked_example(code: str, start: str, expected: str) -> None:
    rule = by_code(code)
    end, used = period_end(
        DEFAULT_RULES,
        CAL,
        case_kind=rule.case_kind,
        item=rule.item,
        start=d(start),
        remote=bool(rule.remote),
    )
    assert used.code == code
    assert end == d(expected)


def test_complaint_acceptance_is_ten_calendar_days_until_the_unconfirmed_amendment() -> None:
    old, new = by_code("complaint.accept.2012"), by_code("complaint.accept.2026")
    assert (old.amount, old.unit, old.confirmed) == (10, Unit.DAYS, True)
    assert old.effective_to == d("2026-06-30") and new.effective_from == d("2026-07-01")
    assert (new.amount, new.unit, new.confirmed) == (7, Unit.WORKING_DAYS, False)
    assert "155/2026" in new.citation


def test_only_the_unconfirmed_citation_is_flagged() -> None:
    law = {r.code for r in DEFAULT_RULES if not r.confirmed and r.track == ""}
    assert law == {"complaint.accept.2026"}  # the Party's rules: test_party_track
    assert all(r.citation for r in DEFAULT_RULES)
    assert deadlines.find_ambiguities(DEFAULT_RULES) == []


def test_no_escalation_limit_for_a_denunciation() -> None:
    # Luật Tố cáo 2018, Điều 37: re-denouncing to the superior has no time limit (no ESCALATE rule).
    assert escalation_ends(DEFAULT_RULES, CAL, kind="denunciation", start=d("2026-03-02"), remote_area=False) is None


def test_extended_acceptance_in_the_calculator() -> None:
    # Received Mon Apr 20: 7 working days → Apr 21(1) 22 23 24(4) 28(5) 29(6) May 4(7); extended → May 7.
    plain = deadlines.compute_deadlines(DEFAULT_RULES, CAL, kind="denunciation", received=d("2026-04-20"))
    extended = deadlines.compute_deadlines(
        DEFAULT_RULES, CAL, kind="denunciation", received=d("2026-04-20"), accept_extended=True
    )
    assert (plain.accept_by, extended.accept_by) == (d("2026-05-04"), d("2026-05-07"))
    assert extended.rules[0].item == Item.ACCEPT_EXTENSION


def test_new_items_have_one_rule_each() -> None:
    for item in (Item.ACCEPT_EXTENSION, Item.NOTIFY_ACCEPTANCE, Item.PUBLISH_CONCLUSION):
        assert rule_in_force(DEFAULT_RULES, case_kind="denunciation", item=item, on=d("2026-03-02"))
        with pytest.raises(deadlines.NoRuleError):
            rule_in_force(DEFAULT_RULES, case_kind="complaint", item=item, on=d("2026-03-02"))


# ---------------------------------------------------------------- refusal grounds per kind


def test_refusal_grounds_per_kind() -> None:
    complaint = dict(services.refusal_reasons_for("complaint"))
    denunciation = dict(services.refusal_reasons_for("denunciation"))
    report = dict(services.refusal_reasons_for("report"))
    assert all(
        "Luật Khiếu nại 2011" in str(v) for k, v in complaint.items() if k not in ("other", "complaint_not_competent")
    )
    assert all("Luật Tố cáo 2018" in str(v) for k, v in denunciation.items() if k != "other")
    assert set(complaint) & set(denunciation) == {"other"} == set(complaint) & set(report)
    assert "Điều 25" in str(denunciation["unidentified"]) and "Điều 29" not in str(denunciation["unidentified"])
    assert not any("Nghị định 20/2008" in str(v) for v in {**complaint, **denunciation}.values())
    assert set(services.REFUSAL_REASONS) == set(services.REFUSAL_REASON_KINDS)


@pytest.mark.django_db
def test_the_service_refuses_a_ground_of_another_kind(make_case: Callable[..., Case], clerk: Any) -> None:
    complaint = make_case(kind="complaint")
    with pytest.raises(InvalidInput) as info:
        services.refuse_case(actor=clerk, case=complaint, reason_code="unidentified")
    assert "reason_code" in info.value.fields
    assert Case.objects.get(pk=complaint.pk).status == Status.RECEIVED
    form = RefuseForm(case=complaint)
    offered = {code for code, _label in form.fields["reason_code"].choices}  # type: ignore[attr-defined]
    assert "not_signed" in offered and "unidentified" not in offered and "repeated" not in offered


# ---------------------------------------------------------------- services over time


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(at(d("2026-03-02")), tick=False) as traveller:
        yield traveller


def open_obligations(case: Case) -> list[Obligation]:
    return list(Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False).order_by("due_on", "pk"))


def reload(case: Case) -> Case:
    return Case.objects.select_related("unit").get(pk=case.pk)


@pytest.mark.django_db
def test_complaint_escalates_when_the_period_passes_without_a_decision(
    clock: Any, make_case: Callable[..., Case], clerk: Any
) -> None:
    case = make_case(kind="complaint")  # received Mon Mar 2
    case = services.accept_case(actor=clerk, case=case)  # accepted Mon Mar 2
    # Resolve by Mar 2 + 30 = Wed Apr 1 (Luật Khiếu nại 2011, Điều 28).
    [resolve] = open_obligations(case)
    assert resolve.due_on == d("2026-04-01")
    clock.move_to(at(d("2026-04-01")))
    assert not services.can_escalate(reload(case))  # still within the period
    clock.move_to(at(d("2026-04-02")))
    case = reload(case)
    assert services.overdue_resolution(case) == d("2026-04-01")
    # Điều 33: 30 days from the end of the period: Apr 1 + 30 = Fri May 1 (Labour Day), May 2–3 → Mon May 4.
    assert services.escalation_ends(case) == d("2026-05-04")
    assert services.can_escalate(case)  # no rating needed
    assert not services.can_escalate(case, today=d("2026-05-05"))
    rights = presenters.public_status(case)["rights"]
    assert any("khởi kiện vụ án hành chính tại Tòa án" in r and "Điều 33" in r for r in rights)
    case = services.escalate_case(case=case, reason="Quá hạn chưa giải quyết")
    case = reload(case)
    assert (case.status, case.complaint_round, case.escalated) == (Status.FORWARDED, 2, True)
    assert case.unit.code != "UBND-00004"
    # After the second time, only the court remains.
    assert any("Tòa án" in r for r in presenters.public_status(case)["rights"])
    assert not services.can_escalate(case)
    assert verify_all()[1] == []


@pytest.mark.django_db
def test_denunciation_overdue_may_go_to_the_superior_without_limit(
    clock: Any, make_case: Callable[..., Case], clerk: Any
) -> None:
    case = services.accept_case(actor=clerk, case=make_case(kind="denunciation"))
    clock.move_to(at(d("2026-12-01")))
    case = reload(case)
    assert services.overdue_resolution(case) is not None
    assert services.escalation_ends(case) is None and services.can_escalate(case)
    assert any("Điều 37" in r for r in presenters.public_status(case)["rights"])


@pytest.mark.django_db
def test_unconfirmed_citation_is_marked_everywhere(
    clock: Any, make_case: Callable[..., Case], clerk: Any, client: Any, login: Callable[[Any], Any]
) -> None:
    clock.move_to(at(d("2026-08-24")))
    case = make_case(kind="complaint")  # from 2026-07-01: the unconfirmed 7-working-day rule
    basis = presenters.public_status(case)["due_basis"]
    assert basis is not None
    assert (basis["due_on"], basis["confirmed"]) == (d("2026-09-07"), False)
    note = "chưa xác nhận căn cứ pháp lý"
    assert note in client.get(f"/track/{case.tracking_code}/").content.decode()
    assert note in login(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    detail = presenters.case_detail(case)
    assert [o["citation_confirmed"] for o in detail["obligations"]] == [False]
    page = client.get("/deadlines/", {"kind": "complaint", "round": "1", "received": "2026-08-24"})
    assert note in page.content.decode()
    api = client.get("/api/v1/deadlines", {"kind": "complaint", "received": "2026-08-24"}).json()
    assert [r["confirmed"] for r in api["rules"]][0] is False
    old = client.get("/api/v1/deadlines", {"kind": "complaint", "received": "2026-03-02"}).json()
    assert old["accept_by"] == "2026-03-12" and old["rules"][0]["confirmed"] is True


@pytest.mark.django_db
def test_withdrawn_denunciation_is_handled_all_the_same(clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    case = services.accept_case(actor=clerk, case=make_case(kind="denunciation"))
    [resolve] = open_obligations(case)
    case = services.withdraw_case(case=case, reason="Không muốn theo đuổi")
    assert open_obligations(case) == []
    with pytest.raises(InvalidInput):
        services.continue_withdrawn(actor=clerk, case=case, ground="no_reason", reason="x")
    case = services.continue_withdrawn(
        actor=clerk, case=case, ground="coerced", reason="Người tố cáo cho biết bị đe dọa trước khi rút đơn."
    )
    case = reload(case)
    assert case.status == Status.IN_PROGRESS
    assert [o.pk for o in open_obligations(case)] == [resolve.pk]
    event = AuditEvent.objects.filter(case=case).order_by("-seq").first()
    assert event is not None and event.action == "handling_continued"
    assert event.data["ground"] == "coerced" and event.data["reason"]
    assert verify_all()[1] == []


@pytest.mark.django_db
def test_withdrawn_denunciation_before_acceptance_goes_back_to_waiting(
    make_case: Callable[..., Case], clerk: Any
) -> None:
    case = make_case(kind="denunciation")
    case = services.withdraw_case(case=case)
    case = services.continue_withdrawn(actor=clerk, case=case, ground="signs_of_violation", reason="Có dấu hiệu.")
    case = reload(case)
    assert case.status == Status.RECEIVED
    assert [o.kind for o in open_obligations(case)] == ["accept"]


@pytest.mark.django_db
def test_withdrawn_complaint_ends_with_a_termination_decision(make_case: Callable[..., Case], clerk: Any) -> None:
    case = services.accept_case(actor=clerk, case=make_case(kind="complaint"))
    case = services.withdraw_case(case=case, reason="Đã được giải thích")
    with pytest.raises(InvalidTransition):
        services.continue_withdrawn(actor=clerk, case=case, ground="coerced", reason="x")
    before = len(outbox_to(REPORTER_EMAIL, case=case))
    services.terminate_complaint(actor=clerk, case=case, body="Quyết định đình chỉ giải quyết khiếu nại số 12/QĐ-UBND.")
    answer = Answer.objects.get(case=case)
    assert answer.kind == "termination"
    assert len(outbox_to(REPORTER_EMAIL, case=case)) == before + 1
    assert presenters.public_status(reload(case))["answers"][0]["kind"] == "termination"
    with pytest.raises(InvalidTransition):
        services.terminate_complaint(actor=clerk, case=case, body="Lần nữa")


@pytest.mark.django_db
def test_denunciation_acceptance_can_be_extended_once(clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    clock.move_to(at(d("2026-04-20")))
    case = make_case(kind="denunciation")
    [accept] = open_obligations(case)
    assert accept.due_on == d("2026-05-04")  # 7 working days, see test_extended_acceptance_in_the_calculator
    clock.move_to(at(d("2026-04-28")))
    case = services.extend_acceptance(actor=clerk, case=case, reason="Cần xác minh tại ba địa điểm.")
    [accept] = open_obligations(case)
    assert (accept.due_on, accept.rule_code) == (d("2026-05-07"), "denunciation.accept_extension.2018")
    assert reload(case).due_on == d("2026-05-07")
    with pytest.raises(InvalidTransition):
        services.extend_acceptance(actor=clerk, case=case, reason="Lần nữa")
    complaint = make_case(kind="complaint")
    with pytest.raises(InvalidTransition):
        services.extend_acceptance(actor=clerk, case=complaint, reason="Không áp dụng")


@pytest.mark.django_db
def test_notice_of_acceptance_is_an_obligation(clock: Any, make_case: Callable[..., Case], clerk: Any) -> None:
    # With a contact, the notice is queued at acceptance and the obligation met at once.
    clock.move_to(at(d("2026-11-20")))
    case = services.accept_case(actor=clerk, case=make_case(kind="denunciation"))
    notice = Obligation.objects.get(case=case, kind="notify_acceptance")
    assert (notice.due_on, notice.met_on) == (d("2026-11-30"), d("2026-11-20"))
    # Without one (a letter by post), it stays open until the handler records the notice.
    other = make_case(kind="denunciation")
    Reporter.objects.filter(case=other).update(notify_by="none", notify_sealed="")
    other = services.accept_case(actor=clerk, case=other)
    notice = Obligation.objects.get(case=other, kind="notify_acceptance")
    assert notice.is_open and notice.due_on == d("2026-11-30")
    services.notify_acceptance(actor=clerk, case=other, body="Nội dung thụ lý: hành vi nhận tiền của cán bộ địa chính.")
    notice.refresh_from_db()
    assert notice.met_on == d("2026-11-20")
    assert other.messages.filter(from_citizen=False).exists()
    with pytest.raises(InvalidTransition):
        services.notify_acceptance(actor=clerk, case=other)


@pytest.mark.django_db
def test_conclusion_is_published_within_seven_working_days(
    clock: Any, make_case: Callable[..., Case], clerk: Any
) -> None:
    clock.move_to(at(d("2026-02-10")))
    case = services.accept_case(actor=clerk, case=make_case(kind="denunciation"))
    clock.move_to(at(d("2026-02-12")))
    case = services.resolve_case(
        actor=clerk, case=case, body="Kết luận nội dung tố cáo.", kind="conclusion", finding="partly"
    )
    [publication] = open_obligations(case)
    assert (publication.kind, publication.due_on) == ("publish_conclusion", d("2026-03-02"))
    with pytest.raises(InvalidInput):
        services.publish_conclusion(actor=clerk, case=case, method="newspaper")
    services.publish_conclusion(actor=clerk, case=case, method="posting")
    assert open_obligations(case) == []
    # A complaint has no such rule: nothing to publish.
    complaint = services.accept_case(actor=clerk, case=make_case(kind="complaint"))
    services.resolve_case(actor=clerk, case=complaint, body="Quyết định giải quyết.", kind="conclusion")
    assert open_obligations(complaint) == []


@pytest.mark.django_db
def test_extension_records_the_notice_to_the_denounced(make_case: Callable[..., Case], clerk: Any) -> None:
    case = services.accept_case(actor=clerk, case=make_case(kind="denunciation"))
    services.extend_deadline(actor=clerk, case=case, complexity="complex", reason="Phức tạp", subject_notified=True)
    event = AuditEvent.objects.get(case=case, action="extended")
    assert event.data["subject_notified"] is True
    assert outbox_to(REPORTER_EMAIL, case=case, subject__contains="Gia hạn")


def test_policy_flags_unconfirmed_codes(db: Any) -> None:
    policy.clear_caches()
    # The law's rules: one unconfirmed. The Party's (Quy định 296-QĐ/TW) all ship unconfirmed (test_party_track).
    law = {code for code in policy.unconfirmed_codes() if not code.startswith("party.")}
    assert law == {"complaint.accept.2026"}
    assert not policy.citation_confirmed("complaint.accept.2026")
    assert policy.citation_confirmed("complaint.accept.2012")


# ---------------------------------------------------------------- discipline measures (state vs Party)


def test_discipline_measures_follow_the_decision_date() -> None:
    from pakn.public.discipline import DISCIPLINE_RULES, rule_for, valid_measures

    # Civil servants: Nghị định 172/2025/NĐ-CP (from 01/07/2025) abolished hạ bậc lương and giáng chức.
    before = valid_measures("civil_servant", d("2025-06-30"))
    after = valid_measures("civil_servant", d("2025-07-01"))
    assert {"salary_downgrade", "demotion"} <= set(before)
    assert after == ("reprimand", "warning", "dismissal", "forced_resignation")
    assert valid_measures("cadre", d("2025-07-01")) == ("reprimand", "warning", "dismissal", "removal")
    assert valid_measures("party", d("2025-07-01")) == ("reprimand", "warning", "dismissal", "party_expulsion")
    rule = rule_for("civil_servant", d("2025-07-01"))
    assert rule is not None and "172/2025/NĐ-CP" in rule.citation
    party = rule_for("party", d("2025-06-01"))
    assert party is not None and "296-QĐ/TW" in party.citation
    # The state's measures and the Party's stay apart.
    assert not any("party_expulsion" in r.measures for r in DISCIPLINE_RULES if r.regime != "party")
    assert not any("removal" in r.measures for r in DISCIPLINE_RULES if r.regime == "party")
    assert all(r.citation for r in DISCIPLINE_RULES)


@pytest.mark.django_db
def test_discipline_results_are_checked_and_published_apart(
    make_case: Callable[..., Case], clerk: Any, head: Any, client: Any
) -> None:
    from pakn.public import services as public_services

    case = make_case(kind="report")
    services.resolve_case(actor=clerk, case=case, body="Đã kỷ luật cán bộ vi phạm.")
    base = {
        "official_position": "Cán bộ địa chính phường",
        "violation": "Gây phiền hà cho người dân",
        "decision_number": "45/QĐ-UBND",
    }
    old = public_services.publish_discipline_result(
        actor=head, case=case, regime="civil_servant", measure="salary_downgrade", decided_on="2025-06-15", **base
    )
    assert "112/2020" in old.legal_basis
    with pytest.raises(InvalidInput) as info:
        public_services.publish_discipline_result(
            actor=head, case=case, regime="civil_servant", measure="salary_downgrade", decided_on="2025-07-02", **base
        )
    assert "measure" in info.value.fields
    with pytest.raises(InvalidInput):
        public_services.publish_discipline_result(
            actor=head, case=case, regime="party", measure="removal", decided_on="2025-07-02", **base
        )
    with pytest.raises(InvalidInput) as info:
        public_services.publish_discipline_result(
            actor=head, case=case, regime="", measure="warning", decided_on="2025-07-02", **base
        )
    assert "regime" in info.value.fields
    party = public_services.publish_discipline_result(
        actor=head,
        case=case,
        regime="party",
        measure="warning",
        decided_on="2025-08-01",
        **{**base, "official_position": "Bí thư chi bộ khu dân cư"},
    )
    assert "296-QĐ/TW" in party.legal_basis
    page = client.get("/public/discipline/").content.decode()
    state_part, party_part = page.split('id="party-h"')
    assert "Cán bộ địa chính phường" in state_part and "Bí thư chi bộ khu dân cư" not in state_part
    assert "Bí thư chi bộ khu dân cư" in party_part and "296-QĐ/TW" in party_part


@pytest.mark.django_db
def test_staff_page_offers_the_legal_steps(
    clock: Any, make_case: Callable[..., Case], clerk: Any, login: Callable[[Any], Any]
) -> None:
    staff = login(clerk)
    denunciation = make_case(kind="denunciation")
    page = staff.get(f"/staff/cases/{denunciation.pk}/").content.decode()
    assert 'id="action-extend_acceptance"' in page
    response = staff.post(
        f"/staff/cases/{denunciation.pk}/extend_acceptance", {"reason": "Cần xác minh ở hai địa điểm."}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(case=denunciation, action="acceptance_extended").exists()
    services.withdraw_case(case=denunciation)
    page = staff.get(f"/staff/cases/{denunciation.pk}/").content.decode()
    assert 'id="action-continue"' in page
    response = staff.post(
        f"/staff/cases/{denunciation.pk}/continue", {"ground": "signs_of_violation", "reason": "Có dấu hiệu vi phạm."}
    )
    assert response.status_code == 302 and reload(denunciation).status == Status.RECEIVED
    complaint = services.accept_case(actor=clerk, case=make_case(kind="complaint"))
    services.withdraw_case(case=complaint)
    page = staff.get(f"/staff/cases/{complaint.pk}/").content.decode()
    assert 'id="action-terminate"' in page and 'id="action-continue"' not in page
    response = staff.post(f"/staff/cases/{complaint.pk}/terminate", {"body": "Quyết định đình chỉ số 3/QĐ."})
    assert response.status_code == 302
    assert Answer.objects.get(case=complaint).kind == "termination"
    refuse_page = staff.get(f"/staff/cases/{make_case(kind='complaint').pk}/").content.decode()
    assert 'value="not_signed"' in refuse_page and 'value="unidentified"' not in refuse_page
