"""A person who selects a whole folder of photos gets the form back with the limit ("at most 5 files") and
everything they typed, whatever the number of files, on the submission form, the drop box and the
add-information form; nothing is filed."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pakn.cases.models import Case

TYPED = "Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, buổi tối rất tối và nguy hiểm cho người đi bộ."
LIMIT = "Tối đa 5 tệp mỗi lần gửi."


def photos(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"anh-{n}.jpg", b"\xff\xd8\xff" + b"x" * 100, "image/jpeg") for n in range(count)]


def textarea(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    opened = page.index(">", start) + 1
    return html.unescape(page[opened : page.index("</textarea>", opened)]).strip()


SUBMISSION = {
    "kind": "report",
    "title": "Đèn đường hỏng",
    "content": TYPED,
    "province_code": "01",
    "commune_code": "00004",
    "reporter_name": "Nguyễn Văn An",
    "reporter_phone": "0912345678",
}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [6, 150, 1000])
def test_the_submission_form_states_the_limit_and_keeps_the_text(count: int) -> None:
    answer = Client().post("/submit/", {**SUBMISSION, "attachments": photos(count)})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert LIMIT in page
    assert textarea(page, "content") == TYPED
    assert 'value="Đèn đường hỏng"' in page and 'value="Nguyễn Văn An"' in page
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_drop_box_states_the_limit_and_keeps_the_text() -> None:
    data = {"kind": "denunciation", "title": "Cán bộ nhận tiền", "content": TYPED, "province_code": "01"}
    answer = Client().post("/dropbox/", {**data, "evidence": photos(150)})
    page = answer.content.decode()
    assert answer.status_code == 400, page[:1000]
    assert LIMIT in page and textarea(page, "content") == TYPED
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_adding_information_states_the_limit_and_keeps_the_text(make_case: Any) -> None:
    case = make_case()
    answer = Client().post(f"/track/{case.tracking_code}/info", {"body": TYPED, "evidence": photos(150)})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert LIMIT in page and textarea(page, "body") == TYPED
    assert not case.messages.exists()


def test_files_past_the_limit_are_counted_not_kept_and_the_limit_is_per_field() -> None:
    """Files 6 and on of a field are one shared empty placeholder (memory stays bounded); the staff intake's
    scanned original letter, another field, is kept beside five attachments."""
    from django.test import RequestFactory

    request = RequestFactory().post("/staff/intake/", {"attachments": photos(200), "original_letter": photos(1)})
    attachments = request.FILES.getlist("attachments")
    assert len(attachments) == 200
    assert all(f.read().startswith(b"\xff\xd8\xff") for f in attachments[:5])
    assert {id(f) for f in attachments[5:]} == {id(attachments[5])}
    assert attachments[5].over_limit and attachments[5].read() == b""
    letter = request.FILES.getlist("original_letter")
    assert len(letter) == 1 and letter[0].read().startswith(b"\xff\xd8\xff")
