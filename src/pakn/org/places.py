"""Where a case happened: the province and commune a citizen chose, or what their written address
says. Citizens still write pre-2025 addresses (with a district); those are converted to the current
units with ``vietnamadminunits``.

The converter runs offline only: the library would otherwise send an address to a geocoding web
service (ArcGIS) when an old ward was split between several new ones; here that look-up is switched
off and the library's default new ward is used instead.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.utils.translation import gettext_lazy as _

from pakn.core.errors import InvalidInput
from pakn.core.tables import reference_table
from pakn.core.text import clean_text, fold

from .models import Commune, Province

log = logging.getLogger(__name__)

MAX_ADDRESS_LENGTH = 300  # longer text is cut before parsing: addresses are short, parsing is not free

MSG_CHOOSE_PROVINCE = _("Vui lòng chọn tỉnh/thành phố.")
MSG_UNKNOWN_PROVINCE = _("Không tìm thấy tỉnh/thành phố đã chọn.")
MSG_UNKNOWN_COMMUNE = _("Không tìm thấy xã/phường đã chọn.")
MSG_COMMUNE_MISMATCH = _("Xã/phường không thuộc tỉnh/thành phố đã chọn.")


@dataclass(frozen=True)
class Place:
    province_code: str
    commune_code: str | None = None
    converted_from: str | None = None  # the pre-2025 address this place was converted from
    street: str | None = None  # house number, street… as extracted from the address


@dataclass(frozen=True)
class _Candidate:
    ward_code: str
    street: str | None
    converted: bool


# A district written out: the address is pre-2025 (no district level since 2025-07-01).
_DISTRICT_WORD = re.compile(r"(?<!\w)(quận|huyện|thị xã|quan|huyen|thi xa)(?!\w)")
_DISTRICT_ABBREVIATION = re.compile(r"^\s*(q|h|tx)\s*\.\s*\w|^\s*q\s*\d")
_CITY = re.compile(r"^\s*(thành phố|thanh pho|tp)(?!\w)")
_COUNTRY = re.compile(r"^\s*(việt nam|viet nam|vietnam|vn)\s*\.?\s*$")


def _no_geocoding(address: Any) -> None:
    return None


@functools.cache
def _library() -> ModuleType:
    """Import the converter lazily (it loads several megabytes of data) and switch off geocoding."""
    import vietnamadminunits
    from vietnamadminunits.converter import converter_2025

    if not hasattr(converter_2025, "get_geo_location"):  # pragma: no cover - guards a library upgrade
        raise RuntimeError("vietnamadminunits changed: cannot switch off geocoding")
    converter_2025.get_geo_location = _no_geocoding
    return vietnamadminunits


def _code(value: Any, length: int) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    return value if len(value) == length and value.isascii() and value.isdigit() else ""


def _clean_address(address: Any) -> str:
    if not isinstance(address, str):
        return ""
    text = clean_text(address.replace("\r", "\n")).replace("\n", ", ")[:MAX_ADDRESS_LENGTH]
    parts = [p.strip() for p in text.split(",")]
    while parts and (not parts[-1] or _COUNTRY.match(parts[-1].lower())):
        parts.pop()
    return ", ".join(p for p in parts if p)


def _words(text: str) -> str:
    return " " + re.sub(r"[^0-9a-z]+", " ", fold(text)).strip() + " "


def _looks_pre_2025(address: str) -> bool:
    segments = address.lower().split(",")
    if any(_DISTRICT_WORD.search(s) or _DISTRICT_ABBREVIATION.match(s) for s in segments):
        return True
    # A city that is not the last part is a former provincial city (a district-level unit).
    return any(_CITY.match(s) for s in segments[:-1])


def _names_ward(address: str, ward_name: str | None) -> bool:
    """Whether the address writes the ward's full name ("Phường Ba Đình") within one of its parts."""
    if not ward_name:
        return False
    key = _words(ward_name)
    return any(key in _words(segment) for segment in address.split(","))


def _candidates(address: str) -> list[_Candidate]:
    """Ward codes the address may mean, most likely first (not yet checked against the database)."""
    lib = _library()
    old = new = None
    named = False
    try:
        unit = lib.convert_address(address)
        if unit.ward_code:
            old = _Candidate(str(unit.ward_code), unit.street or None, converted=True)
    except Exception:  # the library raises on some input; any failure means "not an old address"
        log.debug("convert_address failed", exc_info=True)  # the address itself is personal data
    try:
        unit = lib.parse_address(address)
        if unit.ward_code:
            new = _Candidate(str(unit.ward_code), unit.street or None, converted=False)
            named = _names_ward(address, unit.ward)
    except Exception:
        log.debug("parse_address failed", exc_info=True)
    new_named = new if new is not None and named else None
    if new_named is not None and old is not None and new_named.ward_code == old.ward_code:
        return [new_named]  # the current name of the ward is written out: nothing was converted
    order = [old, new_named] if _looks_pre_2025(address) else [new_named, old, new]
    return [c for c in order if c is not None]


