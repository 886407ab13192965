"""The Atom feed of published answers, by area and field: what a journalist's feed reader gets."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree  # noqa: S405 - our own server's answer, in a test

import pytest
from django.test import Client

from conftest import REPORTER
from pakn.cases import services

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.django_db
def test_the_feed_lists_published_answers_by_area_without_reporters(make_case: Any, clerk: Any) -> None:
    published = make_case(publish=True, title="Đèn đường phố Đội Cấn hỏng")
    private = make_case(publish=False, title="Tranh chấp ranh giới đất")
    for case in (published, private):
        services.resolve_case(actor=clerk, case=case, body=f"Đã thay bóng đèn. Liên hệ {REPORTER['phone']}.")
    response = Client().get("/public/feeds/answers.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Phản ánh: Đèn đường phố Đội Cấn hỏng"]
    assert REPORTER["phone"] not in response.content.decode()
    elsewhere = ElementTree.fromstring(  # noqa: S314
        Client().get("/public/feeds/answers.atom", {"commune": "00008"}).content
    )
    assert list(elsewhere.iter(f"{ATOM}entry")) == []
    page = Client().get("/public/answers/").content.decode()
    assert 'type="application/atom+xml"' in page
