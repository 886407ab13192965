"""The yearly sheet of an official (Quyết định 99-QĐ/TW: the people's satisfaction as the measure of officials):
what they signed, on time or not, how the citizens rated it, and what was said about them with what the
conclusions found; heads only, each figure with its cases, as a page, Excel and PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from pakn.cases import services
from pakn.cases.models import CaseSubject
from pakn.oversight import official_sheet


def clerk_head() -> Any:
    """The head of the unit above (Hà Nội), who may see the case."""
    return make_user("province_chair", unit_code="UBND-01", role="head", include_subunits=True)


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def history(make_case: Any, clerk: Any) -> dict[str, Any]:
    first, second = make_case(), make_case(title="Rác thải ùn ứ ở chợ Ngọc Hà")
    services.resolve_case(actor=clerk, case=first, body="Đã thay bóng đèn.")
    services.rate_case(case=first, level=5)
    services.resolve_case(actor=clerk, case=second, body="Đã thu gom.")
    services.rate_case(case=second, level=2)
    official = make_user("diachinh", unit_code="UBND-00004")
    about = make_case(kind="denunciation", title="Tố cáo cán bộ địa chính", subject="Cán bộ địa chính phường")
    CaseSubject.objects.update_or_create(case=about, defaults={"user": official, "source": "staff"})
    services.accept_case(actor=clerk, case=about)
    services.resolve_case(actor=clerk, case=about, body="Đúng một phần.", kind="conclusion", finding="partly")
    return {"official": official, "about": about, "first": first}


@pytest.mark.django_db
def test_what_the_official_signed_and_what_was_said_about_them(head: Any, clerk: Any, history: Any, year: int) -> None:
    mine = dict(official_sheet.build(head, clerk.pk, year).summary())
    assert mine["Đơn đã ký trả lời, kết luận"] == "3"
    assert mine["Hài lòng, rất hài lòng / được đánh giá"] == "1/2 (50,0 %)"
    assert mine["Điểm hài lòng trung bình (1–5)"] == "3,50"
    assert mine["Đơn nêu cán bộ là người bị phản ánh, khiếu nại, tố cáo"] == "0"
    theirs = official_sheet.build(head, history["official"].pk, year)
    assert [c.code for c in theirs.concerned] == [history["about"].tracking_code]
    summary = dict(theirs.summary())
    assert summary["Tố cáo được kết luận đúng một phần"] == "1" and summary["Trong đó tố cáo được kết luận đúng"] == "0"
    assert official_sheet.build(head, clerk.pk, year - 1).handled == []  # another year


@pytest.mark.django_db
def test_heads_only_and_their_officials_only(head: Any, clerk: Any, history: Any, year: int, login: Any) -> None:
    url = reverse("oversight_official_sheet", args=[clerk.pk])
    assert login(clerk).get(url).status_code == 404  # not a head
    other_head = make_user("other_head", unit_code="UBND-00008", role="head")
    assert login(other_head).get(url).status_code == 404  # not their official
    page = login(head).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert history["first"].tracking_code in text and "Phiếu kết quả năm" in text
    xlsx = login(head).get(url, {"format": "xlsx", "year": year})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = login(head).get(url, {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ranking = login(head).get(reverse("oversight_officials")).content.decode()
    assert url in ranking  # each name opens the sheet


@pytest.mark.django_db
def test_the_sheet_reads_as_a_document(head: Any, clerk: Any, history: Any, year: int) -> None:
    import io

    from openpyxl import load_workbook

    sheet = official_sheet.build(head, clerk.pk, year)
    doc = official_sheet.document(sheet)
    assert "Quyết định 99-QĐ/TW" in doc.intro[0]
    book = load_workbook(io.BytesIO(official_sheet.documents.xlsx_bytes(doc)))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert history["first"].tracking_code in cells and "1/2 (50,0 %)" in cells


@pytest.mark.django_db
def test_a_case_about_the_head_never_shows_on_their_sheets(make_case: Any, clerk: Any, head: Any, year: int) -> None:
    about_head = make_case(kind="report", title="Phản ánh thái độ cán bộ tiếp dân")
    services.resolve_case(actor=clerk, case=about_head, body="Đã nhắc nhở cán bộ.")
    # Later found to concern the chair himself: from then on he may not see it, not even as a line of a sheet.
    CaseSubject.objects.update_or_create(case=about_head, defaults={"user": head, "source": "staff"})
    assert about_head.tracking_code in [c.code for c in official_sheet.build(clerk_head(), clerk.pk, year).handled]
    codes = [c.code for c in official_sheet.build(head, clerk.pk, year).handled]
    assert about_head.tracking_code not in codes
