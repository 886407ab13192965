"""JSON for the Front's forwarding at /api/v1/front: record a batch, list the batches, read one with each
opinion's status and answer. Only the forwarding committee's supervisors; errors have the API's one shape."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from pakn.core.errors import NotFound
from pakn.frontdesk import services
from pakn.frontdesk.models import FrontBatch

router = Router(tags=["front"])


class ResidentIn(Schema):
    name: str = ""
    phone: str = ""
    address: str = ""


class OpinionIn(Schema):
    kind: str = ""
    title: str = ""
    content: str = ""
    topic_code: str | None = None
    address: str = ""
    join: str = ""  # the tracking code of a case of the area this opinion joins
    resident: ResidentIn | None = None


class BatchIn(Schema):
    front_unit_code: str | None = None
    source: str
    meeting: str
    held_on: date
    place: str
    document_number: str
    forwarded_on: date | None = None
    opinions: list[OpinionIn]


class OpinionOut(Schema):
    number: int
    title: str
    joined: bool
    tracking_code: str
    unit_code: str
    status: str
    answered: bool
    answer: str
    answered_on: date | None


class BatchOut(Schema):
    id: int
    front_unit_code: str
    source: str
    meeting: str
    held_on: date
    place: str
    document_number: str
    forwarded_on: date
    opinions: list[OpinionOut]


def _batch_out(batch: FrontBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "front_unit_code": batch.front_unit.code,
        "source": batch.source,
        "meeting": batch.meeting,
        "held_on": batch.held_on,
        "place": batch.place,
        "document_number": batch.document_number,
        "forwarded_on": batch.forwarded_on,
        "opinions": [
            {
                "number": r["opinion"].number,
                "title": r["title"],
                "joined": r["opinion"].joined,
                "tracking_code": r["tracking_code"],
                "unit_code": r["unit"].code,
                "status": r["status"],
                "answered": r["answered"],
                "answer": r["answer"],
                "answered_on": r["answered_on"],
            }
            for r in services.opinion_rows(batch)
        ],
    }


def _require_front(request: HttpRequest) -> None:
    if not services.is_front_member(request.user):
        raise NotFound()


@router.get("/batches", response=list[BatchOut], operation_id="list_front_batches")
def list_batches(request: HttpRequest) -> list[dict[str, Any]]:
    """The batches the caller's Front committees forwarded, newest first (at most 100)."""
    _require_front(request)
    return [_batch_out(b) for b in services.batches_for(request.user)[:100]]


@router.get("/batches/{batch_id}", response=BatchOut, operation_id="get_front_batch")
def get_batch(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    return _batch_out(services.access_batch(request.user, batch_id))


@router.post("/batches", response={201: BatchOut}, operation_id="record_front_batch")
def record_batch(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """Record a batch: each opinion becomes a case of the competent unit (channel ``front``) or joins the case
    named by ``join``. A resident's name and contact are sealed with the case, never returned."""
    _require_front(request)
    data = payload.dict()
    code = data.pop("front_unit_code")
    front_unit = None
    if code:
        front_unit = services.front_units(request.user).filter(code=code).first()
        if front_unit is None:
            raise NotFound()
    batch = services.record_batch(actor=request.user, front_unit=front_unit, **data)
    return Status(201, _batch_out(batch))