@dataclass(frozen=True)
class ProvinceRef:
    code: str
    name: str


@reference_table("place_codes", Province, Commune)
def place_codes() -> tuple[dict[str, ProvinceRef], dict[str, str]]:
    """The provinces by code, and each commune's province: every submission checks its place against them."""
    provinces = {code: ProvinceRef(code, name) for code, name in Province.objects.values_list("code", "name")}
    return provinces, dict(Commune.objects.values_list("code", "province_id"))


def _resolve_address(address: str, province: ProvinceRef | None) -> Place | None:
    attempts = [address]
    if province is not None:
        attempts.append(f"{address}, {province.name}")  # the province is often left out of the text
    for text in attempts:
        candidates = _candidates(text)
        if not candidates:
            continue
        known = place_codes()[1]
        for c in candidates:
            pcode = known.get(c.ward_code)
            if pcode is None or (province is not None and pcode != province.code):
                continue
            return Place(
                province_code=pcode,
                commune_code=c.ward_code,
                converted_from=address if c.converted else None,
                street=c.street,
            )
    return None


def resolve_place(*, province_code: str | None, commune_code: str | None, address: str = "") -> Place:
    """The place a citizen means.

    - A chosen commune must exist and lie in the chosen province (if one was chosen).
    - Otherwise the address is read: as a pre-2025 address (converted) or a current one. A result
      counts only if it names a commune of the database (in the chosen province, if one was chosen).
    - Otherwise the chosen province alone; with no province either, the citizen must choose one.

    Raises only ``InvalidInput`` (fields ``province_code`` / ``commune_code``).
    """
    pcode = _code(province_code, 2)
    ccode = _code(commune_code, 5)
    text = _clean_address(address)

    provinces, commune_provinces = place_codes()
    province = None
    if pcode is not None:
        province = provinces.get(pcode) if pcode else None
        if province is None:
            raise InvalidInput(fields={"province_code": [MSG_UNKNOWN_PROVINCE]})

    if ccode is not None:
        commune_province = commune_provinces.get(ccode) if ccode else None
        if commune_province is None:
            raise InvalidInput(fields={"commune_code": [MSG_UNKNOWN_COMMUNE]})
        if province is not None and commune_province != province.code:
            raise InvalidInput(fields={"commune_code": [MSG_COMMUNE_MISMATCH]})
        return Place(province_code=commune_province, commune_code=ccode)

    if text:
        place = _resolve_address(text, province)
        if place is not None:
            return place
    if province is None:
        raise InvalidInput(fields={"province_code": [MSG_CHOOSE_PROVINCE]})
    return Place(province_code=province.code)


def _sort_key(name: str) -> tuple[str, str]:
    # Alphabetical the Vietnamese way for the common case: diacritics ignored, but đ after d.
    return fold(name.replace("đ", "d~").replace("Đ", "D~")), name


def communes_of(province_code: str | None) -> list[tuple[str, str]]:
    """(code, name) of the communes of a province, by name without the "Xã/Phường" prefix."""
    pcode = _code(province_code, 2)
    if not pcode:
        return []
    rows = Commune.objects.filter(province_id=pcode).values_list("code", "name", "short_name")
    return [(code, name) for code, name, short in sorted(rows, key=lambda r: _sort_key(r[2]))]


# ---------------------------------------------------------------- positions (docs/location.md)

# Where a shared position may be: Vietnam's mainland and islands (Hoàng Sa, Trường Sa) with a margin at sea.
VIETNAM_BOUNDS = (6.0, 101.5, 24.0, 118.0)  # south, west, north, east
MAX_DISTANCE_KM = 40.0  # a point farther than this from every commune centre is outside the service area
RESOLVE_MAX_ACCURACY_M = 2000  # a coarser position (a phone without GPS) does not choose the commune
MAX_ACCURACY_M = 1_000_000

MSG_POSITION_INVALID = _(
    "Không đọc được vị trí đã chia sẻ (vĩ độ, kinh độ phải là số). Hãy bấm lại “Dùng vị trí hiện tại của tôi” "
    "hoặc bỏ vị trí và chọn tỉnh/thành phố, xã/phường."
)
MSG_POSITION_HALF = _("Vị trí cần cả vĩ độ và kinh độ. Hãy chia sẻ lại vị trí hoặc bỏ vị trí.")
MSG_POSITION_OUTSIDE = _(
    "Vị trí đã chia sẻ nằm ngoài lãnh thổ Việt Nam. Hãy bỏ vị trí và chọn tỉnh/thành phố, xã/phường nơi xảy ra sự việc."
)
MSG_ACCURACY_INVALID = _("Sai số vị trí phải là một số mét không âm.")


