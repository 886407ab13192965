"""Every throttled answer (429), on a page or in the APIs, says in ``Retry-After`` how many seconds are left until
the limit's window ends."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from pakn.open311.models import ApiKey

# 02:10:00 UTC: 50 minutes left of the hour, 5 of the quarter, a whole minute.
NOW = "2026-03-02 09:10:00 +07:00"
RATES = "submit=1/3600,receipt=1/900,citizen=1/3600"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "seconds"),
    [
        ("/submit/", 3000),
        ("/dropbox/", 3000),
        ("/reception/sessions/999999/book", 3000),
        ("/dropbox/open/", 300),
        ("/dropbox/case/reply", 3000),
        ("/track/ABCD-EFGH-JKLM/info", 3000),
    ],
)
def test_throttled_pages_say_when_to_come_back(settings: Any, url: str, seconds: int) -> None:
    settings.THROTTLE_RATES = RATES
    client = Client()
    with time_machine.travel(NOW, tick=False):
        first = client.post(url, {"content": "Nội dung"})
        assert first.status_code != 429
        refused = client.post(url, {"content": "Nội dung"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(seconds)
    assert "text/html" in refused["Content-Type"]
    assert "Vui lòng thử lại sau" in refused.content.decode()


@pytest.mark.django_db
def test_throttled_api_calls_say_when_to_come_back(settings: Any) -> None:
    settings.THROTTLE_RATES = RATES
    client = Client()
    url = "/api/v1/submissions/ABCD-EFGH-JKLM/messages"
    body = json.dumps({"body": "Tôi bổ sung thông tin."})
    with time_machine.travel(NOW, tick=False):
        assert client.post(url, body, content_type="application/json").status_code == 404
        refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 429 and refused["Retry-After"] == "3000"
    assert refused.json()["error"]["code"] == "rate_limited"


@pytest.mark.django_db
def test_the_api_rate_limit_says_when_to_come_back(settings: Any) -> None:
    settings.API_RATE_LIMIT = "1/m"
    client = Client()
    assert client.get("/api/v1/topics").status_code == 200
    refused = client.get("/api/v1/topics")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"


@pytest.mark.django_db
def test_the_open311_rate_limit_says_when_to_come_back(settings: Any) -> None:
    settings.OPEN311_RATE_LIMIT = 1
    key = ApiKey.issue(name="Ứng dụng thử")[1]
    client = Client()
    data = {"api_key": key, "service_code": "report-environment", "description": "x"}
    with time_machine.travel("2026-03-02 09:10:15 +07:00", tick=False):
        client.post("/open311/v2/requests.json", data)
        refused = client.post("/open311/v2/requests.json", data)
    assert refused.status_code == 429 and refused["Retry-After"] == "45"
