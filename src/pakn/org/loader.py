"""Load the 34 provinces, 3,321 communes and their standing bodies from the dataset bundled with
``vietnamadminunits`` (MIT).

For each province and each commune four units are kept in step with the dataset: the People's
Committee (``UBND-{code}``), the party committee (``DU-{code}``), the Fatherland Front committee
(``MTTQ-{code}``) and the party committee's inspection commission (``UBKT-{code}``, Ủy ban kiểm tra, which
handles denunciations and conduct reports about party members: Quy định 296-QĐ/TW). A commune's standing
body has the province's body of the same kind as parent; an inspection commission has the party committee
of its place as parent.

Loading is idempotent: rows are matched by code, only what differs is written (bulk, one
transaction), nothing is deleted. Fields staff set by hand (deadlines, remote area, e-mail,
active flag) are never touched.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model, Q

from pakn.core import tables

from .models import Commune, Province, Unit, UnitKind, UnitLevel

BATCH_SIZE = 1000

# Prefix of the unit code for each of the three standing bodies, and of the party committees' inspection
# commissions (whose parent is the party committee of the same place, not the commission above).
UNIT_PREFIXES: dict[str, str] = {
    UnitKind.PEOPLES_COMMITTEE: "UBND",
    UnitKind.PARTY_COMMITTEE: "DU",
    UnitKind.FRONT_COMMITTEE: "MTTQ",
    UnitKind.INSPECTION_COMMISSION: "UBKT",
}
STANDING_KINDS = (UnitKind.PEOPLES_COMMITTEE, UnitKind.PARTY_COMMITTEE, UnitKind.FRONT_COMMITTEE)

# The party committee of Ho Chi Minh City is not named after its short name alone.
_CITY_PARTY_NAMES = {"79": "Thành ủy Thành phố Hồ Chí Minh"}

_SQL = """
SELECT provinceCode, province, provinceShort, wardCode, ward, wardShort, wardType, wardLat, wardLon
FROM admin_units ORDER BY provinceCode, wardCode
"""


@dataclass
class LoadReport:
    """Rows created and updated, per model (keys ``province``, ``commune``, ``unit``)."""

    created: dict[str, int] = field(default_factory=lambda: {"province": 0, "commune": 0, "unit": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"province": 0, "commune": 0, "unit": 0})
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


@dataclass(frozen=True)
class _Ward:
    code: str
    province_code: str
    name: str
    short_name: str
    kind: str
    latitude: float | None
    longitude: float | None


def dataset_path() -> Path:
    """The SQLite file bundled with ``vietnamadminunits`` (found without importing the package, whose
    import loads several megabytes of converter data)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"


def read_dataset() -> tuple[dict[str, tuple[str, str]], list[_Ward]]:
    """(province code → (name, short name), wards) from the bundled dataset, opened read-only."""
    uri = dataset_path().resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        rows = conn.execute(_SQL).fetchall()
    finally:
        conn.close()
    provinces: dict[str, tuple[str, str]] = {}
    wards: list[_Ward] = []
    for pcode, pname, pshort, wcode, wname, wshort, wtype, lat, lon in rows:
        provinces.setdefault(pcode, (pname, pshort))
        wards.append(_Ward(wcode, pcode, wname, wshort, wtype, lat, lon))
    return provinces, wards


def province_unit_names(code: str, name: str, short_name: str) -> dict[str, str]:
    is_city = name.startswith("Thành phố")
    party = _CITY_PARTY_NAMES.get(code) or (f"Thành ủy {short_name}" if is_city else f"Tỉnh ủy {short_name}")
    return {
        UnitKind.PEOPLES_COMMITTEE: f"Ủy ban nhân dân {name}",
        UnitKind.PARTY_COMMITTEE: party,
        UnitKind.FRONT_COMMITTEE: f"Ủy ban Mặt trận Tổ quốc Việt Nam {name}",
        UnitKind.INSPECTION_COMMISSION: f"Ủy ban Kiểm tra {party}",
    }


def commune_unit_names(name: str) -> dict[str, str]:
    return {
        UnitKind.PEOPLES_COMMITTEE: f"Ủy ban nhân dân {name}",
        UnitKind.PARTY_COMMITTEE: f"Đảng ủy {name}",
        UnitKind.FRONT_COMMITTEE: f"Ủy ban MTTQ Việt Nam {name}",
        UnitKind.INSPECTION_COMMISSION: f"Ủy ban Kiểm tra Đảng ủy {name}",
    }


def unit_code(kind: str, place_code: str) -> str:
    return f"{UNIT_PREFIXES[kind]}-{place_code}"


def _normalise_codes(codes: Iterable[str], known: Mapping[str, Any]) -> set[str]:
    if isinstance(codes, str):
        codes = [codes]
    wanted = {str(c).strip().zfill(2) for c in codes}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise ValueError(f"Không có tỉnh/thành phố mã {', '.join(unknown)} trong dữ liệu.")
    return wanted


