"""JSON for hotlines at /api/v1/hotlines: the public directory, and the call log for the staff who keep a
unit's hotlines (recording a call, optionally as a case, goes through ``hotline.services.record_call``).
Errors have the API's one shape; a hotline of another unit is "not found"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from pakn.core.errors import NotFound
from pakn.core.people import person_name
from pakn.hotline import services
from pakn.hotline.models import Call

router = Router(tags=["hotlines"])


class HotlineOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    province_code: str
    commune_code: str | None
    official_name: str
    position: str
    phone: str
    hours: str
    note: str


class DirectoryQuery(Schema):
    province_code: str | None = None
    commune_code: str | None = None
    q: str | None = None


class CallerIn(Schema):
    name: str = ""
    phone: str = ""
    address: str = ""


class CallIn(Schema):
    received_at: datetime
    duration_minutes: int
    summary: str
    outcome: str  # "case" | "information"
    kind: str | None = None
    title: str = ""
    topic_code: str | None = None
    address: str = ""
    caller: CallerIn | None = None


class CallOut(Schema):
    id: int
    hotline_id: int
    unit_code: str
    received_at: datetime
    duration_minutes: int
    summary: str
    outcome: str
    on_duty: str
    recorded_by: str
    case_id: int | None
    tracking_code: str | None
    case_unit_code: str | None


class CallQuery(Schema):
    hotline_id: int | None = None


def _hotline_out(h: Any) -> dict[str, Any]:
    return {
        "id": h.pk,
        "unit_code": h.unit.code,
        "unit_name": h.unit.name,
        "province_code": h.unit.province_id,
        "commune_code": h.unit.commune_id,
        "official_name": h.official_name,
        "position": h.position,
        "phone": h.phone,
        "hours": h.hours,
        "note": h.note,
    }


def _call_out(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "hotline_id": call.hotline_id,
        "unit_code": call.hotline.unit.code,
        "received_at": call.received_at,
        "duration_minutes": call.duration_minutes,
        "summary": call.summary,
        "outcome": call.outcome,
        "on_duty": person_name(call.on_duty),
        "recorded_by": person_name(call.recorded_by),
        "case_id": call.case_id,
        "tracking_code": call.case.tracking_code if call.case else None,
        "case_unit_code": call.case.unit.code if call.case else None,
    }


@router.get("", response=list[HotlineOut], auth=None, operation_id="list_hotlines")
def list_hotlines(request: HttpRequest, filters: Query[DirectoryQuery]) -> list[dict[str, Any]]:
    """Published leaders' hotlines (at most 500), by province, commune or words of the unit or official."""
    rows = services.public_hotlines(
        province_code=filters.province_code or "", commune_code=filters.commune_code or "", query=filters.q or ""
    )
    return [_hotline_out(h) for h in rows[:500]]


def _require_keeper(request: HttpRequest) -> None:
    if not services.maintainable_units(request.user).exists():
        raise NotFound()


@router.get("/calls", response=list[CallOut], operation_id="list_hotline_calls")
def list_calls(request: HttpRequest, filters: Query[CallQuery]) -> list[dict[str, Any]]:
    """The call log of the units the caller keeps (clerks, heads, unit administrators), newest first, at most
    500 rows. No caller's name or number: those are sealed with the case a call became."""
    _require_keeper(request)
    hotline = services.access_hotline(request.user, filters.hotline_id) if filters.hotline_id else None
    return [_call_out(c) for c in services.calls_for(request.user, hotline=hotline)[:500]]


@router.post("/{hotline_id}/calls", response={201: CallOut}, operation_id="record_hotline_call")
def record_call(request: HttpRequest, hotline_id: int, payload: CallIn) -> Status[dict[str, Any]]:
    """Log a call; with ``outcome`` = ``case`` it becomes a case in the same step (routed as usual; the
    caller's details are sealed with it). ``received_at`` carries its time zone."""
    _require_keeper(request)
    hotline = services.access_hotline(request.user, hotline_id)
    data = payload.dict()
    caller = data.pop("caller") or None
    call = services.record_call(actor=request.user, hotline=hotline, caller=caller, **data)
    return Status(201, _call_out(Call.objects.select_related("hotline__unit", "case__unit").get(pk=call.pk)))
