"""Forms of the oversight pages."""

from __future__ import annotations

import builtins
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind
from pakn.public.forms import PeriodForm
from pakn.public.stats import Period

LISTS = [
    ("all", _("Tất cả hồ sơ")),
    ("overdue", _("Quá hạn")),
    ("soon", _("Sắp đến hạn")),
    ("refused", _("Không thụ lý")),
    ("escalated", _("Nhiều lần bị báo cáo, đề nghị cấp trên")),
]


class AreaFilterForm(forms.Form):
    list = forms.ChoiceField(label=_("Danh sách"), choices=LISTS, required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=[("", _("Tất cả")), *Kind.choices], required=False)

    def __init__(self, *args: Any, units: builtins.list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả"))] + units  # type: ignore[attr-defined]


class RecommendationForm(forms.Form):
    to_unit = forms.ChoiceField(label=_("Gửi đến đơn vị"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    case = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = units  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class AssessForm(forms.Form):
    note = forms.CharField(
        label=_("Nhận xét, lý do (bắt buộc khi đề nghị trả lời lại hoặc kiến nghị cấp trên)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=2000)


class ScorecardForm(PeriodForm):
    unit = forms.ChoiceField(label=_("Phạm vi"), required=False)
    sort = forms.ChoiceField(
        label=_("Xếp theo"),
        required=False,
        choices=[
            ("score", _("Điểm xếp hạng")),
            ("on_time", _("Tỷ lệ đúng hạn")),
            ("satisfaction", _("Tỷ lệ hài lòng")),
        ],
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả đơn vị tôi được xem"))] + units  # type: ignore[attr-defined]
        self.fields["unit"].help_text = _("Chọn một đơn vị để xem đơn vị đó và các đơn vị trực thuộc.")


class ReportForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị (gồm cả các đơn vị trực thuộc)"))
    kind = forms.ChoiceField(
        label=_("Loại báo cáo"), choices=[("month", _("Tháng")), ("quarter", _("Quý")), ("year", _("Năm"))]
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Tháng hoặc quý"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Tháng 1–12 hoặc quý 1–4; bỏ trống với báo cáo năm."),
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("kind"), data.get("number")
        if kind in ("month", "quarter") and not number:
            self.add_error("number", _("Chọn tháng hoặc quý."))
        if kind == "quarter" and number and number > 4:
            self.add_error("number", _("Quý từ 1 đến 4."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == "month":
            return Period.month(data["year"], data["number"])
        if data["kind"] == "quarter":
            return Period.quarter(data["year"], data["number"])
        return Period.year(data["year"])

    @staticmethod
    def initial_values() -> dict[str, Any]:
        today = timezone.localdate()
        previous = today.replace(day=1) - timedelta(days=1)
        return {"kind": "month", "year": previous.year, "number": previous.month}
