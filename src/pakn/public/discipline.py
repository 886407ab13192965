"""Which disciplinary measures exist, for whom, from when, under which text: data with citations, never an
``if``. The state's measures (cán bộ, công chức) and the Party's (đảng viên) are separate systems and are
published apart. A result keeps the measure valid on the date it was decided: a civil servant's salary
downgrade (hạ bậc lương) decided in 2024 is still shown as such, while one decided after 01/07/2025 is
refused (Nghị định 172/2025/NĐ-CP no longer has it).

Pure module: plain values in and out, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["DISCIPLINE_RULES", "PARTY", "STATE", "MeasureRule", "rule_for", "valid_measures"]

CADRE = "cadre"
CIVIL_SERVANT = "civil_servant"
PARTY_MEMBER = "party"
STATE = frozenset({CADRE, CIVIL_SERVANT})
PARTY = frozenset({PARTY_MEMBER})


@dataclass(frozen=True)
class MeasureRule:
    regime: str  # cadre | civil_servant | party
    measures: tuple[str, ...]  # DisciplineMeasure values, lightest first
    effective_from: date
    effective_to: date | None  # inclusive, None = open-ended
    citation: str

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


_DECREE_172 = date(2025, 7, 1)  # Nghị định 172/2025/NĐ-CP takes effect, replacing 112/2020 and 71/2023
_LAW_2008 = date(2010, 1, 1)  # Luật Cán bộ, công chức 2008 takes effect
_REG_296 = date(2025, 5, 30)  # Quy định 296-QĐ/TW of the Central Committee, dated 30/05/2025
_PARTY_FROM = date(2000, 1, 1)

DISCIPLINE_RULES: tuple[MeasureRule, ...] = (
    # --- The state: cadres (elected or appointed to a term) -------------------------------------------
    MeasureRule(
        CADRE,
        ("reprimand", "warning", "dismissal", "removal"),
        _LAW_2008,
        _DECREE_172 - date.resolution,
        "Luật Cán bộ, công chức 2008, Điều 78; Nghị định 112/2020/NĐ-CP (sửa đổi bởi Nghị định 71/2023/NĐ-CP)",
    ),
    MeasureRule(
        CADRE,
        ("reprimand", "warning", "dismissal", "removal"),
        _DECREE_172,
        None,
        "Nghị định 172/2025/NĐ-CP (từ 01/07/2025): khiển trách, cảnh cáo, cách chức, bãi nhiệm",
    ),
    # --- The state: civil servants ----------------------------------------------------------------------
    MeasureRule(
        CIVIL_SERVANT,
        ("reprimand", "warning", "salary_downgrade", "demotion", "dismissal", "forced_resignation"),
        _LAW_2008,
        _DECREE_172 - date.resolution,
        "Luật Cán bộ, công chức 2008, Điều 79; Nghị định 112/2020/NĐ-CP (sửa đổi bởi Nghị định 71/2023/NĐ-CP)",
    ),
    MeasureRule(
        CIVIL_SERVANT,
        ("reprimand", "warning", "dismissal", "forced_resignation"),
        _DECREE_172,
        None,
        "Nghị định 172/2025/NĐ-CP (từ 01/07/2025): khiển trách, cảnh cáo, cách chức, buộc thôi việc "
        "(bỏ hạ bậc lương, giáng chức)",
    ),
    # --- The Party: members ---------------------------------------------------------------------------------
    MeasureRule(
        PARTY_MEMBER,
        ("reprimand", "warning", "dismissal", "party_expulsion"),
        _PARTY_FROM,
        _REG_296 - date.resolution,
        "Điều lệ Đảng Cộng sản Việt Nam, Điều 35 (khiển trách, cảnh cáo, cách chức, khai trừ)",
    ),
    MeasureRule(
        PARTY_MEMBER,
        ("reprimand", "warning", "dismissal", "party_expulsion"),
        _REG_296,
        None,
        "Quy định 296-QĐ/TW ngày 30/05/2025 của Ban Chấp hành Trung ương: khiển trách, cảnh cáo, cách chức, khai trừ",
    ),
)


def rule_for(regime: str, on: date, rules: tuple[MeasureRule, ...] = DISCIPLINE_RULES) -> MeasureRule | None:
    """The rule for ``regime`` in force on ``on`` (the date of the disciplinary decision), or None."""
    return next((r for r in rules if r.regime == regime and r.in_force_on(on)), None)


def valid_measures(regime: str, on: date, rules: tuple[MeasureRule, ...] = DISCIPLINE_RULES) -> tuple[str, ...]:
    rule = rule_for(regime, on, rules)
    return rule.measures if rule is not None else ()
