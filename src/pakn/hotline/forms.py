"""Forms only shape the input; the rules live in ``hotline.services``, whose errors are put back on these
fields (``add_service_errors``)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind, Topic
from pakn.core.forms import DateField, LongTextField, ServiceForm, set_choices
from pakn.hotline.models import CallOutcome
from pakn.org.models import Province

TIME = forms.TimeInput(attrs={"type": "time", "class": "w-short"}, format="%H:%M")


def aware(day: Any, moment: time | None) -> datetime | None:
    """A local date and time typed on a form, as an aware datetime (None when either is missing)."""
    if day is None or moment is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


class DirectoryFilterForm(forms.Form):
    province = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)
    q = forms.CharField(
        label=_("Xã/phường, cơ quan hoặc tên lãnh đạo"),
        required=False,
        max_length=100,
        help_text=_("Có thể gõ không dấu, ví dụ: ba dinh."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "province", [("", _("Tất cả")), *((p.code, p.name) for p in Province.objects.all())])


class HotlineForm(ServiceForm):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    official_name = forms.CharField(
        label=_("Họ và tên lãnh đạo"), max_length=150, help_text=_("Họ trước tên sau, ví dụ: Lê Văn Cường.")
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=150, help_text=_("Ví dụ: Chủ tịch UBND phường."))
    phone = forms.CharField(label=_("Số điện thoại đường dây nóng"), max_length=20)
    hours = forms.CharField(label=_("Thời gian tiếp nhận"), max_length=120, help_text=_("Ví dụ: Thứ 2–6, 7:30–17:00."))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Công bố trên danh bạ đường dây nóng"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", [(u.pk, u.name) for u in units.order_by("province_id", "level", "name")[:500]])
        if editing:
            del self.fields["unit"]
        else:
            del self.fields["is_active"]


class ShiftForm(ServiceForm):
    official = forms.TypedChoiceField(label=_("Cán bộ trực"), coerce=int)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    starts_time = forms.TimeField(label=_("Giờ bắt đầu"), widget=TIME)
    ends_on = DateField(label=_("Ngày kết thúc"), required=False, help_text=_("Để trống nếu cùng ngày bắt đầu."))
    ends_time = forms.TimeField(label=_("Giờ kết thúc"), widget=TIME)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args: Any, officials: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from pakn.core.people import person_name

        set_choices(self, "official", [(u.pk, person_name(u)) for u in officials])

    def moments(self) -> tuple[datetime | None, datetime | None]:
        data = self.cleaned_data
        return (
            aware(data.get("starts_on"), data.get("starts_time")),
            aware(data.get("ends_on") or data.get("starts_on"), data.get("ends_time")),
        )


class CallForm(ServiceForm):
    received_on = DateField(label=_("Ngày gọi"))
    received_time = forms.TimeField(label=_("Giờ gọi"), widget=TIME)
    duration_minutes = forms.IntegerField(
        label=_("Thời lượng (phút)"), min_value=0, max_value=600, widget=forms.NumberInput(attrs={"class": "w-short"})
    )
    summary = LongTextField(
        label=_("Tóm tắt nội dung cuộc gọi"),
        max_length=5000,
        help_text=_("Không ghi họ tên, số điện thoại của người gọi vào đây."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=CallOutcome.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=[("", "—"), *Kind.choices], required=False)
    title = forms.CharField(
        label=_("Tiêu đề"), max_length=200, required=False, help_text=_("Để trống để lấy phần đầu của tóm tắt.")
    )
    topic_code = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    address = forms.CharField(label=_("Địa điểm xảy ra sự việc"), max_length=300, required=False)
    caller_name = forms.CharField(label=_("Họ và tên người gọi"), max_length=150, required=False)
    caller_phone = forms.CharField(label=_("Số điện thoại người gọi"), max_length=20, required=False)
    caller_address = forms.CharField(label=_("Địa chỉ người gọi"), max_length=300, required=False)

    CASE_FIELDS = ("kind", "title", "topic_code", "address")
    CALLER_FIELDS = ("caller_name", "caller_phone", "caller_address")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "topic_code", [("", _("— Không rõ —")), *((t.code, t.name) for t in Topic.objects.all())])

    def call_fields(self) -> list[Any]:
        return [self[n] for n in ("received_on", "received_time", "duration_minutes", "summary", "outcome")]

    def case_fields(self) -> list[Any]:
        return [self[n] for n in self.CASE_FIELDS]

    def caller_fields(self) -> list[Any]:
        return [self[n] for n in self.CALLER_FIELDS]

    def service_input(self) -> dict[str, Any]:
        data = self.cleaned_data
        caller = {
            "name": data.get("caller_name") or "",
            "phone": data.get("caller_phone") or "",
            "address": data.get("caller_address") or "",
        }
        is_case = data.get("outcome") == CallOutcome.CASE
        return {
            "received_at": aware(data.get("received_on"), data.get("received_time")),
            "duration_minutes": data.get("duration_minutes"),
            "summary": data.get("summary"),
            "outcome": data.get("outcome"),
            "kind": data.get("kind") or None,
            "title": data.get("title") or "",
            "topic_code": data.get("topic_code") or None,
            "address": data.get("address") or "",
            "caller": caller if is_case and any(caller.values()) else None,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == CallOutcome.CASE and not data.get("kind"):
            self.add_error("kind", _("Chọn loại đơn khi lập đơn từ cuộc gọi."))
        if data.get("outcome") == CallOutcome.INFORMATION and any(data.get(n) for n in self.CALLER_FIELDS):
            self.add_error(
                "caller_name",
                _("Chỉ ghi thông tin người gọi khi lập đơn; cuộc gọi chỉ hỏi thông tin không lưu thông tin cá nhân."),
            )
        return data
