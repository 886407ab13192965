"""The "Theo dõi qua thư điện tử" form of the e-mail alerts (``pakn.public.alerts``), placed by a template on the
answers page (``{% follow_area_form %}``: the page's province filter already chosen) and on a published case's
page (``{% follow_case_form item %}``: nothing for a denunciation, whose conclusion is never mailed)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("public/alerts/_follow.html", takes_context=True)
def follow_area_form(context: Any) -> dict[str, Any]:
    from pakn.public.alert_views import area_form

    request = context.get("request")
    province = request.GET.get("province", "") if request is not None else ""
    return {"form": area_form(province), "csrf_token": context.get("csrf_token"), "request": request}


@register.inclusion_tag("public/alerts/_follow.html", takes_context=True)
def follow_case_form(context: Any, item: dict[str, Any]) -> dict[str, Any]:
    from pakn.public.alert_views import case_form

    if item.get("denunciation"):
        return {"form": None}
    return {"form": case_form(item["id"]), "csrf_token": context.get("csrf_token"), "request": context.get("request")}
