"""The public transparency portal: no reporter identity anywhere (pages and open data), only published cases,
discipline results published by heads only, documented open-data columns, and pages that work without
JavaScript and meet the basics of WCAG 2.1 AA."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Any

import pytest
from django.test import Client

from conftest import COMMUNE, REPORTER
from pakn.cases import services
from pakn.cases.models import Case
from pakn.core.errors import InvalidInput, NotFound
from pakn.org.models import Unit
from pakn.public import opendata
from pakn.public import services as public_services
from pakn.public.models import DisciplineResult, HandlingFact
from pakn.public.presenters import mask

UNIT = f"UBND-{COMMUNE}"
IDENTITY = [REPORTER["name"], REPORTER["phone"], REPORTER["email"], REPORTER["id_number"], REPORTER["address"]]
PUBLIC_PAGES = [
    "/public/",
    "/public/statistics/",
    "/public/statistics/?province=01",
    f"/public/statistics/?province=01&unit={UNIT}",
    "/public/answers/",
    "/public/discipline/",
    "/public/data/",
]
DATASETS = ["units", "months", "topics", "answers", "discipline"]


@pytest.fixture
def published(make_case: Any, clerk: Any) -> list[Case]:
    """Every kind, published, answered and rated, with the reporter's details also typed into the text."""
    cases = []
    for kind in ("report", "petition", "opinion", "complaint", "denunciation"):
        case = make_case(
            kind=kind,
            publish=True,
            title=f"Về việc {kind} – gọi {REPORTER['phone']}",
            content=f"Tôi là {REPORTER['name']}, CCCD {REPORTER['id_number']}, thư {REPORTER['email']}.",
        )
        if kind in ("complaint", "denunciation"):
            services.accept_case(actor=clerk, case=case)
        services.resolve_case(
            actor=clerk,
            case=case,
            kind="conclusion" if kind == "denunciation" else "answer",
            finding="true" if kind == "denunciation" else "",
            body=f"Đã xử lý. Đã liên hệ số {REPORTER['phone']} và {REPORTER['email']}.",
        )
        services.rate_case(case=case, level=4, comment=f"{REPORTER['name']} cảm ơn")
        cases.append(case)
    make_case(title="Không công khai", publish=False)
    return cases


def _all_public_responses(client: Client, cases: list[Case]) -> list[tuple[str, str]]:
    out = []
    for url in PUBLIC_PAGES + [f"/public/answers/{c.pk}/" for c in cases]:
        response = client.get(url)
        assert response.status_code == 200, url
        out.append((url, response.content.decode()))
    for dataset in DATASETS:
        for fmt in ("csv", "json"):
            for query in ("", f"?province=01&unit={UNIT}"):
                url = f"/public/data/{dataset}.{fmt}{query}"
                response = client.get(url)
                assert response.status_code == 200, url
                out.append((url, response.content.decode("utf-8-sig")))
    return out


def test_no_reporter_identity_in_portal_or_open_data(published: list[Case], head: Any) -> None:
    case = published[-1]  # the denunciation
    public_services.publish_discipline_result(
        actor=head,
        case=case,
        official_position="Cán bộ địa chính phường",
        violation="Nhận tiền ngoài quy định",
        measure="warning",
        decision_number="12/QĐ-UBND",
        decided_on="2026-01-05",
        regime="civil_servant",
    )
    client = Client()
    for url, body in _all_public_responses(client, published):
        for secret in IDENTITY:
            assert secret not in body, (url, secret)
        assert "Không công khai" not in body, url
        for c in published:
            assert c.tracking_code not in body, url  # the tracking code lets its holder act on the case


def test_only_published_cases_with_an_answer_appear(make_case: Any, clerk: Any) -> None:
    hidden = make_case(title="Riêng tư")
    services.resolve_case(actor=clerk, case=hidden, body="Đã xử lý.")
    pending = make_case(title="Chưa trả lời", publish=True)
    client = Client()
    assert client.get(f"/public/answers/{hidden.pk}/").status_code == 404
    assert client.get(f"/public/answers/{pending.pk}/").status_code == 404
    assert "Riêng tư" not in client.get("/public/answers/").content.decode()
    assert opendata.answer_rows() == []


def test_denunciation_conclusion_carries_the_article_40_note(published: list[Case]) -> None:
    body = Client().get(f"/public/answers/{published[-1].pk}/").content.decode()
    assert "Điều 40" in body and "Kết luận" in body


def test_mask_hides_contact_details() -> None:
    text = "Gọi 0912 345 678 hoặc +84912345678, thư an.nguyen@example.vn, CCCD 001085012345, CMND 123456789."
    masked = mask(text)
    for secret in ("0912 345 678", "+84912345678", "an.nguyen@example.vn", "001085012345", "123456789"):
        assert secret not in masked
    assert mask("Năm 2026, 15 ngày") == "Năm 2026, 15 ngày"


