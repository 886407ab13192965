"""The Party's track (Quy định 296-QĐ/TW): a case routed by a party competence rule is handled with the Party's
periods (data, unconfirmed, each checked here against a hand-worked 2026 example), an unsigned party-track letter
is kept as information for reference, the 27 signs of decline of Nghị quyết 04-NQ/TW are chosen on the forms and
shown only to the handler, and party bodies issue their reports in the Party's layout."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import COMMUNE, REPORTER, make_user
from pakn.cases import competence, deadlines, party_signs, services
from pakn.cases.deadlines import DEFAULT_RULES, PARTY_RULES, Item, NoRuleError, Track, compute_deadlines, period_end
from pakn.cases.models import Case, Obligation, ObligationKind
from pakn.cases.models import Track as CaseTrack
from pakn.core import documents
from pakn.core.calendar import vietnam_calendar

# Public holidays 2026 (holidays.VN): Jan 1; Feb 16–20; Apr 27 (in lieu of Apr 26); Apr 30; May 1; Aug 31;
# Sep 1–2; Nov 24. No decreed working Saturday is used by these examples.
CAL = vietnam_calendar(range(2025, 2028))
PARTY = Track.PARTY


def _rule(code: str) -> deadlines.Rule:
    return next(r for r in DEFAULT_RULES if r.code == code)


# ---------------------------------------------------------------- the rules as data


def test_every_party_rule_cites_296_and_ships_unconfirmed() -> None:
    assert {r.code for r in PARTY_RULES} == {
        "party.denunciation.accept.2025",
        "party.denunciation.accept.complex.2025",
        "party.denunciation.resolve.2025",
        "party.denunciation.resolve.province.2025",
        "party.denunciation.extension.2025",
        "party.report.answer.2025",
        "party.petition.answer.2025",
        "party.denunciation.reference.2025",
        "party.report.reference.2025",
        "party.petition.reference.2025",
    }
    for rule in PARTY_RULES:
        assert rule.track is PARTY and rule.effective_from == date(2025, 5, 30)
        assert "296-QĐ/TW" in rule.citation and not rule.confirmed
        assert len(rule.citation) <= 300  # DeadlineRule.citation, Obligation.citation
    assert all(r in DEFAULT_RULES for r in PARTY_RULES)
    assert deadlines.find_ambiguities(DEFAULT_RULES) == []


def test_the_tracks_never_borrow_each_others_periods() -> None:
    with pytest.raises(NoRuleError):
        compute_deadlines(DEFAULT_RULES, CAL, kind="complaint", received=date(2026, 3, 2), track=PARTY)
    with pytest.raises(NoRuleError):  # the Law on Denunciations has no REFERENCE item
        period_end(DEFAULT_RULES, CAL, case_kind="denunciation", item=Item.REFERENCE, start=date(2026, 3, 2))
    law = compute_deadlines(DEFAULT_RULES, CAL, kind="denunciation", received=date(2026, 4, 23))
    assert [r.code for r in law.rules] == ["denunciation.accept.2018", "denunciation.resolve.2018"]


def test_party_accept_10_working_days() -> None:
    # Thu 23/4: Fri 24 (1), Apr 27 in lieu, 28 (2), 29 (3), Apr 30 and May 1 holidays, May 4–8 (4–8), 11 (9), 12 (10).
    result = compute_deadlines(DEFAULT_RULES, CAL, kind="denunciation", received=date(2026, 4, 23), track=PARTY)
    assert result.accept_by == date(2026, 5, 12)
    assert result.rules[0].code == "party.denunciation.accept.2025"


def test_party_accept_complex_15_working_days() -> None:
    # The same start, five more working days: May 13, 14, 15, 18, 19.
    result = compute_deadlines(
        DEFAULT_RULES, CAL, kind="denunciation", received=date(2026, 4, 23), track=PARTY, complex=True
    )
    assert result.accept_by == date(2026, 5, 19)
    assert result.rules[0].code == "party.denunciation.accept.complex.2025"


def test_party_resolve_45_days_from_receipt_at_commune_level() -> None:
    # Received Mon 5/1 + 45 days = Thu 19/2 (Tết), 20/2 Tết, weekend → Mon 23/2. Counted from receipt, not from the
    # acceptance on 12/1 (which would give Thu 26/2).
    result = compute_deadlines(
        DEFAULT_RULES,
        CAL,
        kind="denunciation",
        received=date(2026, 1, 5),
        accepted=date(2026, 1, 12),
        track=PARTY,
        level="commune",
    )
    assert result.resolve_by == date(2026, 2, 23)
    assert result.rules[1].code == "party.denunciation.resolve.2025"


def test_party_resolve_60_days_from_receipt_at_province_level() -> None:
    # Received Fri 3/7 + 60 days = Tue 1/9 (holiday), 2/9 holiday → Thu 3/9.
    result = compute_deadlines(
        DEFAULT_RULES,
        CAL,
        kind="denunciation",
        received=date(2026, 7, 3),
        accepted=date(2026, 7, 10),
        track=PARTY,
        level="province",
    )
    assert result.resolve_by == date(2026, 9, 3)
    assert result.rules[1].code == "party.denunciation.resolve.province.2025"


def test_party_extension_once_30_days() -> None:
    # Received Mon 2/3 + 45 + 30 = 75 days = Sat 16/5 → Mon 18/5; a second extension is refused (max_count 1).
    result = compute_deadlines(
        DEFAULT_RULES,
        CAL,
        kind="denunciation",
        received=date(2026, 3, 2),
        accepted=date(2026, 3, 9),
        track=PARTY,
        level="commune",
        extensions=1,
    )
    assert result.resolve_by == date(2026, 5, 18)
    assert result.rules[-1].code == "party.denunciation.extension.2025"
    with pytest.raises(ValueError, match="at most 1"):
        compute_deadlines(DEFAULT_RULES, CAL, kind="denunciation", received=date(2026, 3, 2), track=PARTY, extensions=2)


@pytest.mark.parametrize("kind", ["report", "petition"])
def test_party_answer_10_working_days(kind: str) -> None:
    # Fri 20/11: Mon 23 (1), Nov 24 holiday, 25–27 (2–4), 30 (5), Dec 1–4 (6–9), Mon 7/12 (10).
    result = compute_deadlines(DEFAULT_RULES, CAL, kind=kind, received=date(2026, 11, 20), track=PARTY)
    assert result.answer_by == date(2026, 12, 7)
    assert result.rules[0].code == f"party.{kind}.answer.2025"


@pytest.mark.parametrize("kind", ["denunciation", "report", "petition"])
def test_party_reference_10_working_days(kind: str) -> None:
    # Mon 9/2: 10–13 (1–4), Tết 16–20, 23–27 (5–9), Mon 2/3 (10).
    due, rule = period_end(DEFAULT_RULES, CAL, case_kind=kind, item=Item.REFERENCE, start=date(2026, 2, 9), track=PARTY)
    assert due == date(2026, 3, 2) and rule.code == f"party.{kind}.reference.2025"
    assert "giấu tên" in rule.citation


def test_only_party_competence_rules_put_a_case_on_the_party_track() -> None:
    assert {r.code for r in competence.RULES if r.party} == {
        "denunciation.party.head",
        "denunciation.party.member",
        "conduct.party.head",
        "conduct.party.member",
    }
    assert services._track_for("denunciation", True, party=True) == CaseTrack.PARTY
    assert services._track_for("denunciation", False, party=True) == CaseTrack.PARTY
    assert services._track_for("report", False, party=True) == CaseTrack.PARTY
    assert services._track_for("complaint", True, party=True) == CaseTrack.STATUTORY
    assert services._track_for("denunciation", False) == CaseTrack.ANONYMOUS


# ---------------------------------------------------------------- through the services

SECRETARY = "Bí thư Đảng ủy phường Ba Đình"


@pytest.fixture
def commission_clerk(db: Any) -> Any:
    return make_user("canbo.ubkt.thanhuy", unit_code="UBKT-01", role="clerk")


def _open(case: Case) -> list[Obligation]:
    return list(Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False))


def test_a_signed_denunciation_of_a_party_secretary_follows_the_party_rules(
    make_case: Callable[..., Any], commission_clerk: Any, login: Any
) -> None:
    case = make_case(kind="denunciation", title="Tố cáo bí thư", subject=SECRETARY)
    assert case.unit.code == "UBKT-01" and case.subject_person.rule_code == "denunciation.party.head"
    assert case.track == CaseTrack.PARTY and not case.reference
    [accept] = _open(case)
    assert accept.kind == ObligationKind.ACCEPT and accept.rule_code == "party.denunciation.accept.2025"
    case = services.accept_case(actor=commission_clerk, case=case)
    kinds = {o.kind: o for o in _open(case)}
    assert set(kinds) == {ObligationKind.RESOLVE}  # no Art. 29 notice: the Party's table has none
    resolve = kinds[ObligationKind.RESOLVE]
    assert resolve.rule_code == "party.denunciation.resolve.province.2025"  # the Thành ủy's commission
    assert resolve.due_on == CAL.add_days(case.received_on, 60)
    assert 'id="action-extend"' in login(commission_clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    case = services.extend_deadline(actor=commission_clerk, case=case, complexity="complex", reason="Nhiều nội dung")
    assert _open(case)[0].rule_code == "party.denunciation.extension.2025"
    from pakn.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):  # one extension only on the party track (max_count 1)
        services.extend_deadline(
            actor=commission_clerk, case=case, complexity="especially_complex", reason="Thêm nội dung"
        )


def test_a_signed_conduct_report_gets_the_party_answer_period(make_case: Callable[..., Any]) -> None:
    case = make_case(kind="report", title="Phản ánh lối sống", subject=SECRETARY)
    assert case.track == CaseTrack.PARTY and not case.reference
    [answer] = _open(case)
    assert answer.kind == ObligationKind.ANSWER and answer.rule_code == "party.report.answer.2025"


def test_an_unsigned_party_letter_is_kept_for_reference(
    client: Client, make_case: Callable[..., Any], commission_clerk: Any
) -> None:
    case = make_case(kind="denunciation", title="Tố cáo bí thư nhận quà", subject=SECRETARY, reporter=None)
    assert case.track == CaseTrack.PARTY and case.reference
    [reference] = _open(case)
    assert reference.kind == ObligationKind.REFERENCE and reference.rule_code == "party.denunciation.reference.2025"
    status = client.get(f"/track/{case.tracking_code}/").content.decode()
    assert "thông tin tham khảo" in status and "296-QĐ/TW" in status
    # Accepting it opens no denunciation period.
    case = services.accept_case(actor=commission_clerk, case=case)
    assert _open(case) == []
    staff = make_user("lanhdao.ubkt", unit_code="UBKT-01", role="head")
    from django.test import Client as StaffClient

    page = StaffClient()
    page.force_login(staff)
    assert 'id="party-reference"' in page.get(f"/staff/cases/{case.pk}/").content.decode()


def test_an_unsigned_party_letter_from_the_form_gets_a_receipt_and_the_note(client: Client, db: Any) -> None:
    from pakn.protection.models import Receipt

    response = client.post(
        "/submit/",
        {
            "reporter_notify_by": "none",
            "kind": "denunciation",
            "title": "Tố cáo bí thư phường",
            "content": "Bí thư nhận tiền của doanh nghiệp để giới thiệu dự án.",
            "province_code": "01",
            "commune_code": COMMUNE,
            "subject": SECRETARY,
        },
    )
    assert response.status_code == 201 and 'id="receipt"' in response.content.decode()
    case = Case.objects.order_by("-pk").first()
    assert case is not None and case.reference and Receipt.objects.filter(case=case).exists()
    from pakn.cases import presenters

    assert any("thông tin tham khảo" in text for text in presenters.public_status(case)["rights"])


# ---------------------------------------------------------------- the 27 signs of decline


def test_the_27_signs_in_three_groups_of_nine() -> None:
    assert [len(g.signs) for g in party_signs.GROUPS] == [9, 9, 9]
    assert len(party_signs.SIGNS) == 27
    assert party_signs.clean(["g2.5", "g1.1", "x"]) == (("g1.1", "g2.5"), ["x"])


def test_the_forms_offer_the_signs_as_accessible_checkboxes(client: Client, login: Any, clerk: Any) -> None:
    public = client.get("/submit/").content.decode()
    staff = login(clerk).get("/staff/intake/").content.decode()
    for html, name in ((public, "subject_signs_g1"), (staff, "subject_signs_g3")):
        assert 'id="subject-signs"' in html and f'name="{name}"' in html and 'type="checkbox"' in html
        assert "<legend>" in html and str(party_signs.GROUPS[0].label) in html


SIGN_TEXT = str(party_signs.SIGNS["g2.5"])


def test_signs_are_stored_shown_to_the_handler_and_never_public(
    client: Client, login: Any, commission_clerk: Any
) -> None:
    response = client.post(
        "/submit/",
        {
            "reporter_notify_by": "none",
            "kind": "report",
            "title": "Phản ánh bí thư phường nhận phong bì",
            "content": "Bí thư nhận phong bì của doanh nghiệp trong đám cưới con.",
            "province_code": "01",
            "commune_code": COMMUNE,
            "subject": SECRETARY,
            "subject_signs_g1": ["g1.6"],
            "subject_signs_g2": ["g2.5", "g2.9"],
            "reporter_name": REPORTER["name"],
            "reporter_phone": REPORTER["phone"],
            "reporter_address": REPORTER["address"],
            "publish": "on",
        },
    )
    assert response.status_code in (201, 302), response.content.decode()[:2000]
    case = Case.objects.order_by("-pk").first()
    assert case is not None and case.subject_person.signs == ["g1.6", "g2.5", "g2.9"]
    staff_page = login(commission_clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'id="subject-signs"' in staff_page and SIGN_TEXT in staff_page
    case = services.accept_case(actor=commission_clerk, case=case)
    services.resolve_case(actor=commission_clerk, case=case, body="Đã kiểm tra, nhắc nhở đảng viên.")
    pages = [
        client.get(f"/track/{case.tracking_code}/"),
        client.get(f"/api/v1/submissions/{case.tracking_code}"),
        client.get("/open311/v2/requests.json"),
        client.get(f"/open311/v2/requests/{case.tracking_code}.json"),
        client.get("/public/data/answers.json"),
        client.get("/public/data/answers.csv"),
    ]
    for page in pages:
        text = page.content.decode()
        assert SIGN_TEXT not in text and "g2.5" not in text


def test_an_unknown_sign_is_refused(make_case: Callable[..., Any]) -> None:
    from pakn.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        make_case(kind="report", subject=SECRETARY, subject_person={"signs": ["g4.1"]})
    assert "subject_person.signs" in error.value.fields


def test_the_clerk_records_signs_on_the_case_page(make_case: Callable[..., Any], commission_clerk: Any) -> None:
    case = make_case(kind="denunciation", title="Tố cáo bí thư", subject=SECRETARY)
    services.set_subject_person(
        actor=commission_clerk,
        case=case,
        position="party_secretary",
        body_code=f"DU-{COMMUNE}",
        party_member=True,
        signs=["g3.5"],
    )
    case.subject_person.refresh_from_db()
    assert case.subject_person.signs == ["g3.5"]


# ---------------------------------------------------------------- the Party's document layout


def _pdf_text(doc: documents.Document) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(documents.pdf_bytes(doc)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _doc(issuer: documents.Issuer, signer: documents.Signer) -> documents.Document:
    table = documents.Table("Số liệu", ["Chỉ tiêu", "Số"], [["Đơn nhận", 3]])
    return documents.Document(
        title="Tình hình giải quyết tố cáo đối với đảng viên",
        issuer=issuer,
        dated=date(2026, 12, 4),
        tables=[table],
        signer=signer,
    )


def test_an_inspection_commission_reports_in_the_party_layout(db: Any) -> None:
    from pakn.org.models import Unit

    issuer, signer = documents.parties_of(Unit.objects.get(code=f"UBKT-{COMMUNE}"))
    assert issuer.party and issuer.name == "Ủy ban Kiểm tra" and issuer.symbol == "UBKTĐU"
    text = _pdf_text(_doc(issuer, signer))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in text
    assert "ĐẢNG ỦY PHƯỜNG BA ĐÌNH" in text and "ỦY BAN KIỂM TRA" in text
    assert "*" in text and "-BC/UBKTĐU" in text and "Số:" not in text
    assert "T/M ỦY BAN KIỂM TRA" in text and "CHỦ NHIỆM" in text
    assert "ngày 04 tháng 12 năm 2026" in text


def test_a_commune_party_committee_heads_with_the_organisation_above(db: Any) -> None:
    from pakn.org.models import Unit

    issuer, signer = documents.parties_of(Unit.objects.get(code=f"DU-{COMMUNE}"))
    assert issuer.party and issuer.parent == "Đảng bộ thành phố Hà Nội"
    text = _pdf_text(_doc(issuer, signer))
    assert "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in text and "ĐẢNG ỦY PHƯỜNG BA ĐÌNH" in text
    assert "-BC/ĐU" in text and "T/M BAN THƯỜNG VỤ" in text and "BÍ THƯ" in text


def test_state_bodies_keep_the_decree_30_layout(db: Any) -> None:
    from pakn.org.models import Unit

    issuer, signer = documents.parties_of(Unit.objects.get(code=f"UBND-{COMMUNE}"))
    assert not issuer.party
    text = _pdf_text(_doc(issuer, signer))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "ĐẢNG CỘNG SẢN" not in text
    assert "Số:" in text and "/BC-UBND" in text


def test_party_organisation_names() -> None:
    assert documents.party_organisation("Tỉnh ủy Hà Nam") == "Đảng bộ tỉnh Hà Nam"
    assert documents.party_organisation("Thành ủy Hà Nội") == "Đảng bộ thành phố Hà Nội"
    assert documents.party_organisation("Thành ủy Thành phố Hồ Chí Minh") == "Đảng bộ Thành phố Hồ Chí Minh"


def test_the_oversight_report_of_a_party_commission_is_in_the_party_layout(db: Any) -> None:
    from pakn.org.models import Unit
    from pakn.oversight import reports
    from pakn.public import stats

    commission = Unit.objects.get(code="UBKT-01")
    report = reports.build_report(commission, stats.Period.month(2026, 3), today=date(2026, 4, 2))
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(reports.to_pdf(report))).pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "THÀNH ỦY HÀ NỘI" in text and "-BC/UBKTTU" in text
    assert "T/M ỦY BAN KIỂM TRA" in text


def test_migration_0007_adds_the_party_rules_to_a_seeded_table_and_removes_them(db: Any) -> None:
    import importlib

    from django.apps import apps

    from pakn.cases import policy
    from pakn.cases.models import DeadlineRule

    migration = importlib.import_module("pakn.cases.migrations.0007_party_track")
    DeadlineRule.objects.filter(track="party").delete()  # the table as 0006 left it
    law = DeadlineRule.objects.count()
    migration.add_party_rules(apps, None)
    rows = DeadlineRule.objects.filter(track="party")
    assert {r.code for r in rows} == {r.code for r in PARTY_RULES} and not any(r.confirmed for r in rows)
    province = rows.get(code="party.denunciation.resolve.province.2025")
    assert (province.level, province.counted_from, province.amount) == ("province", "received", 60)
    migration.add_party_rules(apps, None)  # idempotent
    assert DeadlineRule.objects.count() == law + len(PARTY_RULES)
    migration.remove_party_rules(apps, None)
    assert DeadlineRule.objects.count() == law
    policy.clear_caches()
    DeadlineRule.objects.all().delete()
    migration.add_party_rules(apps, None)  # an empty table is seeded after migrate, not here
    assert not DeadlineRule.objects.exists()
