from collections.abc import Callable
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import InvalidInput


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


# ---------------------------------------------------------------- forms that front a service


def add_service_errors(form: forms.Form, error: InvalidInput, *, rename: Callable[[str], str] | None = None) -> None:
    """Put a service's refusal on the form: each field's messages on that field (``rename`` maps the service's
    name, such as ``tasks.1.title``, to the form's), anything else, and a refusal without fields, above the form."""
    if not error.fields:
        form.add_error(None, str(error.message))
    for name, messages in error.fields.items():
        field = rename(name) if rename else name
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(field if field in form.fields else None, str(message))


def row_field(name: str, *, items: str, prefix: str, indexes: list[int]) -> str:
    """The form field of an error on one item of a list the service was given: ``tasks.1.title`` is ``t2_title``
    when the service's item 1 was the form's row 2 (``indexes[1] == 2``; empty rows are not sent)."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[0] == items and parts[1].isdecimal() and int(parts[1]) < len(indexes):
        return f"{prefix}{indexes[int(parts[1])]}_{'_'.join(parts[2:])}"
    return name


class ServiceForm(forms.Form):
    """A form whose input goes to one service act; the act's ``InvalidInput`` comes back onto its fields."""

    def add_service_errors(self, error: InvalidInput, *, rename: Callable[[str], str] | None = None) -> None:
        add_service_errors(self, error, rename=rename)


def set_choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def unit_choices(units: Any) -> list[tuple[int, str]]:
    """Choices of units (a queryset of ``org.Unit``, read, never imported): by province, level and name."""
    return [(u.pk, u.name) for u in units.order_by("province_id", "level", "name")[:500]]


class UnitChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any):
        super().__init__(coerce=int, **kwargs)