@dataclass(frozen=True)
class Position:
    """A point a citizen shared from their phone: WGS84 degrees, and the radius (m) the phone vouches for."""

    latitude: float
    longitude: float
    accuracy_m: int | None = None


def in_vietnam(lat: float, lon: float) -> bool:
    south, west, north, east = VIETNAM_BOUNDS
    return south <= lat <= north and west <= lon <= east


def _number(value: Any) -> float | None:
    """A finite float from a number or its text (a comma as the decimal mark is accepted), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def clean_position(latitude: Any, longitude: Any, accuracy_m: Any = None) -> Position | None:
    """The position in a submission, checked: None when none was given (it is never required), else a Position
    inside Vietnam (6 decimals, about 0.1 m). Raises InvalidInput (field ``location``) with a message that says
    what to do."""
    given = [v not in (None, "") and str(v).strip() != "" for v in (latitude, longitude)]
    if not any(given):
        return None
    if not all(given):
        raise InvalidInput(fields={"location": [MSG_POSITION_HALF]})
    lat, lon = _number(latitude), _number(longitude)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        raise InvalidInput(fields={"location": [MSG_POSITION_INVALID]})
    if not in_vietnam(lat, lon):
        raise InvalidInput(fields={"location": [MSG_POSITION_OUTSIDE]})
    accuracy: int | None = None
    if accuracy_m not in (None, "") and str(accuracy_m).strip():
        value = _number(accuracy_m)
        if value is None or value < 0:
            raise InvalidInput(fields={"location": [MSG_ACCURACY_INVALID]})
        accuracy = min(round(value), MAX_ACCURACY_M)
    return Position(round(lat, 6), round(lon, 6), accuracy)


@dataclass(frozen=True)
class CommuneCentres:
    """Where each commune's centre is (the communes without one are left out). Read-only."""

    by_province: dict[str, list[tuple[str, float, float]]]  # province → (commune, latitude, longitude)
    by_commune: dict[str, tuple[float, float]]


@reference_table("commune_centres", Commune)
def commune_centres() -> CommuneCentres:
    """The communes' centres: the duplicate check looks for the communes near every new case."""
    by_province: dict[str, list[tuple[str, float, float]]] = {}
    by_commune: dict[str, tuple[float, float]] = {}
    rows = Commune.objects.filter(latitude__isnull=False, longitude__isnull=False).order_by("province_id", "code")
    for code, province, lat, lon in rows.values_list("code", "province_id", "latitude", "longitude"):
        centre = (float(lat or 0.0), float(lon or 0.0))  # never None: filtered above
        by_province.setdefault(province, []).append((code, *centre))
        by_commune[code] = centre
    return CommuneCentres(by_province, by_commune)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def nearest_commune(lat: float, lon: float, *, max_km: float = MAX_DISTANCE_KM) -> str | None:
    """The commune whose centre is nearest to the point, if one is within ``max_km``. Communes are not round:
    near a boundary the neighbour's centre may be nearer, which is why a clerk can correct the commune."""
    box = max_km / 111.0 + 0.01  # degrees of latitude; longitude degrees are shorter, so this is generous
    wide = box / max(math.cos(math.radians(lat)), 0.1)
    candidates = Commune.objects.filter(
        latitude__gte=lat - box,
        latitude__lte=lat + box,
        longitude__gte=lon - wide,
        longitude__lte=lon + wide,
    ).values_list("code", "latitude", "longitude")
    best: tuple[float, str] | None = None
    for code, clat, clon in candidates:
        if clat is None or clon is None:
            continue
        d = distance_km(lat, lon, clat, clon)
        if d <= max_km and (best is None or d < best[0]):
            best = (d, code)
    return best[1] if best else None


def commune_at(position: Position, *, province_code: Any = None) -> tuple[str, str] | None:
    """(province code, commune code) of the commune a position is in, as far as its centre tells; None when the
    position is too coarse, out of every commune's reach, or in another province than the one chosen (the
    citizen's choice wins: the position may be where they stand, not where the matter is)."""
    if position.accuracy_m is not None and position.accuracy_m > RESOLVE_MAX_ACCURACY_M:
        return None
    code = nearest_commune(position.latitude, position.longitude)
    if code is None:
        return None
    province = place_codes()[1].get(code)
    if province is None or (province_code and str(province_code) != province):
        return None
    return province, code
