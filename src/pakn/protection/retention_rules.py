"""How long a settled case's personal data is kept, as data and pure functions (docs/retention.md).

``DEFAULT_RULES`` is what migration ``protection.0006`` seeds; administrators edit the rows (``RetentionRule``).
Everything here takes plain values and returns plain values: which rule applies to a case, until when its data
is kept, and whether it is due for erasure today. The writes are in ``retention.py``.

Counting: a retention period runs from the year the matter ended ("thời hạn bảo quản được tính từ năm công việc
kết thúc", the archives practice — unconfirmed), so data of a matter that ended on any day of 2026 and is kept
5 years is kept until 31/12/2031 and erased from 01/01/2032.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

IDENTITY = "identity"  # the sealed identity, the originals of the letter and of later messages, protection details
ATTACHMENTS = "attachments"  # every file: the clean copy and the sealed original
CONTACT = "contact"  # the sealed contact for notifications (and its copies in the outbox)
PARTS = (IDENTITY, ATTACHMENTS, CONTACT)

# A case in one of these statuses is settled as far as the unit is concerned; a merged one only when the case it
# was merged into is settled too.
SETTLED = frozenset({"resolved", "closed", "refused", "withdrawn", "merged"})

ANSWERED, REFUSED, WITHDRAWN, FALSE_REPORT = "answered", "refused", "withdrawn", "false_report"

# Why a case's data is kept today (``Verdict.state``), or that it is due.
DUE = "due"
DONE = "done"  # everything the rule erases is erased already
OPEN = "open"  # still being handled (or merged into a case that is)
HOLD = "hold"  # a competent authority asked for the file (``RetentionHold``)
PROTECTION = "protection"  # a protection request is being considered or protection is in force
NO_RULE = "no_rule"
PERMANENT = "permanent"  # the rule keeps it without a limit
NOT_DUE = "not_due"
KEPT_STATES = (OPEN, HOLD, PROTECTION, NO_RULE, PERMANENT, NOT_DUE)

_ARCHIVES = "Luật Lưu trữ 2024 (số 33/2024/QH15); Thông tư 10/2022/TT-BNV quy định thời hạn bảo quản tài liệu"
_PDP = (
    "Luật Bảo vệ dữ liệu cá nhân 2025 (số 91/2025/QH15), Điều 14: xóa dữ liệu khi hết thời hạn lưu trữ theo quy định "
    "(trước 01/01/2026: Nghị định 13/2023/NĐ-CP, Điều 16)"
)
_CASE_FILES = "(hồ sơ giải quyết khiếu nại, tố cáo: 15 năm; vụ việc nghiêm trọng: vĩnh viễn)"
_CHECK = (
    "Mặc định của hệ thống: chưa đối chiếu số năm với bảng thời hạn bảo quản của Thông tư 10/2022/TT-BNV và danh mục "
    "hồ sơ của cơ quan. Đối chiếu rồi sửa, đánh dấu đã xác nhận trong trang quản trị."
)

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "code": "khieu-nai-da-giai-quyet",
        "kind": "complaint",
        "outcome": ANSWERED,
        "years": 15,
        "citation": f"{_ARCHIVES} {_CASE_FILES}; {_PDP}",
        "note": _CHECK + " Vụ việc nghiêm trọng (lưu vĩnh viễn): đặt tạm dừng xóa cho hồ sơ đó.",
    },
    {
        "code": "to-cao-da-giai-quyet",
        "kind": "denunciation",
        "outcome": ANSWERED,
        "years": 15,
        "citation": f"{_ARCHIVES} {_CASE_FILES}; {_PDP}",
        "note": _CHECK + " Vụ việc nghiêm trọng (lưu vĩnh viễn): đặt tạm dừng xóa cho hồ sơ đó.",
    },
    {
        "code": "to-cao-sai-su-that",
        "kind": "denunciation",
        "outcome": FALSE_REPORT,
        "years": None,
        "citation": (
            "Luật Tố cáo 2018, Điều 9(2), 35(1)(c), 36: người cố ý tố cáo sai sự thật bị xử lý; danh tính là căn cứ "
            "xử lý, không tự động xóa"
        ),
        "note": "Mặc định của hệ thống: không tự động xóa. Cán bộ bảo vệ đề xuất thời hạn khi việc xử lý kết thúc.",
    },
    {
        "code": "da-tra-loi",
        "kind": "",
        "outcome": ANSWERED,
        "years": 5,
        "citation": f"{_ARCHIVES} (hồ sơ xử lý đơn phản ánh, kiến nghị); {_PDP}",
        "note": _CHECK,
    },
    {
        "code": "khong-thu-ly",
        "kind": "",
        "outcome": REFUSED,
        "years": 5,
        "citation": f"{_ARCHIVES} (đơn không thụ lý, đã hướng dẫn hoặc chuyển đơn); {_PDP}",
        "note": _CHECK,
    },
    {
        "code": "rut-don",
        "kind": "",
        "outcome": WITHDRAWN,
        "years": 5,
        "citation": f"{_ARCHIVES} (đơn rút, đình chỉ giải quyết); {_PDP}",
        "note": _CHECK,
    },
]


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # "" = every kind
    outcome: str  # "" = every outcome
    years: int | None  # None = kept without a limit
    parts: tuple[str, ...]
    citation: str
    confirmed: bool


def rule_from(row: Any) -> Rule:
    """A ``RetentionRule`` row (or anything with its attributes) as a plain value."""
    parts = tuple(
        part
        for part, wanted in (
            (IDENTITY, row.erase_identity),
            (ATTACHMENTS, row.erase_attachments),
            (CONTACT, row.erase_contact),
        )
        if wanted
    )
    return Rule(row.code, row.kind, row.outcome, row.years, parts, row.citation, bool(row.confirmed))


def pick_rule(rules: Iterable[Rule], *, kind: str, outcome: str) -> Rule | None:
    """The most specific rule for the kind and outcome: kind and outcome, then kind, then outcome, then any."""
    candidates = [r for r in rules if r.kind in ("", kind) and r.outcome in ("", outcome)]
    return min(candidates, key=lambda r: (r.kind == "", r.outcome == "", r.code), default=None)


def outcome_of(*, status: str, answer_kinds: Iterable[str], false_report_action: str | None) -> str:
    """How a settled case ended. A denunciation concluded false whose denouncer was dealt with or referred keeps
    its own outcome; a refusal or a termination closed afterwards is still a refusal or a withdrawal."""
    if false_report_action in ("handled", "referred"):
        return FALSE_REPORT
    if status == "refused":
        return REFUSED
    if status == "withdrawn":
        return WITHDRAWN
    kinds = set(answer_kinds)
    if kinds & {"answer", "conclusion"}:
        return ANSWERED
    if "refusal" in kinds:
        return REFUSED
    if "termination" in kinds:
        return WITHDRAWN
    return ANSWERED


def kept_until(ended_on: date, years: int) -> date:
    return date(ended_on.year + years, 12, 31)


def erasable_on(ended_on: date, years: int) -> date:
    return date(ended_on.year + years + 1, 1, 1)


@dataclass(frozen=True)
class Verdict:
    state: str  # DUE, DONE or one of KEPT_STATES
    rule: Rule | None = None
    kept_until: date | None = None
    parts: tuple[str, ...] = ()  # what is still to erase (DUE)


def decide(
    *,
    rules: Iterable[Rule],
    kind: str,
    outcome: str,
    settled: bool,
    held: bool,
    protected: bool,
    ended_on: date | None,
    erased: Iterable[str],
    today: date,
) -> Verdict:
    """Whether a case's personal data is due for erasure today, and if not, why it is kept (and until when)."""
    if not settled or ended_on is None:
        return Verdict(OPEN)
    if held:
        return Verdict(HOLD)
    if protected:
        return Verdict(PROTECTION)
    rule = pick_rule(rules, kind=kind, outcome=outcome)
    if rule is None:
        return Verdict(NO_RULE)
    if rule.years is None:
        return Verdict(PERMANENT, rule)
    until = kept_until(ended_on, rule.years)
    if today < erasable_on(ended_on, rule.years):
        return Verdict(NOT_DUE, rule, until)
    done = set(erased)
    remaining = tuple(p for p in rule.parts if p not in done)
    return Verdict(DUE if remaining else DONE, rule, until, remaining)
