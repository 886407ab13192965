"""Staff action forms. Each maps to one service verb."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import AnswerKind, Complexity
from pakn.cases.services import REFUSAL_REASONS


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), required=False)
    due = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[("", _("Tất cả")), ("overdue", _("Quá hạn")), ("soon", _("Sắp đến hạn"))],
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    received_from = forms.DateField(
        label=_("Nhận từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(label=_("đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, units: list[tuple[str, str]], **kwargs: object):
        from pakn.cases.models import Kind
        from pakn.cases.workflow import STATUS_LABELS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Tất cả")),
            ("open", _("Đang mở")),
            *((s.value, label) for s, label in STATUS_LABELS.items()),
        ]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Tất cả")), *Kind.choices]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("Tất cả đơn vị được xem")), *units]  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("Ngày thụ lý"), widget=forms.DateInput(attrs={"type": "date"}))
    complexity = forms.ChoiceField(label=_("Mức độ"), choices=Complexity.choices, initial=Complexity.NORMAL)

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["accepted_on"].initial = timezone.localdate()


class RefuseForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Căn cứ không thụ lý"), choices=list(REFUSAL_REASONS.items()))
    explanation = forms.CharField(label=_("Giải thích"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    to_unit_code = forms.CharField(
        label=_("Mã đơn vị nhận"), help_text=_("Ví dụ: UBND-01 (UBND thành phố), DU-00004 (Đảng ủy phường).")
    )
    reason = forms.CharField(label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(forms.Form):
    complexity = forms.ChoiceField(
        label=_("Mức độ"),
        choices=[(Complexity.COMPLEX, _("Phức tạp")), (Complexity.ESPECIALLY_COMPLEX, _("Đặc biệt phức tạp"))],
    )
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại văn bản"),
        choices=[(AnswerKind.ANSWER, AnswerKind.ANSWER.label), (AnswerKind.CONCLUSION, AnswerKind.CONCLUSION.label)],
    )
    body = forms.CharField(label=_("Nội dung trả lời / kết luận"), widget=forms.Textarea(attrs={"rows": 8}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Mã tra cứu của hồ sơ giữ lại"))
