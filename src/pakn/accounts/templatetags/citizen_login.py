"""``{% oidc_login_button %}``: the link to the citizen's OpenID Connect provider (VNeID) on the citizen login
page; nothing while none is configured."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from pakn.accounts import oidc

register = template.Library()


@register.inclusion_tag("accounts/_oidc_button.html", takes_context=True)
def oidc_login_button(context: Any) -> dict[str, Any]:
    cfg = oidc.config()
    if cfg is None:
        return {"enabled": False}
    request = context.get("request")
    target = request.GET.get("next", "") if request is not None else ""
    url = reverse("oidc_login") + (f"?{urlencode({'next': target})}" if target else "")
    return {"enabled": True, "provider": cfg.name, "url": url}
