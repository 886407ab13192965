"""The people who watch the work rather than do it: the chairman of the commune People's Committee (role head)
finds what is overdue and what was escalated to them on their workspace and reads their unit's scorecard; the
Fatherland Front supervisor sends a supervision recommendation, the commune answers it, the supervisor accepts
the answer, reads a case's audit log and downloads the periodic report in Excel and PDF."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils.timezone import localdate

from journeys.conftest import COMMUNE, DESKTOP, PASSWORD, PHONE, expect, make_user, staff_login, submit_case

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = f"UBND-{COMMUNE}"
UNIT_NAME = "Ủy ban nhân dân Phường Ba Đình"


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    """Setup done on an earlier day (the browser itself always runs today)."""
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False):
        yield


def working_day_before(days: int) -> date:
    """A working day (no weekend, no public holiday) about ``days`` days ago."""
    from pakn.cases import policy

    calendar = policy.working_calendar()
    day = localdate() - timedelta(days=days)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def named_user(username: str, given: str, family: str, **membership: Any) -> Any:
    user = make_user(username, **membership)
    user.first_name, user.last_name = given, family
    user.save(update_fields=["first_name", "last_name"])
    return user


def log_in(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def menu(page: Any, label: str) -> None:
    page.locator("nav.nav-wide .nav-list").get_by_role("link", name=label, exact=True).click()


def outbox_subjects(user: Any) -> list[str]:
    from conftest import recipient_of
    from pakn.notify.models import Outbox

    return [o.subject for o in Outbox.objects.order_by("pk") if recipient_of(o) == user.email]


# ---------------------------------------------------------------- 1. the head of the commune


def test_head_sees_overdue_and_escalated_work_and_the_units_scorecard(new_page: Callable[..., Any]) -> None:
    from pakn.cases import services

    head = named_user("chutich", "Cường", "Lê Văn", unit_code=UNIT, role="head")
    clerk = make_user("vanthu", unit_code=UNIT)
    long_ago = working_day_before(45)
    with on(long_ago):  # nobody accepted these within the acceptance period
        late_report = submit_case(title="Cống thoát nước phố Đội Cấn tắc nghẽn")
        late_petition = submit_case(kind="petition", title="Kiến nghị lắp đèn tín hiệu ngã tư Kim Mã")
        answered = submit_case(kind="petition", title="Kiến nghị sửa chữa nhà văn hóa tổ dân phố 5")
        services.accept_case(actor=clerk, case=answered)
        services.resolve_case(actor=clerk, case=answered, body="Đã đưa vào kế hoạch sửa chữa năm nay.", kind="answer")
    submit_case(title="Vỉa hè phố Liễu Giai bị lấn chiếm")  # today: not late
    # The deadline job reports the late ones to the head of the unit and of the unit above.
    counts = services.check_deadlines()
    assert counts["escalated"] >= 2, counts
    # The chairman is told by e-mail: one message per late case.
    subjects = outbox_subjects(head)
    for case in (late_report, late_petition):
        assert f"Quá hạn: {case.tracking_code}" in subjects, subjects

    page = new_page(viewport=DESKTOP)
    staff_login(page, "chutich")
    expect(page.locator("#count-overdue")).to_have_text("2")
    expect(page.locator("#count-open")).to_have_text("3")
    rows = page.locator("table.stack tbody tr")
    expect(rows.filter(has_text="Cống thoát nước phố Đội Cấn tắc nghẽn")).to_contain_text("Quá hạn")
    expect(rows.filter(has_text="Vỉa hè phố Liễu Giai bị lấn chiếm")).not_to_contain_text("Quá hạn")
    page.get_by_role("link", name=re.compile("^Quá hạn")).click()
    expect(rows).to_have_count(2)
    expect(page.locator("table.stack")).to_contain_text("Kiến nghị lắp đèn tín hiệu ngã tư Kim Mã")
    expect(page.locator("table.stack")).not_to_contain_text("Vỉa hè phố Liễu Giai")
    page.goto(f"/staff/cases/{late_report.pk}/")
    expect(page.locator("#due-on")).to_contain_text("Quá hạn")
    expect(page.locator("ol.timeline")).to_contain_text("Quá hạn – đã báo cáo người đứng đầu và cấp trên")

    # The scorecards: the unit's own row, with its figures.
    menu(page, "Đánh giá, báo cáo")
    page.locator("nav.subnav").get_by_role("link", name="Xếp hạng đơn vị").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp hạng đơn vị")
    row = page.locator(f"#table-ranking tbody tr[data-key='{UNIT}']")
    expect(row.get_by_role("rowheader")).to_have_text(UNIT_NAME)
    expect(row.locator("td[data-figure=received]")).to_have_text("4")  # four cases came to the unit
    expect(row.locator("td[data-figure=overdue_open]")).to_have_text("2")  # the two open, overdue ones
    expect(row.locator("td[data-figure=resolved]")).to_have_text("1")


def test_province_head_finds_the_case_the_reporter_escalated(new_page: Callable[..., Any]) -> None:
    from pakn.cases import services

    named_user("chutich_tp", "Hùng", "Phạm Quang", unit_code="UBND-01", role="head", include_subunits=True)
    clerk = make_user("vanthu", unit_code=UNIT)
    with on(working_day_before(20)):
        case = submit_case(kind="complaint", title="Khiếu nại việc thu hồi đất ở ngõ 12 Đội Cấn")
        services.accept_case(actor=clerk, case=case)
        case = services.resolve_case(actor=clerk, case=case, body="Bác đơn khiếu nại.", kind="conclusion")
        services.rate_case(case=case, level=1, comment="Không đồng ý với kết quả.")
    services.escalate_case(case=case, reason="Tôi không đồng ý với kết quả giải quyết.")

    page = new_page(viewport=PHONE)
    staff_login(page, "chutich_tp")
    expect(page.locator("#count-new")).to_have_text("1")  # forwarded up to the city, waiting for it
    listed = page.locator("table.stack tbody tr", has_text="Khiếu nại việc thu hồi đất ở ngõ 12 Đội Cấn")
    expect(listed).to_contain_text("Ủy ban nhân dân Thành phố Hà Nội")
    listed.get_by_role("link").click()
    expect(page.locator("ol.timeline")).to_contain_text("Người gửi đề nghị cấp trên xem xét")
    expect(page.locator("aside")).to_contain_text("Ủy ban nhân dân Thành phố Hà Nội")


# ---------------------------------------------------------------- 2. the Fatherland Front supervisor


def test_supervisor_recommendation_from_draft_to_accepted_answer(new_page: Callable[..., Any]) -> None:
    from pakn.cases import services
    from pakn.oversight.models import Recommendation

    named_user("mttq", "Hoa", "Nguyễn Thị", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    head = named_user("chutich", "Cường", "Lê Văn", unit_code=UNIT, role="head")
    clerk = named_user("vanthu", "Bình", "Trần Thị", unit_code=UNIT)
    case = submit_case(kind="petition", title="Kiến nghị sửa đường ngõ 8 Kim Mã")
    services.accept_case(actor=clerk, case=case)

    # The supervisor finds the case in their area and drafts a recommendation from it.
    page = new_page(viewport=DESKTOP)
    log_in(page, "mttq")
    expect(page.get_by_role("heading", level=1)).to_have_text("Giám sát, đánh giá")
    page.locator("nav.subnav").get_by_role("link", name="Hồ sơ trên địa bàn").click()
    page.locator("#table-cases tbody tr", has_text="Kiến nghị sửa đường ngõ 8 Kim Mã").get_by_role("link").click()
    page.get_by_role("link", name="Gửi kiến nghị giám sát").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi kiến nghị giám sát")
    expect(page.get_by_label("Gửi đến đơn vị")).to_have_value(str(case.unit_id))  # the case's unit, chosen
    page.get_by_role("button", name="Gửi kiến nghị").click()  # the body is still empty: refused, kept
    expect(page.locator("#id_body_error, .errorlist").first).to_be_visible()
    page.get_by_label("Tiêu đề").fill("Đề nghị trả lời đúng hạn kiến nghị về đường ngõ 8 Kim Mã")
    page.get_by_label("Nội dung kiến nghị").fill(
        "Ban Thường trực đề nghị Ủy ban nhân dân phường trả lời người dân đúng thời hạn và công khai kết quả."
    )
    page.get_by_role("button", name="Gửi kiến nghị").click()
    rec = Recommendation.objects.get()
    expect(page.get_by_role("status")).to_contain_text(f"Đã gửi kiến nghị. Hạn trả lời: {rec.due_on:%d/%m/%Y}.")
    expect(page.locator("#rec-due")).to_contain_text(f"{rec.due_on:%d/%m/%Y}")
    expect(page.get_by_text("Chờ trả lời", exact=True)).to_be_visible()
    assert any("Kiến nghị giám sát" in s for s in outbox_subjects(head)), outbox_subjects(head)

    # The chairman answers it from their own menu.
    unit_page = new_page(viewport=PHONE)
    staff_login(unit_page, "chutich")
    unit_page.get_by_text("Danh mục").click()
    unit_page.get_by_role("link", name="Đánh giá, báo cáo").click()
    expect(unit_page.locator("#rec-awaiting")).to_have_text("1")
    unit_page.get_by_role("link", name=re.compile("Đang chờ trả lời")).click()
    unit_page.get_by_role("link", name="Đề nghị trả lời đúng hạn kiến nghị về đường ngõ 8 Kim Mã").click()
    expect(unit_page.get_by_text("Ban Thường trực đề nghị Ủy ban nhân dân phường")).to_be_visible()
    unit_page.get_by_label("Nội dung trả lời").fill(
        "Ủy ban nhân dân phường đã trả lời người dân ngày hôm nay và công khai trên cổng thông tin."
    )
    unit_page.get_by_role("button", name="Gửi trả lời").click()
    expect(unit_page.get_by_role("status")).to_contain_text("Đã gửi trả lời kiến nghị.")
    expect(unit_page.get_by_text("Đã trả lời đúng hạn")).to_be_visible()

    # The supervisor reads the answer and accepts it.
    page.reload()
    expect(page.get_by_role("heading", name="Trả lời của đơn vị")).to_be_visible()
    expect(page.get_by_text("đã trả lời người dân ngày hôm nay")).to_be_visible()
    page.get_by_label(re.compile("^Nhận xét, lý do")).fill("Trả lời đầy đủ, đúng hạn.")
    page.get_by_role("button", name="Chấp nhận trả lời").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chấp nhận trả lời.")
    expect(page.locator("p .badge")).to_have_text("Đã chấp nhận trả lời")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("(Nguyễn Thị Hoa)")
    expect(timeline).to_contain_text("(Lê Văn Cường)")
    assert Recommendation.objects.get().status == "accepted"


def test_supervisor_reads_the_audit_log_and_downloads_the_reports(new_page: Callable[..., Any]) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from pakn.cases import services

    named_user("mttq", "Hoa", "Nguyễn Thị", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    clerk = named_user("vanthu", "Bình", "Trần Thị", unit_code=UNIT)
    case = submit_case(kind="petition", title="Kiến nghị sửa đường ngõ 8 Kim Mã")
    services.accept_case(actor=clerk, case=case)
    services.refuse_case(
        actor=clerk,
        case=submit_case(kind="petition", title="Kiến nghị về giá điện"),
        reason_code="feedback_not_competent",
    )
    submit_case(title="Rác thải tồn đọng ở chợ Ngọc Hà")
    today = localdate()

    page = new_page(viewport=DESKTOP)
    log_in(page, "mttq")
    page.goto(f"/oversight/cases/{case.pk}/")
    audit = page.locator("#table-audit tbody tr")
    expect(audit).to_have_count(2)
    submitted, accepted = audit.nth(0), audit.nth(1)
    expect(submitted).to_contain_text("Tiếp nhận đơn")
    expect(submitted).to_contain_text("Người gửi")
    expect(accepted).to_contain_text("Thụ lý")
    expect(accepted).to_contain_text("Trần Thị Bình")  # family name first
    expect(accepted).to_contain_text(UNIT_NAME)
    when = accepted.locator("td").first.inner_text().strip()
    assert re.fullmatch(rf"{today:%d/%m/%Y} \d\d:\d\d", when), when
    details = accepted.locator("td").nth(4).inner_text()
    assert re.search(r"\d\d/\d\d/\d{4}", details) and not re.search(r"\d{4}-\d\d-\d\d", details), details
    for raw in ("accepted", "submitted", "staff:", "Bình Trần Thị"):
        expect(page.locator("#table-audit")).not_to_contain_text(raw)

    # The area's whole log: the refusal of another case is there, with who did it, in words.
    page.locator("nav.subnav").get_by_role("link", name="Nhật ký xử lý").click()
    refusal = page.locator("#table-audit tbody tr", has_text="Không thụ lý").first
    expect(refusal).to_contain_text("Trần Thị Bình")

    # The yearly report of the commune's People's Committee, previewed then downloaded.
    page.locator("nav.subnav").get_by_role("link", name="Báo cáo định kỳ").click()
    page.get_by_label("Đơn vị (gồm cả các đơn vị trực thuộc)").select_option(label=UNIT_NAME)
    page.get_by_label("Loại báo cáo").select_option(label="Năm")
    page.get_by_role("spinbutton", name="Năm").fill(str(today.year))
    page.get_by_role("button", name="Xem báo cáo").click()
    summary_rows = page.locator("#table-summary tbody tr")
    expect(summary_rows.first).to_be_visible()  # the report is shown only after the form is sent
    # What the page says: the first line is the number received; one line is the number refused.
    lines = [
        (row.locator("th").inner_text().strip(), row.locator("td").inner_text().strip())
        for row in summary_rows.all()
    ]
    received = lines[0]
    refused = next(line for line in lines if line[0].startswith("Không thụ lý"))
    assert "tiếp nhận" in received[0].lower() and received[1] == "3", lines
    assert refused[1] == "1", lines

    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    xlsx = caught.value
    assert xlsx.suggested_filename.endswith(".xlsx"), xlsx.suggested_filename
    book = load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()))
    cells = [
        [str(c).strip() for c in row if c not in (None, "")]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    for label, value in (received, refused):
        found = [row[row.index(label) + 1] for row in cells if label in row[:-1]]
        assert found and found[0] == value, (label, value, found)
    assert any(UNIT_NAME in c for row in cells for c in row), "the workbook names the unit"

    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải PDF").click()
    pdf = caught.value
    assert pdf.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    for label, value in (received, refused):
        assert re.search(rf"{re.escape(label)}\s*{value}\b", text), (label, value, text[:2000])
    assert f"01/01/{today.year}" in text and UNIT_NAME in text


def test_head_workspace_points_to_the_recommendation_awaiting_an_answer(new_page: Callable[..., Any]) -> None:
    from pakn.org.models import Unit
    from pakn.oversight import services as oversight

    supervisor = make_user("mttq", unit_code=f"MTTQ-{COMMUNE}", role="supervisor")
    make_user("chutich", unit_code=UNIT, role="head")
    rec = oversight.send_recommendation(
        actor=supervisor,
        to_unit=Unit.objects.get(code=UNIT),
        title="Đề nghị công khai lịch tiếp công dân",
        body="Đề nghị Ủy ban nhân dân phường công khai lịch tiếp công dân trên cổng thông tin.",
    )
    page = new_page(viewport=DESKTOP)
    staff_login(page, "chutich")
    expect(
        page.locator(
            f"main a[href$='/oversight/recommendations/{rec.pk}/'], main a[href*='/oversight/recommendations/?']"
        ).first
    ).to_be_visible(timeout=2_000)
