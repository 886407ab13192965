"""Maps without other hosts: one projection, the settings of the tile server, and the placing of points on the
server-rendered SVG maps. Pure functions and plain values; no model is read here.

Every map is first an SVG drawn by the server (the outline of Vietnam shipped in the package, with the points
as links), so it works without JavaScript and stays light. The staff pages may enhance it with Leaflet, served
from our static files, over the tiles of ``PAKN_MAP_TILE_URL`` or, when that is unset, over the small tile set
shipped in the package (zoom 5–8, drawn once by ``scripts/build_map_data.py``). docs/location.md says more."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

# What the maps cover: the mainland and the islands, Hoàng Sa and Trường Sa included (west, south, east, north).
EXTENT = (101.8, 6.8, 117.8, 23.6)
WIDTH = 1000.0  # SVG units across EXTENT; the height follows from the projection (``height()``)

# The packaged tiles: drawn for these zooms over EXTENT only.
PACKAGED_TILES = "pakn/map/tiles/{z}/{x}/{y}.png"
PACKAGED_MIN_ZOOM = 5
PACKAGED_MAX_ZOOM = 8
OUTLINE = "pakn/map/vietnam.svg"

PUBLIC_DECIMALS = 3  # about 110 m: what the public map shows of a position


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _scale() -> float:
    west, _south, east, _north = EXTENT
    return WIDTH / math.radians(east - west)


def height() -> float:
    _west, south, _east, north = EXTENT
    return round((_mercator_y(north) - _mercator_y(south)) * _scale(), 1)


def project(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator, scaled so that EXTENT is ``WIDTH`` × ``height()`` SVG units, north up."""
    west, _south, _east, north = EXTENT
    scale = _scale()
    x = math.radians(lon - west) * scale
    y = (_mercator_y(north) - _mercator_y(lat)) * scale
    return round(x, 1), round(y, 1)


def public_round(value: float | None) -> float | None:
    """A position as the public may see it (3 decimals, about 110 m)."""
    return None if value is None else round(value, PUBLIC_DECIMALS)


def geo_uri(lat: float, lon: float, accuracy_m: int | None = None) -> str:
    """RFC 5870: opens the phone's map application at the point."""
    uri = f"geo:{lat:.6f},{lon:.6f}"
    return f"{uri};u={int(accuracy_m)}" if accuracy_m else uri


# ---------------------------------------------------------------- the tile server


def tile_url() -> str:
    """The deployment's tile server (``{z}/{x}/{y}`` template), or "" for the packaged tiles."""
    return str(getattr(settings, "MAP_TILE_URL", "") or "").strip()


def tile_origin() -> str:
    """``scheme://host[:port]`` of the configured tile server, for the CSP's img-src; "" when none is set."""
    url = tile_url()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def tile_layer() -> dict[str, Any]:
    """What the map script needs to draw tiles: the URL template, the zooms, the attribution, the bounds."""
    url = tile_url()
    west, south, east, north = EXTENT
    if url:
        return {
            "url": url,
            "min_zoom": 4,
            "max_zoom": int(getattr(settings, "MAP_TILE_MAX_ZOOM", 18) or 18),
            "attribution": str(getattr(settings, "MAP_TILE_ATTRIBUTION", "") or ""),
            "packaged": False,
            "bounds": "",
        }
    return {
        # static() gives /static/pakn/map/tiles/%7Bz%7D/…: the braces are put back for Leaflet's template.
        "url": static(PACKAGED_TILES).replace("%7B", "{").replace("%7D", "}"),
        "min_zoom": PACKAGED_MIN_ZOOM,
        "max_zoom": PACKAGED_MAX_ZOOM,
        "attribution": "Natural Earth",
        "packaged": True,
        "bounds": f"{south},{west},{north},{east}",
    }


# ---------------------------------------------------------------- points on the SVG map


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    label: str
    url: str = ""
    kind: str = ""  # a CSS class suffix: the kind of case, for the legend


@dataclass(frozen=True)
class View:
    """The part of the map shown: an SVG viewBox in the projection's units, and the size of a point in it."""

    x: float
    y: float
    width: float
    height: float

    @property
    def box(self) -> str:
        return f"{self.x:.1f} {self.y:.1f} {self.width:.1f} {self.height:.1f}"

    @property
    def radius(self) -> float:
        return round(max(self.width, self.height) / 110, 2)

    @property
    def stroke(self) -> float:
        return round(max(self.width, self.height) / 500, 2)


def whole_view() -> View:
    return View(0.0, 0.0, WIDTH, height())


