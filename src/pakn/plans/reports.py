"""The cascade report of a directive, in Excel and PDF: which units have planned, reported, are late,
and every task with its state."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse

from pakn.core.documents import Document, Table, issuer_and_signer, pdf_response, xlsx_response
from pakn.core.text import fold
from pakn.org.models import Unit
from pakn.plans.queries import Cascade

UNIT_HEADERS = [
    "Đơn vị",
    "Kế hoạch",
    "Ngày ban hành",
    "Nhiệm vụ được giao",
    "Đã báo cáo",
    "Đã hoàn thành",
    "Trễ hạn",
    "Tình hình",
]
TASK_HEADERS = [
    "Kế hoạch",
    "Đơn vị giao",
    "Nhiệm vụ",
    "Đơn vị thực hiện",
    "Thời hạn",
    "Kế hoạch của đơn vị thực hiện",
    "Báo cáo gần nhất",
    "Mức độ (%)",
    "Tình trạng",
    "Số ngày trễ",
]


def cascade_report(result: Cascade, *, today: date, issuer: Unit | None = None) -> Document:
    """``issuer``: the unit issuing the report (the user's unit); by default the unit whose plan heads the cascade
    (the first unit to implement the directive), never "the system"."""
    units = [
        [
            unit.name,
            s.plan_number or "Chưa có kế hoạch",
            s.plan_issued_on,
            s.tasks,
            s.reported,
            s.done,
            s.late,
            s.status,
        ]
        for unit, s in result.units
    ]
    tasks = [
        [
            r.task.plan.number,
            r.task.plan.unit.name,
            r.task.title,
            r.task.assignee.name,
            r.task.due_on,
            r.assignee_plan.number if r.assignee_plan else "Chưa có",
            r.state.last_report_on,
            r.state.percent,
            r.state.label,
            r.state.days_late or "",
        ]
        for r in result.rows
    ]
    d = result.directive
    unit = issuer or (result.roots[0].plan.unit if result.roots else None)
    if unit is None and result.units:
        unit = result.units[0][0]
    if unit is None:
        raise ValueError("a report needs an issuing unit")
    issued_by, signer = issuer_and_signer(unit)
    return Document(
        title=f"Tình hình triển khai {d.number}",
        issuer=issued_by,
        signer=signer,
        dated=today,
        intro=[
            f"Văn bản: {d.number} – {d.title} ({d.issuer}, {d.issued_on:%d/%m/%Y}). Số liệu đến ngày {today:%d/%m/%Y}."
        ],
        recipients=["Như trên", "Lưu: VT"],
        tables=[
            Table("Tình hình theo đơn vị", UNIT_HEADERS, units, (30, 12, 9, 8, 8, 8, 7, 14)),
            Table("Chi tiết nhiệm vụ", TASK_HEADERS, tasks, (9, 14, 24, 14, 8, 9, 8, 6, 10, 6)),
        ],
    )


def cascade_download(result: Cascade, *, today: date, fmt: str, issuer: Unit | None = None) -> HttpResponse:
    report = cascade_report(result, today=today, issuer=issuer)
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in fold(result.directive.number)).strip("-")
    filename = f"trien-khai-{slug}-{today:%Y%m%d}"
    return xlsx_response(report, filename) if fmt == "xlsx" else pdf_response(report, filename)
