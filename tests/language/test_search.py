"""Search: diacritic-insensitive, ranked, highlighted, access-filtered; the same on SQLite and PostgreSQL
(the suite runs on both, and every expectation here is an exact list)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from pakn.cases.models import Case
from pakn.language import search
from pakn.language.models import CaseSearchDocument
from pakn.org.access import visible_cases

pytestmark = pytest.mark.django_db
OTHER_COMMUNE = "00008"  # as in conftest: Phường Ngọc Hà, Hà Nội

CORPUS = {
    "bbt": ("Góp ý về quy định của Ban Bí thư", "Đề nghị Ban Bí thư xem xét việc thực hiện Quy định 11."),
    "land": ("Tranh chấp đất đai ở tổ 5", "Gia đình tôi bị lấn chiếm đất đai, UBND phường chưa giải quyết."),
    "hoa_new": ("Hòa giải ở cơ sở chậm", "Tổ hòa giải chưa họp."),
    "hoa_old": ("Xin hoà giải tranh chấp lối đi", "Hàng xóm xây tường chắn lối đi chung."),
    "flower": ("Chợ hoa lấn chiếm vỉa hè", "Các hộ bán hoa bày hàng ra lòng đường."),
    "hoang": ("Đèn đường phố Hoàng Hoa Thám hỏng", "Đèn không sáng đã một tuần."),
    "slang": ("Nước sinh hoạt ko có", "Cả tuần nay nhà tôi ko có nước, gọi điện k ai nghe."),
    "thuy": ("Kênh thuỷ lợi bị bồi lấp", "Kênh thủy lợi nội đồng bị bồi lấp, nước không chảy được."),
}


@pytest.fixture
def corpus(make_case: Callable[..., Case]) -> dict[str, Case]:
    return {key: make_case(title=title, content=content) for key, (title, content) in CORPUS.items()}


def found(q: str, queryset: Any = None) -> list[str]:
    reverse = {c.pk: key for key, c in _corpus.items()}
    result = search.filter_cases(queryset if queryset is not None else Case.objects.all(), q)
    return [reverse.get(pk, str(pk)) for pk in result.values_list("pk", flat=True)]


_corpus: dict[str, Case] = {}


@pytest.fixture(autouse=True, params=["index", "scan"])
def matching(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs twice: matched by the full-text index (FTS5 / tsvector) and by the key scan used
    for small scopes; both must give exactly the same results."""
    monkeypatch.setattr(search, "SMALL_SCOPE", -1 if request.param == "index" else 10**9)
    return str(request.param)


@pytest.fixture(autouse=True)
def _remember(request: pytest.FixtureRequest) -> None:
    _corpus.clear()
    if "corpus" in request.fixturenames:
        _corpus.update(request.getfixturevalue("corpus"))


def test_every_submission_is_indexed(corpus: dict[str, Case]) -> None:
    assert CaseSearchDocument.objects.count() == len(CORPUS)
    document = CaseSearchDocument.objects.get(case=corpus["land"])
    assert document.title_key == " tranh chap dat dai o to 5 "
    assert " uy ban nhan dan phuong " in document.body_key
    assert corpus["land"].content == CORPUS["land"][1]  # the stored text is untouched


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Ban Bi thu", ["bbt"]),
        ("ban bí thư", ["bbt"]),
        ("dat dai", ["land"]),
        ("ĐẤT ĐAI", ["land"]),
        ("Ðất đai", ["land"]),  # U+00D0
        (unicodedata.normalize("NFD", "đất đai"), ["land"]),
        ("uy ban nhan dan", ["land"]),
        ("thuy loi", ["thuy"]),
        ("thủy lợi", ["thuy"]),
        ("thuỷ lợi", ["thuy"]),
        ("khong co nuoc", ["slang"]),
        ("ko có nước", ["slang"]),
        ("không ai nghe", ["slang"]),
        ("tranh chap", ["hoa_old", "land"]),
        ("xyz khong ton tai", []),
        ("", []),
    ],
)
def test_diacritic_insensitive_queries(corpus: dict[str, Case], q: str, expected: list[str]) -> None:
    if not q:
        assert search.filter_cases(Case.objects.none(), q).count() == 0
        return
    assert sorted(found(q)) == sorted(expected)


@pytest.mark.parametrize("q", ["hoa", "HOA", "hòa", "hoà", unicodedata.normalize("NFD", "hoà")])
def test_hoa_finds_both_tone_styles(corpus: dict[str, Case], q: str) -> None:
    result = found(q)
    assert {"hoa_new", "hoa_old"} <= set(result)
    assert set(result) == {"hoa_new", "hoa_old", "flower", "hoang"}


def test_ranking_is_the_same_everywhere(corpus: dict[str, Case]) -> None:
    # rank = 16 accented phrase in the title (any tone style) + 8 folded phrase in the title + 4 in the body
    #        + 1 per query word in the title; ties: newest first.
    assert found("hòa giải") == ["hoa_new", "hoa_old"]  # 16+8+4+2 = 30, 16+8+2 = 26
    assert found("hoà") == ["hoa_new", "hoa_old", "flower", "hoang"]  # 29, 25, 13, 9
    assert found("hoa") == ["flower", "hoa_new", "hoang", "hoa_old"]  # 13, 13, 9, 9
    assert found("lan chiem") == ["flower", "land"]  # in a title beats in the body


