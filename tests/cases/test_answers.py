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
