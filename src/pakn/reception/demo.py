"""Demo data for reception and plans, made through the services with real dates: published reception
days ahead (one online), a session held today with two register entries (one opened as two cases),
a conclusion with a follow-up task, a land-clearance project with three households and a dialogue held
with them (minutes, a conclusion with a task about one household), and Conclusion 54-KL/TW cascaded
through the city and two wards with one ward late. Idempotent: nothing is added when the demo directive
already exists."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pakn.cases import policy
from pakn.cases.demo import REPORTERS, ensure_demo_user, ensure_demo_users
from pakn.org.models import Unit
from pakn.plans import services as plans
from pakn.plans.models import Directive
from pakn.public import commendations
from pakn.reception import clearance, follow_up, refusals, services
from pakn.reception.models import Session, SessionKind, SessionStatus

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
        created += _clearance(clerk=clerk, head=head, ward=ward, presider=presider)
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


# Three households of the land-clearance demo: fictional people, sealed like every person of the demo.
HOUSEHOLDS = [
    ("Hoàng Văn Thái", "0903111222", "001080011111", "8 Đội Cấn", "Thửa số 112, tờ bản đồ số 7, thu hồi 24 m²"),
    ("Ngô Thị Hạnh", "0903111333", "001185022222", "14 Đội Cấn", "Thửa số 115, tờ bản đồ số 7, thu hồi 31 m²"),
    ("Đỗ Minh Quân", "0903111444", "001090033333", "22 Đội Cấn", "Thửa số 121, tờ bản đồ số 7, thu hồi 18 m²"),
]


def _clearance(*, clerk: Any, head: Any, ward: Unit, presider: str) -> int:
    """The ward's project to widen Đội Cấn street, three households and a dialogue held with them two weeks ago.

    The dialogue is the one row written here without a service: ``schedule_session`` takes no past date and a
    dialogue must be published days ahead, so a dialogue already held can only come from the past. It is written
    as it would have been left (published, then held) with the same activity rows."""
    today = timezone.localdate()
    calendar = policy.working_calendar()
    day = today - timedelta(days=14)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    project = clearance.create_project(
        actor=clerk,
        unit=ward,
        name="Mở rộng phố Đội Cấn đoạn số 1–50",
        decision_number="1234/QĐ-UBND",
        decision_date=day - timedelta(days=45),
        description="Thu hồi một phần đất của các hộ mặt phố Đội Cấn từ số 1 đến số 50 để mở rộng lòng đường lên "
        "13,5 m; bồi thường, hỗ trợ theo phương án được phê duyệt, không có hộ phải tái định cư.",
    )
    households = [
        clearance.add_household(
            actor=clerk, project=project, name=name, phone=phone, id_number=id_number, address=address, parcel=parcel
        )
        for name, phone, id_number, address, parcel in HOUSEHOLDS
    ]
    dialogue = Session.objects.create(
        unit=ward,
        kind=SessionKind.DIALOGUE,
        date=day,
        start_time=time(14),
        end_time=time(16, 30),
        place="Hội trường UBND phường Ba Đình",
        presider_name=presider,
        topic="Đối thoại với các hộ dân bị thu hồi đất, dự án mở rộng phố Đội Cấn",
        status=SessionStatus.HELD,
        published_on=day - timedelta(days=10),
        held_summary="Đối thoại về giá bồi thường và diện tích thu hồi.",
        created_by=clerk,
    )
    services.write_activity("reception", "scheduled", dialogue, actor=clerk, unit=ward, data={"kind": "dialogue"})
    services.write_activity("reception", "held", dialogue, actor=head, unit=ward, data={"presided_by_head": True})
    clearance.link_dialogue(actor=clerk, session=dialogue, project=project)
    clearance.record_attendance(
        actor=clerk, session=dialogue, households=households, attended_ids=[h.pk for h in households[:2]]
    )
    clearance.record_minutes(
        actor=clerk,
        session=dialogue,
        text="Chủ tịch UBND phường giới thiệu phương án bồi thường. Ông Hoàng Văn Thái đề nghị đo đạc lại diện tích "
        "thu hồi của thửa số 112, tờ bản đồ số 7, thu hồi 24 m², vì cho rằng đã tính cả phần đất đã hiến năm 2015. "
        "Bà Ngô Thị Hạnh đồng ý với phương án. Chủ tịch giao bộ phận địa chính đo lại trong 10 ngày làm việc.",
        signed_by="Chủ tịch UBND phường; đại diện 2 hộ; thư ký",
        signed_on=day,
    )
    clearance.conclude_dialogue(
        actor=head,
        session=dialogue,
        number="31/TB-UBND",
        issued_on=day,
        body="Giao bộ phận địa chính đo đạc lại diện tích thu hồi của một hộ, báo cáo Chủ tịch và trả lời hộ dân.",
        tasks=[
            {
                "title": "Đo đạc lại diện tích thu hồi, trả lời hộ dân bằng văn bản",
                "owner_unit": ward,
                "owner_name": "Bộ phận địa chính",
                "due_on": calendar.add_working_days(day, 10),
                "household": households[0],
            }
        ],
    )
    return 1 + len(households) + 1
