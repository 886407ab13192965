"""JSON for reception days: the public calendar and booking (for a province portal or an app), and the
register for staff — pseudonyms only, like the pages. Thin: access through ``reception.access``, every
write through ``reception.services``."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from pakn.core.errors import NotFound
from pakn.protection import throttle
from pakn.reception import clearance, follow_up, queries, refusals, services
from pakn.reception.access import fetch, readable_units
from pakn.reception.models import Entry, FollowUpTask

router = Router(tags=["reception"])


class SessionOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    province_code: str
    date: date
    start_time: time
    end_time: time
    kind: str
    mode: str
    place: str
    presider_name: str
    topic: str
    capacity: int
    free_slots: int


class SessionQuery(Schema):
    province_code: str | None = None
    unit_code: str | None = None


class BookingIn(Schema):
    name: str
    summary: str
    phone: str = ""
    email: str = ""
    address: str = ""
    people_count: int = 1


class BookingOut(Schema):
    code: str
    slot: int
    time: str
    date: date
    status: str


class EntryOut(Schema):
    id: int
    reference: str
    unit_code: str
    received_on: date
    person: str  # the pseudonym: the identity is sealed (docs/protection.md)
    summary: str
    kind: str
    people_count: int
    competence: str
    notice_due_on: date
    notified_on: date | None
    notice_outcome: str
    case_ids: list[int]


class RegisterQuery(Schema):
    unit_code: str | None = None
    year: int | None = None


def _session_out(session: Any) -> dict[str, Any]:
    return {
        "id": session.pk,
        "unit_code": session.unit.code,
        "unit_name": session.unit.name,
        "province_code": session.unit.province_id,
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "kind": session.kind,
        "mode": session.mode,
        "place": session.place,  # the video link of an online session goes to the people who booked only
        "presider_name": session.presider_name,
        "topic": session.topic,
        "capacity": session.capacity,
        "free_slots": max(session.capacity - session.booked, 0),
    }


@router.get(
    "/sessions", response=list[SessionOut], auth=None, operation_id="list_reception_sessions", url_name="rsessions"
)
def list_sessions(request: HttpRequest, filters: Query[SessionQuery]) -> list[dict[str, Any]]:
    """Published reception days and dialogues from today on (at most 500): when, where, who presides,
    how many slots are left. Never who booked."""
    sessions = queries.upcoming_sessions(timezone.localdate())
    if filters.province_code:
        sessions = sessions.filter(unit__province_id=filters.province_code)
    if filters.unit_code:
        sessions = sessions.filter(unit__code=filters.unit_code)
    return [_session_out(s) for s in sessions[:500]]


@router.post(
    "/sessions/{session_id}/bookings", response={201: BookingOut}, auth=None, operation_id="book_reception_slot"
)
def book(request: HttpRequest, session_id: int, payload: BookingIn) -> Status[dict[str, Any]]:
    """Book the next free slot. The name and contacts are sealed for the unit's protection officers; the
    answer carries the booking code (the citizen's key to cancel) and the time. Throttled per client."""
    throttle.check(request, "submit")
    session = queries.upcoming_sessions(timezone.localdate()).filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    booking = services.book_slot(session=session, **payload.dict())
    return Status(
        201,
        {
            "code": booking.code,
            "slot": booking.slot,
            "time": services.slot_time(session, booking.slot),
            "date": session.date,
            "status": booking.status,
        },
    )


@router.get("/register", response=list[EntryOut], operation_id="list_register_entries")
def register(request: HttpRequest, filters: Query[RegisterQuery]) -> list[dict[str, Any]]:
    """The reception register of the units the caller may read (staff and supervisors), newest first, at
    most 500 rows: pseudonyms and redacted summaries only."""
    entries = (
        Entry.objects.filter(unit__in=readable_units(request.user))
        .select_related("unit")
        .prefetch_related("entry_cases")
        .order_by("-received_on", "-number")
    )
    if filters.unit_code:
        entries = entries.filter(unit__code=filters.unit_code)
    if filters.year:
        entries = entries.filter(year=filters.year)
    return [
        {
            "id": e.pk,
            "reference": e.reference,
            "unit_code": e.unit.code,
            "received_on": e.received_on,
            "person": e.pseudonym,
            "summary": e.summary,
            "kind": e.kind,
            "people_count": e.people_count,
            "competence": e.competence,
            "notice_due_on": e.notice_due_on,
            "notified_on": e.notified_on,
            "notice_outcome": e.notice_outcome,
            "case_ids": [ec.case_id for ec in e.entry_cases.all()],
        }
        for e in entries[:500]
    ]


# ---------------------------------------------------------------- after reception: the citizen and the Front


class TaskReviewOut(Schema):
    by: str  # citizen | front
    verdict: str  # confirmed | disputed
    note: str
    created_at: datetime


class FollowUpTaskOut(Schema):
    id: int
    title: str
    conclusion_number: str
    concluding_unit_code: str
    owner_unit_code: str
    owner_unit_name: str
    due_on: date
    done_on: date | None
    result: str
    reviews: list[TaskReviewOut]


class TaskReviewIn(Schema):
    verdict: str  # confirmed | disputed
    note: str = ""


class FollowUpQuery(Schema):
    state: str = "done"  # done | open


def _review_out(review: Any) -> dict[str, Any]:
    return {"by": review.by, "verdict": review.verdict, "note": review.note, "created_at": review.created_at}


def _task_out(task: FollowUpTask, *, reviews: bool = True) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "conclusion_number": task.conclusion.number,
        "concluding_unit_code": task.conclusion.session.unit.code,
        "owner_unit_code": task.owner_unit.code,
        "owner_unit_name": task.owner_unit.name,
        "due_on": task.due_on,
        "done_on": task.done_on,
        "result": task.result,
        "reviews": [_review_out(r) for r in task.reviews.all()] if reviews else [],
    }