def test_discipline_results_are_published_by_heads_only(
    make_case: Any, clerk: Any, head: Any, other_clerk: Any
) -> None:
    case = make_case(kind="report")
    services.resolve_case(actor=clerk, case=case, body="Đã kỷ luật cán bộ vi phạm.")
    arguments = {
        "official_position": "Phó trưởng công an phường",
        "violation": "Gây phiền hà cho người dân",
        "measure": "reprimand",
        "decision_number": "45/QĐ-UBND",
        "decided_on": "2026-02-01",
        "regime": "civil_servant",
    }
    for outsider in (clerk, other_clerk):
        with pytest.raises(NotFound):
            public_services.publish_discipline_result(actor=outsider, case=case, **arguments)
    with pytest.raises(InvalidInput):
        public_services.publish_discipline_result(actor=head, case=case, **{**arguments, "measure": "banish"})
    result = public_services.publish_discipline_result(actor=head, case=case, **arguments)
    client = Client()
    page = client.get("/public/discipline/").content.decode()
    assert "Phó trưởng công an phường" in page and "Khiển trách" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/public/data/discipline.csv").content.decode("utf-8-sig"))))
    assert rows[0]["measure"] == "reprimand" and rows[0]["decision_number"] == "45/QĐ-UBND"
    public_services.retract_discipline_result(actor=head, result=result, reason="Quyết định bị hủy")
    assert "Phó trưởng công an phường" not in client.get("/public/discipline/").content.decode()
    assert DisciplineResult.objects.get(pk=result.pk).retraction_reason == "Quyết định bị hủy"


def test_staff_publish_page_is_for_heads(make_case: Any, clerk: Any, head: Any, login: Any) -> None:
    case = make_case()
    services.resolve_case(actor=clerk, case=case, body="Xong.")
    assert login(clerk).get(f"/oversight/discipline/case/{case.pk}/").status_code == 404
    client = login(head)
    assert client.get(f"/oversight/discipline/case/{case.pk}/").status_code == 200
    response = client.post(
        f"/oversight/discipline/case/{case.pk}/",
        {
            "official_position": "Cán bộ tư pháp",
            "violation": "Chậm trễ",
            "measure": "warning",
            "decision_number": "7/QĐ",
            "decided_on": "2026-01-10",
            "regime": "cadre",
        },
    )
    assert response.status_code == 302
    assert DisciplineResult.objects.filter(case=case, measure="warning").exists()


def test_open_data_columns_are_documented_and_written(published: list[Case]) -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "transparency.md").read_text(encoding="utf-8")
    client = Client()
    for dataset in DATASETS:
        names = opendata.column_names(dataset)
        for name in names:
            assert f"`{name}`" in doc, (dataset, name)
        text = client.get(f"/public/data/{dataset}.csv?province=01").content.decode("utf-8-sig")
        assert next(csv.reader(io.StringIO(text))) == names
        payload = client.get(f"/public/data/{dataset}.json?province=01").json()
        assert [c["name"] for c in payload["columns"]] == names
        assert all(list(row) == names for row in payload["rows"])
    answers = client.get("/public/data/answers.json").json()["rows"]
    assert len(answers) == 5 and all("[đã ẩn]" in r["answer"] for r in answers)


def test_statistics_follow_the_cases(make_case: Any, clerk: Any) -> None:
    case = make_case()
    fact = HandlingFact.objects.get(case=case)
    assert (fact.outcome, fact.unit.code, fact.current) == ("open", UNIT, True)
    services.resolve_case(actor=clerk, case=case, body="Đã xử lý.")
    services.rate_case(case=case, level=1)
    fact = HandlingFact.objects.get(case=case)
    assert (fact.outcome, fact.on_time, fact.rating, fact.answer_days, fact.handler_id) == (
        "resolved",
        True,
        1,
        0,
        clerk.pk,
    )


def test_portal_figures_are_cached_and_say_when_they_were_computed(
    make_case: Any, clerk: Any, settings: Any, time_machine: Any
) -> None:

    from django.core.cache import cache

    from pakn.public import snapshots

    settings.PUBLIC_CACHE_SECONDS = 300
    time_machine.move_to("2026-06-10 09:00 +07:00", tick=False)
    make_case()
    client = Client()

    def received_on_statistics_page() -> tuple[str, str]:
        page = client.get("/public/statistics/").content.decode()
        at = re.search(r'id="computed-at">[^<]*?(\d\d:\d\d \d\d/\d\d/\d{4})', page)
        assert at, page[:3000]
        return at.group(1), page

    first_at, first = received_on_statistics_page()
    assert first_at == "09:00 10/06/2026"
    time_machine.move_to("2026-06-10 09:02 +07:00", tick=False)
    make_case(title="Một việc nữa")
    again_at, again = received_on_statistics_page()
    assert again_at == first_at and again == first  # the same figures, from the cache
    time_machine.move_to("2026-06-10 09:06 +07:00", tick=False)  # past 300 s: read again from the snapshot
    stale_at, stale = received_on_statistics_page()
    assert stale_at == first_at and stale == first  # nobody waits for a computation: the worker does it
    assert snapshots.refresh_portal() >= 1  # the worker's duty (public.snapshots)
    time_machine.move_to("2026-06-10 09:12 +07:00", tick=False)
    later_at, later = received_on_statistics_page()
    assert later_at == "09:06 10/06/2026" and later != first
    cache.clear()
    settings.PUBLIC_CACHE_SECONDS = 0
    assert received_on_statistics_page()[0] == "09:12 10/06/2026"
    assert "computed-at" in client.get("/public/").content.decode()


