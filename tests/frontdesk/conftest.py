from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

RESIDENT = {"name": "Phạm Thị Hoa", "phone": "0977001122", "address": "5 Phố Quán Thánh"}


def opinion(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "petition",
        "title": "Đề nghị sửa chữa vỉa hè phố Quán Thánh",
        "content": "Vỉa hè phố Quán Thánh đoạn trước số 5 bị lún, bong gạch, người đi bộ phải xuống lòng đường.",
    }
    data.update(overrides)
    return data


def batch_input(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": "voters_meeting",
        "meeting": "Hội nghị tiếp xúc cử tri của Đại biểu Quốc hội trước Kỳ họp thứ nhất",
        "held_on": timezone.localdate() - timedelta(days=3),
        "place": "Nhà văn hóa phường Ba Đình",
        "document_number": "25/MTTQ-BTT",
        "opinions": [opinion(resident=dict(RESIDENT))],
    }
    data.update(overrides)
    return data


@pytest.fixture
def batch(supervisor: Any) -> Any:
    from pakn.frontdesk import services

    return services.record_batch(actor=supervisor, **batch_input())