def _sync(
    model: type[Model],
    existing: Mapping[str, Model],
    wanted: Mapping[str, dict[str, Any]],
    key_field: str,
) -> tuple[int, int]:
    """Create the rows of ``wanted`` missing from ``existing`` and update those that differ.
    Both are keyed by ``key_field``. Returns (created, updated)."""
    to_create: list[Model] = []
    to_update: list[Model] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**{key_field: key}, **values))
            continue
        diff = [f for f, v in values.items() if getattr(obj, f) != v]
        if diff:
            for f in diff:
                setattr(obj, f, values[f])
            changed_fields.update(diff)
            to_update.append(obj)
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    return len(to_create), len(to_update)


def load_units(*, provinces: Iterable[str] | None = None) -> LoadReport:
    """Create or update provinces, communes, their three standing bodies and the party committees'
    inspection commissions from the bundled dataset.

    ``provinces`` restricts the load to some province codes (e.g. ``["01", "79"]``); an unknown code
    raises ``ValueError``. Safe to run again: a second run writes nothing.
    """
    started = time.perf_counter()
    report = LoadReport()
    all_provinces, all_wards = read_dataset()
    selected = set(all_provinces) if provinces is None else _normalise_codes(provinces, all_provinces)
    province_rows = {c: v for c, v in sorted(all_provinces.items()) if c in selected}
    wards = [w for w in all_wards if w.province_code in selected]

    kinds = list(STANDING_KINDS)
    commission = UnitKind.INSPECTION_COMMISSION
    with transaction.atomic():
        # Provinces and communes: keyed by their official code (the primary key).
        report.created["province"], report.updated["province"] = _sync(
            Province,
            Province.objects.in_bulk(list(province_rows)),
            {c: {"name": n, "short_name": s} for c, (n, s) in province_rows.items()},
            "code",
        )
        report.created["commune"], report.updated["commune"] = _sync(
            Commune,
            Commune.objects.in_bulk(),  # all of them: a code could have moved province
            {
                w.code: {
                    "province_id": w.province_code,
                    "name": w.name,
                    "short_name": w.short_name,
                    "kind": w.kind,
                    "latitude": w.latitude,
                    "longitude": w.longitude,
                }
                for w in wards
            },
            "code",
        )

        # Units, keyed by their code. Every unit this loader may own has one of the prefixes.
        prefix_q = Q()
        for prefix in UNIT_PREFIXES.values():
            prefix_q |= Q(code__startswith=f"{prefix}-")
        owned = ("id", "code", "name", "kind", "level", "province_id", "commune_id", "parent_id")
        existing_units = {u.code: u for u in Unit.objects.filter(prefix_q).only(*owned)}

        province_units: dict[str, dict[str, Any]] = {}
        for pcode, (pname, pshort) in province_rows.items():
            names = province_unit_names(pcode, pname, pshort)
            for kind in kinds:
                province_units[unit_code(kind, pcode)] = {
                    "name": names[kind],
                    "kind": str(kind),
                    "level": str(UnitLevel.PROVINCE),
                    "province_id": pcode,
                    "commune_id": None,
                    "parent_id": None,
                }
        c1, u1 = _sync(Unit, existing_units, province_units, "code")

        parent_ids = dict(Unit.objects.filter(code__in=list(province_units)).values_list("code", "id"))
        commune_units: dict[str, dict[str, Any]] = {}
        for pcode, (pname, pshort) in province_rows.items():
            commune_units[unit_code(commission, pcode)] = {
                "name": province_unit_names(pcode, pname, pshort)[commission],
                "kind": str(commission),
                "level": str(UnitLevel.PROVINCE),
                "province_id": pcode,
                "commune_id": None,
                "parent_id": parent_ids[unit_code(UnitKind.PARTY_COMMITTEE, pcode)],
            }
        for w in wards:
            names = commune_unit_names(w.name)
            for kind in kinds:
                commune_units[unit_code(kind, w.code)] = {
                    "name": names[kind],
                    "kind": str(kind),
                    "level": str(UnitLevel.COMMUNE),
                    "province_id": w.province_code,
                    "commune_id": w.code,
                    "parent_id": parent_ids[unit_code(kind, w.province_code)],
                }
        c2, u2 = _sync(Unit, existing_units, commune_units, "code")

        # The communes' inspection commissions, under the commune party committees created just above.
        party_codes = [unit_code(UnitKind.PARTY_COMMITTEE, w.code) for w in wards]
        party_ids = dict(Unit.objects.filter(code__in=party_codes).values_list("code", "id"))
        commissions: dict[str, dict[str, Any]] = {
            unit_code(commission, w.code): {
                "name": commune_unit_names(w.name)[commission],
                "kind": str(commission),
                "level": str(UnitLevel.COMMUNE),
                "province_id": w.province_code,
                "commune_id": w.code,
                "parent_id": party_ids[unit_code(UnitKind.PARTY_COMMITTEE, w.code)],
            }
            for w in wards
        }
        c3, u3 = _sync(Unit, existing_units, commissions, "code")
        report.created["unit"], report.updated["unit"] = c1 + c2 + c3, u1 + u2 + u3
        tables.all_changed()  # bulk writes send no signals: every process rereads places and units

    report.seconds = time.perf_counter() - started
    return report
