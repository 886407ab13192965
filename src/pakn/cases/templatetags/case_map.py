"""The position of a case on its staff page (docs/location.md): a small server-drawn map, the coordinates, the
phone's accuracy and a ``geo:`` link that opens the map application. Only on pages that already checked that the
person may see the case (``org.access.access_case``); nothing when the case has no position."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pakn.core import maps

register = template.Library()

CONTEXT_DEGREES = 1.5  # the server-drawn map shows the province around the point (the outline is coarse)


@register.inclusion_tag("maps/_case_location.html")
def case_map(case: Any) -> dict[str, Any]:
    lat, lon = getattr(case, "latitude", None), getattr(case, "longitude", None)
    if lat is None or lon is None:
        return {"map": None}
    geo = maps.geo_uri(lat, lon, case.location_accuracy_m)
    label = _("Vị trí người gửi chia sẻ: %(lat).5f, %(lon).5f") % {"lat": lat, "lon": lon}
    point = maps.Point(lat, lon, label=label, url=geo, kind="here")
    return {
        "map": maps.svg_map(
            [point], title=_("Bản đồ vị trí của hồ sơ"), view=maps.view_around([(lat, lon)], min_span=CONTEXT_DEGREES)
        ),
        "map_id": "case-map",
        "tiles": maps.tile_layer(),
        "exact": True,
        "small": True,
        "case": case,
        "geo": geo,
        "denunciation": case.kind == "denunciation",
    }
