"""After reception (Quyết định 99-QĐ/TW: "kiểm tra, giám sát việc trả lời, giải quyết … sau khi tiếp công dân, đối
thoại"): a task reported done asks the citizen through their own link; the citizen and the Front confirm or
dispute; a dispute tells the head, who may reopen; the citizens are told of the conclusion that concerns them,
never of the others' matters."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from tests.reception.test_reception import at, register, schedule, unit

from conftest import COMMUNE, OTHER_COMMUNE, make_user, outbox_to
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.notify.models import Outbox
from pakn.reception import follow_up, services
from pakn.reception.models import Activity, FollowUpTask, TaskReview

CITIZEN_PHONE = "0912000111"  # register()'s
OTHER_PHONE = "0988777666"


@pytest.fixture
def concluded(head: Any, travel: Any) -> tuple[Any, FollowUpTask, FollowUpTask]:
    """A session held on 06/05/2026 with two citizens; the conclusion gives one task about the first citizen's
    matter and one about the second's."""
    travel.move_to(at(date(2026, 5, 6), 8))
    session = schedule(head, day=date(2026, 5, 6), kind="ad_hoc")
    travel.move_to(at(date(2026, 5, 6), 16))
    services.record_session_held(actor=head, session=session, presider_name="Lê Văn Cường", presided_by_head=True)
    first = register(head, received_on=date(2026, 5, 6), session=session)
    second = register(
        head,
        received_on=date(2026, 5, 6),
        session=session,
        name="Phạm Thị Hoa",
        phone=OTHER_PHONE,
        id_number="001190088888",
        summary="Đề nghị sửa đường ngõ 7.",
        kind="petition",
    )
    owner = unit(f"UBND-{COMMUNE}")
    conclusion = services.issue_conclusion(
        actor=head,
        session=session,
        number="15/TB-UBND",
        issued_on=date(2026, 5, 6),
        body="Ông Trần Văn Bình: kiểm tra thửa đất. Bà Phạm Thị Hoa: sửa đường ngõ 7.",
        tasks=[
            {"title": "Kiểm tra hiện trạng thửa đất", "owner_unit": owner, "due_on": date(2026, 5, 20), "entry": first},
            {"title": "Sửa mặt đường ngõ 7", "owner_unit": owner, "due_on": date(2026, 6, 30), "entry": second},
        ],
    )
    land = conclusion.tasks.get(entry=first)
    road = conclusion.tasks.get(entry=second)
    return conclusion, land, road


def link_in(message: Any) -> str:
    found = re.search(r"/reception/follow-up/([A-Za-z0-9_\-]+)/", message.body)
    assert found, message.body
    return found.group(1)


def report_done(head: Any, task: FollowUpTask, travel: Any, day: date = date(2026, 5, 15)) -> str:
    """Report ``task`` done; the token of the link the citizen gets."""
    travel.move_to(at(day, 10))
    services.complete_follow_up_task(actor=head, task=task, result="Đã kiểm tra, lập biên bản.", done_on=day)
    asks = [m for m in outbox_to(CITIZEN_PHONE) if "/reception/follow-up/" in m.body]
    return link_in(asks[-1])


def test_each_citizen_is_told_of_the_conclusion_and_only_of_their_own_tasks(concluded: Any) -> None:
    conclusion, land, road = concluded
    [mine] = [m for m in outbox_to(CITIZEN_PHONE) if "15/TB-UBND" in m.body]
    [theirs] = [m for m in outbox_to(OTHER_PHONE) if "15/TB-UBND" in m.body]
    assert "06/05/2026" in mine.body and "Kiểm tra hiện trạng thửa đất" in mine.body
    assert "Sửa mặt đường" not in mine.body and "Phạm Thị Hoa" not in mine.body  # never the body or others' matters
    assert "Sửa mặt đường ngõ 7" in theirs.body and "thửa đất" not in theirs.body