@router.get("/follow-up", response=list[FollowUpTaskOut], operation_id="list_front_follow_up_tasks")
def front_follow_up(request: HttpRequest, filters: Query[FollowUpQuery]) -> list[dict[str, Any]]:
    """For a Front supervisor: the follow-up tasks of reception and dialogues in their area (``state=done``: reported
    done, newest first; ``open``: still open, soonest due first), at most 500, with every word said of them."""
    tasks = (
        follow_up.front_tasks(request.user)
        .select_related("conclusion__session__unit", "owner_unit")
        .prefetch_related("reviews")
    )
    if filters.state == "open":
        tasks = tasks.filter(done_on__isnull=True).order_by("due_on", "pk")
    else:
        tasks = tasks.filter(done_on__isnull=False).order_by("-done_on", "-pk")
    return [_task_out(t) for t in tasks[:500]]


@router.post(
    "/follow-up/{task_id}/reviews", response={201: TaskReviewOut}, operation_id="review_follow_up_task_as_front"
)
def front_review(request: HttpRequest, task_id: int, payload: TaskReviewIn) -> Status[dict[str, Any]]:
    """The Front's word on a task reported done: ``confirmed``, or ``disputed`` with a note (required)."""
    task = follow_up.front_tasks(request.user).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    review = follow_up.review_as_front(actor=request.user, task=task, verdict=payload.verdict, note=payload.note)
    return Status(201, _review_out(review))


@router.get("/follow-up-links/{token}", response=FollowUpTaskOut, auth=None, operation_id="read_follow_up_task_by_link")
def citizen_task(request: HttpRequest, token: str) -> dict[str, Any]:
    """The task a citizen's link is about (the link sent when it was reported done). Others' words are not shown."""
    throttle.check(request, "citizen")
    return _task_out(follow_up.task_for_citizen(token), reviews=False)


@router.post(
    "/follow-up-links/{token}",
    response={201: TaskReviewOut},
    auth=None,
    operation_id="review_follow_up_task_as_citizen",
)
def citizen_review(request: HttpRequest, token: str, payload: TaskReviewIn) -> Status[dict[str, Any]]:
    """The citizen's word, once per report: ``confirmed``, or ``disputed`` with a note (their own details are
    removed from it)."""
    throttle.check(request, "submit")
    review = follow_up.review_as_citizen(token=token, verdict=payload.verdict, note=payload.note)
    return Status(201, _review_out(review))


# ---------------------------------------------------------------- refused receptions (Luật Tiếp công dân, Điều 9)


class RefusalOut(Schema):
    id: int
    unit_code: str
    refused_on: date
    ground: str  # incapacitated | threatening | settled | other (Điều 9, khoản 1–4)
    explanation: str
    earlier_matter: str
    notice_document: str
    refused_by: str
    person: str  # a pseudonym; the identity is sealed


class RefusalIn(Schema):
    unit_code: str
    refused_on: date
    ground: str
    explanation: str
    refused_by: str
    earlier_matter: str = ""
    notice_document: str = ""
    name: str = ""
    address: str = ""
    id_number: str = ""


def _refusal_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit_code": r.unit.code,
        "refused_on": r.refused_on,
        "ground": r.ground,
        "explanation": r.explanation,
        "earlier_matter": r.earlier_matter,
        "notice_document": r.notice_document,
        "refused_by": r.refused_by,
        "person": str(r.pseudonym),
    }


class RefusalQuery(Schema):
    unit_code: str | None = None
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/refusals", response=list[RefusalOut], operation_id="list_refused_receptions")
def list_refusals(request: HttpRequest, filters: Query[RefusalQuery]) -> list[dict[str, Any]]:
    """The register of refused receptions of the units the caller may read, newest first, at most 500."""
    rows = refusals.readable_refusals(request.user)
    if filters.unit_code:
        rows = rows.filter(unit__code=filters.unit_code)
    if filters.year:
        rows = rows.filter(refused_on__year=filters.year)
    return [_refusal_out(r) for r in rows[:500]]


