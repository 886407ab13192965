"""Build the map data shipped in the package, once, from Natural Earth's 1:50m country outlines as the npm package
``world-atlas`` (2.0.2, ISC; Natural Earth is in the public domain) redistributes them as TopoJSON:

- ``src/pakn/static/pakn/map/vietnam.svg``: the outline drawn under every server-rendered map, in the projection of
  ``pakn.core.maps`` (Vietnam, the land around it, the islands of Hoàng Sa and Trường Sa);
- ``src/pakn/static/pakn/map/tiles/{z}/{x}/{y}.png``: small PNG tiles (zoom 5–8, over ``maps.EXTENT`` only) for
  the staff pages' Leaflet map when the deployment names no tile server (``PAKN_MAP_TILE_URL``).

Run after ``npm ci``: ``.venv/bin/python scripts/build_map_data.py``. The output is committed; nothing here runs at
install or request time. docs/location.md records the source and the licence."""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pakn.core import maps  # noqa: E402

SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
OUT = ROOT / "src" / "pakn" / "static" / "pakn" / "map"
VIETNAM = "Vietnam"
MARGIN = 1.5  # degrees kept around EXTENT before clipping, so outlines do not end at the map's edge

# Islands of the two archipelagos (approximate centres; drawn as small land marks, the 1:50m data has none).
ISLANDS = [
    # Hoàng Sa
    (16.83, 112.34),
    (16.98, 112.26),
    (16.53, 111.61),
    (16.45, 111.70),
    (16.58, 111.72),
    (15.78, 111.20),
    (16.06, 111.79),
    (16.24, 112.89),
    (16.66, 112.73),
    (17.10, 111.51),
    # Trường Sa
    (8.64, 111.92),
    (11.43, 114.33),
    (11.45, 114.33),
    (9.88, 114.33),
    (10.18, 114.36),
    (10.38, 114.36),
    (7.88, 112.92),
    (8.85, 112.83),
    (9.35, 115.93),
    (10.86, 114.08),
    (11.05, 114.28),
    (8.96, 113.64),
    (10.73, 115.81),
    (8.15, 113.30),
    (9.70, 114.28),
]

SEA = (222, 235, 244)
LAND = (233, 230, 222)
HOME = (255, 250, 235)
BORDER = (150, 140, 125)


def decode(path: Path) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Country name → polygons (rings of (lon, lat)), from a quantized TopoJSON file."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    countries: dict[str, list[list[list[tuple[float, float]]]]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        parts = geometry.get("arcs", [])
        polygons = [parts] if geometry["type"] == "Polygon" else parts if geometry["type"] == "MultiPolygon" else []
        countries[geometry["properties"]["name"]] = [[ring(r) for r in polygon] for polygon in polygons]
    return countries


