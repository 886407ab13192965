"""Default rule tables of citizen reception, written after migrate when a table is empty (so a
row an administrator deleted stays deleted). Administrators edit them in the admin afterwards; nothing here is
read at run time. Sources: ``shared/domain.md`` §4 and §6."""

from __future__ import annotations

from datetime import date
from typing import Any

from pakn.org.models import UnitKind, UnitLevel

PC, PARTY = UnitKind.PEOPLES_COMMITTEE.value, UnitKind.PARTY_COMMITTEE.value
PROVINCE, COMMUNE = UnitLevel.PROVINCE.value, UnitLevel.COMMUNE.value
LAW_2013 = date(2014, 7, 1)  # Luật Tiếp công dân 2013 (42/2013/QH13) in force
REG_11 = date(2019, 2, 18)  # Quy định 11-QĐi/TW
KL_215 = date(2025, 11, 23)  # Kết luận 215-KL/TW amending Regulation 11-QĐi/TW, Art. 4(1)

# code, unit kind, level ("" = any), head title, days, period, from, to, citation
REQUIREMENTS: list[tuple[str, str, str, str, int, str, date, date | None, str]] = [
    (
        "party-province-2019",
        PARTY,
        PROVINCE,
        "Bí thư cấp ủy cấp tỉnh",
        1,
        "month",
        REG_11,
        date(2025, 11, 22),
        "Quy định 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị, Điều 4 khoản 1",
    ),
    (
        "party-province-2025",
        PARTY,
        PROVINCE,
        "Bí thư cấp ủy cấp tỉnh",
        1,
        "month",
        KL_215,
        None,
        "Kết luận 215-KL/TW ngày 23/11/2025 của Bộ Chính trị (sửa đổi Điều 4 khoản 1 Quy định 11-QĐi/TW)",
    ),
    (
        "party-commune-2019",
        PARTY,
        COMMUNE,
        "Bí thư cấp ủy cấp xã",
        1,
        "month",
        REG_11,
        date(2025, 11, 22),
        "Quy định 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị, Điều 4 khoản 1",
    ),
    (
        "party-commune-2025",
        PARTY,
        COMMUNE,
        "Bí thư cấp ủy cấp xã",
        2,
        "month",
        KL_215,
        None,
        "Kết luận 215-KL/TW ngày 23/11/2025 của Bộ Chính trị (sửa đổi Điều 4 khoản 1 Quy định 11-QĐi/TW)",
    ),
    (
        "pc-province",
        PC,
        PROVINCE,
        "Chủ tịch UBND cấp tỉnh",
        1,
        "month",
        LAW_2013,
        None,
        "Luật Tiếp công dân 2013, Điều 18",
    ),
    (
        "pc-commune",
        PC,
        COMMUNE,
        "Chủ tịch UBND cấp xã",
        1,
        "week",
        LAW_2013,
        None,
        "Luật Tiếp công dân 2013, Điều 15 khoản 2 điểm d và Điều 18",
    ),
    (
        "department",
        UnitKind.DEPARTMENT.value,
        "",
        "Thủ trưởng sở, ban, ngành",
        1,
        "month",
        LAW_2013,
        None,
        "Luật Tiếp công dân 2013, Điều 18 (thủ trưởng cơ quan, đơn vị)",
    ),
    (
        "agency",
        UnitKind.AGENCY.value,
        "",
        "Thủ trưởng cơ quan, đơn vị",
        1,
        "month",
        LAW_2013,
        None,
        "Luật Tiếp công dân 2013, Điều 18 (thủ trưởng cơ quan, đơn vị)",
    ),
]

# code, item, unit kind ("" = any), working days, complex working days, from, citation
TIME_RULES: list[tuple[str, str, str, int, int | None, date, str]] = [
    (
        "publish-ahead",
        "publish_ahead",
        "",
        5,
        None,
        LAW_2013,
        "Lịch tiếp công dân công bố trước ít nhất 5 ngày làm việc (quy chế tiếp công dân; căn cứ cụ thể chưa xác nhận)",
    ),
    (
        "notice-law-2013",
        "notice",
        "",
        10,
        None,
        LAW_2013,
        "Luật Tiếp công dân 2013, Điều 28 khoản 1: trả lời việc thụ lý, chuyển đơn hoặc không thụ lý "
        "trong 10 ngày làm việc",
    ),
    (
        "notice-party-11",
        "notice",
        PARTY,
        10,
        15,
        REG_11,
        "Quy định 11-QĐi/TW, Điều 4: thông báo bằng văn bản trong 10 ngày làm việc, vụ việc phức tạp không quá 15 ngày",
    ),
]


def seed_defaults(**_: Any) -> None:
    from pakn.reception.models import ReceptionRequirement, TimeRule

    if not ReceptionRequirement.objects.exists():
        ReceptionRequirement.objects.bulk_create(
            ReceptionRequirement(
                code=code,
                unit_kind=kind,
                level=level,
                head_title=title,
                days=days,
                period=period,
                effective_from=start,
                effective_to=end,
                citation=citation,
            )
            for code, kind, level, title, days, period, start, end, citation in REQUIREMENTS
        )
    if not TimeRule.objects.exists():
        TimeRule.objects.bulk_create(
            TimeRule(
                code=code,
                item=item,
                unit_kind=kind,
                working_days=days,
                complex_working_days=complex_days,
                effective_from=start,
                citation=citation,
            )
            for code, item, kind, days, complex_days, start, citation in TIME_RULES
        )
