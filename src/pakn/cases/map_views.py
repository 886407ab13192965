"""The staff map (``/staff/map/``): the open cases a person may see that carry a position, on a server-drawn map
(enhanced with Leaflet when JavaScript runs) and in a table under it. The scope is the case list's own,
``org.access.visible_cases``: a denunciation's position shows only to those who may see that case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pakn.cases.views import staff_required
from pakn.cases.workflow import OPEN
from pakn.core import maps
from pakn.core.tracking import format_tracking_code
from pakn.org.access import visible_cases

MAP_LIMIT = 500  # the most urgent first; the case list finds the rest


@staff_required
def staff_map(request: HttpRequest) -> HttpResponse:
    cases = list(
        visible_cases(request.user)
        .filter(status__in=[s.value for s in OPEN], latitude__isnull=False, longitude__isnull=False)
        .select_related("province", "commune", "unit")
        .order_by("due_on", "-pk")[: MAP_LIMIT + 1]
    )
    more = len(cases) > MAP_LIMIT
    cases = cases[:MAP_LIMIT]
    points = [
        maps.Point(
            c.latitude,
            c.longitude,
            label=f"{format_tracking_code(c.tracking_code)} – {c.title}",
            url=reverse("staff_case", args=[c.pk]),
        )
        for c in cases
        if c.latitude is not None and c.longitude is not None
    ]
    return render(
        request,
        "staff/map.html",
        {
            "cases": cases,
            "more": more,
            "limit": MAP_LIMIT,
            "map": maps.svg_map(
                points,
                title=_("Bản đồ hồ sơ đang xử lý"),
                view=maps.view_around([(p.latitude, p.longitude) for p in points], min_span=0.5),
            ),
            "map_id": "staff-map",
            "tiles": maps.tile_layer(),
            "exact": True,
        },
    )
