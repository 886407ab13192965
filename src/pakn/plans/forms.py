"""Forms only shape input; ``plans.services`` decides and its errors map back onto the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.forms import DateField, ServiceForm, UnitChoiceField, set_choices, unit_choices


class DirectiveForm(ServiceForm):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 54-KL/TW"))
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"), max_length=200, help_text=_("Ví dụ: Ban Bí thư Trung ương Đảng")
    )
    issued_on = DateField(label=_("Ngày ban hành"))
    summary = forms.CharField(label=_("Nội dung chính"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PlanForm(ServiceForm):
    unit = UnitChoiceField(label=_("Đơn vị ban hành"))
    parent = forms.TypedChoiceField(
        label=_("Thực hiện kế hoạch cấp trên"), coerce=int, required=False, empty_value=None
    )
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 165-KH/TU, 141-KH/QU"))
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    issued_on = DateField(label=_("Ngày ban hành"))
    summary = forms.CharField(label=_("Nội dung chính"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, units: Any, parents: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))
        set_choices(self, "parent", [("", _("— Thực hiện trực tiếp văn bản —")), *parents])
        self.fields["issued_on"].initial = timezone.localdate()


class TaskForm(ServiceForm):
    assignee = UnitChoiceField(label=_("Đơn vị thực hiện"))
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    description = forms.CharField(label=_("Yêu cầu cụ thể"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = DateField(label=_("Thời hạn"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "assignee", unit_choices(units))


class ReportForm(ServiceForm):
    number = forms.CharField(label=_("Số báo cáo"), max_length=60, required=False, help_text=_("Ví dụ: 12-BC/ĐU"))
    reported_on = DateField(label=_("Ngày báo cáo"))
    percent = forms.IntegerField(label=_("Mức độ hoàn thành (%)"), min_value=0, max_value=100, initial=50)
    body = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    is_final = forms.BooleanField(label=_("Đã hoàn thành nhiệm vụ (báo cáo kết quả cuối cùng)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
