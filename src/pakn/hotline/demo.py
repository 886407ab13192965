"""Demo data for hotlines: the hotline of the chair of UBND Phường Ba Đình with its hours, a roster, and
two calls (one became a case, one needed only information). Idempotent; run after ``cases.demo``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pakn.hotline import services
from pakn.hotline.models import CallOutcome, Hotline
from pakn.org.models import Unit

UNIT = "UBND-00004"
CALLER = {"name": "Đặng Thị Mai", "phone": "0903123456", "address": "8 Ngõ 12 Đào Tấn"}


def _at(day: object, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))  # type: ignore[arg-type]


def load_demo() -> int:
    """Returns how many calls were created (0 when the demo hotline exists already)."""
    unit = Unit.objects.filter(code=UNIT).first()
    users = get_user_model().objects
    clerk = users.filter(username="canbo.badinh").first()
    chair = users.filter(username="chutich.badinh").first()
    if unit is None or clerk is None or chair is None:
        return 0
    if Hotline.objects.filter(unit=unit, official_name="Lê Văn Cường").exists():
        return 0
    hotline = services.create_hotline(
        actor=clerk,
        unit=unit,
        official_name="Lê Văn Cường",
        position="Chủ tịch UBND phường Ba Đình",
        phone="024 3823 4567",
        hours="Thứ 2–6, 7:30–17:00",
        note="Ngoài giờ hành chính, vui lòng gửi đơn trực tuyến.",
    )
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    services.add_shift(
        actor=clerk, hotline=hotline, official=clerk, starts_at=_at(yesterday, 7, 30), ends_at=_at(yesterday, 17)
    )
    services.add_shift(
        actor=clerk, hotline=hotline, official=chair, starts_at=_at(today, 7, 30), ends_at=_at(today, 17)
    )
    services.record_call(
        actor=clerk,
        hotline=hotline,
        received_at=_at(yesterday, 9, 15),
        duration_minutes=6,
        summary="Cống thoát nước trước số 8 ngõ 12 Đào Tấn bị tắc, mưa xuống nước tràn vào nhà dân.",
        outcome=CallOutcome.CASE,
        kind="report",
        title="Cống thoát nước ngõ 12 Đào Tấn bị tắc",
        caller=dict(CALLER),
    )
    services.record_call(
        actor=clerk,
        hotline=hotline,
        received_at=_at(yesterday, 14, 40),
        duration_minutes=3,
        summary="Hỏi lịch tiếp công dân của Chủ tịch UBND phường; đã hướng dẫn xem lịch và đăng ký trên cổng PAKN.",
        outcome=CallOutcome.INFORMATION,
    )
    return 2
