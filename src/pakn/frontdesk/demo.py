"""Demo data for the Front's forwarding: after a meeting of voters with their deputies, the Front committee of
Phường Ba Đình forwards two opinions — one a new petition, one joining a case the ward already has.
Idempotent; run after ``cases.demo``."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pakn.cases.models import Case
from pakn.frontdesk import services
from pakn.frontdesk.models import BatchSource, FrontBatch

DOCUMENT = "25/MTTQ-BTT"


def load_demo() -> int:
    """Returns how many opinions were recorded (0 when the demo batch exists already)."""
    front = get_user_model().objects.filter(username="mttq.badinh").first()
    if front is None or FrontBatch.objects.filter(document_number=DOCUMENT).exists():
        return 0
    existing = Case.objects.filter(title="Đèn đường hỏng trên phố Đội Cấn").order_by("pk").first()
    opinions: list[dict[str, object]] = [
        {
            "kind": "petition",
            "title": "Đề nghị sửa chữa vỉa hè phố Quán Thánh",
            "content": "Cử tri phản ánh vỉa hè phố Quán Thánh đoạn trước số 5 bị lún, bong gạch; đề nghị sửa chữa.",
            "resident": {"name": "Phạm Thị Hoa", "address": "5 Phố Quán Thánh"},
        }
    ]
    if existing is not None:
        opinions.append({"join": existing.tracking_code, "title": "Cử tri nhắc lại việc đèn đường phố Đội Cấn hỏng"})
    today = timezone.localdate()
    batch = services.record_batch(
        actor=front,
        source=BatchSource.VOTERS_MEETING,
        meeting="Hội nghị tiếp xúc cử tri của Đại biểu Quốc hội trước kỳ họp",
        held_on=today - timedelta(days=4),
        place="Nhà văn hóa phường Ba Đình",
        document_number=DOCUMENT,
        forwarded_on=today - timedelta(days=2),
        opinions=opinions,
    )
    return batch.opinions.count()
