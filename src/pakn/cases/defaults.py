"""Default rule tables, written once after migrate when the tables are empty. Administrators edit them
afterwards in the admin; nothing here is read at run time."""

from __future__ import annotations

from typing import Any

from pakn.cases.deadlines import DEFAULT_RULES
from pakn.core.calendar import DECREED_OVERRIDES

TOPICS: list[tuple[str, str, str, str]] = [
    (
        "land",
        "Đất đai, nhà ở",
        "Land and housing",
        "dat dai\nso do\ngiai phong mat bang\nboi thuong\ntranh chap dat\nnha o",
    ),
    ("environment", "Môi trường", "Environment", "moi truong\no nhiem\nrac thai\nnuoc thai\nkhoi bui\ntieng on"),
    (
        "traffic_urban",
        "Giao thông, trật tự đô thị",
        "Traffic and urban order",
        "giao thong\nduong\no ga\nvia he\nlan chiem\nxay dung trai phep\nden duong",
    ),
    (
        "corruption_conduct",
        "Tham nhũng, đạo đức cán bộ, đảng viên",
        "Corruption and officials' conduct",
        "tham nhung\nhoi lo\nnhung nhieu\ncan bo\ndang vien\nlam dung chuc vu\ntieu cuc",
    ),
    (
        "admin_procedures",
        "Thủ tục hành chính",
        "Administrative procedures",
        "thu tuc\nho so\nmot cua\ncap giay\nchung thuc\nho tich",
    ),
    ("health", "Y tế", "Health", "benh vien\ny te\nthuoc\nbao hiem y te\ntram y te"),
    ("education", "Giáo dục", "Education", "truong hoc\nhoc phi\ngiao vien\nhoc sinh\nlam them"),
    ("social_welfare", "Chính sách xã hội", "Social welfare", "tro cap\nho ngheo\nnguoi co cong\nbao hiem xa hoi"),
    ("security_order", "An ninh, trật tự", "Security and public order", "an ninh\ntrom cap\nco bac\nma tuy\ngay roi"),
    ("other", "Lĩnh vực khác", "Other", ""),
]

# (kind, topic_code, target, note)
ROUTES: list[tuple[str, str | None, str, str]] = [
    ("", None, "commune_pc", "Mặc định: UBND cấp xã nơi phát sinh vụ việc; chưa rõ xã thì UBND cấp tỉnh."),
    (
        "denunciation",
        "corruption_conduct",
        "commune_party",
        "Tố cáo đảng viên, cán bộ: cấp ủy nơi người bị tố cáo sinh hoạt (Quy định 22-QĐ/TW).",
    ),
    ("report", "corruption_conduct", "commune_party", "Phản ánh về đạo đức, lối sống cán bộ, đảng viên: cấp ủy."),
]


# (title, kind, legal basis, body): model answers the clerk starts from; "[…]" marks what they must write.
ANSWER_TEMPLATES: list[tuple[str, str, str, str]] = [
    (
        "Trả lời phản ánh: đã xử lý tại hiện trường",
        "report",
        "Luật Tổ chức chính quyền địa phương 2025; quy chế tiếp nhận, xử lý phản ánh, kiến nghị của đơn vị",
        "Ngày {ngay_nhan}, {don_vi} nhận phản ánh mã {ma_ho_so}. Ngày [ngày], cán bộ [bộ phận] đã kiểm tra tại "
        "hiện trường và [ghi rõ việc đã làm: sửa chữa, thay thế, xử phạt…]. Ảnh hiện trường sau khi xử lý được gửi "
        "kèm. Nếu còn vướng mắc, ông/bà phản hồi qua mã tra cứu trên.",
    ),
    (
        "Trả lời kiến nghị: tiếp thu, đưa vào kế hoạch",
        "petition",
        "Luật Tổ chức chính quyền địa phương 2025; Quyết định 99-QĐ/TW",
        "{don_vi} ghi nhận kiến nghị mã {ma_ho_so} (nhận ngày {ngay_nhan}). Nội dung kiến nghị [được tiếp thu / "
        "chưa thể thực hiện] vì [lý do]. [Việc sẽ làm, thời gian dự kiến, đơn vị thực hiện].",
    ),
    (
        "Quyết định giải quyết khiếu nại lần đầu",
        "complaint",
        "Luật Khiếu nại 2011, Điều 31 (nội dung quyết định giải quyết khiếu nại lần đầu)",
        "Căn cứ Luật Khiếu nại 2011; xét đơn khiếu nại mã {ma_ho_so} nhận ngày {ngay_nhan}; kết quả xác minh: "
        "[nội dung]; kết quả đối thoại (nếu có): [nội dung]. Kết luận: nội dung khiếu nại là [đúng / đúng một phần "
        "/ sai]. Giữ nguyên, sửa đổi, bổ sung hoặc hủy bỏ [quyết định, hành vi bị khiếu nại]. Nếu không đồng ý, "
        "ông/bà có quyền khiếu nại lần hai hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định.",
    ),
    (
        "Kết luận nội dung tố cáo",
        "denunciation",
        "Luật Tố cáo 2018, Điều 35 (kết luận nội dung tố cáo)",
        "Căn cứ Luật Tố cáo 2018; kết quả xác minh nội dung tố cáo mã {ma_ho_so} (nhận ngày {ngay_nhan}): [kết quả "
        "xác minh]; giải trình của người bị tố cáo: [nội dung]. Kết luận: nội dung tố cáo là [đúng / đúng một phần / "
        "sai sự thật]. Biện pháp xử lý: [biện pháp, kiến nghị]. Thông tin về người tố cáo được giữ bí mật.",
    ),
]


def seed_defaults(**_: Any) -> None:
    from pakn.cases.policy import clear_caches

    clear_caches()
    from pakn.cases.models import AnswerTemplate, CalendarOverride, DeadlineRule, RoutingRule, Topic

    if not DeadlineRule.objects.exists():
        DeadlineRule.objects.bulk_create(
            DeadlineRule(
                code=r.code,
                case_kind=r.case_kind,
                item=r.item.value,
                amount=r.amount,
                unit=r.unit.value,
                effective_from=r.effective_from,
                effective_to=r.effective_to,
                citation=r.citation,
                complaint_round=r.complaint_round,
                complex=r.complex,
                remote=r.remote,
                max_count=r.max_count,
                confirmed=r.confirmed,
                track=r.track.value,
                level=r.level or "",
                counted_from=r.counted_from.value,
            )
            for r in DEFAULT_RULES
        )
    if not CalendarOverride.objects.exists():
        CalendarOverride.objects.bulk_create(
            CalendarOverride(date=d, is_working_day=working, reason=reason) for d, working, reason in DECREED_OVERRIDES
        )
    if not Topic.objects.exists():
        Topic.objects.bulk_create(
            Topic(code=code, name=name, name_en=name_en, keywords=keywords) for code, name, name_en, keywords in TOPICS
        )
    if not RoutingRule.objects.exists():
        topics = {t.code: t for t in Topic.objects.all()}
        RoutingRule.objects.bulk_create(
            RoutingRule(kind=kind, topic=topics.get(topic) if topic else None, target=target, note=note)
            for kind, topic, target, note in ROUTES
        )
    if not AnswerTemplate.objects.exists():
        AnswerTemplate.objects.bulk_create(
            AnswerTemplate(title=title, kind=kind, legal_basis=basis, body=body)
            for title, kind, basis, body in ANSWER_TEMPLATES
        )
