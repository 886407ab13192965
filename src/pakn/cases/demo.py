"""Demo data: staff accounts for each role and cases in every state, with real dates so some are due
soon and some overdue. Idempotent: running it again adds nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pakn.cases import services
from pakn.cases.models import Case
from pakn.org.models import Membership, Unit

DEMO_PASSWORD = "pakn-demo-2026"  # noqa: S105 - documented demo login, never used in production

# username, unit code, role, include_subunits, full name
DEMO_USERS = [
    ("canbo.badinh", "UBND-00004", "clerk", False, "Trần Thị Bình"),
    ("chutich.badinh", "UBND-00004", "head", False, "Lê Văn Cường"),
    ("chutich.hanoi", "UBND-01", "head", True, "Phạm Minh Đức"),
    ("mttq.badinh", "MTTQ-00004", "supervisor", False, "Hoàng Thị Em"),
    ("canbo.ngocha", "UBND-00008", "clerk", False, "Vũ Văn Giang"),
    ("danguy.badinh", "DU-00004", "clerk", False, "Đỗ Thị Hạnh"),
    # Protection officers (identity vault): two, so a reveal can be requested by one and approved by the other.
    ("baove.badinh", "UBND-00004", "protection_officer", False, "Ngô Thị Khánh"),
    ("baove2.badinh", "UBND-00004", "protection_officer", False, "Bùi Văn Long"),
]

# The receipt of the demo drop-box submission, kept in memory only so ``pakn demo`` can print it once.
demo_receipts: list[str] = []

REPORTERS = [
    {"name": "Nguyễn Văn An", "phone": "0912345678", "email": "an.nguyen@example.vn", "id_number": "001085012345"},
    {"name": "Trần Thị Lan", "phone": "0987654321", "email": "", "id_number": "001190054321"},
    {"name": "Phạm Quốc Hùng", "phone": "", "email": "hung.pham@example.vn", "id_number": ""},
]

# kind, title, content, days ago received, steps, extra
DEMO_CASES: list[tuple[str, str, str, int, list[str], dict[str, Any]]] = [
    (
        "report",
        "Đèn đường hỏng trên phố Đội Cấn",
        "Đèn đường trước số 12 phố Đội Cấn hỏng hai tuần nay, buổi tối rất tối.",
        2,
        [],
        {"latitude": 21.03552, "longitude": 105.82541, "location_accuracy_m": 12},
    ),
    (
        "report",
        "Rác thải tập kết sai nơi quy định",
        "Điểm tập kết rác ở ngõ 45 Văn Cao bốc mùi, xe rác không đến đúng giờ.",
        20,
        [],
        {},
    ),
    (
        "report",
        "Ổ gà lớn trên đường Hoàng Hoa Thám",
        "Ổ gà sâu trước số 200 Hoàng Hoa Thám, đã có người ngã xe.",
        9,
        ["accept"],
        {"latitude": 21.04297, "longitude": 105.82386, "location_accuracy_m": 25},
    ),
    (
        "petition",
        "Đề nghị lắp thêm đèn tín hiệu giao thông",
        "Ngã tư Liễu Giai – Đội Cấn đông xe, đề nghị lắp đèn tín hiệu.",
        12,
        ["accept", "resolve"],
        {"publish": True, "latitude": 21.03583, "longitude": 105.81452, "location_accuracy_m": 18},
    ),
    (
        "opinion",
        "Góp ý dự thảo quy định về giờ hoạt động chợ",
        "Đề nghị chợ mở cửa từ 5 giờ sáng để người dân đi làm sớm.",
        5,
        [],
        {},
    ),
    (
        "complaint",
        "Khiếu nại quyết định xử phạt vi phạm hành chính",
        "Tôi khiếu nại quyết định xử phạt số 12/QĐ-XPHC vì tôi không vi phạm.",
        6,
        [],
        {"subject": "Chủ tịch UBND phường"},
    ),
    (
        "complaint",
        "Khiếu nại việc từ chối cấp giấy phép xây dựng",
        "Hồ sơ xin phép xây dựng của tôi đủ điều kiện nhưng bị từ chối.",
        40,
        ["accept"],
        {},
    ),
    (
        "complaint",
        "Khiếu nại về bồi thường giải phóng mặt bằng",
        "Mức bồi thường cho thửa đất của gia đình tôi thấp hơn giá thị trường.",
        70,
        ["accept", "start"],
        {"complexity": "complex"},
    ),
    (
        "denunciation",
        "Tố cáo cán bộ địa chính nhận tiền",
        "Cán bộ địa chính phường yêu cầu nộp thêm tiền ngoài quy định khi làm sổ đỏ.",
        15,
        ["accept"],
        {"subject": "Cán bộ địa chính phường", "topic_code": "corruption_conduct"},
    ),
    (
        "denunciation",
        "Tố cáo vi phạm trật tự xây dựng",
        "Công trình số 8 ngõ 12 xây vượt số tầng được cấp phép, không bị xử lý.",
        3,
        [],
        {"reporter": {}, "latitude": 21.03712, "longitude": 105.83105, "location_accuracy_m": 30},
    ),
    (
        "report",
        "Lấn chiếm vỉa hè để kinh doanh",
        "Các quán ăn trên phố Kim Mã lấn chiếm toàn bộ vỉa hè.",
        30,
        ["accept", "resolve", "close"],
        {"publish": True, "latitude": 21.03151, "longitude": 105.82298, "location_accuracy_m": 15},
    ),
    ("petition", "Đề nghị sửa chữa nhà văn hóa tổ dân phố", "Nhà văn hóa tổ 5 xuống cấp, mái dột.", 25, ["refuse"], {}),
]


def ensure_demo_users() -> dict[str, Any]:
    users: dict[str, Any] = {}
    model = get_user_model()
    if not model.objects.filter(username="admin").exists():
        model.objects.create_superuser("admin", "admin@example.vn", DEMO_PASSWORD)
    for row in DEMO_USERS:
        user = ensure_demo_user(*row)
        if user is not None:
            users[row[0]] = user
    return users


def ensure_demo_user(username: str, unit_code: str, role: str, wide: bool, full_name: str) -> Any:
    """One demo account with its membership; None when its unit is not loaded. Vietnamese names: the last
    word is the given name (``first_name``), the words before it the family and middle names."""
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        return None
    family, _, given = full_name.rpartition(" ")
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.vn", "first_name": given, "last_name": family}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={"include_subunits": wide})
    return user


def ensure_officer_keys(users: dict[str, Any]) -> None:
    """The demo officers get their vault keys (locked with the demo password) before any case exists, so
    every demo identity is sealed to them."""
    from pakn.protection import keys
    from pakn.protection import services as protection

    for username, _unit, role, _wide, _name in DEMO_USERS:
        user = users.get(username)
        if role == "protection_officer" and user is not None and keys.active_key(user) is None:
            protection.setup_key(user=user, password=DEMO_PASSWORD)


def load_demo() -> int:
    """Create the demo accounts and cases; returns how many cases were created."""
    users = ensure_demo_users()
    ensure_officer_keys(users)
    clerk = users.get("canbo.badinh")
    if clerk is None or Case.objects.filter(channel="letter", title=DEMO_CASES[0][1]).exists():
        return 0
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        for index, (kind, title, content, days_ago, steps, extra) in enumerate(DEMO_CASES):
            received = today - timedelta(days=days_ago)
            reporter = extra.pop("reporter", REPORTERS[index % len(REPORTERS)])
            complexity = extra.pop("complexity", "normal")
            case = services.submit(
                actor=clerk,
                kind=kind,
                title=title,
                content=content,
                province_code="01",
                commune_code="00004",
                reporter=reporter,
                channel="letter",
                received_on=received,
                **extra,
            )
            actor = users["danguy.badinh"] if case.unit.code.startswith("DU-") else clerk
            accepted = min(today, received + timedelta(days=2))
            for step in steps:
                if step == "accept":
                    case = services.accept_case(
                        actor=actor, case=case, accepted_on=_not_before(accepted, received), complexity=complexity
                    )
                elif step == "start":
                    case = services.start_case(actor=actor, case=case)
                elif step == "resolve":
                    case = services.resolve_case(
                        actor=actor,
                        case=case,
                        body="UBND phường đã kiểm tra và xử lý. Kết quả đã được niêm yết tại trụ sở.",
                    )
                elif step == "close":
                    case = services.close_case(actor=actor, case=case)
                elif step == "refuse":
                    case = services.refuse_case(
                        actor=actor,
                        case=case,
                        reason_code="feedback_not_competent",
                        explanation="Nhà văn hóa do quận cũ quản lý, đã chuyển hướng dẫn.",
                    )
            created += 1
        _label_demo_cases(clerk)
        created += _load_protection_demo(users)
    return created


def _label_demo_cases(clerk: Any) -> None:
    """Two labels and a saved search, so that the list's tools show what they do."""
    unit_cases = Case.objects.filter(unit__code="UBND-00004", status__in=["received", "accepted", "in_progress"])
    for case in unit_cases.filter(kind="report")[:3]:
        services.tag_case(actor=clerk, case=case, name="Cần xác minh thực địa")
    for case in unit_cases.filter(kind="complaint")[:2]:
        services.tag_case(actor=clerk, case=case, name="Liên quan đất đai, xây dựng")
    services.save_search(actor=clerk, name="Khiếu nại đang mở", query_string="status=open&kind=complaint")


