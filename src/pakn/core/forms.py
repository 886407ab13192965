from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class PaknFormRenderer(TemplatesSetting):
    """Every field is rendered by templates/forms/field.html: a wrapper that marks required fields
    and errors, labels without a trailing colon."""

    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """A date typed the Vietnamese way, dd/mm/yyyy. Not the browser's date picker: it shows mm/dd/yyyy on a
    browser set to English, and a known date (a postmark, a decision) is quicker to type than to pick."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "dd/mm/yyyy", "class": "w-short"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput
    input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 27/11/2026.")}


class LongTextField(forms.CharField):
    """A long text (the content of a letter): its limit is stated with grouped numbers, in the words the
    services use ("Quá dài: tối đa 20.000 ký tự (đã nhập 5.199.999)"), so the form and the API say the same."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_length is not None and value and len(value) > self.max_length:
            from pakn.core.validate import grouped

            raise forms.ValidationError(
                _("Quá dài: tối đa %(limit)s ký tự (đã nhập %(n)s).")
                % {"limit": grouped(self.max_length), "n": grouped(len(value))},
                code="max_length",
            )