def clip(ring: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against an axis-aligned box (west, south, east, north)."""
    west, south, east, north = box
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    ]
    points = ring
    for inside, cross in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker (iterative), on projected points."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1e-12
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * (px - ax) - dx * (py - ay)) / norm if (dx or dy) else math.hypot(px - ax, py - ay)
            if distance > best:
                best, index = distance, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def clipped(countries: dict[str, list[list[list[tuple[float, float]]]]]) -> dict[str, list[list[tuple[float, float]]]]:
    """Country → rings (outer rings and holes alike; holes are rare here) inside EXTENT plus a margin."""
    west, south, east, north = maps.EXTENT
    box = (west - MARGIN, south - MARGIN, east + MARGIN, north + MARGIN)
    result: dict[str, list[list[tuple[float, float]]]] = {}
    for name, polygons in countries.items():
        rings = []
        for polygon in polygons:
            for ring in polygon:
                part = clip(ring, box)
                if len(part) >= 3:
                    rings.append(part)
        if rings:
            result[name] = rings
    return result


def svg_path(rings: list[list[tuple[float, float]]], tolerance: float) -> str:
    parts = []
    for ring in rings:
        projected = [maps.project(lat, lon) for lon, lat in ring]
        points = simplify(projected, tolerance)
        if len(points) < 3:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if max(xs) - min(xs) < 1.5 and max(ys) - min(ys) < 1.5:
            continue  # an island smaller than a unit
        # Relative moves between rounded points: short numbers, and no error adds up along the ring.
        rounded = [(round(x), round(y)) for x, y in points]
        steps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(rounded, rounded[1:], strict=False)]
        moves = " ".join(f"{dx} {dy}" for dx, dy in steps if dx or dy)
        parts.append(f"M{rounded[0][0]} {rounded[0][1]}l{moves}z".replace(" -", "-"))
    return "".join(parts)


def write_outline(rings: dict[str, list[list[tuple[float, float]]]]) -> int:
    width, height = round(maps.WIDTH), round(maps.height())
    others = [r for name, country in rings.items() if name != VIETNAM for r in country]
    islands = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="2.5"/>' for x, y in (maps.project(lat, lon) for lat, lon in ISLANDS)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<rect width="{width}" height="{height}" fill="#{_hex(SEA)}"/>'
        f'<path d="{svg_path(others, 2.5)}" fill="#{_hex(LAND)}" stroke="#{_hex(BORDER)}" stroke-width="0.8"/>'
        f'<path d="{svg_path(rings[VIETNAM], 1.0)}" fill="#{_hex(HOME)}" stroke="#a50e0e" stroke-width="1.2"/>'
        f'<g fill="#{_hex(HOME)}" stroke="#a50e0e" stroke-width="0.8">{islands}</g>'
        "</svg>\n"
    )
    (OUT / "vietnam.svg").write_text(svg, encoding="utf-8")
    return len(svg.encode())


def _hex(colour: tuple[int, int, int]) -> str:
    return "".join(f"{c:02x}" for c in colour)


# ---------------------------------------------------------------- tiles


def _tile_xy(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    n = 2**zoom
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def write_tiles(rings: dict[str, list[list[tuple[float, float]]]]) -> tuple[int, int]:
    from PIL import Image, ImageDraw

    target = OUT / "tiles"
    if target.exists():
        shutil.rmtree(target)
    west, south, east, north = maps.EXTENT
    palette = [*SEA, *LAND, *HOME, *BORDER]
    count = size = 0
    for zoom in range(maps.PACKAGED_MIN_ZOOM, maps.PACKAGED_MAX_ZOOM + 1):
        x0, y0 = _tile_xy(north, west, zoom)
        x1, y1 = _tile_xy(south, east, zoom)
        projected = {
            name: [[_tile_xy(lat, lon, zoom) for lon, lat in ring] for ring in country]
            for name, country in rings.items()
        }
        for tx in range(int(x0), int(x1) + 1):
            for ty in range(int(y0), int(y1) + 1):
                image = Image.new("P", (256, 256), 0)
                image.putpalette(palette)
                draw = ImageDraw.Draw(image)
                for name, country in projected.items():
                    fill = 2 if name == VIETNAM else 1
                    for ring in country:
                        pixels = [((x - tx) * 256, (y - ty) * 256) for x, y in ring]
                        if len(pixels) >= 3:
                            draw.polygon(pixels, fill=fill, outline=3)
                for lat, lon in ISLANDS:
                    x, y = _tile_xy(lat, lon, zoom)
                    px, py = (x - tx) * 256, (y - ty) * 256
                    radius = 1 + (zoom - maps.PACKAGED_MIN_ZOOM)
                    if -radius <= px <= 256 + radius and -radius <= py <= 256 + radius:
                        draw.ellipse((px - radius, py - radius, px + radius, py + radius), fill=2, outline=3)
                path = target / str(zoom) / str(tx) / f"{ty}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                image.save(path, "PNG", optimize=True, bits=2)
                count += 1
                size += path.stat().st_size
    return count, size


def main() -> None:
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: run `npm ci` first (world-atlas is a devDependency)")
    OUT.mkdir(parents=True, exist_ok=True)
    rings = clipped(decode(SOURCE))
    outline = write_outline(rings)
    tiles, size = write_tiles(rings)
    print(f"outline {outline} bytes; {tiles} tiles, {size} bytes")


if __name__ == "__main__":
    main()