def _load_protection_demo(users: dict[str, Any]) -> int:
    """A drop-box tip with a question from the clerk, and a pending reveal request for the named
    denunciation, so the whole protection flow can be walked in the browser."""
    from pakn.protection import services as protection

    clerk = users["canbo.badinh"]
    tip = services.submit(
        actor=None,
        kind="denunciation",
        title="Thu tiền trông xe trái phép tại chợ",
        content="Tổ trông xe ở cổng chợ thu 20.000 đồng mỗi lượt, không có vé, nói là nộp cho cán bộ phường.",
        province_code="01",
        commune_code="00004",
        channel="web",
    )
    demo_receipts.append(tip.new_receipt)  # type: ignore[attr-defined]
    services.ask_reporter(actor=clerk, case=tip, body="Bạn có ảnh chụp hoặc biết thời gian cụ thể không?")
    named = (
        Case.objects.filter(unit__code="UBND-00004", kind__in=["denunciation", "complaint"])
        .filter(vault_items__kind="identity")
        .order_by("pk")
        .first()
    )
    officer = users.get("baove.badinh")
    if named is not None and officer is not None:
        protection.request_reveal(
            actor=officer,
            case=named,
            legal_basis="verification",
            reason="Tổ xác minh cần làm việc trực tiếp với người tố cáo để đối chiếu biên nhận.",
        )
    return 1


def _not_before(day: date, floor: date) -> date:
    return max(day, floor)