def test_the_citizen_confirms_through_their_link_once_per_report(head: Any, concluded: Any, travel: Any) -> None:
    _, land, _ = concluded
    token = report_done(head, land, travel)
    land.refresh_from_db()
    assert land.review_digest and token not in land.review_digest  # only the digest is kept
    assert follow_up.task_for_citizen(token).pk == land.pk
    with pytest.raises(NotFound):
        follow_up.task_for_citizen(token[:-1] + ("A" if token[-1] != "A" else "B"))
    review = follow_up.review_as_citizen(token=token, verdict="confirmed")
    assert (review.by, review.verdict, review.reviewer) == ("citizen", "confirmed", None)
    with pytest.raises(InvalidTransition):
        follow_up.review_as_citizen(token=token, verdict="disputed", note="Đổi ý")
    assert Activity.objects.filter(action="task_reviewed", object_id=land.pk).count() == 1


def test_a_dispute_needs_a_reason_tells_the_head_and_the_head_may_reopen(
    head: Any, concluded: Any, travel: Any
) -> None:
    _, land, _ = concluded
    token = report_done(head, land, travel)
    with pytest.raises(InvalidInput) as caught:
        follow_up.review_as_citizen(token=token, verdict="disputed", note="  ")
    assert "note" in caught.value.fields
    with pytest.raises(InvalidInput):
        follow_up.review_as_citizen(token=token, verdict="maybe")
    before = Outbox.objects.count()
    review = follow_up.review_as_citizen(
        token=token, verdict="disputed", note="Chưa ai đến kiểm tra. Tôi là Trần Văn Bình, số 0912000111."
    )
    assert "Trần Văn Bình" not in review.note and "0912000111" not in review.note  # their own details removed
    told = Outbox.objects.filter(dedupe_key__startswith=f"task-disputed:{review.pk}")
    assert told.exists() and Outbox.objects.count() > before
    assert "Chưa ai đến kiểm tra" in told.first().body
    with pytest.raises(InvalidInput):
        follow_up.reopen_task(actor=head, task=land, reason="")
    follow_up.reopen_task(actor=head, task=land, reason="Công dân cho biết chưa kiểm tra.")
    land.refresh_from_db()
    assert (land.done_on, land.reported_at, land.review_digest) == (None, None, "")
    with pytest.raises(NotFound):  # the old link no longer works
        follow_up.task_for_citizen(token)
    new_token = report_done(head, land, travel, day=date(2026, 5, 19))
    assert new_token != token
    assert follow_up.citizen_word(FollowUpTask.objects.get(pk=land.pk)) is None  # a new report, a new word
    follow_up.review_as_citizen(token=new_token, verdict="confirmed")
    assert list(land.reviews.values_list("verdict", flat=True)) == ["disputed", "confirmed"]  # history kept


def test_the_front_of_the_area_reviews_others_may_not(
    head: Any, concluded: Any, travel: Any, supervisor: Any, other_clerk: Any
) -> None:
    _, land, road = concluded
    with pytest.raises(InvalidTransition):  # not reported done yet
        follow_up.review_as_front(actor=supervisor, task=land, verdict="confirmed")
    report_done(head, land, travel)
    far = make_user("far_front", unit_code=f"MTTQ-{OTHER_COMMUNE}", role="supervisor")
    for outsider in (far, other_clerk, head):
        with pytest.raises(NotFound):
            follow_up.review_as_front(actor=outsider, task=land, verdict="confirmed")
    review = follow_up.review_as_front(actor=supervisor, task=land, verdict="disputed", note="Hộ dân chưa được gặp.")
    assert (review.by, review.reviewer) == (TaskReview.By.FRONT, supervisor)
    assert set(follow_up.front_tasks(supervisor)) == {land, road}
    assert not follow_up.front_tasks(far).exists()