@router.post("/refusals", response={201: RefusalOut}, operation_id="record_refused_reception")
def record_refusal(request: HttpRequest, payload: RefusalIn) -> Status[dict[str, Any]]:
    """Write a refusal into a unit's register (its clerks and heads): the ground of Điều 9 and what happened."""
    data = payload.dict()
    unit = readable_units(request.user).filter(code=data.pop("unit_code")).first()
    if unit is None:
        raise NotFound()
    return Status(201, _refusal_out(refusals.record_refusal(actor=request.user, unit=unit, **data)))


# ---------------------------------------------------------------- land clearance: projects, households, dialogues


class ClearanceProjectOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    name: str
    decision_number: str
    decision_date: date
    commune_code: str | None
    household_count: int
    dialogue_count: int


class HouseholdOut(Schema):
    id: int
    pseudonym: str  # the representative, contact and parcel are sealed (docs/protection.md)


class DialogueMinutesOut(Schema):
    text: str
    signed_by: str
    signed_on: date


class DialogueOut(Schema):
    id: int
    date: date
    status: str
    complaint_id: int | None  # the case's id: its tracking code is the complainant's key
    attended: list[int]  # ids of the households that came
    minutes: DialogueMinutesOut | None
    tasks: list[FollowUpTaskOut]
    task_households: dict[int, int]  # task id → household id, for the tasks about a household


class ClearanceProjectDetailOut(ClearanceProjectOut):
    description: str
    households: list[HouseholdOut]
    dialogues: list[DialogueOut]


class HouseholdIn(Schema):
    name: str
    parcel: str
    address: str = ""
    id_number: str = ""
    phone: str = ""


class ClearanceQuery(Schema):
    unit_code: str | None = None


def _project_out(p: Any, households: int, dialogues: int) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit_code": p.unit.code,
        "unit_name": p.unit.name,
        "name": p.name,
        "decision_number": p.decision_number,
        "decision_date": p.decision_date,
        "commune_code": p.commune_id,
        "household_count": households,
        "dialogue_count": dialogues,
    }


def _household_out(h: Any) -> dict[str, Any]:
    return {"id": h.pk, "pseudonym": str(h.pseudonym)}


@router.get("/clearance/projects", response=list[ClearanceProjectOut], operation_id="list_clearance_projects")
def clearance_projects(request: HttpRequest, filters: Query[ClearanceQuery]) -> list[dict[str, Any]]:
    """The land-clearance projects of the units the caller may read (staff and supervisors), newest decision
    first, at most 500, with how many households and dialogues each has."""
    rows = (
        clearance.readable_projects(request.user)
        .annotate(households_n=Count("households", distinct=True), dialogues_n=Count("dialogues", distinct=True))
        .order_by("-decision_date", "-pk")  # an aggregate drops Meta.ordering
    )
    if filters.unit_code:
        rows = rows.filter(unit__code=filters.unit_code)
    return [_project_out(p, p.households_n, p.dialogues_n) for p in rows[:500]]


@router.get(
    "/clearance/projects/{project_id}", response=ClearanceProjectDetailOut, operation_id="read_clearance_project"
)
def clearance_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """One project: its households by pseudonym only, and its dialogues with who came, the signed minutes and the
    conclusions' tasks with every word said of them."""
    project = fetch(request.user, clearance.readable_projects(request.user), project_id)
    households = list(project.households.all())
    dialogues = (
        project.dialogues.select_related("minutes", "unit")
        .prefetch_related("attendances", "conclusions__tasks__owner_unit", "conclusions__tasks__reviews")
        .order_by("-date", "-start_time")
    )
    return {
        **_project_out(project, len(households), dialogues.count()),
        "description": project.description,
        "households": [_household_out(h) for h in households],
        "dialogues": [_dialogue_out(d) for d in dialogues],
    }


def _dialogue_out(session: Any) -> dict[str, Any]:
    minutes = getattr(session, "minutes", None)  # a dialogue without minutes has none (not an error)
    tasks = [t for c in session.conclusions.all() for t in c.tasks.all()]
    return {
        "id": session.pk,
        "date": session.date,
        "status": session.status,
        "complaint_id": session.complaint_id,
        "attended": [a.household_id for a in session.attendances.all() if a.attended],
        "minutes": (
            {"text": minutes.text, "signed_by": minutes.signed_by, "signed_on": minutes.signed_on} if minutes else None
        ),
        "tasks": [_task_out(t) for t in tasks],
        "task_households": {t.pk: t.household_id for t in tasks if t.household_id is not None},
    }


@router.post(
    "/clearance/projects/{project_id}/households",
    response={201: HouseholdOut},
    operation_id="add_clearance_household",
)
def add_clearance_household(request: HttpRequest, project_id: int, payload: HouseholdIn) -> Status[dict[str, Any]]:
    """Add a household the project affects (the project's unit's clerks and heads). Everything sent is sealed at
    once; the answer carries only the household's pseudonym."""
    project = fetch(request.user, clearance.readable_projects(request.user), project_id, write=True)
    household = clearance.add_household(actor=request.user, project=project, **payload.dict())
    return Status(201, _household_out(household))
