from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import COMMUNE


@pytest.fixture
def hotline(clerk: Any) -> Any:
    from pakn.hotline import services
    from pakn.org.models import Unit

    return services.create_hotline(
        actor=clerk,
        unit=Unit.objects.get(code=f"UBND-{COMMUNE}"),
        official_name="Lê Văn Cường",
        position="Chủ tịch UBND phường Ba Đình",
        phone="024 3823 4567",
        hours="Thứ 2–6, 7:30–17:00",
    )


@pytest.fixture
def shift(hotline: Any, clerk: Any, head: Any) -> Any:
    from pakn.hotline import services

    now = timezone.now()
    return services.add_shift(
        actor=clerk,
        hotline=hotline,
        official=head,
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=2),
    )
