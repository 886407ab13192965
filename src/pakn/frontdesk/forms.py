"""Forms only shape the input; the rules live in ``frontdesk.services``, whose errors are put back on these
fields. A batch is typed without JavaScript: a fixed number of opinion rows (more on request)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind, Topic
from pakn.core.errors import InvalidInput
from pakn.core.forms import DateField, ServiceForm, row_field, set_choices
from pakn.frontdesk.models import BatchSource

DEFAULT_ROWS = 5
MAX_ROWS = 30
ROW_FIELDS = ("kind", "title", "content", "topic_code", "join", "resident_name", "resident_phone", "resident_address")


def row_count(value: Any) -> int:
    try:
        return max(1, min(MAX_ROWS, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_ROWS


class BatchForm(ServiceForm):
    front_unit = forms.TypedChoiceField(label=_("Ủy ban MTTQ chuyển"), coerce=int)
    source = forms.ChoiceField(label=_("Nguồn ý kiến"), choices=BatchSource.choices)
    meeting = forms.CharField(
        label=_("Hội nghị, cuộc tiếp xúc"),
        max_length=300,
        help_text=_("Ví dụ: Hội nghị tiếp xúc cử tri của Đại biểu Quốc hội trước kỳ họp."),
    )
    held_on = DateField(label=_("Ngày tổ chức"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    document_number = forms.CharField(label=_("Số văn bản chuyển"), max_length=60, help_text=_("Ví dụ: 25/MTTQ-BTT."))
    forwarded_on = DateField(label=_("Ngày chuyển"), required=False, help_text=_("Để trống nếu là hôm nay."))
    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, units: Any, rows: int = DEFAULT_ROWS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.row_total = rows
        self.fields["rows"].initial = rows
        set_choices(self, "front_unit", [(u.pk, u.name) for u in units])
        topics = [("", _("— Không rõ —")), *((t.code, t.name) for t in Topic.objects.all())]
        for i in range(rows):
            self.fields[f"o{i}_kind"] = forms.ChoiceField(label=_("Loại"), choices=Kind.choices, required=False)
            self.fields[f"o{i}_title"] = forms.CharField(label=_("Tóm tắt ý kiến"), max_length=200, required=False)
            self.fields[f"o{i}_content"] = forms.CharField(
                label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"o{i}_topic_code"] = forms.ChoiceField(label=_("Lĩnh vực"), choices=topics, required=False)
            self.fields[f"o{i}_join"] = forms.CharField(
                label=_("Trùng hồ sơ đã có (mã tra cứu)"),
                max_length=20,
                required=False,
                help_text=_("Ghi mã nếu nội dung đã có hồ sơ: ý kiến được gộp vào, không tạo hồ sơ mới."),
            )
            self.fields[f"o{i}_resident_name"] = forms.CharField(
                label=_("Họ và tên người nêu ý kiến"), max_length=150, required=False
            )
            self.fields[f"o{i}_resident_phone"] = forms.CharField(
                label=_("Số điện thoại người nêu ý kiến"), max_length=20, required=False
            )
            self.fields[f"o{i}_resident_address"] = forms.CharField(
                label=_("Địa chỉ người nêu ý kiến"), max_length=300, required=False
            )

    def header_fields(self) -> list[Any]:
        return [
            self[n] for n in ("front_unit", "source", "meeting", "held_on", "place", "document_number", "forwarded_on")
        ]

    def opinion_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i + 1,
                "fields": [self[f"o{i}_{n}"] for n in ROW_FIELDS[:5]],
                "resident": [self[f"o{i}_{n}"] for n in ROW_FIELDS[5:]],
            }
            for i in range(self.row_total)
        ]

    def opinions(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The filled rows as service input, and the row of each; a row without title, content or code is skipped."""
        data = self.cleaned_data
        result, indexes = [], []
        for i in range(self.row_total):
            get = lambda name, i=i: (data.get(f"o{i}_{name}") or "").strip()  # noqa: E731
            if not (get("title") or get("content") or get("join")):
                continue
            resident = {
                "name": get("resident_name"),
                "phone": get("resident_phone"),
                "address": get("resident_address"),
            }
            result.append(
                {
                    "kind": get("kind"),
                    "title": get("title"),
                    "content": get("content"),
                    "topic_code": get("topic_code") or None,
                    "join": get("join"),
                    "resident": resident if any(resident.values()) else None,
                }
            )
            indexes.append(i)
        return result, indexes

    def add_batch_errors(self, error: InvalidInput, indexes: list[int]) -> None:
        self.add_service_errors(
            error, rename=lambda name: row_field(name, items="opinions", prefix="o", indexes=indexes)
        )
