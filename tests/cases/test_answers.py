"""Model answers with their legal basis, and the check before an answer is sent: what was done, on what basis,
with what evidence; never boilerplate or a template's unfilled brackets. It warns and asks, it never refuses."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from pakn.cases.answers import check_answer, fill
from pakn.cases.models import Answer, AnswerTemplate


def codes(body: str, kind: str, templates: tuple[str, ...] = ()) -> set[str]:
    return {w.code for w in check_answer(body, kind=kind, templates=templates)}


def test_the_check_reads_the_draft() -> None:
    assert codes("Đã xử lý.", "report") >= {"short", "no_evidence"}
    good = ("Ngày 05/12, cán bộ địa chính đã kiểm tra hiện trường và đã thay hai bóng đèn trước số 12 phố Đội Cấn. "
            "Ảnh sau khi sửa gửi kèm theo; biên bản kiểm tra số 12/BB lưu tại phường.")  # fmt: skip
    assert codes(good, "report") == set()
    assert codes(good, "complaint") == {"no_basis"}  # a complaint's decision cites the law
    assert "no_basis" not in codes(good + " Căn cứ Luật Khiếu nại 2011, Điều 31.", "complaint")
    assert "placeholder" in codes(good + " [ghi rõ việc đã làm]", "report")
    assert "boilerplate" in codes(good, "report", templates=(good,))
    assert "no_action" in codes("Cảm ơn ông bà đã quan tâm. " * 6, "petition")


def test_fill_writes_the_case_in() -> None:
    text = fill(
        "Mã {ma_ho_so}, {don_vi}, nhận {ngay_nhan}.", tracking_code="ABCD", unit="UBND", received_on=date(2026, 3, 2)
    )
    assert text == "Mã ABCD, UBND, nhận 02/03/2026."


@pytest.mark.django_db
def test_templates_are_seeded_with_their_legal_basis() -> None:
    by_kind = {t.kind: t for t in AnswerTemplate.objects.all()}
    assert "Điều 35" in by_kind["denunciation"].legal_basis and "Điều 31" in by_kind["complaint"].legal_basis


@pytest.mark.django_db
def test_the_clerk_uses_a_template_and_is_asked_to_look_again(make_case: Any, clerk: Any, login: Any) -> None:
    from pakn.cases import services

    case = services.accept_case(actor=clerk, case=make_case())
    staff = login(clerk)
    url = reverse("staff_case_action", args=[case.pk, "resolve"])
    template = AnswerTemplate.objects.get(kind="report")
    filled = staff.post(url, {"template": template.pk, "kind": "answer", "body": "", "use_template": "1"})
    page = filled.content.decode()
    assert filled.status_code == 200 and case.tracking_code in page and "Căn cứ:" in page
    draft = staff.post(url, {"kind": "answer", "body": "Đã xử lý."})
    assert draft.status_code == 400 and 'data-check="short"' in draft.content.decode()
    assert not Answer.objects.filter(case=case).exists()  # nothing sent yet
    sent = staff.post(url, {"kind": "answer", "body": "Đã xử lý.", "confirm": "on"})
    assert sent.status_code == 302 and Answer.objects.get(case=case).body == "Đã xử lý."


def _photo(name: str = "sau-khi-sua.png") -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


GOOD_ANSWER = (
    "Ngày 02/12/2026, tổ công tác của phường đã kiểm tra và thay bóng đèn trước số 12 phố Đội Cấn; "
    "đèn đã sáng trở lại. Căn cứ Nghị định 79/2009/NĐ-CP về quản lý chiếu sáng đô thị."
)


@pytest.mark.django_db
def test_an_answer_carries_its_evidence_to_the_citizen_and_if_allowed_to_the_public(
    make_case: Any, clerk: Any, login: Any, client: Any
) -> None:
    from pakn.cases import services
    from pakn.cases.models import AnswerFile

    case = services.accept_case(actor=clerk, case=make_case(publish=True))
    url = reverse("staff_case_action", args=[case.pk, "resolve"])
    # A photo counts as evidence: the check does not ask for one when a file goes with the answer.
    sent = login(clerk).post(url, {"kind": "answer", "body": GOOD_ANSWER, "evidence": [_photo()], "files_public": "on"})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    stored = AnswerFile.objects.get(answer__case=case)
    assert stored.public
    status_page = client.get(f"/track/{case.tracking_code}/").content.decode()
    link = f"/track/{case.tracking_code}/files/{stored.number}"
    assert link in status_page
    photo = client.get(link)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert client.get(f"/public/answers/{case.pk}/files/{stored.number}").status_code == 200
    assert (
        f"/public/answers/{case.pk}/files/{stored.number}" in client.get(f"/public/answers/{case.pk}/").content.decode()
    )
    # The citizen's own files are never served through these links.
    assert client.get(f"/track/{case.tracking_code}/files/{stored.number + 1}").status_code == 404
    assert "sau-khi-sua" not in status_page  # stored as "tep-N", not under the uploader's file name


@pytest.mark.django_db
def test_files_not_allowed_or_of_a_denunciation_stay_private(make_case: Any, clerk: Any, client: Any) -> None:
    from pakn.cases import services
    from pakn.cases.models import AnswerFile
    from pakn.protection.services import check_uploads

    plain = services.accept_case(actor=clerk, case=make_case(publish=True))
    services.resolve_case(actor=clerk, case=plain, body=GOOD_ANSWER, uploads=check_uploads([_photo()]))
    number = AnswerFile.objects.get(answer__case=plain).number
    assert client.get(f"/public/answers/{plain.pk}/files/{number}").status_code == 404
    assert client.get(f"/track/{plain.tracking_code}/files/{number}").status_code == 200

    denunciation = make_case(kind="denunciation", publish=True, subject="Cán bộ địa chính phường")
    assert not AnswerFile.objects.filter(answer__case=denunciation).exists()
    from pakn.cases.forms import ResolveForm

    assert "files_public" not in ResolveForm(case=denunciation).fields


def test_files_count_as_evidence_in_the_check() -> None:
    body = "Đã kiểm tra, đã sửa xong đoạn đường."
    assert "no_evidence" in {w.code for w in check_answer(body, kind="report")}
    assert "no_evidence" not in {w.code for w in check_answer(body, kind="report", has_files=True)}


@pytest.mark.django_db
def test_a_program_resolves_with_evidence_through_the_api(make_case: Any, clerk: Any, client: Any) -> None:
    """``POST /api/v1/cases/{id}/resolve-with-files`` (multipart): the same act as the page, the same checks of
    the files, the same rights (someone without them reads no file and changes nothing)."""
    from conftest import OTHER_COMMUNE, make_user
    from pakn.cases import services
    from pakn.cases.models import AnswerFile, AuditEvent
    from security.test_api_rights import token_for

    case = services.accept_case(actor=clerk, case=make_case(publish=True))
    url = f"/api/v1/cases/{case.pk}/resolve-with-files"
    form = {"kind": "answer", "body": GOOD_ANSWER, "files_public": "true"}
    stranger = token_for(make_user("khac", unit_code=f"UBND-{OTHER_COMMUNE}"))
    events = AuditEvent.objects.count()
    refused = client.post(url, {**form, "files": [_photo()]}, **stranger)
    assert refused.status_code == 404 and AuditEvent.objects.count() == events
    not_a_photo = client.post(url, {**form, "files": [_photo("x.png").__class__("x.png", b"MZ\x90\x00", "image/png")]},
                              **token_for(clerk))  # fmt: skip
    assert not_a_photo.status_code == 400 and "files" in not_a_photo.json()["error"]["fields"]
    answer = client.post(url, {**form, "files": [_photo()]}, **token_for(clerk))
    assert answer.status_code == 200, answer.content[:400]
    assert answer.json()["status"] == "resolved"
    stored = AnswerFile.objects.get(answer__case=case)
    assert stored.public
    assert client.get(f"/public/answers/{case.pk}/files/{stored.number}").status_code == 200