MIN_SPAN_DEGREES = 0.12  # a view around one point or one commune still shows its surroundings


def view_around(
    positions: list[tuple[float, float]], *, margin: float = 0.25, min_span: float = MIN_SPAN_DEGREES
) -> View:
    """The smallest view that shows every position (with a margin), never smaller than ``min_span`` degrees and
    never beyond the whole map; the whole map when there is no position."""
    if not positions:
        return whole_view()
    lats = [p[0] for p in positions]
    lons = [p[1] for p in positions]
    lat_mid, lon_mid = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    half_lat = max((max(lats) - min(lats)) * (1 + margin), min_span) / 2
    half_lon = max((max(lons) - min(lons)) * (1 + margin), min_span) / 2
    x0, y0 = project(lat_mid + half_lat, lon_mid - half_lon)
    x1, y1 = project(lat_mid - half_lat, lon_mid + half_lon)
    width, full_height = x1 - x0, y1 - y0
    side = max(width, full_height)  # square views: the map keeps its shape on a phone and a desktop
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    whole = whole_view()
    if side >= whole.width:
        return whole
    x = min(max(cx - side / 2, 0.0), whole.width - side)
    y = min(max(cy - side / 2, 0.0), whole.height - side)
    return View(round(x, 1), round(y, 1), round(side, 1), round(side, 1))


@dataclass(frozen=True)
class Placed:
    point: Point
    x: float
    y: float


def place(points: list[Point]) -> list[Placed]:
    """Each point with its SVG coordinates (points outside the map are left out)."""
    placed = []
    west, south, east, north = EXTENT
    for p in points:
        if south <= p.latitude <= north and west <= p.longitude <= east:
            x, y = project(p.latitude, p.longitude)
            placed.append(Placed(p, x, y))
    return placed


# The archipelagos are Vietnam's (Hoàng Sa: Đà Nẵng; Trường Sa: Khánh Hòa): every map names them.
ARCHIPELAGOS = (
    ("hoang-sa", 16.45, 112.0),
    ("truong-sa", 9.9, 114.2),
)


def archipelago_labels() -> list[dict[str, Any]]:
    names = {"hoang-sa": _("Quần đảo Hoàng Sa"), "truong-sa": _("Quần đảo Trường Sa")}
    labels = []
    for code, lat, lon in ARCHIPELAGOS:
        x, y = project(lat, lon)
        labels.append({"code": code, "name": names[code], "x": x, "y": y, "lat": lat, "lon": lon})
    return labels


def unproject_lat(y: float) -> float:
    """The latitude at ``y`` SVG units from the top of the map."""
    _west, _south, _east, north = EXTENT
    merc = _mercator_y(north) - y / _scale()
    return math.degrees(2 * math.atan(math.exp(merc)) - math.pi / 2)


SCALE_STEPS_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)


def scale_bar(view: View) -> dict[str, Any]:
    """A scale bar about a quarter of the view wide, at its bottom left: where, how long, and its label."""
    lat = unproject_lat(view.y + view.height / 2)
    units_per_km = _scale() * math.pi / 180 / (111.32 * math.cos(math.radians(lat)))
    km = max([k for k in SCALE_STEPS_KM if k * units_per_km <= view.width * 0.28] or [SCALE_STEPS_KM[0]])
    x, y = view.x + view.width * 0.05, view.y + view.height * 0.95
    label = f"{int(km * 1000)} m" if km < 1 else f"{km:g} km"
    return {"x1": round(x, 2), "x2": round(x + km * units_per_km, 2), "y": round(y, 2), "label": label}


def svg_map(
    points: list[Point],
    *,
    title: str,
    view: View | None = None,
    places: tuple[tuple[float, float, str], ...] = (),
) -> dict[str, Any]:
    """The context of ``maps/_svg.html``: the outline, the view, the points placed, the archipelagos named, a
    scale bar, and ``places`` (latitude, longitude, name) named on the map (the commune a view is about)."""
    placed = place(points)
    if view is None:
        view = view_around([(p.point.latitude, p.point.longitude) for p in placed]) if placed else whole_view()
    named = [{"name": name, **dict(zip(("x", "y"), project(lat, lon), strict=True))} for lat, lon, name in places]
    return {
        "scale": scale_bar(view),
        "places": named,
        "title": title,
        "outline": static(OUTLINE),
        "width": WIDTH,
        "height": height(),
        "view": view,
        "placed": placed,
        "labels": archipelago_labels(),
        "label_size": round(view.radius * 1.6, 2),
    }
