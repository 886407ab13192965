"""E-mail alerts for followers of a published case or an area (``pakn.public.alerts``): one confirmation e-mail
and nothing else until its link is opened; the same answer for an address that already follows; expiry; one
click to stop; one e-mail per following address per published answer, with what the portal shows and never a
reporter; nothing for unpublished cases or denunciations; a job that runs twice sends once; throttling."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import COMMUNE, OTHER_COMMUNE, REPORTER, outbox_to
from pakn.cases import services
from pakn.cases.models import AuditEvent
from pakn.core.errors import InvalidInput
from pakn.notify.models import Outbox
from pakn.public import alerts
from pakn.public.models import AlertFollow

LAN = "lan.tran@example.vn"
MINH = "minh.le@example.vn"
LINK = re.compile(r"https?://\S+/public/alerts/(confirm|stop|manage)/([0-9a-f]{40})/")


def follow_area(client: Client, email: str, **fields: Any) -> Any:
    data = {"email": email, "province_code": "01", "commune_code": COMMUNE, "topic_code": "", "case": ""}
    data.update(fields)
    return client.post("/public/alerts/", data)


def links_in(mail: Outbox) -> dict[str, str]:
    return {kind: urlsplit(match.group(0)).path for match in LINK.finditer(mail.body) for kind in [match.group(1)]}


def confirmed(client: Client, email: str, **fields: Any) -> dict[str, str]:
    """Follow and open the confirmation link: the links of the follow."""
    assert follow_area(client, email, **fields).status_code == 302
    mail = outbox_to(email)[-1]
    path = links_in(mail)["confirm"]
    assert client.get(path).status_code == 200 and client.post(path).status_code == 200  # the page, its button
    token = path.rstrip("/").rsplit("/", 1)[1]
    return {
        "stop": f"/public/alerts/stop/{token}/",
        "manage": f"/public/alerts/manage/{token}/",
        "token": token,
    }


def publish_answer(make_case: Any, clerk: Any, *, publish: bool = True, **overrides: Any) -> Any:
    case = make_case(publish=publish, **overrides)
    return services.resolve_case(
        actor=clerk, case=case, body="Đã thay bóng đèn. Tổ dân phố liên hệ 0987654321 nếu còn hỏng."
    )


def alerts_to(email: str) -> list[Outbox]:
    return [m for m in outbox_to(email) if m.dedupe_key.startswith("alert:")]


@pytest.mark.django_db
def test_one_confirmation_then_nothing_until_the_link_is_opened(make_case: Any, clerk: Any) -> None:
    client = Client()
    response = follow_area(client, LAN)
    assert response.status_code == 302 and response["Location"] == "/public/alerts/sent/"
    assert "Hãy mở hộp thư của bạn" in client.get(response["Location"]).content.decode()
    (mail,) = outbox_to(LAN)
    assert mail.subject == "Xác nhận theo dõi trả lời, kết luận trên PAKN"
    assert "Phường Ba Đình, Thành phố Hà Nội" in mail.body and "7 ngày" in mail.body
    assert not mail.recipient and mail.sealed_recipient  # the address is sealed in the outbox too
    follow = AlertFollow.objects.get()
    assert LAN not in (follow.sealed_email + follow.email_key + follow.target)
    token = links_in(mail)["confirm"].rstrip("/").rsplit("/", 1)[1]
    assert follow.token_hash != token and token not in str(AlertFollow.objects.values().get())

    publish_answer(make_case, clerk)
    assert outbox_to(LAN) == [mail]  # not confirmed: nothing else

    page = client.get(links_in(mail)["confirm"])  # a mail scanner opens every link: opening confirms nothing
    assert page.status_code == 200 and "Xác nhận nhận thư" in page.content.decode()
    assert AlertFollow.objects.get().confirmed_at is None
    page = Client(enforce_csrf_checks=True).post(links_in(mail)["confirm"])  # a button, behind the CSRF check
    assert page.status_code == 403 and AlertFollow.objects.get().confirmed_at is None
    page = client.post(links_in(mail)["confirm"])
    assert page.status_code == 200 and "Đã xác nhận theo dõi" in page.content.decode()
    assert "Đã xác nhận theo dõi" in client.get(links_in(mail)["confirm"]).content.decode()  # opened again: said
    assert client.post(links_in(mail)["confirm"]).status_code == 200  # pressed twice: the same
    case = publish_answer(make_case, clerk, title="Đèn đường hỏng – gọi tổ trưởng 0987654321")
    (alert,) = alerts_to(LAN)
    assert alert.case_id == case.pk
    assert "Đèn đường hỏng – gọi tổ trưởng" in alert.subject and "0987654321" not in alert.subject
    assert "Đã thay bóng đèn. Tổ dân phố liên hệ [đã ẩn]" in alert.body  # masked as on the portal
    assert f"/public/answers/{case.pk}/" in alert.body
    for secret in REPORTER.values():
        assert secret not in alert.body and secret not in alert.subject
    assert case.tracking_code not in alert.body
    assert set(links_in(alert)) == {"stop", "manage"}


@pytest.mark.django_db
def test_an_address_that_already_follows_gets_the_same_answer(make_case: Any, clerk: Any) -> None:
    client = Client()
    first = follow_area(client, LAN)
    confirmed_links = confirmed(client, LAN)  # the second request renews the link; this one is confirmed
    again = follow_area(Client(), LAN)
    stranger = follow_area(Client(), MINH)
    assert first.status_code == again.status_code == stranger.status_code == 302
    assert first["Location"] == again["Location"] == stranger["Location"]
    assert AlertFollow.objects.filter(confirmed_at__isnull=False).count() == 1
    reminder = outbox_to(LAN)[-1]
    assert reminder.subject == "Bạn đang theo dõi mục này trên PAKN"
    assert links_in(reminder) == {"stop": confirmed_links["stop"], "manage": confirmed_links["manage"]}
    assert "confirm" not in links_in(reminder)
    publish_answer(make_case, clerk)
    assert len(alerts_to(LAN)) == 1 and alerts_to(MINH) == []  # Minh never confirmed


@pytest.mark.django_db
def test_a_new_request_replaces_the_link_and_expired_requests_are_pruned() -> None:
    client = Client()
    follow_area(client, LAN)
    old = links_in(outbox_to(LAN)[0])["confirm"]
    follow_area(client, LAN)
    new = links_in(outbox_to(LAN)[1])["confirm"]
    assert old != new and client.get(old).status_code == 404
    assert AlertFollow.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=alerts.CONFIRM_DAYS, hours=1)):
        response = client.get(new)
        assert response.status_code == 404 and "hết hạn" in response.content.decode()
        assert alerts.prune_follows() == 1
    assert AlertFollow.objects.count() == 0


@pytest.mark.django_db
def test_one_click_stops_and_the_page_says_it(make_case: Any, clerk: Any) -> None:
    client = Client()
    links = confirmed(client, LAN)
    page = client.get(links["stop"])  # opening the link (or a mail scanner opening it) stops nothing
    text = page.content.decode()
    assert page.status_code == 200 and "Ngừng theo dõi?" in text and "Phường Ba Đình" in text
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert AlertFollow.objects.get().unsubscribed_at is None
    page = client.post(links["stop"], {"stop": "1"})  # its button
    assert page.status_code == 200 and "Đã ngừng theo dõi" in page.content.decode()
    assert "Đã ngừng theo dõi" in client.get(links["stop"]).content.decode()  # opened again: said
    publish_answer(make_case, clerk)
    assert alerts_to(LAN) == []
    # a click by mistake is undone from the same page; then RFC 8058's POST (no form, no CSRF token) stops it
    strict = Client(enforce_csrf_checks=True)
    assert "Đã theo dõi lại" in strict.post(links["stop"], {"resume": "1"}).content.decode()
    assert AlertFollow.objects.get().unsubscribed_at is None
    response = strict.post(
        links["stop"], "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and AlertFollow.objects.get().unsubscribed_at is not None
    with time_machine.travel(timezone.now() + timedelta(days=alerts.KEEP_STOPPED_DAYS + 1)):
        assert alerts.prune_follows() == 1
        assert client.get(links["stop"]).status_code == 404


@pytest.mark.django_db
def test_one_mail_per_following_address(make_case: Any, clerk: Any) -> None:
    from pakn.cases.models import Topic

    topic = Topic.objects.order_by("pk").first()
    other_topic = Topic.objects.exclude(pk=topic.pk).order_by("pk").first()
    client = Client()
    confirmed(client, LAN, commune_code="")  # the whole province
    confirmed(client, LAN)  # and the commune: still one e-mail
    confirmed(client, MINH, topic_code=topic.code)
    confirmed(client, "other.commune@example.vn", commune_code=OTHER_COMMUNE)
    confirmed(client, "other.topic@example.vn", topic_code=other_topic.code)
    confirmed(client, "hcm@example.vn", province_code="79", commune_code="")
    publish_answer(make_case, clerk, topic_code=topic.code)
    assert len(alerts_to(LAN)) == 1 and len(alerts_to(MINH)) == 1
    for elsewhere in ("other.commune@example.vn", "other.topic@example.vn", "hcm@example.vn"):
        assert alerts_to(elsewhere) == []


@pytest.mark.django_db
def test_a_case_follow_gets_the_answer_of_the_unit_above(make_case: Any, clerk: Any, province_head: Any) -> None:
    """The citizen was not satisfied and took the case to the province: whoever follows the case hears of the
    province's answer, once, with the case's own links (even when the address also follows the area)."""
    case = publish_answer(make_case, clerk)
    client = Client()
    page = client.get(f"/public/answers/{case.pk}/").content.decode()
    assert "Theo dõi qua thư điện tử" in page and 'name="case"' in page
    assert client.post("/public/alerts/", {"email": LAN, "case": str(case.pk)}).status_code == 302
    case_links = {k: v for k, v in links_in(outbox_to(LAN)[-1]).items()}
    client.post(case_links["confirm"])
    confirmed(client, LAN)  # her commune as well
    assert alerts_to(LAN) == []  # the first answer was published before she followed

    services.rate_case(case=case, level=1, comment="Đèn vẫn hỏng")
    case = services.escalate_case(case=case, reason="Đèn vẫn hỏng sau khi báo đã sửa")
    services.resolve_case(actor=province_head, case=case, body="Sở Xây dựng đã thay cả cột đèn.")
    (alert,) = alerts_to(LAN)
    assert "Sở Xây dựng đã thay cả cột đèn." in alert.body and f"hồ sơ số {case.pk}" in alert.body
    token = case_links["confirm"].rstrip("/").rsplit("/", 1)[1]
    assert links_in(alert)["stop"] == f"/public/alerts/stop/{token}/"


@pytest.mark.django_db
def test_nothing_for_unpublished_cases_or_denunciations(make_case: Any, clerk: Any) -> None:
    client = Client()
    confirmed(client, LAN)
    publish_answer(make_case, clerk, publish=False, title="Không công khai")
    denunciation = make_case(kind="denunciation", publish=True, title="Tố cáo cán bộ địa chính")
    services.accept_case(actor=clerk, case=denunciation)
    services.resolve_case(actor=clerk, case=denunciation, kind="conclusion", finding="true", body="Tố cáo đúng.")
    assert alerts_to(LAN) == []
    page = client.get(f"/public/answers/{denunciation.pk}/")
    assert page.status_code == 200 and "Theo dõi qua thư điện tử" not in page.content.decode()
    assert client.post("/public/alerts/", {"email": LAN, "case": str(denunciation.pk)}).status_code == 404


@pytest.mark.django_db
def test_the_job_is_idempotent(make_case: Any, clerk: Any) -> None:
    client = Client()
    confirmed(client, LAN)
    case = publish_answer(make_case, clerk)
    event = AuditEvent.objects.get(case=case, action="resolved")
    before = Outbox.objects.count()
    alerts.tell_followers(case=case, event=event)
    alerts.tell_followers(case=case, event=event)
    assert Outbox.objects.count() == before and len(alerts_to(LAN)) == 1
    other = AuditEvent.objects.filter(case=case).exclude(action="resolved").first()
    alerts.tell_followers(case=case, event=other)  # any other event: nothing
    assert Outbox.objects.count() == before


@pytest.mark.django_db
def test_alerts_come_in_the_language_the_address_followed_in(make_case: Any, clerk: Any) -> None:
    english = Client()
    english.get("/public/answers/?lang=en")  # the visitor chose English
    follow_area(english, LAN)
    english.post(links_in(outbox_to(LAN)[-1])["confirm"])
    confirmed(Client(), MINH)
    assert AlertFollow.objects.get(email_key=alerts.address_key(LAN)).language == "en"
    publish_answer(make_case, clerk)
    (to_lan,) = alerts_to(LAN)
    (to_minh,) = alerts_to(MINH)
    assert to_lan.body.startswith("Report: ") and to_minh.body.startswith("Phản ánh: ")


@pytest.mark.django_db
def test_requests_are_throttled_per_client_and_e_mails_per_address(settings: Any) -> None:
    settings.THROTTLE_RATES = "alerts=3/3600,alerts_address=1/86400"
    client = Client()
    assert follow_area(client, LAN).status_code == 302
    second = follow_area(client, LAN)  # past the address's limit: the same answer, no e-mail
    assert second.status_code == 302 and len(outbox_to(LAN)) == 1
    assert follow_area(client, MINH).status_code == 302 and len(outbox_to(MINH)) == 1
    refused = follow_area(client, "third@example.vn")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert outbox_to("third@example.vn") == []


@pytest.mark.django_db
def test_the_page_of_an_address_lists_and_stops_its_follows(make_case: Any, clerk: Any) -> None:
    client = Client()
    mine = confirmed(client, LAN)
    confirmed(client, LAN, commune_code=OTHER_COMMUNE)
    theirs = confirmed(client, MINH)
    page = client.get(mine["manage"]).content.decode()
    assert page.count('name="stop"') == 2 and "Phường Ngọc Hà" in page and MINH not in page
    minh_follow = AlertFollow.objects.get(email_key=alerts.address_key(MINH))
    assert client.post(mine["manage"], {"stop": str(minh_follow.pk)}).status_code == 404  # not this address's
    ngoc_ha = AlertFollow.objects.get(commune_id=OTHER_COMMUNE)
    response = client.post(mine["manage"], {"stop": str(ngoc_ha.pk)}, follow=True)
    assert "Đã ngừng 1 mục theo dõi" in response.content.decode()
    assert client.get(mine["manage"]).content.decode().count('name="stop"') == 1
    client.post(mine["manage"], {"stop_all": "1"})
    assert "không còn theo dõi mục nào" in client.get(mine["manage"]).content.decode()
    publish_answer(make_case, clerk)
    assert alerts_to(LAN) == [] and len(alerts_to(MINH)) == 1
    assert client.get(theirs["manage"]).status_code == 200


@pytest.mark.django_db
def test_the_form_refuses_what_cannot_be_followed_and_ignores_bots() -> None:
    client = Client()
    bad = follow_area(client, "not an address")
    assert bad.status_code == 400 and "Địa chỉ thư điện tử" in bad.content.decode()
    wrong_place = follow_area(client, LAN, province_code="79")  # Ba Đình is in Hà Nội
    assert wrong_place.status_code == 400 and "has-error" in wrong_place.content.decode()
    no_province = follow_area(client, LAN, province_code="", commune_code="")
    assert no_province.status_code == 400
    with pytest.raises(InvalidInput) as refused:  # the service checks the same, whoever calls it
        alerts.clean_target(province_code="79", commune_code=COMMUNE)
    assert list(refused.value.fields) == ["commune_code"]
    bot = follow_area(client, LAN, website="http://spam.example")
    assert bot.status_code == 302 and outbox_to(LAN) == [] and AlertFollow.objects.count() == 0
    # without JavaScript: "choose province" shows the communes of the province, sends nothing
    step = client.post("/public/alerts/", {"email": LAN, "province_code": "01", "choose_province": "1"})
    assert step.status_code == 200 and "Phường Ngọc Hà" in step.content.decode() and outbox_to(LAN) == []
    assert client.get("/public/alerts/confirm/" + "0" * 40 + "/").status_code == 404
    assert client.get("/public/alerts/manage/short/").status_code == 404


@pytest.mark.django_db
def test_the_answers_page_offers_the_form_with_its_province() -> None:
    page = Client().get("/public/answers/", {"province": "01"}).content.decode()
    assert "Theo dõi qua thư điện tử" in page
    assert re.search(r'<option value="01" selected\s*>', page)
    assert "Phường Ba Đình" in page  # the province's communes, for people without JavaScript
    assert len(page.encode()) < 50_000


@pytest.mark.django_db
def test_alerts_carry_the_one_click_stop_link_for_mail_providers(make_case: Any, clerk: Any) -> None:
    """RFC 2369 and 8058: the provider shows "unsubscribe" beside the sender and POSTs to the follow's stop link;
    the confirmation (nothing is followed yet) has no such header."""
    from django.core import mail

    from pakn.notify.services import deliver_pending

    client = Client()
    links = confirmed(client, LAN)
    publish_answer(make_case, clerk)
    mail.outbox.clear()
    deliver_pending()
    alert = next(m for m in mail.outbox if m.to == [LAN] and m.subject.startswith("Đã công khai"))
    assert alert.extra_headers["List-Unsubscribe"].endswith(links["stop"] + ">")
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" in alert.message().as_string()
    confirmation = Outbox.objects.get(dedupe_key__startswith="alert-confirm:")
    assert confirmation.unsubscribe_url == ""
