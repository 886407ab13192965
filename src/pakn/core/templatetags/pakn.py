from typing import Any

from django import template

from pakn.core.people import person_name as _person_name
from pakn.core.tracking import format_tracking_code

register = template.Library()


@register.filter
def tracking(code: str) -> str:
    """Show a tracking code the way citizens see it: XXXX-XXXX-XXX."""
    return format_tracking_code(code) if code and len(code) == 11 else code


@register.filter
def person_name(user: Any) -> str:
    """A person's name in Vietnamese order, family name first."""
    return _person_name(user)


def _anchor(bound: Any) -> str:
    """The id an error summary links to: the control itself, or the first choice of a radio/checkbox group."""
    auto_id = bound.auto_id or ""
    return f"{auto_id}_0" if auto_id and bound.widget_type in ("radio", "checkboxselectmultiple") else auto_id


@register.inclusion_tag("forms/error_summary.html")
def error_summary(form: Any) -> dict[str, Any]:
    """Every error of ``form`` at once, each linked to its field, above the form (GOV.UK's error summary).
    It takes focus when the page loads (``autofocus``), with or without JavaScript."""
    if form is None or not getattr(form, "errors", None):
        return {"items": []}
    items: list[dict[str, str]] = [{"text": str(e), "href": ""} for e in form.non_field_errors()]
    for bound in form:
        for e in bound.errors:
            label = str(bound.label or "")
            items.append({"text": f"{label}: {e}" if label else str(e), "href": f"#{_anchor(bound)}"})
    return {"items": items}
