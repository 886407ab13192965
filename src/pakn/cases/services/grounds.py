"""The legal grounds an act must name: for refusing to accept a case, for going on with a withdrawn
denunciation, and the ways a conclusion is made public. The staff forms offer them as choices."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# Legal grounds for refusing to accept (không thụ lý), per kind: a complaint is refused only on the grounds of
# Luật Khiếu nại 2011, Điều 11; a denunciation on those of Luật Tố cáo 2018, Điều 23 (and Điều 24, 25); reports,
# petitions and opinions have no statutory list (Nghị định 20/2008/NĐ-CP applies only to feedback on
# administrative regulations). The staff form and ``GET /refusal-reasons?kind=`` offer ``refusal_reasons_for``.
_COMPLAINT = ("complaint",)
_DENUNCIATION = ("denunciation",)
_FEEDBACK = ("report", "petition", "opinion")
_ALL_KINDS = _COMPLAINT + _DENUNCIATION + _FEEDBACK
REFUSAL_REASON_KINDS: dict[str, tuple[str, ...]] = {
    "not_subject_to_complaint": _COMPLAINT,
    "not_directly_concerned": _COMPLAINT,
    "no_legal_capacity": _COMPLAINT,
    "invalid_representative": _COMPLAINT,
    "not_signed": _COMPLAINT,
    "time_limit_passed": _COMPLAINT,
    "already_decided": _COMPLAINT,
    "not_continued_after_termination": _COMPLAINT,
    "court_accepted": _COMPLAINT,
    "complaint_not_competent": _COMPLAINT,
    "repeated": _DENUNCIATION,
    "no_basis": _DENUNCIATION,
    "cannot_verify": _DENUNCIATION,
    "unidentified": _DENUNCIATION,
    "not_competent": _DENUNCIATION,
    "regulation_not_competent": _FEEDBACK,
    "feedback_not_competent": _FEEDBACK,
    "feedback_answered": _FEEDBACK,
    "feedback_unclear": _FEEDBACK,
    "complaint_or_denunciation": _FEEDBACK,
    "other": _ALL_KINDS,
}
REFUSAL_REASONS: dict[str, Any] = {
    "not_subject_to_complaint": _(
        "Quyết định, hành vi bị khiếu nại không thuộc đối tượng khiếu nại (quyết định, hành vi trong nội bộ cơ "
        "quan nhà nước, chỉ đạo điều hành của cấp trên với cấp dưới, văn bản quy phạm pháp luật, bí mật nhà nước) "
        "(Luật Khiếu nại 2011, Điều 11 khoản 1)."
    ),
    "not_directly_concerned": _(
        "Quyết định hành chính, hành vi hành chính bị khiếu nại không liên quan trực tiếp đến quyền, lợi ích hợp "
        "pháp của người khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 2)."
    ),
    "no_legal_capacity": _(
        "Người khiếu nại không có năng lực hành vi dân sự đầy đủ mà không có người đại diện hợp pháp "
        "(Luật Khiếu nại 2011, Điều 11 khoản 3)."
    ),
    "invalid_representative": _(
        "Người đại diện không hợp pháp thực hiện khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 4)."
    ),
    "not_signed": _(
        "Đơn khiếu nại không có chữ ký hoặc điểm chỉ của người khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 5)."
    ),
    "time_limit_passed": _(
        "Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng (Luật Khiếu nại 2011, Điều 9, "
        "Điều 11 khoản 6)."
    ),
    "already_decided": _(
        "Khiếu nại đã có quyết định giải quyết khiếu nại lần hai (Luật Khiếu nại 2011, Điều 11 khoản 7)."
    ),
    "not_continued_after_termination": _(
        "Đã có văn bản thông báo đình chỉ việc giải quyết khiếu nại mà sau 30 ngày người khiếu nại không tiếp tục "
        "khiếu nại (Luật Khiếu nại 2011, Điều 11 khoản 8)."
    ),
    "court_accepted": _(
        "Việc khiếu nại đã được Tòa án thụ lý hoặc đã được giải quyết bằng bản án, quyết định của Tòa án "
        "(Luật Khiếu nại 2011, Điều 11 khoản 9)."
    ),
    "complaint_not_competent": _(
        "Khiếu nại không thuộc thẩm quyền giải quyết: hướng dẫn người khiếu nại gửi đơn đến cơ quan có thẩm quyền."
    ),
    "repeated": _(
        "Tố cáo về vụ việc đã được giải quyết mà người tố cáo không cung cấp thông tin, tình tiết mới "
        "(Luật Tố cáo 2018, Điều 23 khoản 1)."
    ),
    "no_basis": _(
        "Nội dung, thông tin người tố cáo cung cấp không có cơ sở để xác định người vi phạm, hành vi vi phạm pháp "
        "luật (Luật Tố cáo 2018, Điều 23 khoản 2)."
    ),
    "cannot_verify": _(
        "Người có thẩm quyền giải quyết tố cáo không đủ điều kiện để kiểm tra, xác minh hành vi vi phạm pháp luật, "
        "người vi phạm (Luật Tố cáo 2018, Điều 23 khoản 3)."
    ),
    "unidentified": _(
        "Tố cáo nặc danh, mạo danh hoặc không xác định được người tố cáo: không xử lý theo thủ tục giải quyết tố "
        "cáo (Luật Tố cáo 2018, Điều 25)."
    ),
    "not_competent": _(
        "Tố cáo không thuộc thẩm quyền giải quyết: chuyển đơn đến người có thẩm quyền (Luật Tố cáo 2018, "
        "Điều 24 khoản 2)."
    ),
    "regulation_not_competent": _(
        "Phản ánh, kiến nghị về quy định hành chính không thuộc thẩm quyền xử lý: chuyển đến cơ quan có thẩm "
        "quyền (Nghị định 20/2008/NĐ-CP, Điều 9)."
    ),
    "feedback_not_competent": _(
        "Không thuộc thẩm quyền xử lý của đơn vị: chuyển đến hoặc hướng dẫn gửi cơ quan có thẩm quyền."
    ),
    "feedback_answered": _("Nội dung đã được trả lời, không có thông tin, tình tiết mới."),
    "feedback_unclear": _("Nội dung không rõ ràng, không đủ thông tin để xem xét dù đã đề nghị người gửi bổ sung."),
    "complaint_or_denunciation": _(
        "Nội dung là khiếu nại hoặc tố cáo: hướng dẫn người gửi thực hiện theo thủ tục khiếu nại, tố cáo."
    ),
    "other": _("Lý do khác (ghi rõ trong văn bản)."),
}


def refusal_reasons_for(kind: str | None) -> list[tuple[str, Any]]:
    """(code, label) of the refusal grounds that apply to ``kind`` (all of them when ``kind`` is None)."""
    return [
        (code, label)
        for code, label in REFUSAL_REASONS.items()
        if kind is None or kind in REFUSAL_REASON_KINDS.get(code, ())
    ]


# How a conclusion is made public (Luật Tố cáo 2018, Điều 40 khoản 2).
PUBLICATION_METHODS: dict[str, Any] = {
    "meeting": _("Công bố tại cuộc họp cơ quan, tổ chức nơi người bị tố cáo công tác"),
    "posting": _("Niêm yết tại trụ sở làm việc hoặc nơi tiếp công dân"),
    "portal": _("Đăng tải trên cổng thông tin điện tử"),
}

# Why a withdrawn denunciation is still handled (Luật Tố cáo 2018, Điều 33).
CONTINUE_GROUNDS: dict[str, Any] = {
    "signs_of_violation": _("Hành vi bị tố cáo có dấu hiệu vi phạm pháp luật (Luật Tố cáo 2018, Điều 33)."),
    "coerced": _("Có căn cứ xác định việc rút tố cáo do bị đe dọa, mua chuộc (Luật Tố cáo 2018, Điều 33)."),
}
