"""Model answers and the answer check: pure functions over text, no database.

A good answer says what was done, on what legal basis, and shows it where it can (iHanoi puts a third of its
dissatisfaction down to vague answers without evidence). ``check_answer`` reads a draft and returns what a clerk
should look at before sending it; the page shows the warnings and asks them to confirm, it never refuses: the clerk
knows the case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from pakn.core.text import fold

MIN_LENGTH = 120  # characters: "Đã xử lý." is not an answer
STATUTORY_KINDS = ("complaint", "denunciation")
_PLACEHOLDER = re.compile(r"\[[^\]]{2,80}\]")
_LEGAL = re.compile(r"\b(luat|nghi dinh|thong tu|quyet dinh|quy dinh|chi thi|dieu \d+|khoan \d+)\b")
_DONE = re.compile(r"\b(da|se)\s+(kiem tra|xu ly|sua|thay|khac phuc|xu phat|lap bien ban|giai quyet|xac minh|thu hoi|"
                   r"dieu chinh|cap|tra loi|chuyen|huong dan|don dep|thu gom|ket luan|ban hanh|doi thoai)")  # fmt: skip
_EVIDENCE = re.compile(r"\b(anh|hinh anh|bien ban|van ban so|quyet dinh so|so \d+/|kem theo|dinh kem|tai lieu)\b")


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def fill(body: str, *, tracking_code: str, unit: str, received_on: date) -> str:
    """A template's text with the case's code, unit and date written in."""
    return (
        body.replace("{ma_ho_so}", tracking_code)
        .replace("{don_vi}", unit)
        .replace("{ngay_nhan}", received_on.strftime("%d/%m/%Y"))
    )


def check_answer(body: str, *, kind: str, templates: Sequence[str] = (), has_files: bool = False) -> list[Warning]:
    """What to look at before sending ``body`` as the answer to a case of ``kind``; ``templates``: the bodies of the
    model answers it may have started from; ``has_files``: evidence files go with it."""
    text = (body or "").strip()
    folded = fold(text)
    warnings = []
    if _PLACEHOLDER.search(text):
        warnings.append(Warning("placeholder", str(_("Còn chỗ trong ngoặc vuông [ … ] của mẫu chưa được viết."))))
    if any(fold(t).strip() == folded for t in templates if t):
        warnings.append(Warning("boilerplate", str(_("Nội dung giống hệt mẫu: hãy viết việc cụ thể đã làm."))))
    if len(text) < MIN_LENGTH:
        warnings.append(Warning("short", str(_("Câu trả lời rất ngắn: nêu rõ việc đã làm, căn cứ và kết quả."))))
    if not _DONE.search(folded):
        warnings.append(
            Warning("no_action", str(_("Không thấy nêu việc cụ thể đã làm hoặc sẽ làm (đã kiểm tra, đã sửa…).")))
        )
    if kind in STATUTORY_KINDS and not _LEGAL.search(folded):
        warnings.append(Warning("no_basis", str(_("Chưa nêu căn cứ pháp lý (luật, nghị định, điều, khoản)."))))
    if kind == "report" and not has_files and not _EVIDENCE.search(folded):
        warnings.append(
            Warning("no_evidence", str(_("Chưa nhắc tới bằng chứng (ảnh sau khi xử lý, biên bản, văn bản số…).")))
        )
    return warnings
