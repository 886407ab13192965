"""``{% load language %}{% language_panel case %}`` on the staff case page: the routing suggestion and the
near-duplicates, with one-click forms."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("language/panel.html", takes_context=True)
def language_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    from pakn.language.views import panel_context

    request = context["request"]
    return {**panel_context(request, case), "csrf_token": context.get("csrf_token"), "request": request}


@register.inclusion_tag("language/similar_box.html")
def similar_box() -> dict[str, Any]:
    """On the submission form: where similar open cases appear while the citizen types."""
    return {}
