"""Forms of the public portal and the period/scope choosers shared with oversight."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind
from pakn.core.forms import DateField
from pakn.org.models import Province, Unit
from pakn.public.models import CommendationKind, DisciplineMeasure, DisciplineRegime
from pakn.public.stats import Period, Scope

EARLIEST = date(2000, 1, 1)


class PeriodForm(forms.Form):
    """Any period: from–to dates (default: the last twelve months)."""

    date_from = DateField(label=_("Từ ngày"), required=False)
    date_to = DateField(label=_("Đến ngày"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and start < EARLIEST:
            self.add_error("date_from", _("Ngày không hợp lệ."))
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def period(self) -> Period:
        default = Period.default()
        if not self.is_bound or not self.is_valid():
            return default
        start = self.cleaned_data.get("date_from") or default.start
        end = self.cleaned_data.get("date_to") or timezone.localdate()
        if start > end:
            return default
        return Period(start, end)


class ScopeForm(PeriodForm):
    """Public statistics: the whole country, a province, or a unit and the units under it."""

    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Cả nước"))] + list(Province.objects.values_list("code", "name"))  # type: ignore[attr-defined]
        province = (self.data.get("province") or "") if self.is_bound else ""
        if province:
            units = Unit.objects.filter(province_id=province, is_active=True).order_by("level", "name")
            self.fields["unit"].choices = [("", _("Tất cả đơn vị của tỉnh"))] + [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
            self.fields["unit"].help_text = _("Kết quả gồm cả các đơn vị trực thuộc.")
        else:
            self.fields["unit"].choices = [("", _("Chọn tỉnh trước, rồi bấm Xem"))]  # type: ignore[attr-defined]

    def scope(self) -> Scope:
        if not self.is_bound or not self.is_valid():
            return Scope.nation()
        code = self.cleaned_data.get("unit")
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit:
                return Scope.units(unit)
        province = self.cleaned_data.get("province")
        if province:
            row = Province.objects.filter(code=province).first()
            if row:
                return Scope.province(row.code, row.name)
        return Scope.nation()


class AnswerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + list(Kind.choices))
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Cả nước"))] + list(Province.objects.values_list("code", "name"))  # type: ignore[attr-defined]


class DisciplineForm(forms.Form):
    official_position = forms.CharField(
        label=_("Chức vụ của người vi phạm"),
        max_length=200,
        help_text=_("Ví dụ: Cán bộ địa chính phường. Không bắt buộc nêu họ tên."),
    )
    official_name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=150, required=False)
    violation = forms.CharField(label=_("Hành vi vi phạm"), widget=forms.Textarea(attrs={"rows": 4}))
    regime = forms.ChoiceField(
        label=_("Đối tượng, hệ thống kỷ luật"),
        choices=DisciplineRegime.choices,
        help_text=_(
            "Kỷ luật hành chính (cán bộ, công chức) và kỷ luật đảng (đảng viên) là hai hệ thống riêng: công bố "
            "mỗi quyết định một lần."
        ),
    )
    measure = forms.ChoiceField(
        label=_("Hình thức kỷ luật"),
        choices=[(v, label) for v, label in DisciplineMeasure.choices if v != DisciplineMeasure.OTHER],
        help_text=_(
            "Từ 01/07/2025 (Nghị định 172/2025/NĐ-CP): cán bộ – khiển trách, cảnh cáo, cách chức, bãi nhiệm; công "
            "chức – khiển trách, cảnh cáo, cách chức, buộc thôi việc. Đảng viên (Quy định 296-QĐ/TW): khiển "
            "trách, cảnh cáo, cách chức, khai trừ. Quyết định trước 01/07/2025 giữ hình thức đã áp dụng."
        ),
    )
    measure_detail = forms.CharField(label=_("Ghi chú về hình thức (không bắt buộc)"), max_length=200, required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = DateField(label=_("Ngày quyết định"))


class CommendationForm(forms.Form):
    """A head's decision to commend a unit, an official or a citizen (``public.commendations``)."""

    kind = forms.ChoiceField(label=_("Đối tượng"), choices=CommendationKind.choices, widget=forms.RadioSelect)
    issued_by = forms.ChoiceField(label=_("Đơn vị quyết định"))
    unit = forms.ChoiceField(label=_("Đơn vị được khen (tập thể, hoặc nơi cán bộ công tác)"), required=False)
    official_name = forms.CharField(label=_("Họ và tên cán bộ"), max_length=150, required=False)
    official_position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    case_code = forms.CharField(
        label=_("Mã hồ sơ của đơn người dân gửi"),
        help_text=_("Chỉ với khen thưởng người dân; danh tính của họ không bao giờ hiện ra."),
        max_length=20,
        required=False,
    )
    form = forms.CharField(
        label=_("Hình thức khen thưởng"), max_length=120, help_text=_("Ví dụ: Giấy khen, Thư cảm ơn.")
    )
    reason = forms.CharField(label=_("Thành tích"), widget=forms.Textarea(attrs={"rows": 3}))
    model_title = forms.CharField(label=_("Tên mô hình, cách làm hay"), max_length=200, required=False)
    model_description = forms.CharField(
        label=_("Mô tả mô hình, cách làm"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = DateField(label=_("Ngày quyết định"))
    published = forms.BooleanField(
        label=_("Công khai trong thư viện mô hình, cách làm hay"),
        help_text=_("Cần tên và mô tả mô hình. Không áp dụng cho khen thưởng người dân."),
        required=False,
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_by"].choices = units  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", "–")] + units  # type: ignore[attr-defined]
        self.fields["decided_on"].initial = timezone.localdate()
