"""A unit's review file (Quyết định 99-QĐ/TW: "kiểm điểm tự phê bình và phê bình … những vấn đề phức tạp, dư luận
bức xúc"): letters by field, where complaints cluster, the low ratings, the recommendations, the disputed tasks;
suggested review topics with the figures behind them; page, Excel, PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from pakn.cases import services
from pakn.cases.models import Topic
from pakn.org.models import Unit
from pakn.oversight import review_file


@pytest.mark.django_db
def test_complaints_that_cluster_in_a_field_are_suggested_for_review(make_case: Any, clerk: Any) -> None:
    land = Topic.objects.order_by("pk").first()
    for i in range(3):
        make_case(kind="complaint", title=f"Khiếu nại thu hồi đất {i}", topic_code=land.code,
                  reporter={"name": "Nguyễn Văn An", "address": "12 Đội Cấn", "phone": "0912345678"})  # fmt: skip
    light = make_case(title="Đèn đường hỏng")
    services.resolve_case(actor=clerk, case=light, body="Đã thay bóng.")
    services.rate_case(case=light, level=1, comment="Đèn vẫn tắt.")
    ward = Unit.objects.get(code="UBND-00004")
    today = timezone.localdate()
    review = review_file.build(ward, today.replace(day=1), today)
    [suggested] = review.suggested
    assert suggested.topic == land.name and suggested.reasons == ["3 khiếu nại, tố cáo"]
    assert review.lowest[0][1:] == (1, "Đèn vẫn tắt.")
    doc = review_file.document(review)
    assert doc.tables[0].rows == [[land.name, "3 khiếu nại, tố cáo"]]


@pytest.mark.django_db
def test_page_and_downloads(make_case: Any, head: Any, clerk: Any, login: Any, other_clerk: Any) -> None:
    make_case()
    today = timezone.localdate()
    query = {"unit": "UBND-00004", "kind": "year", "year": today.year}
    page = login(head).get("/oversight/review/", query)
    assert page.status_code == 200 and "Vấn đề đề nghị đưa ra kiểm điểm" in page.content.decode()
    pdf = login(head).get("/oversight/review/", {**query, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = login(head).get("/oversight/review/", {**query, "format": "xlsx"})
    assert xlsx.status_code == 200
    other = login(other_clerk).get("/oversight/review/", query)  # not their unit: the form refuses it
    assert "Vấn đề đề nghị đưa ra kiểm điểm" not in other.content.decode()