def test_rank_window_keeps_the_newest_matches(corpus: dict[str, Case], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    assert search.count_matches(Case.objects.all(), "hoa") == 4
    assert found("hoa") == ["flower", "hoang"]  # both paths rank only the two newest matches


def test_tracking_code_finds_the_case(corpus: dict[str, Case]) -> None:
    code = corpus["thuy"].tracking_code
    assert found(code)[0] == "thuy"
    assert found(f"{code[:4]}-{code[4:8]}-{code[8:]}".lower())[0] == "thuy"


def test_search_respects_access(
    corpus: dict[str, Case], clerk: Any, other_clerk: Any, make_case: Callable[..., Case]
) -> None:
    elsewhere = make_case(title="Tranh chấp đất đai ở phường Ngọc Hà", commune_code=OTHER_COMMUNE)
    assert set(found("dat dai", visible_cases(clerk))) == {"land"}
    assert found("dat dai", visible_cases(other_clerk)) == [str(elsewhere.pk)]
    assert found("dat dai", Case.objects.none()) == []


def test_highlighted_hits(corpus: dict[str, Case]) -> None:
    hit = search.hits(Case.objects.all(), "dat dai")[0]
    assert str(hit.title_html) == "Tranh chấp <mark>đất đai</mark> ở tổ 5"
    assert "<mark>đất đai</mark>" in str(hit.snippet_html)
    hit = search.hits(Case.objects.all(), "ubnd")[0]
    assert "<mark>UBND</mark>" in str(hit.snippet_html)


def test_staff_search_api(corpus: dict[str, Case], clerk: Any, other_clerk: Any, login: Callable[[Any], Any]) -> None:
    response = login(clerk).get("/language/api/search", {"q": "dat dai", "status": "open"})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["id"] for r in results] == [corpus["land"].pk]
    assert results[0]["title_html"] == "Tranh chấp <mark>đất đai</mark> ở tổ 5"
    assert login(other_clerk).get("/language/api/search", {"q": "dat dai"}).json()["results"] == []
    from django.test import Client

    response = Client().get("/language/api/search", {"q": "dat dai"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_public_search_only_published(make_case: Callable[..., Case]) -> None:
    from django.test import Client

    make_case(title="Rác thải ở chợ", publish=True)
    make_case(title="Rác thải sau nhà", publish=False)
    make_case(kind="denunciation", title="Tố cáo cán bộ xử lý rác thải", publish=True)
    results = Client().get("/language/api/public/search", {"q": "rac thai"}).json()["results"]
    assert [r["title_html"] for r in results] == ["<mark>Rác thải</mark> ở chợ"]


def test_search_page(corpus: dict[str, Case], clerk: Any, login: Callable[[Any], Any]) -> None:
    response = login(clerk).get("/language/search/", {"q": "Ban Bi thu"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>Ban Bí thư</mark>" in body
    assert corpus["bbt"].tracking_code in body
    assert corpus["land"].tracking_code not in body


def test_rebuild_index(corpus: dict[str, Case]) -> None:
    CaseSearchDocument.objects.all().delete()
    assert found("dat dai") == []
    call_command("searchindex", "rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found("dat dai") == ["land"]


def test_index_uses_the_database_engine(corpus: dict[str, Case]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM language_fts WHERE language_fts MATCH %s", ['"dat" "dai"'])
        else:
            cursor.execute(
                "SELECT count(*) FROM language_casesearchdocument WHERE search_vector @@ plainto_tsquery('simple', %s)",
                ["dat dai"],
            )
        assert cursor.fetchone()[0] == 1


def test_added_information_is_searchable(make_case: Callable[..., Case]) -> None:
    from pakn.cases import services

    case = make_case(title="Đề nghị sửa cống", content="Cống ngõ 5 bị tắc.")
    assert case.pk not in set(search.filter_cases(Case.objects.all(), "nuoc tran").values_list("pk", flat=True))
    services.add_information(case=case, body="Bổ sung: nước tràn vào nhà bà Lụa số 7.")  # the job reindexes
    assert case.pk in set(search.filter_cases(Case.objects.all(), "nuoc tran").values_list("pk", flat=True))
    document = CaseSearchDocument.objects.get(case_id=case.pk)
    assert document.dup_key == search.document_keys(title=case.title, content=case.content)["dup_key"]


def test_no_case_has_every_word_so_the_best_partial_matches_show(
    corpus: dict[str, Case], clerk: Any, login: Callable[[Any], Any]
) -> None:
    # No case has "ban", "bi", "thu" and "karaoke" together: the Ban Bí thư case has three of the four words.
    assert found("Ban Bi thu karaoke") == []
    result = search.find(Case.objects.all(), "Ban Bi thu karaoke")
    assert result.partial
    ranked = [c.pk for c in result.cases]
    assert ranked[0] == corpus["bbt"].pk
    assert search.find(Case.objects.all(), "Ban Bi thu").partial is False
    assert search.find(Case.objects.all(), "karaoke").partial is False  # one word: nothing to relax
    body = login(clerk).get("/language/search/", {"q": "Ban Bi thu karaoke"}).content.decode()
    assert "Không có hồ sơ nào có đủ mọi từ" in body and corpus["bbt"].tracking_code in body


def test_a_full_window_says_more_than(
    corpus: dict[str, Case], clerk: Any, login: Callable[[Any], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    body = login(clerk).get("/language/search/", {"q": "hoa"}).content.decode()
    assert "Ít nhất 2 hồ sơ khớp" in body  # the two newest of four matches are ranked, on both paths
