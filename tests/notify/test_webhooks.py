"""Outgoing notification channels: signed webhooks for other systems (a receiver in a local HTTP server
thread checks every signature), the HTTP SMS gateway adapter with retries, e-mail, and the outbox path a
citizen's choice of channel takes. Deliveries are retried and never lost."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client

from conftest import COMMUNE, REPORTER
from pakn.cases import services
from pakn.notify import webhooks
from pakn.notify.channels import DeliveryError, HttpSmsBackend, channel_for
from pakn.open311.models import WebhookDelivery, WebhookEndpoint

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECRETS = [
    REPORTER["name"],
    REPORTER["phone"],
    REPORTER["email"],
    REPORTER["id_number"],
    REPORTER["address"],
    "Đèn đường trước số 12",
]


class Receiver:
    """A local HTTP server thread. Answers the queued statuses (then 200) and records each request with
    whether its webhook signature verified against ``secret``."""

    def __init__(self) -> None:
        self.secret = ""
        self.statuses: list[int] = []
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append(
                    {
                        "path": self.path,
                        "headers": headers,
                        "body": body,
                        "verified": webhooks.verify(
                            receiver.secret,
                            body=body,
                            timestamp=headers.get("x-pakn-timestamp"),
                            signature=headers.get("x-pakn-signature"),
                        ),
                    }
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(db: Any, receiver: Receiver) -> WebhookEndpoint:
    hook = WebhookEndpoint.objects.create(name="Hệ thống một cửa", url=f"{receiver.url}/hooks/pakn")
    receiver.secret = hook.secret
    return hook


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False) as traveller:
        yield traveller


# ---------------------------------------------------------------- webhooks


@pytest.mark.django_db
def test_case_changes_are_delivered_signed_and_once(
    endpoint: WebhookEndpoint, receiver: Receiver, make_case: Callable[..., Any], clerk: Any
) -> None:
    assert len(endpoint.secret) >= 32
    case = make_case()
    services.accept_case(actor=clerk, case=case)
    deliveries = list(WebhookDelivery.objects.order_by("id"))
    assert [d.event_type for d in deliveries] == ["case.submitted", "case.accepted"]
    assert webhooks.deliver_webhooks() == {"sent": 2, "failed": 0}
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 0}  # running the worker again sends nothing
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first["verified"] and second["verified"]
    assert first["path"] == "/hooks/pakn"
    assert first["headers"]["x-pakn-event"] == "case.submitted"
    assert first["headers"]["x-pakn-delivery"] == deliveries[0].event_id
    assert first["headers"]["x-pakn-signature"].startswith("sha256=")
    assert abs(int(first["headers"]["x-pakn-timestamp"]) - time.time()) < 60
    payload = json.loads(first["body"])
    assert payload["type"] == "case.submitted" and payload["id"] == deliveries[0].event_id
    assert payload["case"]["id"] == case.pk and payload["case"]["status"] == "received"
    assert payload["case"]["commune_code"] == COMMUNE and payload["case"]["unit_code"] == f"UBND-{COMMUNE}"
    assert json.loads(second["body"])["case"]["status"] == "accepted"
    assert all(d.status == "sent" and d.delivered_at for d in WebhookDelivery.objects.all())


@pytest.mark.django_db
def test_payloads_never_carry_the_reporter_or_the_citizens_key(
    endpoint: WebhookEndpoint, make_case: Callable[..., Any], clerk: Any
) -> None:
    case = make_case(kind="denunciation")
    services.forward_case(
        actor=clerk,
        case=case,
        to_unit=case.unit.parent,
        reason=f"Theo đề nghị của {REPORTER['name']}, {REPORTER['phone']}",
    )
    for delivery in WebhookDelivery.objects.all():
        for secret in [*SECRETS, case.tracking_code, clerk.username, clerk.email]:
            assert secret not in delivery.payload


@pytest.mark.django_db
def test_only_wanted_events_and_provinces(endpoint: WebhookEndpoint, make_case: Callable[..., Any], clerk: Any) -> None:
    endpoint.events = "resolved, closed"
    endpoint.save()
    hcm = WebhookEndpoint.objects.create(name="TP HCM", url=endpoint.url, province_id="79")
    WebhookEndpoint.objects.create(name="Tắt", url=endpoint.url, active=False)
    case = make_case()
    services.close_case(actor=clerk, case=services.resolve_case(actor=clerk, case=case, body="Đã sửa."))
    assert sorted(WebhookDelivery.objects.values_list("endpoint__name", "event_type")) == [
        ("Hệ thống một cửa", "case.closed"),
        ("Hệ thống một cửa", "case.resolved"),
    ]
    make_case(province_code="79", commune_code="25747")
    assert WebhookDelivery.objects.filter(endpoint=hcm, event_type="case.submitted").count() == 1


@pytest.mark.django_db
def test_nothing_is_queued_when_the_change_rolls_back(endpoint: WebhookEndpoint, make_case: Callable[..., Any]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("the change fails after its event")
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.django_db
def test_failures_are_retried_with_back_off_and_never_lost(
    endpoint: WebhookEndpoint, receiver: Receiver, make_case: Callable[..., Any], clock: Any
) -> None:
    make_case()
    receiver.statuses = [500, 503]
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 1}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 500")
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 0}  # not due yet
    clock.shift(webhooks.backoff(1) + timedelta(seconds=1))
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 1}
    clock.shift(webhooks.backoff(2) + timedelta(seconds=1))
    assert webhooks.deliver_webhooks() == {"sent": 1, "failed": 0}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    # Each attempt is signed afresh (a new timestamp), and the same delivery id lets the receiver dedupe.
    assert [r["verified"] for r in receiver.received] == [True, True, True]
    assert len({r["headers"]["x-pakn-delivery"] for r in receiver.received}) == 1


@pytest.mark.django_db
def test_a_delivery_that_keeps_failing_is_kept_and_can_be_retried(
    endpoint: WebhookEndpoint, receiver: Receiver, make_case: Callable[..., Any], clock: Any
) -> None:
    make_case()
    receiver.statuses = [404] * webhooks.MAX_ATTEMPTS
    for _attempt in range(webhooks.MAX_ATTEMPTS):
        assert webhooks.deliver_webhooks()["failed"] == 1
        clock.shift(timedelta(hours=13))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 0}
    assert webhooks.retry(WebhookDelivery.objects.all()) == 1
    assert webhooks.deliver_webhooks() == {"sent": 1, "failed": 0}


@pytest.mark.django_db
def test_unreachable_receiver_and_inactive_endpoint(db: Any, make_case: Callable[..., Any], clock: Any) -> None:
    with Receiver() as gone:
        url = gone.url
    hook = WebhookEndpoint.objects.create(name="Đã tắt máy", url=url)
    make_case()
    counts = webhooks.deliver_webhooks()
    assert counts == {"sent": 0, "failed": 1}
    assert "network error" in WebhookDelivery.objects.get().last_error
    hook.active = False
    hook.save()
    clock.shift(timedelta(hours=1))
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 0}  # kept, waiting for the endpoint
    assert WebhookDelivery.objects.get().status == "pending"


def test_signature_checks() -> None:
    body = b'{"id":"x","type":"case.submitted"}'
    now = 1_780_000_000
    signature = webhooks.sign("s3cret", now, body)
    assert webhooks.verify("s3cret", body=body, timestamp=str(now), signature=signature, now=now + 10)
    assert not webhooks.verify("s3cret", body=body + b" ", timestamp=str(now), signature=signature, now=now)
    assert not webhooks.verify("other", body=body, timestamp=str(now), signature=signature, now=now)
    # The timestamp is signed too: a replay with a fresh timestamp does not verify, an old one is too old.
    assert not webhooks.verify("s3cret", body=body, timestamp=str(now + 600), signature=signature, now=now + 600)
    assert not webhooks.verify("s3cret", body=body, timestamp=str(now), signature=signature, now=now + 301)
    assert not webhooks.verify("s3cret", body=body, timestamp="soon", signature=signature, now=now)
    assert not webhooks.verify("s3cret", body=body, timestamp=None, signature=None, now=now)


@pytest.mark.django_db
def test_admin_ping_and_retry(admin_user: Any, login: Any, endpoint: WebhookEndpoint, receiver: Receiver) -> None:
    browser: Client = login(admin_user)
    browser.post("/admin/open311/webhookendpoint/", {"action": "ping", "_selected_action": [endpoint.pk]})
    receiver.statuses = [500]
    assert webhooks.deliver_webhooks() == {"sent": 0, "failed": 1}
    delivery = WebhookDelivery.objects.get(event_type="ping")
    browser.post("/admin/open311/webhookdelivery/", {"action": "retry", "_selected_action": [delivery.pk]})
    assert webhooks.deliver_webhooks() == {"sent": 1, "failed": 0}
    assert receiver.received[-1]["verified"] and json.loads(receiver.received[-1]["body"])["type"] == "ping"
    assert browser.get(f"/admin/open311/webhookdelivery/{delivery.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_webhook_channel_behind_the_common_interface(endpoint: WebhookEndpoint, receiver: Receiver) -> None:
    body = json.dumps({"id": "e1", "type": "ping"})
    channel_for("webhook").send(recipient=str(endpoint.pk), subject="e1", body=body)
    assert receiver.received[0]["verified"] and receiver.received[0]["body"] == body.encode()
    endpoint.active = False
    endpoint.save()
    with pytest.raises(DeliveryError):
        channel_for("webhook").send(recipient=str(endpoint.pk), subject="e2", body=body)
    with pytest.raises(ValueError):
        channel_for("pigeon")


# ---------------------------------------------------------------- SMS gateway, e-mail, the citizen's choice


def test_http_sms_backend_posts_json_with_the_token(receiver: Receiver) -> None:
    backend = HttpSmsBackend(url=f"{receiver.url}/sms", token="gateway-token", sender="PAKN", backoff=0)
    backend.send(recipient="0912345678", subject="ignored", body="Đơn ABCD đã được tiếp nhận.")
    (request,) = receiver.received
    assert request["headers"]["authorization"] == "Bearer gateway-token"
    assert json.loads(request["body"]) == {
        "to": "+84912345678",
        "text": "Đơn ABCD đã được tiếp nhận.",
        "sender": "PAKN",
    }


def test_http_sms_backend_retries_then_gives_up(receiver: Receiver) -> None:
    backend = HttpSmsBackend(url=f"{receiver.url}/sms", token="t", retries=2, backoff=0)
    receiver.statuses = [503, 429]
    backend.send(recipient="+84912345678", subject="", body="x")
    assert len(receiver.received) == 3
    receiver.statuses = [502, 502, 502]
    with pytest.raises(DeliveryError) as failed:
        backend.send(recipient="+84912345678", subject="", body="x")
    assert failed.value.status == 502 and not failed.value.permanent
    receiver.statuses = [400]
    before = len(receiver.received)
    with pytest.raises(DeliveryError) as refused:
        backend.send(recipient="+84912345678", subject="", body="x")
    assert refused.value.permanent and len(receiver.received) == before + 1  # a 4xx is not retried at once
    with pytest.raises(DeliveryError):
        HttpSmsBackend(url="", token="t").send(recipient="0912345678", subject="", body="x")
    with pytest.raises(DeliveryError):
        HttpSmsBackend(url="file:///etc/passwd").send(recipient="0912345678", subject="", body="x")


def test_international_numbers() -> None:
    assert HttpSmsBackend.international("0912 345 678") == "+84912345678"
    assert HttpSmsBackend.international("84912345678") == "+84912345678"
    assert HttpSmsBackend.international("+84912345678") == "+84912345678"


@pytest.mark.django_db
def test_citizen_choosing_sms_is_sent_through_the_gateway_from_the_outbox(
    receiver: Receiver, make_case: Callable[..., Any], settings: Any
) -> None:
    from pakn.notify.services import deliver_pending

    settings.SMS_BACKEND = "pakn.notify.channels.HttpSmsBackend"
    settings.SMS_URL, settings.SMS_TOKEN, settings.SMS_RETRIES = f"{receiver.url}/sms", "t", 0
    receiver.statuses = [503]
    case = make_case(reporter={**REPORTER, "notify_by": "sms"})
    first = deliver_pending()
    assert first["failed"] >= 1  # the gateway was down: kept in the outbox
    with time_machine.travel(datetime.now(TZ) + timedelta(hours=1), tick=False):
        deliver_pending()
    sms = [json.loads(r["body"]) for r in receiver.received if r["path"] == "/sms"]
    assert len(sms) == 2 and sms[0] == sms[1]
    assert sms[0]["to"] == "+84912345678" and case.tracking_code in sms[0]["text"]
    assert not [m for m in mail.outbox if REPORTER["email"] in m.to]  # the citizen chose SMS, not e-mail


@pytest.mark.django_db
def test_citizen_choosing_email(make_case: Callable[..., Any]) -> None:
    from pakn.notify.services import deliver_pending

    case = make_case(reporter={**REPORTER, "notify_by": "email"})
    deliver_pending()
    mine = [m for m in mail.outbox if m.to == [REPORTER["email"]]]
    assert len(mine) == 1 and case.tracking_code in mine[0].subject
