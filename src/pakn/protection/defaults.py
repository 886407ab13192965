"""Default data of the protection package (seeded by migration 0002, editable in the admin)."""

from __future__ import annotations

from typing import Any

DEFAULT_DEADLINE_RULES: list[dict[str, Any]] = [
    {
        "code": "protection-decision",
        "urgent": False,
        "amount": 7,
        "working_days": True,
        "citation": "Luật Tố cáo 2018, Chương VI (Điều 47–60): xem xét, quyết định áp dụng biện pháp bảo vệ",
        "note": "Mặc định của hệ thống: 7 ngày làm việc từ ngày nhận đề nghị. Đối chiếu với văn bản hiện hành "
        "và sửa trong trang quản trị nếu khác.",
    },
    {
        "code": "protection-urgent",
        "urgent": True,
        "amount": 1,
        "working_days": True,
        "citation": "Luật Tố cáo 2018, Điều 50: đề nghị bảo vệ trong trường hợp khẩn cấp",
        "note": "Mặc định của hệ thống: trong trường hợp khẩn cấp phải xem xét ngay; hạn ghi nhận là 1 ngày "
        "làm việc. Đối chiếu với văn bản hiện hành.",
    },
]