def test_the_worker_refreshes_nationwide_figures_before_they_expire(
    make_case: Any, settings: Any, time_machine: Any
) -> None:
    from django.core.cache import cache

    from pakn.public import snapshots

    settings.PUBLIC_CACHE_SECONDS = 300
    time_machine.move_to("2026-06-10 09:00 +07:00", tick=False)
    make_case()
    assert snapshots.refresh_portal() == 3  # the country and the two provinces of the test database
    assert snapshots.refresh_portal() == 0  # fresh: nothing to do
    page = Client().get("/public/statistics/").content.decode()
    assert "09:00 10/06/2026" in page  # the visitor got the worker's figures
    time_machine.move_to("2026-06-10 09:02:40 +07:00", tick=False)
    make_case(title="Một việc nữa")
    assert snapshots.refresh_portal() == 2  # the country and Hà Nội, computed again
    cache.clear()
    assert "09:02 10/06/2026" in Client().get("/public/statistics/").content.decode()


def test_escalated_answer_stays_with_the_unit_that_gave_it(make_case: Any, clerk: Any) -> None:
    case = make_case()
    services.resolve_case(actor=clerk, case=case, body="Đã xử lý.")
    services.rate_case(case=case, level=1)
    services.escalate_case(case=Case.objects.get(pk=case.pk), reason="Chưa thỏa đáng")
    first, second = HandlingFact.objects.filter(case=case).order_by("seq")
    assert (first.unit.code, first.outcome, first.escalated_away, first.rating) == (UNIT, "resolved", True, 1)
    assert (second.unit.code, second.outcome, second.current) == ("UBND-01", "open", True)


def test_a_failing_statistics_update_never_blocks_a_case(make_case: Any, monkeypatch: Any) -> None:
    from pakn.public import facts

    calls: list[list[int]] = []

    def broken(case_ids: list[int]) -> None:
        calls.append(list(case_ids))
        raise RuntimeError("boom")

    monkeypatch.setattr(facts, "refresh_cases", broken)
    case = make_case()
    assert Case.objects.filter(pk=case.pk).exists()
    assert [case.pk] in calls  # the statistics job did run, and failed


def test_pages_are_accessible_and_script_free(published: list[Case]) -> None:
    client = Client()
    for url in PUBLIC_PAGES + [f"/public/answers/{published[0].pk}/"]:
        body = client.get(url).content.decode()
        assert '<html lang="vi">' in body, url
        assert "<script" not in body.split("</main>")[0].split('<main id="main"')[1], url
        assert unicodedata.is_normalized("NFC", body), url
        assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body, url
        for table in re.findall(r"<table.*?</table>", body, flags=re.S):
            assert "<th" in table and ("<caption" in table), url
        for svg in re.findall(r"<svg[^>]*>", body):
            assert 'role="img"' in svg or 'aria-hidden="true"' in svg, url
        for match in re.finditer(r'<(select|input|textarea)[^>]*id="([^"]+)"', body):
            if 'type="hidden"' in match.group(0):
                continue
            assert f'for="{match.group(2)}"' in body, (url, match.group(2))
    chart = client.get("/public/statistics/").content.decode()
    assert "<title id=" in chart and "<desc id=" in chart


def test_english_page(published: list[Case]) -> None:
    response = Client().get("/public/statistics/?lang=en")
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()


def test_unknown_dataset_is_not_found() -> None:
    client = Client()
    assert client.get("/public/data/reporters.csv").status_code == 404
    assert client.get("/public/data/units.xml").status_code == 404


def test_unit_and_province_scopes(published: list[Case]) -> None:
    client = Client()
    unit = Unit.objects.get(code=UNIT)
    rows = client.get(f"/public/data/units.json?province=01&unit={UNIT}").json()["rows"]
    assert [r["unit_code"] for r in rows] == [UNIT] and rows[0]["received"] == 6
    nation = client.get("/public/data/units.json").json()
    assert nation["scope"] == "Cả nước" and any(r["unit_code"] == unit.code for r in nation["rows"])


def test_answers_of_many_published_cases_are_read_in_batches(monkeypatch: Any, published: list[Case]) -> None:
    from pakn.public import presenters

    monkeypatch.setattr(presenters, "ANSWER_BATCH", 2)  # as if there were more cases than SQLite's limit
    items = presenters.published_items(presenters.published_cases().order_by("pk"))
    assert len(items) == len(published) >= 3 and all(item["answer"] for item in items)
