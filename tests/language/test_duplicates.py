"""Duplicate finder: similar open cases while a citizen types (public, no identity), near-duplicate flags
at intake, joining, and merging that keeps every reporter, message and deadline obligation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import identity_of
from pakn.cases import services as case_services
from pakn.cases.models import Case, Message, Obligation, Reporter
from pakn.core.errors import InvalidInput
from pakn.language import duplicates, services
from pakn.language.models import DuplicateFlag

POTHOLE = ("Ổ gà lớn trên phố Đội Cấn", "Trước số 25 phố Đội Cấn có ổ gà rất sâu, xe máy đi qua bị ngã.")
REWORDED = [
    ("Hố ga sâu ở Đội Cấn", "Đoạn phố Đội Cấn gần số 25 có hố sâu giữa đường, nhiều xe máy bị ngã."),
    ("Đường Đội Cấn bị ổ gà", "Xin báo ổ gà to ở phố Đội Cấn, đi xe máy rất nguy hiểm, đã có người ngã."),
    ("Doi Can co o ga", "pho doi can truoc so 25 co o ga sau lam, xe may di qua bi nga"),
]
UNRELATED = ("Karaoke hát đến nửa đêm", "Quán karaoke trong ngõ 12 hát to đến 1 giờ sáng, ảnh hưởng giấc ngủ.")


def test_similarity_of_rewordings() -> None:
    base = duplicates.text_fingerprint(*POTHOLE)
    for title, content in REWORDED:
        assert duplicates.similarity(base, duplicates.text_fingerprint(title, content)) >= duplicates.FLAG_THRESHOLD
    assert duplicates.similarity(base, duplicates.text_fingerprint(*UNRELATED)) < duplicates.SHOW_THRESHOLD
    assert duplicates.similarity(base, base) == 1.0
    assert duplicates.similarity(base, duplicates.text_fingerprint("", "")) == 0.0


def test_distance() -> None:
    assert duplicates._distance_km(21.0, 105.8, 21.0, 105.8) == 0
    assert 110 < duplicates._distance_km(21.0, 105.8, 22.0, 105.8) < 112


@pytest.mark.django_db
def test_nearby_communes() -> None:
    assert duplicates.nearby_communes(province_code="01", commune_code="00004", radius_km=0) == ["00004"]
    wide = duplicates.nearby_communes(province_code="01", commune_code="00004", radius_km=30)
    assert wide[0] == "00004" and "00008" in wide
    from pakn.org.models import Commune

    ngoc_ha = Commune.objects.get(code="00008")
    near_point = duplicates.nearby_communes(
        province_code="01", commune_code=None, latitude=ngoc_ha.latitude, longitude=ngoc_ha.longitude, radius_km=0.01
    )
    assert near_point == ["00008"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/language/api", "/api/v1/language"])
def test_similar_while_typing_is_public_and_anonymous(prefix: str, make_case: Callable[..., Case]) -> None:
    first = make_case(title=POTHOLE[0], content=POTHOLE[1], publish=True)
    make_case(title=POTHOLE[0], content=POTHOLE[1], publish=False)  # not published: never shown
    make_case(kind="denunciation", title="Tố cáo cán bộ để ổ gà phố Đội Cấn", content=POTHOLE[1], publish=True)
    make_case(title=UNRELATED[0], content=UNRELATED[1], publish=True)
    response = Client().get(
        f"{prefix}/similar",
        {"title": REWORDED[0][0], "content": REWORDED[0][1], "province_code": "01", "commune_code": "00004"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["title"] == POTHOLE[0] and item["reporters"] == 1
    assert item["message"] == "Đã có 1 người phản ánh việc này"
    assert duplicates.case_id_from_ref(item["ref"]) == first.pk
    body = response.content.decode()
    for secret in (first.tracking_code, "Nguyễn Văn An", "0912345678", "an.nguyen@example.vn", "001085012345"):
        assert secret not in body
    post = Client().post(
        f"{prefix}/similar", {"text": REWORDED[2][1], "commune_code": "00004"}, content_type="application/json"
    )
    assert post.json()["count"] == 1
    missing = Client().get(f"{prefix}/similar", {"title": "ổ gà"})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_similar_page_without_javascript(make_case: Callable[..., Case]) -> None:
    make_case(title=POTHOLE[0], content=POTHOLE[1], publish=True)
    page = Client().get(
        "/language/similar/",
        {"title": REWORDED[1][0], "content": REWORDED[1][1], "province_code": "01", "commune_code": "00004"},
    )
    assert page.status_code == 200 and "Đã có 1 người phản ánh việc này" in page.content.decode()
    assert Client().get("/language/similar.js").status_code == 200


@pytest.mark.django_db
def test_intake_flags_near_duplicates(make_case: Callable[..., Case], clerk: Any, login: Callable[[Any], Any]) -> None:
    first = make_case(title=POTHOLE[0], content=POTHOLE[1])
    other = make_case(title=UNRELATED[0], content=UNRELATED[1])
    again = make_case(title=REWORDED[1][0], content=REWORDED[1][1])
    flags = list(DuplicateFlag.objects.filter(case=again))
    assert [(f.candidate_id, f.origin) for f in flags] == [(first.pk, "intake")]
    assert not DuplicateFlag.objects.filter(case=other).exists()
    client = login(clerk)
    panel = client.get(f"/language/cases/{again.pk}/panel/").content.decode()
    assert first.tracking_code in panel and "Gộp vào hồ sơ này" in panel
    listed = client.get(f"/language/api/cases/{again.pk}/duplicates").json()
    assert [f["candidate_tracking_code"] for f in listed] == [first.tracking_code]
    response = client.post(f"/language/duplicates/{flags[0].pk}/merge/")
    assert response.status_code == 302
    again.refresh_from_db()
    assert (again.status, again.merged_into_id) == ("merged", first.pk)
    assert DuplicateFlag.objects.get(pk=flags[0].pk).state == "merged"
    assert duplicates.reporter_counts([first.pk]) == {first.pk: 2}


def test_documents_indexed_before_the_duplicate_key_are_still_compared(make_case: Callable[..., Case]) -> None:
    from pakn.language.models import CaseSearchDocument

    first = make_case(title=POTHOLE[0], content=POTHOLE[1])
    CaseSearchDocument.objects.filter(case_id=first.pk).update(dup_key="")  # as an index from before the key
    found = duplicates.find_similar(
        Case.objects.all(),
        title=REWORDED[1][0],
        content=REWORDED[1][1],
        province_code=first.province_id,
        commune_code=first.commune_id,
        threshold=duplicates.FLAG_THRESHOLD,
    )
    assert [m.case_id for m in found] == [first.pk]


@pytest.mark.django_db
def test_dismiss_and_access(
    make_case: Callable[..., Case], clerk: Any, other_clerk: Any, login: Callable[[Any], Any]
) -> None:
    make_case(title=POTHOLE[0], content=POTHOLE[1])
    again = make_case(title=REWORDED[0][0], content=REWORDED[0][1])
    flag = DuplicateFlag.objects.get(case=again)
    assert login(other_clerk).post(f"/language/duplicates/{flag.pk}/merge/").status_code == 404
    assert login(other_clerk).post(f"/language/api/duplicates/{flag.pk}/merge").status_code == 404
    assert login(clerk).post(f"/language/api/duplicates/{flag.pk}/dismiss").json()["state"] == "dismissed"
    again.refresh_from_db()
    assert again.status == "received"


@pytest.mark.django_db
def test_forty_reports_become_one_case_with_forty_reporters(make_case: Callable[..., Case], clerk: Any) -> None:
    first = make_case(title=POTHOLE[0], content=POTHOLE[1], publish=True)
    texts = REWORDED * 13
    for i, (title, content) in enumerate(texts):
        reporter = {"name": f"Người dân {i}", "phone": f"09{i:08d}"}
        case = make_case(title=title, content=content, reporter=reporter)
        flag = DuplicateFlag.objects.get(case=case, candidate=first)
        services.merge_duplicate(actor=clerk, flag=flag)
    reporters = duplicates.all_reporters(first)
    assert len(reporters) == 40 and len({identity_of(r.case)["phone"] for r in reporters}) == 40
    shown = Client().get("/language/api/similar", {"text": POTHOLE[1], "commune_code": "00004"}).json()
    assert shown["results"][0]["message"] == "Đã có 40 người phản ánh việc này"


@pytest.mark.django_db
def test_citizen_joins_a_case(make_case: Callable[..., Case]) -> None:
    first = make_case(title=POTHOLE[0], content=POTHOLE[1], publish=True)
    ref = duplicates.public_results([duplicates.Match(first.pk, 1.0)])[0]["ref"]
    mine = make_case(
        title="Ổ gà", content="Tôi cũng gặp ổ gà này.", reporter={"name": "Trần Thị B", "phone": "0987654321"}
    )
    flag = services.join_case(case=mine, ref=ref)
    assert (flag.origin, flag.candidate_id) == ("citizen", first.pk)
    assert duplicates.reporter_counts([first.pk]) == {first.pk: 2}  # counted at once, before the clerk merges
    with pytest.raises(InvalidInput):
        services.join_case(case=mine, ref="forged")
    secret = make_case(title=POTHOLE[0], content=POTHOLE[1], publish=False)
    with pytest.raises(InvalidInput):
        services.join_case(case=mine, ref=duplicates.join_ref(secret.pk))  # only cases shown publicly


@pytest.mark.django_db
def test_merge_keeps_reporters_messages_and_statutory_obligations(make_case: Callable[..., Case], clerk: Any) -> None:
    report = make_case(title="Cán bộ phường gây khó khăn khi làm sổ đỏ", content="Phản ánh thái độ cán bộ địa chính.")
    denunciation = make_case(
        kind="denunciation",
        title="Tố cáo cán bộ địa chính nhận tiền làm sổ đỏ",
        content="Tôi tố cáo cán bộ địa chính phường nhận tiền khi làm sổ đỏ.",
        reporter={"name": "Lê Văn C", "phone": "0911222333", "address": "5 Đội Cấn"},
    )
    assert denunciation.track == "statutory"
    case_services.add_information(case=denunciation, body="Bổ sung: có biên nhận.")
    statutory = Obligation.objects.get(case=denunciation, met_on__isnull=True, cancelled=False)
    case_services.merge_case(actor=clerk, case=denunciation, into=report)
    denunciation.refresh_from_db()
    report.refresh_from_db()
    # The merged denunciation keeps its own kind, statutory track, reporter and messages…
    assert (denunciation.kind, denunciation.track, denunciation.status) == ("denunciation", "statutory", "merged")
    assert Reporter.objects.filter(case=denunciation).exists() and identity_of(denunciation)["name"] == "Lê Văn C"
    assert Message.objects.filter(case=denunciation).count() == 1
    # …and its statutory deadline obligation moves to the surviving report, unchanged.
    moved = Obligation.objects.get(pk=statutory.pk)
    assert moved.case_id == report.pk and moved.unit_id == report.unit_id
    assert (moved.kind, moved.due_on, moved.rule_code, moved.citation) == (
        statutory.kind,
        statutory.due_on,
        statutory.rule_code,
        statutory.citation,
    )
    assert moved.met_on is None and not moved.cancelled
    assert report.due_on == min(
        o.due_on for o in Obligation.objects.filter(case=report, met_on__isnull=True, cancelled=False)
    )
    assert {identity_of(r.case)["name"] for r in duplicates.all_reporters(report)} == {"Nguyễn Văn An", "Lê Văn C"}


def test_similar_box_for_the_submission_form() -> None:
    from django.template import Context, Template

    html = Template("{% load language %}{% similar_box %}").render(Context({}))
    assert 'data-endpoint="/language/api/similar"' in html
    assert 'name="duplicate_of"' in html and 'src="/language/similar.js"' in html


def test_numbers_are_content_words() -> None:
    assert duplicates.content_words("truoc so 25 pho doi can co o ga") == ["25", "doi", "can", "o_ga"]


def test_pool_weights_favour_what_singles_a_case_out() -> None:
    pool = [frozenset({"o_ga", "sau", "kim", "ma"}), frozenset({"o_ga", "sau", "lang"}), frozenset({"o_ga", "doi"})]
    weight = duplicates.pool_weights(pool)
    assert weight("o_ga") < weight("sau") < weight("kim") == weight("lang") < weight("nowhere")
    few = duplicates.pool_weights([frozenset({"o_ga", "kim"})])
    assert few("kim") == few("o_ga") and few("nowhere") / few("kim") < 1.6  # a few candidates: about the same


def test_weighted_similarity_with_equal_weights_is_the_plain_one() -> None:
    base = duplicates.text_fingerprint(*POTHOLE)
    for title, content in [*REWORDED, UNRELATED]:
        probe = duplicates.text_fingerprint(title, content)
        plain = duplicates.similarity(base, probe)
        assert duplicates.weighted_similarity(probe, base, lambda word: 1.0) == pytest.approx(plain, abs=1e-4)


@pytest.mark.django_db
def test_the_same_place_is_flagged_not_the_look_alike_on_another_street(make_case: Callable[..., Case]) -> None:
    """Open cases of the same kind nearby share most words; the address and the numbers tell them apart,
    and only candidates close to the best score are flagged."""
    streets = ["Kim Mã", "Giảng Võ", "Láng Hạ", "Núi Trúc", "Liễu Giai", "Văn Cao"]
    for i, street in enumerate(streets):
        make_case(
            title=f"Ổ gà lớn trên phố {street}",
            content=f"Trước số {40 + i} phố {street} có ổ gà rất sâu, xe máy đi qua bị ngã.",
            address=f"số {40 + i} phố {street}",
        )
    first = make_case(title=POTHOLE[0], content=POTHOLE[1], address="số 25 phố Đội Cấn")
    again = make_case(title=REWORDED[0][0], content=REWORDED[0][1], address="so 25 pho Doi Can")
    assert [f.candidate_id for f in DuplicateFlag.objects.filter(case=again)] == [first.pk]


@pytest.mark.django_db
def test_the_duplicate_check_reads_indexes() -> None:
    """Migration 0004: the open cases of a commune and their duplicate keys come from indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cases = connection.introspection.get_constraints(cursor, "cases_case")
        documents = connection.introspection.get_constraints(cursor, "language_casesearchdocument")
    assert cases["language_case_commune_status"]["columns"] == ["commune_id", "status", "id"]
    assert documents["language_csd_dup_key"]["columns"][0] == "case_id"
