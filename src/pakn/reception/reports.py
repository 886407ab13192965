"""The reception reports: compliance of heads with the required frequency (Excel and PDF) and the
register itself (Excel, one unit at a time: it holds personal data)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from pakn.core.documents import Document, Table, issuer_and_signer, pdf_response, xlsx_response
from pakn.org.models import Unit
from pakn.reception.models import Entry
from pakn.reception.queries import UnitCompliance

COMPLIANCE_HEADERS = [
    "Đơn vị",
    "Người đứng đầu",
    "Tần suất tối thiểu",
    "Ngày người đứng đầu trực tiếp tiếp",
    "Số ngày phải tiếp (kỳ đã kết thúc)",
    "Kỳ đạt / kỳ phải tiếp",
    "Tỷ lệ đạt (%)",
    "Buổi tiếp, đối thoại đã tổ chức",
    "Lượt tiếp vào sổ",
    "Hồ sơ đã mở",
    "Thông báo quá hạn 10 ngày làm việc",
    "Thông báo trễ hạn",
    "Việc theo dõi chưa xong",
    "Trong đó quá hạn",
]
COMPLIANCE_WIDTHS = (22, 12, 8, 8, 8, 8, 6, 8, 7, 7, 9, 7, 8, 7)


def compliance_table_rows(rows: Iterable[UnitCompliance]) -> list[list[Any]]:
    return [
        [
            r.unit.name,
            r.head_title,
            r.requirement or "Không quy định",
            r.head_days,
            r.result.required_days,
            f"{r.result.periods_met}/{r.result.periods_due}",
            "" if r.rate_percent is None else r.rate_percent,
            r.sessions_held,
            r.entries,
            r.cases_opened,
            r.notices_overdue,
            r.notices_late,
            r.tasks_open,
            r.tasks_overdue,
        ]
        for r in rows
    ]


def issuing_unit(units: Iterable[Unit]) -> Unit | None:
    """Who issues a report on several units when the caller does not say: the one unit above all the others
    (their common parent, or one of them that the others are under); else the first."""
    units = list(dict.fromkeys(units))
    if not units:
        return None
    ids = {u.pk for u in units}
    tops = [u for u in units if u.parent_id not in ids]
    if len(tops) == 1:
        return tops[0]
    parents = {u.parent_id for u in tops}
    if len(parents) == 1 and None not in parents:
        return tops[0].parent
    return tops[0]


def compliance_report(
    rows: list[UnitCompliance], *, start: date, end: date, issuer: Unit | None = None, today: date | None = None
) -> Document:
    missed = [
        [r.unit.name, f"{p.start:%d/%m/%Y} – {p.end:%d/%m/%Y}", p.required, p.held, p.citation]
        for r in rows
        for p in r.result.periods
        if p.missed
    ]
    citations = sorted({(r.head_title, r.requirement, r.citation) for r in rows if r.citation})
    unit = issuer or issuing_unit(r.unit for r in rows)
    if unit is None:
        raise ValueError("a report needs an issuing unit")
    issued_by, signer = issuer_and_signer(unit)
    return Document(
        title="Tình hình tiếp công dân định kỳ của người đứng đầu",
        issuer=issued_by,
        dated=today or timezone.localdate(),
        intro=[f"Kỳ báo cáo: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}. Số liệu lập trên hệ thống PAKN."],
        recipients=["Như trên", "Lưu: VT"],
        signer=signer,
        tables=[
            Table("Tổng hợp theo đơn vị", COMPLIANCE_HEADERS, compliance_table_rows(rows), COMPLIANCE_WIDTHS),
            Table(
                "Các kỳ chưa tiếp đủ số ngày quy định",
                ["Đơn vị", "Kỳ", "Số ngày phải tiếp", "Số ngày đã tiếp", "Căn cứ"],
                missed,
                (30, 16, 8, 8, 38),
            ),
            Table(
                "Căn cứ", ["Người đứng đầu", "Tần suất tối thiểu", "Căn cứ"], [list(c) for c in citations], (20, 12, 68)
            ),
        ],
    )


def compliance_download(
    rows: list[UnitCompliance], *, start: date, end: date, fmt: str, issuer: Unit | None = None
) -> HttpResponse:
    report = compliance_report(rows, start=start, end=end, issuer=issuer)
    filename = f"tiep-cong-dan-{start:%Y%m%d}-{end:%Y%m%d}"
    return xlsx_response(report, filename) if fmt == "xlsx" else pdf_response(report, filename)


SEALED = "(niêm phong)"
REGISTER_HEADERS = [
    "Số TT",
    "Ngày tiếp",
    "Họ và tên",
    "Địa chỉ",
    "Số định danh / CCCD",
    "Nội dung vụ việc",
    "Phân loại",
    "Số người",
    "Cơ quan đã giải quyết",
    "Thẩm quyền",
    "Hướng dẫn, chuyển đơn",
    "Theo dõi kết quả",
    "Hạn thông báo",
    "Đã thông báo",
    "Hồ sơ đã mở",
]


def register_xlsx(entries: Iterable[Entry], *, unit: Unit) -> HttpResponse:
    """The register in the regulation's columns. The person's name, address and ID number are sealed in
    the vault: the export shows the pseudonym (an officer reveals a person through the four-eyes path)."""
    rows = []
    for e in entries.prefetch_related("entry_cases__case"):  # type: ignore[attr-defined]
        rows.append(
            [
                e.reference,
                e.received_on,
                e.pseudonym,
                SEALED,
                SEALED,
                e.summary,
                e.get_kind_display(),
                e.people_count,
                e.handled_before,
                e.get_competence_display(),
                e.guidance_document,
                e.follow_up,
                e.notice_due_on,
                f"{e.get_notice_outcome_display()} ({e.notified_on:%d/%m/%Y})" if e.notified_on else "",
                ", ".join(ec.case.tracking_code for ec in e.entry_cases.all()),
            ]
        )
    issued_by, signer = issuer_and_signer(unit)
    report = Document(
        title=f"Sổ tiếp công dân – {unit.name}",
        kind="SỔ",
        issuer=issued_by,
        signer=signer,
        dated=timezone.localdate(),
        intro=[
            "Mẫu sổ theo quy định về quy trình tiếp công dân. Họ tên, địa chỉ, số định danh được niêm phong "
            "(cán bộ bảo vệ người tố cáo mở theo quy trình hai người phê duyệt)."
        ],
        tables=[
            Table("Sổ tiếp công dân", REGISTER_HEADERS, rows, (4, 6, 10, 12, 8, 22, 7, 4, 10, 7, 10, 12, 6, 10, 10))
        ],
    )
    return xlsx_response(report, f"so-tiep-cong-dan-{unit.code}")
