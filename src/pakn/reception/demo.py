"""Demo data for reception and plans, made through the services with real dates: published reception
days ahead (one online), a session held today with two register entries (one opened as two cases),
a conclusion with a follow-up task, and Conclusion 54-KL/TW cascaded through the city and two wards
with one ward late. Idempotent: nothing is added when the demo directive already exists."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from pakn.cases import policy
from pakn.cases.demo import REPORTERS, ensure_demo_user, ensure_demo_users
from pakn.org.models import Unit
from pakn.plans import services as plans
from pakn.plans.models import Directive
from pakn.public import commendations
from pakn.reception import follow_up, refusals, services

# username, unit code, role, include_subunits, full name
EXTRA_USERS = [
    ("thanhuy.hanoi", "DU-01", "clerk", True, "Đinh Thị Mai"),
    ("danguy.ngocha", "DU-00008", "clerk", False, "Lý Văn Nam"),
]


def load_demo() -> int:
    """Returns the number of objects created (0 when the demo is already there)."""
    if Directive.objects.filter(number="54-KL/TW").exists() or not Unit.objects.filter(code="DU-00008").exists():
        return 0
    users = ensure_demo_users()
    for row in EXTRA_USERS:
        users[row[0]] = ensure_demo_user(*row)
    clerk, head = users["canbo.badinh"], users["chutich.badinh"]
    today = timezone.localdate()
    calendar = policy.working_calendar()
    ward = Unit.objects.get(code="UBND-00004")
    created = 0
    with transaction.atomic():
        place = "Phòng tiếp công dân, trụ sở UBND phường Ba Đình"
        presider = "Đồng chí Lê Văn Cường, Chủ tịch UBND phường"
        first = calendar.add_working_days(today, 6)
        for n, mode in enumerate(("in_person", "online", "in_person")):
            day = calendar.add_working_days(first, 5 * n)
            services.schedule_session(
                actor=clerk,
                unit=ward,
                date=day,
                start_time=time(8),
                end_time=time(11),
                presider_name=presider,
                mode=mode,
                place=place if mode == "in_person" else "",
                video_url="https://hop.example.vn/tiep-dan-ba-dinh" if mode == "online" else "",
                topic="Đất đai, trật tự xây dựng" if n == 0 else "",
                publish=True,
            )
            created += 1
        held = services.schedule_session(
            actor=clerk,
            unit=ward,
            date=today,
            kind="ad_hoc",
            start_time=time(8),
            end_time=time(11),
            presider_name=presider,
            place=place,
            topic="Tiếp đột xuất: nhiều hộ dân ngõ 12 Đội Cấn",
            publish=True,
        )
        an, lan = REPORTERS[0], REPORTERS[1]  # the demo reporters: sealed here as in the cases
        services.book_slot(
            session=held,
            name=an["name"],
            phone=an["phone"],
            summary="Nhà bị nứt do công trình bên cạnh thi công.",
        )
        services.record_session_held(
            actor=head,
            session=held,
            presider_name=presider,
            presided_by_head=True,
            summary="Tiếp 5 hộ dân ngõ 12 Đội Cấn về công trình xây dựng gây lún nứt.",
        )
        booking = held.bookings.get()
        entry = services.register_contact(
            actor=clerk,
            unit=ward,
            session=held,
            booking=booking,
            received_on=today,
            name=an["name"],
            address="12 Đội Cấn, Ba Đình",
            id_number=an["id_number"],
            phone=an["phone"],
            kind="mixed",
            summary="Khiếu nại việc cấp phép xây dựng công trình số 14 và tố cáo cán bộ địa chính bỏ qua vi phạm.",
            people_count=5,
            handled_before="Tổ dân phố số 3",
            competence="yes",
        )
        services.open_cases(
            actor=clerk,
            entry=entry,
            matters=[
                {
                    "kind": "complaint",
                    "title": "Khiếu nại giấy phép xây dựng công trình số 14 Đội Cấn",
                    "content": "Công trình số 14 được cấp phép 7 tầng trong khi quy hoạch chỉ cho phép 5 tầng.",
                },
                {
                    "kind": "denunciation",
                    "title": "Tố cáo cán bộ địa chính bỏ qua vi phạm xây dựng",
                    "content": "Cán bộ địa chính phường biết công trình vi phạm nhưng không lập biên bản.",
                    "subject": "Cán bộ địa chính phường",
                },
            ],
        )
        services.register_contact(
            actor=clerk,
            unit=ward,
            session=held,
            received_on=today,
            name=lan["name"],
            address="3 Liễu Giai",
            summary="Hỏi thủ tục cấp lại giấy chứng nhận quyền sử dụng đất bị mất.",
            kind="petition",
            competence="no",
            guidance_document="Hướng dẫn đến Văn phòng đăng ký đất đai Hà Nội",
        )
        conclusion = services.issue_conclusion(
            actor=head,
            session=held,
            number="25/TB-UBND",
            issued_on=today,
            body="Giao bộ phận quản lý đô thị kiểm tra công trình số 14, báo cáo Chủ tịch và trả lời công dân.",
            tasks=[
                {
                    "title": "Kiểm tra hiện trạng công trình số 14 Đội Cấn",
                    "owner_unit": ward,
                    "owner_name": "Bộ phận quản lý đô thị",
                    "due_on": calendar.add_working_days(today, 10),
                    "entry": entry,
                },
                {
                    "title": "Trả lời bằng văn bản cho các hộ dân ngõ 12 Đội Cấn",
                    "owner_unit": ward,
                    "owner_name": "Văn phòng HĐND và UBND phường",
                    "due_on": calendar.add_working_days(today, 5),
                    "entry": entry,
                },
            ],
        )
        refusals.record_refusal(
            actor=clerk,
            unit=ward,
            refused_on=today,
            session=held,
            ground="threatening",
            explanation="Một người đến buổi tiếp trong tình trạng say rượu, to tiếng và đe dọa cán bộ; đã nhắc nhở hai "
            "lần, lập biên bản có xác nhận của bảo vệ trụ sở.",
            refused_by="Công chức tiếp công dân phường",
        )
        # The answer is reported sent, and the Front, having asked the households, says it did not reach them.
        answered = conclusion.tasks.get(title__startswith="Trả lời bằng văn bản")
        services.complete_follow_up_task(
            actor=clerk, task=answered, result="Đã gửi Văn bản số 112/UBND-VP ngày hôm nay.", done_on=today
        )
        follow_up.review_as_front(
            actor=users["mttq.badinh"],
            task=answered,
            verdict="disputed",
            note="Hỏi 5 hộ dân ngõ 12: chưa hộ nào nhận được văn bản trả lời.",
        )
        # A good model the chair commended (public library), and the thanks to a citizen whose report helped.
        commendations.record_commendation(
            actor=head,
            kind="unit",
            issued_by=ward,
            unit=ward,
            form="Giấy khen",
            reason="Tiếp nhận, trả lời phản ánh của người dân đúng hạn, có tổ tiếp nhận lưu động tại các tổ dân phố.",
            decision_number="31/QĐ-UBND",
            decided_on=today,
            model_title="Tổ tiếp nhận ý kiến lưu động tại tổ dân phố",
            model_description="Mỗi sáng thứ Bảy, cán bộ phường đến nhà văn hóa của một tổ dân phố nhận ý kiến, hướng "
            "dẫn người dân gửi đơn trên cổng PAKN và báo kết quả giải quyết các đơn đã nhận của tổ.",
            published=True,
        )
        created += 6
        directive = plans.record_directive(
            actor=users["thanhuy.hanoi"],
            number="54-KL/TW",
            issuer="Ban Bí thư Trung ương Đảng",
            # Kết luận 54-KL/TW ngày 09/5/2023 của Ban Bí thư continues Quyết định 99-QĐ/TW (03/10/2017).
            title="Kết luận về tiếp tục thực hiện Quyết định số 99-QĐ/TW ngày 03/10/2017 của Ban Bí thư về "
            "phát huy vai trò của nhân dân trong đấu tranh ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, "
            'đạo đức, lối sống, những biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ',
            issued_on=date(2023, 5, 9),
        )
        start = today - timedelta(days=60)
        city_plan = plans.issue_plan(
            actor=users["thanhuy.hanoi"],
            directive=directive,
            unit=Unit.objects.get(code="DU-01"),
            number="165-KH/TU",
            title="Kế hoạch thực hiện Kết luận 54-KL/TW của Ban Bí thư",
            issued_on=start,
        )
        due = today - timedelta(days=10)
        ba_dinh = plans.assign_task(
            actor=users["thanhuy.hanoi"],
            plan=city_plan,
            assignee=Unit.objects.get(code="DU-00004"),
            due_on=due,
            title="Ban hành kế hoạch thực hiện, tổ chức tiếp dân định kỳ và báo cáo kết quả",
        )
        plans.assign_task(
            actor=users["thanhuy.hanoi"],
            plan=city_plan,
            assignee=Unit.objects.get(code="DU-00008"),
            due_on=due,
            title="Ban hành kế hoạch thực hiện, tổ chức tiếp dân định kỳ và báo cáo kết quả",
        )
        ward_plan = plans.issue_plan(
            actor=users["danguy.badinh"],
            directive=directive,
            unit=Unit.objects.get(code="DU-00004"),
            parent=city_plan,
            number="141-KH/ĐU",
            title="Kế hoạch của Đảng ủy phường Ba Đình thực hiện Kế hoạch 165-KH/TU",
            issued_on=start + timedelta(days=7),
        )
        plans.assign_task(
            actor=users["danguy.badinh"],
            plan=ward_plan,
            assignee=ward,
            due_on=today + timedelta(days=20),
            title="Công khai lịch tiếp công dân của Chủ tịch UBND phường trên cổng thông tin",
        )
        plans.report_progress(
            actor=users["danguy.badinh"],
            task=ba_dinh,
            number="12-BC/ĐU",
            percent=100,
            is_final=True,
            body="Đã ban hành Kế hoạch 141-KH/ĐU; Bí thư Đảng ủy tiếp dân 2 ngày mỗi tháng.",
            reported_on=start + timedelta(days=30),
        )
        created += 7
    return created
