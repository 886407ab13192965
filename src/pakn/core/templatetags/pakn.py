from django import template

from pakn.core.tracking import format_tracking_code

register = template.Library()


@register.filter
def tracking(code: str) -> str:
    """Show a tracking code the way citizens see it: XXXX-XXXX-XXX."""
    return format_tracking_code(code) if code and len(code) == 11 else code
