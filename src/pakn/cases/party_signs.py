"""The 27 signs of decline of Resolution TW4 (khóa XII): Nghị quyết 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành
Trung ương Đảng về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo
đức, lối sống, những biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ — 9 signs in each of three groups.

Data, as a choosable list for a report or denunciation about a party member: the citizen or the clerk ticks the
signs the letter points to, and the handler sees them (``CaseSubject.signs``, staff-only, never public). The
wording is a short form transcribed from the resolution, **to be checked against the text** (docs/competence.md);
the codes (``g1.1`` … ``g3.9``) are stable, the labels may be corrected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

CITATION = _(
    "Nghị quyết 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành Trung ương Đảng (khóa XII), 27 biểu hiện suy thoái "
    "(bản trích ngắn, chưa đối chiếu nguyên văn)."
)
TRANSCRIBED_CHECKED = False  # the short wording below has not been checked word for word against the resolution


@dataclass(frozen=True)
class Group:
    code: str
    label: Any
    signs: tuple[tuple[str, Any], ...]


GROUPS: tuple[Group, ...] = (
    Group(
        code="g1",
        label=_("Suy thoái về tư tưởng chính trị"),
        signs=(
            ("g1.1", _("Phai nhạt lý tưởng cách mạng; dao động, giảm sút niềm tin vào chủ nghĩa xã hội.")),
            ("g1.2", _("Xa rời mục tiêu, lý tưởng của Đảng; không kiên định con đường xã hội chủ nghĩa.")),
            ("g1.3", _("Nhận thức sai lệch, lười học tập lý luận chính trị, nghị quyết, chỉ thị của Đảng.")),
            ("g1.4", _("Không chấp hành nghiêm nguyên tắc tổ chức của Đảng; giảm sút ý chí phấn đấu.")),
            ("g1.5", _("Trong phê bình thì nể nang, né tránh, ngại va chạm; thấy sai không đấu tranh.")),
            ("g1.6", _("Nói không đi đôi với làm; nói một đằng, làm một nẻo.")),
            ("g1.7", _("Thiếu trách nhiệm, không gương mẫu; ngại khó, ngại khổ.")),
            ("g1.8", _("Thờ ơ, vô cảm trước những khó khăn, bức xúc của nhân dân.")),
            ("g1.9", _("Mơ hồ, mất cảnh giác trước âm mưu, thủ đoạn chống phá của các thế lực thù địch.")),
        ),
    ),
    Group(
        code="g2",
        label=_("Suy thoái về đạo đức, lối sống"),
        signs=(
            ("g2.1", _("Cá nhân chủ nghĩa, sống ích kỷ, thực dụng, cơ hội, vụ lợi.")),
            ("g2.2", _("Tham vọng chức quyền; chạy chức, chạy quyền, chạy tội, chạy luân chuyển.")),
            ("g2.3", _("Kèn cựa địa vị, cục bộ, bè phái, gây mất đoàn kết nội bộ.")),
            ("g2.4", _("Quan liêu, xa dân, cửa quyền, hách dịch, sách nhiễu, gây phiền hà cho nhân dân.")),
            ("g2.5", _("Tham ô, tham nhũng, lãng phí; lợi dụng chức vụ, quyền hạn để trục lợi.")),
            ("g2.6", _("Lợi ích nhóm; thao túng trong công tác cán bộ.")),
            ("g2.7", _("Dung túng, bao che cho người thân lợi dụng chức vụ, quyền hạn của mình để trục lợi.")),
            ("g2.8", _("Thiếu trung thực; không dám nhận trách nhiệm, đổ lỗi cho người khác.")),
            ("g2.9", _("Sống xa hoa, lãng phí, ăn chơi sa đọa; mê tín dị đoan.")),
        ),
    ),
    Group(
        code="g3",
        label=_("Biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ"),
        signs=(
            ("g3.1", _("Phản bác, phủ nhận chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, đường lối của Đảng.")),
            ("g3.2", _("Đòi thực hiện đa nguyên chính trị, đa đảng đối lập, “tam quyền phân lập”.")),
            ("g3.3", _("Phụ họa, a dua đòi “phi chính trị hóa” quân đội, công an.")),
            ("g3.4", _("Xuyên tạc lịch sử, bôi nhọ lãnh tụ, lãnh đạo Đảng, Nhà nước.")),
            ("g3.5", _("Lợi dụng góp ý, phản biện, mạng xã hội để nói, viết trái quan điểm, đường lối của Đảng.")),
            ("g3.6", _("Móc nối, cấu kết với thế lực thù địch, phản động, phần tử cơ hội, bất mãn chính trị.")),
            ("g3.7", _("Tuyên truyền, quảng bá văn hóa phẩm, lối sống xa lạ, trái thuần phong mỹ tục.")),
            ("g3.8", _("Cố ý làm lộ bí mật của Đảng, Nhà nước; cung cấp thông tin sai lệch.")),
            ("g3.9", _("Tác động, lôi kéo, kích động người khác làm trái quan điểm, đường lối của Đảng.")),
        ),
    ),
)

SIGNS: dict[str, Any] = {code: label for group in GROUPS for code, label in group.signs}
GROUP_OF: dict[str, str] = {code: group.code for group in GROUPS for code, _label in group.signs}


def choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """Grouped choices for a form field (one optgroup per group)."""
    return [(group.label, list(group.signs)) for group in GROUPS]


def clean(values: Iterable[Any]) -> tuple[tuple[str, ...], list[str]]:
    """The known codes among ``values`` in the list's order, and the unknown ones."""
    given = {str(v) for v in values}
    unknown = sorted(given - SIGNS.keys())
    return tuple(code for code in SIGNS if code in given), unknown


def grouped(codes: Iterable[str]) -> list[tuple[Any, list[Any]]]:
    """For display: [(group label, [sign label, …]), …], only the groups with a chosen sign."""
    chosen = set(codes)
    out = []
    for group in GROUPS:
        labels = [label for code, label in group.signs if code in chosen]
        if labels:
            out.append((group.label, labels))
    return out