def test_pages_citizen_link_front_list_and_session_detail(
    head: Any, concluded: Any, travel: Any, supervisor: Any, login: Any, client: Any
) -> None:
    conclusion, land, _ = concluded
    token = report_done(head, land, travel)
    url = reverse("reception_citizen_review", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kiểm tra hiện trạng thửa đất" in text and "Đã kiểm tra, lập biên bản." in text
    assert "Trần Văn Bình" not in text
    refused = client.post(url, {"verdict": "disputed", "note": ""})
    assert refused.status_code == 400 and "điều gì chưa được làm" in refused.content.decode()
    done = client.post(url, {"verdict": "confirmed", "note": ""}, follow=True)
    assert "Bạn đã cho ý kiến ngày 15/05/2026" in done.content.decode()
    assert client.get(reverse("reception_citizen_review", args=["x" * 24])).status_code == 404

    front = login(supervisor)
    listing = front.get(reverse("reception_front_follow_up"))
    assert listing.status_code == 200 and "Kiểm tra hiện trạng thửa đất" in listing.content.decode()
    assert "Xác nhận đã thực hiện" in listing.content.decode()  # the citizen's word shows
    posted = front.post(reverse("reception_front_review", args=[land.pk]), {"verdict": "disputed", "note": "Chưa"})
    assert posted.status_code == 302
    assert land.reviews.filter(by="front").exists()
    assert login(head).get(reverse("reception_front_follow_up")).status_code == 404  # not a supervisor

    staff = login(head).get(reverse("reception_session", args=[conclusion.session_id])).content.decode()
    assert "Mặt trận Tổ quốc" in staff and "Mở lại việc" in staff
    reopened = login(head).post(reverse("reception_task_reopen", args=[land.pk]), {"reason": "Làm lại"})
    assert reopened.status_code == 302
    land.refresh_from_db()
    assert land.done_on is None


def test_api_front_and_citizen(
    head: Any, concluded: Any, travel: Any, supervisor: Any, client: Any, login: Any
) -> None:
    from pakn.org import services as org_services

    _, land, _ = concluded
    token = report_done(head, land, travel)
    read = client.get(f"/api/v1/reception/follow-up-links/{token}")
    assert read.status_code == 200 and read.json()["title"] == "Kiểm tra hiện trạng thửa đất"
    assert read.json()["reviews"] == []
    said = client.post(
        f"/api/v1/reception/follow-up-links/{token}", {"verdict": "confirmed"}, content_type="application/json"
    )
    assert said.status_code == 201 and said.json()["by"] == "citizen"
    again = client.post(
        f"/api/v1/reception/follow-up-links/{token}", {"verdict": "confirmed"}, content_type="application/json"
    )
    assert again.status_code == 409

    _, read_only = org_services.create_api_token(actor=None, user=supervisor, name="đọc")  # a supervisor's: read
    listed = client.get("/api/v1/reception/follow-up", headers={"Authorization": f"Bearer {read_only}"})
    assert listed.status_code == 200 and [t["id"] for t in listed.json()] == [land.pk]
    assert listed.json()[0]["reviews"][0]["verdict"] == "confirmed"
    body = {"verdict": "disputed", "note": "Chưa đúng"}
    path = f"/api/v1/reception/follow-up/{land.pk}/reviews"
    refused = client.post(path, body, content_type="application/json", headers={"Authorization": f"Bearer {read_only}"})
    assert refused.status_code == 403
    ok = login(supervisor).post(path, body, content_type="application/json")  # signed in on the site
    assert ok.status_code == 201 and ok.json()["by"] == "front"


def test_the_citizen_rates_the_reception_once_told_the_outcome(head: Any, travel: Any, client: Any) -> None:
    from pakn.oversight import review_file
    from pakn.reception.models import Entry

    travel.move_to(at(date(2026, 5, 6), 16))
    entry = register(head, received_on=date(2026, 5, 6))
    services.record_notice(actor=head, entry=entry, outcome="accepted", notified_on=date(2026, 5, 6))
    [ask] = [m for m in outbox_to(CITIZEN_PHONE) if "/reception/rate/" in m.body]
    token = re.search(r"/reception/rate/([A-Za-z0-9_\-]+)/", ask.body).group(1)
    url = reverse("reception_citizen_rating", args=[token])
    assert "06/05/2026" in client.get(url).content.decode()
    assert client.post(url, {"level": "9"}).status_code == 400
    assert client.post(url, {"level": "2", "comment": "Tôi là Trần Văn Bình, chờ hai tiếng."}).status_code == 302
    rated = Entry.objects.get(pk=entry.pk)
    assert (rated.rating, rated.rated_on) == (2, date(2026, 5, 6)) and "Trần Văn Bình" not in rated.rating_comment
    with pytest.raises(InvalidTransition):
        follow_up.rate_reception(token=token, level=5)
    assert "Bạn đã cho ý kiến" in client.get(url).content.decode()
    review = review_file.build(unit(f"UBND-{COMMUNE}"), date(2026, 5, 1), date(2026, 5, 31))
    assert review.reception_ratings == [2] and review.reception_average == "2,00"
