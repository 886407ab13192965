"""Competence follows the person concerned (domain.md §4a): the recogniser, the rule table, the chooser
(with a property test), routing through the real submission path, and conflict of interest on every
route a member of the accused's own body could use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from conftest import COMMUNE, REPORTER, make_user
from pakn.cases import competence
from pakn.cases.competence import RULES, Person, UnitNode, choose
from pakn.cases.models import Case, Kind
from pakn.cases.subjects import PlaceRef, key, recognise
from pakn.org.models import Position, Rank, UnitKind, UnitLevel, position_rank

# ---------------------------------------------------------------- the recogniser (pure)

PLACES = (
    PlaceRef("00004", UnitLevel.COMMUNE, "01", key("Phường Ba Đình")),
    PlaceRef("00611", UnitLevel.COMMUNE, "01", key("Phường Phú Diễn")),
    PlaceRef("10001", UnitLevel.COMMUNE, "02", key("Xã Tân Lập")),
    PlaceRef("20002", UnitLevel.COMMUNE, "03", key("Xã Tân Lập")),
    PlaceRef("01", UnitLevel.PROVINCE, "01", key("Thành phố Hà Nội"), key("Hà Nội")),
)


@pytest.mark.parametrize(
    ("text", "position", "body_kind", "level", "place", "name"),
    [
        ("Chủ tịch UBND phường Phú Diễn", Position.PC_CHAIR, UnitKind.PEOPLES_COMMITTEE, "commune", "00611", ""),
        ("chu tich ubnd phuong phu dien", Position.PC_CHAIR, UnitKind.PEOPLES_COMMITTEE, "commune", "00611", ""),
        ("Bí thư Đảng ủy xã Tân Lập", Position.PARTY_SECRETARY, UnitKind.PARTY_COMMITTEE, "commune", "", ""),
        (
            "ông Nguyễn Văn A, phó chủ tịch UBND xã",
            Position.PC_VICE_CHAIR,
            UnitKind.PEOPLES_COMMITTEE,
            "commune",
            "",
            "Nguyễn Văn A",
        ),
        ("Bí thư Thành ủy Hà Nội", Position.PARTY_SECRETARY, UnitKind.PARTY_COMMITTEE, "province", "01", ""),
        (
            "Phó Chủ tịch UBMTTQ phường Ba Đình",
            Position.FRONT_VICE_CHAIR,
            UnitKind.FRONT_COMMITTEE,
            "commune",
            "00004",
            "",
        ),
        ("cán bộ địa chính phường Ba Đình", Position.OFFICIAL, UnitKind.PEOPLES_COMMITTEE, "commune", "00004", ""),
        ("Quyết định của UBND phường Ba Đình", "", UnitKind.PEOPLES_COMMITTEE, "commune", "00004", ""),
        ("Phó giám đốc Sở Xây dựng", Position.DEPARTMENT_DEPUTY_DIRECTOR, UnitKind.DEPARTMENT, "", "", ""),
        ("Trưởng phòng Kinh tế phường Ba Đình", Position.OFFICE_HEAD, UnitKind.AGENCY, "commune", "00004", ""),
        ("Công ty điện lực", "", "", "", "", ""),
    ],
)
def test_recognise(text: str, position: str, body_kind: str, level: str, place: str, name: str) -> None:
    found = recognise(text, places=PLACES, province_hint="01")
    assert (found.position, found.body_kind, found.level, found.place_code, found.name) == (
        position,
        body_kind,
        level,
        place,
        name,
    )


def test_recognise_same_commune_name_in_two_provinces_needs_the_hint() -> None:
    assert recognise("Bí thư Đảng ủy xã Tân Lập", places=PLACES, province_hint="02").place_code == "10001"
    assert recognise("Bí thư Đảng ủy xã Tân Lập", places=PLACES, province_hint="01").place_code == ""


def test_recognise_party_member_and_chapter_secretary() -> None:
    assert recognise("đảng viên Trần Thị B", places=PLACES).party_member is True
    chapter = recognise("bí thư chi bộ tổ dân phố 5", places=PLACES)
    assert chapter.position == Position.PARTY_MEMBER and chapter.party_member is True


@given(st.text(max_size=120))
def test_recognise_never_fails(text: str) -> None:
    found = recognise(text, places=PLACES, province_hint="01")
    assert found.position in ("", *Position.values)


# ---------------------------------------------------------------- the chooser (pure)

PROVINCE_KINDS = (
    UnitKind.PEOPLES_COMMITTEE,
    UnitKind.PARTY_COMMITTEE,
    UnitKind.FRONT_COMMITTEE,
)


def _world() -> dict[int, UnitNode]:
    """A province (01) and one commune (00004) with their standing bodies, inspection commissions and a
    department, numbered as the loader would link them."""
    units: dict[int, UnitNode] = {}
    for i, kind in enumerate(PROVINCE_KINDS, start=1):
        units[i] = UnitNode(i, kind, UnitLevel.PROVINCE, None, "01")
        units[10 + i] = UnitNode(10 + i, kind, UnitLevel.COMMUNE, i, "01", "00004")
    units[4] = UnitNode(4, UnitKind.INSPECTION_COMMISSION, UnitLevel.PROVINCE, 2, "01")
    units[14] = UnitNode(14, UnitKind.INSPECTION_COMMISSION, UnitLevel.COMMUNE, 12, "01", "00004")
    units[5] = UnitNode(5, UnitKind.DEPARTMENT, UnitLevel.PROVINCE, 1, "01")
    units[15] = UnitNode(15, UnitKind.AGENCY, UnitLevel.COMMUNE, 11, "01", "00004")
    return units


WORLD = _world()
FALLBACKS = (WORLD[4], WORLD[1], WORLD[2])


def _decide(kind: str, rank: str, body: int, *, party: bool = False, round_: int | None = None) -> Any:
    person = Person(rank=rank, body=WORLD[body], party_member=party)
    return choose(RULES, kind=kind, person=person, units=WORLD, complaint_round=round_, fallbacks=FALLBACKS)


@pytest.mark.parametrize(
    ("kind", "rank", "body", "party", "round_", "expected", "rule"),
    [
        (Kind.DENUNCIATION, Rank.HEAD, 11, False, None, 1, "denunciation.head"),  # commune chair → province PC
        (Kind.DENUNCIATION, Rank.DEPUTY, 11, True, None, 1, "denunciation.head"),
        (Kind.DENUNCIATION, Rank.OTHER, 11, False, None, 11, "denunciation.official"),  # clerk → commune PC
        (Kind.DENUNCIATION, Rank.HEAD, 12, True, None, 4, "denunciation.party.head"),  # ward secretary → UBKT
        (Kind.DENUNCIATION, Rank.OTHER, 12, True, None, 14, "denunciation.party.member"),
        (Kind.DENUNCIATION, Rank.HEAD, 5, False, None, 1, "denunciation.head"),  # director → province PC
        (Kind.DENUNCIATION, Rank.HEAD, 15, False, None, 11, "denunciation.head"),  # office head → commune PC
        (Kind.DENUNCIATION, competence.BODY_ONLY, 11, False, None, 1, "denunciation.body"),
        (Kind.COMPLAINT, competence.BODY_ONLY, 11, False, 1, 11, "complaint.first"),
        (Kind.COMPLAINT, competence.BODY_ONLY, 11, False, 2, 1, "complaint.second"),
        (Kind.COMPLAINT, Rank.HEAD, 11, False, 1, 11, "complaint.first"),
        (Kind.REPORT, Rank.HEAD, 12, True, None, 4, "conduct.party.head"),  # secretary's conduct → UBKT Thành ủy
        (Kind.REPORT, Rank.HEAD, 11, True, None, 4, "conduct.party.head"),  # chair, a party member
        (Kind.REPORT, Rank.OTHER, 11, True, None, 14, "conduct.party.member"),
        (Kind.REPORT, Rank.HEAD, 11, False, None, 1, "conduct.head"),
        (Kind.REPORT, Rank.OTHER, 11, False, None, 11, "conduct.official"),
    ],
)
def test_rule_table(kind: str, rank: str, body: int, party: bool, round_: int | None, expected: int, rule: str) -> None:
    decision = _decide(kind, rank, body, party=party, round_=round_)
    assert decision is not None
    assert (decision.unit.id, decision.rule.code) == (expected, rule)


def test_top_of_the_tree_falls_back_and_says_so() -> None:
    """The body above a province's People's Committee is central, not in the system."""
    decision = _decide(Kind.DENUNCIATION, Rank.HEAD, 1)
    assert decision is not None and decision.fallback and decision.unit.id == 4
    secretary = _decide(Kind.DENUNCIATION, Rank.HEAD, 2, party=True)
    assert secretary is not None and secretary.fallback and secretary.unit.id == 1


def test_opinion_has_no_competence_rule() -> None:
    assert _decide(Kind.OPINION, Rank.HEAD, 11) is None


def test_every_rule_has_a_citation_and_a_known_target() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    for rule in RULES:
        assert str(rule.citation).strip() and rule.target in competence.TARGETS
        if not rule.confirmed:
            assert "chưa" in str(rule.citation) or "296" in str(rule.citation)


def _inside(node: UnitNode, body: UnitNode) -> bool:
    current: UnitNode | None = node
    while current is not None:
        if current.id == body.id:
            return True
        current = WORLD.get(current.parent_id) if current.parent_id is not None else None
    return False


@given(
    kind=st.sampled_from([Kind.DENUNCIATION, Kind.COMPLAINT, Kind.REPORT, Kind.PETITION]),
    rank=st.sampled_from([Rank.HEAD, Rank.DEPUTY, Rank.OTHER, competence.BODY_ONLY]),
    body=st.sampled_from(sorted(WORLD)),
    party=st.booleans(),
    round_=st.sampled_from([1, 2]),
    party_unit=st.sampled_from([None, 2, 12]),
)
def test_chooser_properties(kind: str, rank: str, body: int, party: bool, round_: int, party_unit: int | None) -> None:
    """Every kind/position combination resolves, and an accused head or deputy never lands on their own
    body or below it (a first-time complaint is the exception the law makes: Luật Khiếu nại, Điều 17)."""
    person = Person(
        rank=rank,
        body=WORLD[body],
        party_member=party,
        party_unit=WORLD[party_unit] if party_unit else None,
    )
    decision = choose(
        RULES,
        kind=kind,
        person=person,
        units=WORLD,
        complaint_round=round_ if kind == Kind.COMPLAINT else None,
        fallbacks=FALLBACKS,
    )
    assert decision is not None
    first_complaint = kind == Kind.COMPLAINT and round_ == 1
    if rank in (Rank.HEAD, Rank.DEPUTY) and not first_complaint:
        assert not _inside(decision.unit, WORLD[body])
    if kind == Kind.COMPLAINT and round_ == 2 and not decision.fallback:
        assert decision.unit.id == WORLD[body].parent_id


def test_positions_carry_head_and_deputy() -> None:
    assert position_rank(Position.PC_CHAIR) == Rank.HEAD
    assert position_rank(Position.PARTY_DEPUTY_SECRETARY) == Rank.DEPUTY
    assert position_rank(Position.OFFICIAL) == Rank.OTHER
    assert position_rank("") == Rank.OTHER


# ---------------------------------------------------------------- through the real submission path

DENOUNCE_CHAIR = {
    "kind": "denunciation",
    "title": "Tố cáo nhận tiền để cấp phép xây dựng",
    "content": "Chủ tịch phường nhận tiền của các hộ để bỏ qua vi phạm xây dựng trên phố Đội Cấn.",
    "province_code": "01",
    "commune_code": COMMUNE,
    "subject": "Chủ tịch UBND phường Ba Đình",
}


def form_post(client: Client, **data: Any) -> Any:
    payload = {"reporter_notify_by": "none", **data}
    return client.post("/submit/", payload)


def newest() -> Case:
    return Case.objects.order_by("-pk").first()  # type: ignore[return-value]


@pytest.fixture
def ward_chair(db: Any) -> Any:
    """``chutich.badinh``: the chair of UBND Phường Ba Đình, with an account there (head)."""
    return make_user("chutich.badinh", unit_code=f"UBND-{COMMUNE}", role="head")


@pytest.fixture
def ward_secretary(db: Any) -> Any:
    return make_user("bithu.badinh", unit_code=f"DU-{COMMUNE}", role="head")


@pytest.fixture
def city_clerk(db: Any) -> Any:
    return make_user("canbo.thanhpho", unit_code="UBND-01", role="clerk")


def test_denunciation_of_the_ward_chair_goes_to_the_city_through_the_form(
    client: Client, ward_chair: Any, clerk: Any, city_clerk: Any
) -> None:
    response = form_post(client, **DENOUNCE_CHAIR)
    assert response.status_code in (200, 201, 302), response.content.decode()[:3000]
    case = newest()
    assert case.unit.code == "UBND-01"
    subject = case.subject_person
    assert subject.position == Position.PC_CHAIR and subject.body.code == f"UBND-{COMMUNE}"
    assert subject.rule_code == "denunciation.head" and subject.conflict_unit.code == f"UBND-{COMMUNE}"
    from pakn.org.access import visible_cases

    assert not visible_cases(ward_chair).filter(pk=case.pk).exists()
    assert not visible_cases(clerk).filter(pk=case.pk).exists()  # any member of the ward's People's Committee
    assert visible_cases(city_clerk).filter(pk=case.pk).exists()


def test_denunciation_of_a_commune_clerk_stays_at_the_commune(make_case: Callable[..., Any], clerk: Any) -> None:
    case = make_case(
        kind="denunciation",
        title="Tố cáo cán bộ địa chính",
        subject="ông Lê Văn C, cán bộ địa chính phường Ba Đình",
    )
    assert case.unit.code == f"UBND-{COMMUNE}"
    assert case.subject_person.position == Position.OFFICIAL
    assert case.subject_person.rule_code == "denunciation.official"
    assert case.subject_person.conflict_unit is None
    from pakn.org.access import visible_cases

    assert visible_cases(clerk).filter(pk=case.pk).exists()


def test_conduct_of_the_ward_secretary_goes_to_the_city_party_track(
    make_case: Callable[..., Any], ward_secretary: Any
) -> None:
    case = make_case(
        kind="report",
        title="Phản ánh lối sống của bí thư",
        content="Bí thư Đảng ủy phường tổ chức tiệc cưới linh đình cho con, nhận phong bì của doanh nghiệp.",
        subject="Bí thư Đảng ủy phường Ba Đình",
    )
    assert case.unit.code in ("UBKT-01", "DU-01")
    assert case.unit.code == "UBKT-01"
    assert case.unit.parent.code == "DU-01"
    assert case.subject_person.rule_code == "conduct.party.head"
    assert case.subject_person.party_member is True
    from pakn.org.access import visible_cases

    assert not visible_cases(ward_secretary).filter(pk=case.pk).exists()
    # The ward's own inspection commission sits under the committee the secretary leads.
    commission_member = make_user("ubkt.badinh", unit_code=f"UBKT-{COMMUNE}")
    assert not visible_cases(commission_member).filter(pk=case.pk).exists()


def test_complaint_against_a_commune_decision_first_and_second_time(make_case: Callable[..., Any]) -> None:
    first = make_case(
        kind="complaint",
        title="Khiếu nại quyết định thu hồi đất",
        subject="Quyết định thu hồi đất của UBND phường Ba Đình",
        complaint_round=1,
    )
    assert first.unit.code == f"UBND-{COMMUNE}"
    assert first.subject_person.rule_code == "complaint.first"
    second = make_case(
        kind="complaint",
        title="Khiếu nại lần hai quyết định thu hồi đất",
        subject="Quyết định thu hồi đất của UBND phường Ba Đình",
        complaint_round=2,
    )
    assert second.unit.code == "UBND-01"
    assert second.subject_person.rule_code == "complaint.second"


def test_structured_fields_win_over_the_words(make_case: Callable[..., Any]) -> None:
    case = make_case(
        kind="denunciation",
        title="Tố cáo phó chủ tịch",
        subject="một lãnh đạo phường",
        subject_person={"name": "Trần Văn D", "position": "pc_vice_chair", "body_code": f"UBND-{COMMUNE}"},
    )
    assert case.unit.code == "UBND-01"
    assert case.subject_person.name == "Trần Văn D"
    assert case.subject_person.source == "citizen"


def test_a_street_light_report_routes_by_place(make_case: Callable[..., Any]) -> None:
    case = make_case(subject="Công ty chiếu sáng đô thị")
    assert case.unit.code == f"UBND-{COMMUNE}"
    assert not hasattr(case, "subject_person") or case.subject_person is None


def test_clerk_confirms_the_person_with_an_audited_event(make_case: Callable[..., Any], clerk: Any) -> None:
    from pakn.cases import services

    case = make_case(kind="denunciation", title="Tố cáo cán bộ", subject="cán bộ phường")
    row = services.set_subject_person(
        actor=clerk,
        case=case,
        name="Phạm Văn E",
        position="pc_vice_chair",
        body_code=f"UBND-{COMMUNE}",
        party_member=True,
    )
    assert row.competent_unit.code == "UBND-01" and row.confirmed_by == clerk
    event = case.events.order_by("-seq").first()
    assert event.action == "subject_confirmed" and event.public is False
    assert "Phạm Văn E" not in str(event.data)
    # The clerk is a member of the accused deputy's body: the case is now out of their sight.
    from pakn.org.access import visible_cases

    assert not visible_cases(clerk).filter(pk=case.pk).exists()


# ---------------------------------------------------------------- conflict of interest, every route


@pytest.fixture
def chair_case(client: Client, ward_chair: Any) -> Case:
    form_post(client, **DENOUNCE_CHAIR)
    return newest()


def test_the_chair_never_sees_the_case_on_any_route(
    chair_case: Case, ward_chair: Any, city_clerk: Any, login: Callable[[Any], Client]
) -> None:
    from pakn.core.errors import NotFound
    from pakn.org.access import access_case

    code = chair_case.tracking_code
    chair = login(ward_chair)
    with pytest.raises(NotFound):
        access_case(ward_chair, chair_case.pk)
    listing = chair.get("/staff/?status=")
    assert code not in listing.content.decode()
    assert chair.get(f"/staff/cases/{chair_case.pk}/").status_code == 404
    search = chair.get("/staff/?q=c%E1%BA%A5p+ph%C3%A9p")
    assert code not in search.content.decode()
    api = chair.get("/api/v1/cases")
    assert api.status_code == 200 and code not in api.content.decode()
    assert chair.get(f"/api/v1/cases/{chair_case.pk}").status_code == 404
    for url in ("/api/v1/language/search", "/language/api/search", "/language/search/"):
        found = chair.get(url, {"q": "cấp phép"})
        assert found.status_code == 200 and code not in found.content.decode(), url
    # Seen from the city, the same search finds it (so the test above is not vacuous).
    assert code in login(city_clerk).get("/language/api/search", {"q": "cấp phép"}).content.decode()
    # The city sees it.
    city = login(city_clerk)
    assert city.get(f"/staff/cases/{chair_case.pk}/").status_code == 200
    assert code in city.get("/api/v1/cases").content.decode()


def test_workspace_counts_leave_the_case_out(chair_case: Case, ward_chair: Any, city_clerk: Any) -> None:
    from pakn.org.access import visible_cases

    assert visible_cases(city_clerk).filter(pk=chair_case.pk).exists()
    assert chair_case.pk not in set(visible_cases(ward_chair).values_list("pk", flat=True))


def test_the_person_themself_never_sees_it_even_from_another_unit(
    chair_case: Case, city_clerk: Any, clerk: Any
) -> None:
    from pakn.cases import services
    from pakn.org.access import visible_cases

    services.set_subject_person(
        actor=city_clerk,
        case=chair_case,
        name="Chủ tịch phường",
        position="pc_chair",
        body_code=f"UBND-{COMMUNE}",
        username="chutich.badinh",
    )
    chair_case.subject_person.refresh_from_db()
    assert chair_case.subject_person.user.username == "chutich.badinh"
    city_member = make_user("both", unit_code="UBND-01")
    assert visible_cases(city_member).filter(pk=chair_case.pk).exists()
    from pakn.org.models import Membership, Unit

    Membership.objects.create(user=chair_case.subject_person.user, unit=Unit.objects.get(code="UBND-01"), role="clerk")
    assert not visible_cases(chair_case.subject_person.user).filter(pk=chair_case.pk).exists()


# ---------------------------------------------------------------- personal data stays out of public views


def test_the_person_concerned_is_never_public(client: Client, make_case: Callable[..., Any], city_clerk: Any) -> None:
    from pakn.cases import services

    case = make_case(
        kind="denunciation",
        title="Tố cáo phó chủ tịch",
        subject="ông Hoàng Văn Riêng, phó chủ tịch UBND phường Ba Đình",
        publish=True,
    )
    assert case.subject_person.name == "Hoàng Văn Riêng" and case.unit.code == "UBND-01"
    case = services.accept_case(actor=city_clerk, case=case)
    services.resolve_case(actor=city_clerk, case=case, body="Đã xác minh, kết luận tố cáo đúng một phần.")
    pages = [
        client.get(f"/track/{case.tracking_code}/"),
        client.get(f"/api/v1/submissions/{case.tracking_code}"),
        client.get("/open311/v2/requests.json"),
        client.get(f"/open311/v2/requests/{case.tracking_code}.json"),
        client.get("/public/data/answers.json"),
        client.get("/public/data/answers.csv"),
        client.get("/api/v1/language/public/search", {"q": "phó chủ tịch"}),
    ]
    assert any("Tố cáo phó chủ tịch" in p.content.decode() for p in pages[4:])  # the case is public
    for page in pages:
        text = page.content.decode()
        assert "Hoàng Văn Riêng" not in text and "Riêng" not in text
        assert "pc_vice_chair" not in text


# ---------------------------------------------------------------- unsigned complaints and receipts


def test_an_unsigned_complaint_is_refused_with_the_reason(client: Client, db: Any) -> None:
    response = form_post(
        client,
        kind="complaint",
        complaint_round="1",
        title="Khiếu nại quyết định xử phạt",
        content="Tôi khiếu nại quyết định xử phạt hành chính không đúng.",
        province_code="01",
        commune_code=COMMUNE,
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Điều 8" in text and "phản ánh" in text
    assert not Case.objects.filter(title="Khiếu nại quyết định xử phạt").exists()


def test_the_refused_complaint_can_be_sent_as_a_report(client: Client, db: Any) -> None:
    response = form_post(
        client,
        kind="complaint",
        as_report="1",
        title="Khiếu nại quyết định xử phạt",
        content="Tôi khiếu nại quyết định xử phạt hành chính không đúng.",
        province_code="01",
        commune_code=COMMUNE,
    )
    assert response.status_code == 302
    assert newest().kind == "report"


def test_an_unsigned_complaint_through_the_api_is_refused(client: Client, db: Any) -> None:
    response = client.post(
        "/api/v1/submissions",
        {
            "kind": "complaint",
            "title": "Khiếu nại",
            "content": "Khiếu nại quyết định xử phạt.",
            "province_code": "01",
            "commune_code": COMMUNE,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reporter.name" in response.json()["error"]["fields"]


def test_an_unnamed_street_light_report_gets_its_tracking_code_not_a_receipt(client: Client, db: Any) -> None:
    from pakn.protection.models import Receipt

    response = form_post(
        client,
        kind="report",
        title="Đèn đường hỏng",
        content="Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần.",
        province_code="01",
        commune_code=COMMUNE,
    )
    assert response.status_code == 302
    case = newest()
    assert not Receipt.objects.filter(case=case).exists()
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_code[:4] in page.replace("-", "")


def test_an_unnamed_denunciation_and_conduct_report_get_a_receipt(client: Client, db: Any) -> None:
    from pakn.protection.models import Receipt

    response = form_post(client, **DENOUNCE_CHAIR)
    assert response.status_code == 201 and 'id="receipt"' in response.content.decode()
    assert Receipt.objects.filter(case=newest()).exists()
    conduct = form_post(
        client,
        kind="report",
        title="Phản ánh thái độ cán bộ",
        content="Cán bộ một cửa quát nạt người dân.",
        province_code="01",
        commune_code=COMMUNE,
        subject="cán bộ một cửa phường Ba Đình",
    )
    assert conduct.status_code == 201 and 'id="receipt"' in conduct.content.decode()


def test_a_named_complaint_still_works(make_case: Callable[..., Any]) -> None:
    case = make_case(kind="complaint", reporter=dict(REPORTER))
    assert case.track == "statutory"


def test_staff_page_shows_the_rule_and_confirms_through_a_form(
    chair_case: Case, city_clerk: Any, login: Callable[[Any], Client]
) -> None:
    client = login(city_clerk)
    page = client.get(f"/staff/cases/{chair_case.pk}/").content.decode()
    assert "Luật Tố cáo 2018" in page and 'id="competence"' in page
    response = client.post(
        f"/staff/cases/{chair_case.pk}/subject",
        {"name": "Nguyễn Văn Chủ", "position": "pc_chair", "body_code": f"UBND-{COMMUNE}", "party_member": "yes"},
    )
    assert response.status_code == 302
    chair_case.subject_person.refresh_from_db()
    assert chair_case.subject_person.source == "clerk" and chair_case.subject_person.party_member is True
    # A party member heading the ward People's Committee: for a denunciation the state track still applies.
    assert chair_case.subject_person.rule_code == "denunciation.head"
    bad = client.post(f"/staff/cases/{chair_case.pk}/subject", {"position": "emperor"})
    assert bad.status_code == 400


def test_a_ward_clerk_records_a_letter_about_the_ward_chair_and_it_goes_to_the_city(
    ward_chair: Any, clerk: Any, city_clerk: Any
) -> None:
    """Luật Tố cáo 2018, Điều 24(2): the body that receives a letter it may not handle sends it on; here the
    competence rule sends it straight to the city, and the ward's own staff no longer see it."""
    from datetime import timedelta

    from django.utils import timezone

    from pakn.cases import services
    from pakn.cases.models import Channel
    from pakn.core.errors import Forbidden
    from pakn.org.access import visible_cases

    case = services.record_submission(
        actor=clerk,
        channel=Channel.LETTER,
        received_on=timezone.localdate() - timedelta(days=2),
        kind=Kind.DENUNCIATION,
        title="Tố cáo Chủ tịch UBND phường nhận tiền",
        content="Chủ tịch UBND phường Ba Đình nhận tiền của hộ kinh doanh để bỏ qua vi phạm trật tự xây dựng.",
        province_code="01",
        commune_code=COMMUNE,
        subject="Chủ tịch UBND phường Ba Đình",
        reporter=dict(REPORTER),
    )
    assert case.unit.code == "UBND-01"
    assert not visible_cases(clerk).filter(pk=case.pk).exists()
    assert visible_cases(city_clerk).filter(pk=case.pk).exists()
    # A street-light report of another ward is still not theirs to record.
    with pytest.raises(Forbidden):
        services.record_submission(
            actor=clerk,
            channel=Channel.LETTER,
            received_on=timezone.localdate(),
            kind=Kind.REPORT,
            title="Đèn đường hỏng",
            content="Đèn đường hỏng trước số 5 phố Hoàng Hoa Thám, phường Ngọc Hà.",
            province_code="01",
            commune_code="00008",
            reporter=dict(REPORTER),
        )
