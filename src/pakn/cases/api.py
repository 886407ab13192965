"""JSON API for cases: public submission and status, the deadline calculator, and the staff workflow."""

# No ``from __future__ import annotations`` here: django-ninja resolves the parameter annotations of a
# ``@paginate``-wrapped view in the paginator's module, so string annotations break ``list_cases``.
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from pakn.cases import deadlines, policy, presenters, services
from pakn.cases.models import Case, Kind, Topic
from pakn.cases.queries import CaseFilter, apply_filter
from pakn.cases.schemas import (
    AcceptIn,
    AssignIn,
    CaseDetailOut,
    CaseOut,
    ChoiceOut,
    DeadlinesOut,
    ExtendIn,
    FalseReportIn,
    ForwardIn,
    MergeIn,
    MessageIn,
    MessageOut,
    NoteIn,
    NoteOut,
    PublicStatusOut,
    ReasonIn,
    RefuseIn,
    RepeatLetterIn,
    ResolveFilesIn,
    ResolveIn,
    StaffSubmissionIn,
    SubmissionIn,
    SubmissionOut,
    TagIn,
    TagOut,
    TimelineEntry,
    TopicOut,
)
from pakn.core.errors import InvalidInput, NotFound
from pakn.core.pagination import BoundedPageNumberPagination
from pakn.core.tracking import normalise_tracking_code
from pakn.org.access import access_case, visible_cases
from pakn.org.models import Unit
from pakn.protection import throttle

SUBMISSION_FIELDS = (
    "kind",
    "title",
    "content",
    "province_code",
    "commune_code",
    "address",
    "subject",
    "subject_person",
    "reporter",
    "complaint_round",
    "publish",
    "topic_code",
    "latitude",
    "longitude",
    "location_accuracy_m",
)

public = Router(tags=["public"])
staff = Router(tags=["staff"])


def _submission_out(case: Case) -> dict[str, Any]:
    # Accept, then resolve: a complaint or denunciation on the law's track or the Party's (not kept for reference).
    resolution = case.kind in services.STATUTORY_KINDS and case.track in services.RESOLUTION_TRACKS
    resolution = resolution and not case.reference
    result = services.compute_for_case(case, received=case.received_on) if resolution else None
    # The obligation ``submit`` just opened (a new case has only that one): no query after the commit.
    obligation = getattr(case, "first_obligation", None)
    if obligation is None and not resolution:
        obligation = case.obligations.filter(met_on__isnull=True, cancelled=False).order_by("due_on").first()
    return {
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": case.status_label,
        "received_at": case.created_at,
        "received_on": case.received_on,
        "unit": case.unit.name,
        "track": case.track,
        "receipt": getattr(case, "new_receipt", None),
        "due": {
            "accept_by": result.accept_by if result else None,
            "resolve_by": result.resolve_by if result else None,
            "answer_by": obligation.due_on if not resolution and obligation else None,
        },
    }


def _submission_fields(payload: SubmissionIn) -> dict[str, Any]:
    """The fields ``services.submit`` takes from a public or staff submission."""
    data = payload.dict()
    return {name: data[name] for name in SUBMISSION_FIELDS}


@public.post("/submissions", response={201: SubmissionOut}, operation_id="create_submission", auth=None)
def create_submission(request: HttpRequest, payload: SubmissionIn) -> Status[dict[str, Any]]:
    """File a report, petition, complaint, denunciation or opinion. The tracking code is returned only
    after the submission is committed."""
    throttle.check(request, "submit")
    actor = request.user if hasattr(request, "user") else None
    case = services.submit(actor=actor, channel="api", **_submission_fields(payload))
    return Status(201, _submission_out(case))


@public.get("/submissions/{tracking_code}", response=PublicStatusOut, operation_id="get_submission_status", auth=None)
def submission_status(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    """Public status and timeline of a submission. Never includes the reporter's identity."""
    return presenters.public_status(services.get_case_by_code(tracking_code))


class DeadlineQuery(Schema):
    kind: str
    received: date
    accepted: date | None = None
    round: int = 1
    complex: int = 0
    remote: int = 0
    extensions: int = 0
    unit: str | None = None


@public.get("/deadlines", response=DeadlinesOut, operation_id="calculate_deadlines", auth=None)
def calculate_deadlines(request: HttpRequest, query: Query[DeadlineQuery]) -> dict[str, Any]:
    """Deadline calculator: complaint and denunciation answer ``accept_by`` and ``resolve_by``
    (from ``accepted``, or from ``accept_by`` when it is not given); report, petition and opinion
    answer ``answer_by``. ``unit`` (a unit code) applies that unit's own answer period."""
    return deadline_answer(
        kind=query.kind,
        received=query.received,
        accepted=query.accepted,
        complaint_round=query.round,
        complex=query.complex,
        remote=query.remote,
        extensions=query.extensions,
        unit_code=query.unit,
    )


def deadline_answer(
    *,
    kind: str,
    received: date,
    accepted: date | None,
    complaint_round: int,
    complex: int,
    remote: int,
    extensions: int,
    unit_code: str | None = None,
) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    errors: dict[str, list[Any]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Loại phải là complaint, denunciation, report, petition hoặc opinion.")]
    for name, value in (("complex", complex), ("remote", remote)):
        if value not in (0, 1):
            errors[name] = [_("Giá trị phải là 0 hoặc 1.")]
    if complaint_round not in (1, 2):
        errors["round"] = [_("Lần khiếu nại phải là 1 hoặc 2.")]
    if accepted is not None and accepted < received:
        errors["accepted"] = [_("Ngày thụ lý không được trước ngày nhận đơn.")]
    if extensions and kind != "denunciation":
        errors["extensions"] = [_("Chỉ tố cáo mới được gia hạn.")]
    elif extensions not in (0, 1, 2):
        errors["extensions"] = [_("Số lần gia hạn phải là 0, 1 hoặc 2.")]
    answer_days = None
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            errors["unit"] = [_("Không tìm thấy đơn vị với mã này.")]
        else:
            answer_days = unit.answer_working_days
    if errors:
        raise InvalidInput(fields=errors)
    try:
        result = deadlines.compute_deadlines(
            policy.deadline_rules(),
            policy.working_calendar(),
            kind=kind,
            received=received,
            accepted=accepted,
            complaint_round=complaint_round,
            complex=bool(complex),
            remote=bool(remote),
            extensions=extensions,
            answer_working_days=answer_days if kind not in ("complaint", "denunciation") else None,
        )
    except LookupError:
        raise InvalidInput(fields={"received": [_("Không có quy định thời hạn áp dụng cho ngày này.")]}) from None
    return {
        "accept_by": result.accept_by,
        "resolve_by": result.resolve_by,
        "answer_by": result.answer_by,
        "accepted_assumed": accepted is None and result.resolve_by is not None,
        "rules": [
            {
                "code": r.code,
                "item": r.item.value,
                "amount": r.amount,
                "unit": r.unit.value,
                "citation": r.citation,
                "confirmed": r.confirmed,
                "effective_from": r.effective_from,
                "effective_to": r.effective_to,
            }
            for r in result.rules
        ],
    }


# ------------------------------------------------------------------ staff


class CaseListQuery(Schema):
    status: str = ""
    kind: str = ""
    unit: str = ""
    due: str = ""
    q: str = ""
    received_from: date | None = None
    received_to: date | None = None
    mine: bool = False  # only the cases given to the caller
    tag: str = Field("", max_length=40)  # only the cases with this label (its name)


@staff.get("/cases", response=list[CaseOut], operation_id="list_cases")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_cases(request: HttpRequest, filters: Query[CaseListQuery]) -> list[dict[str, Any]]:
    """Cases the caller may see, newest first; ``due=overdue|soon``, ``status=open`` for all open. ``page``
    1 … 10,000 and ``page_size`` 1 … 100 (default 50); outside that, 400."""
    # A unique order, so that pages neither repeat nor skip cases created in the same instant.
    chosen = filters.dict()
    mine, tag = chosen.pop("mine"), chosen.pop("tag")
    queryset = apply_filter(visible_cases(request.user), CaseFilter(**chosen)).order_by("-created_at", "-pk")
    if mine:
        queryset = queryset.filter(assignee_id=request.user.pk)
    if tag.strip():
        labelled = Case.tags.through.objects.filter(tag__name__iexact=" ".join(tag.split())).values("case_id")
        queryset = queryset.filter(pk__in=labelled)
    return _LazySummaries(queryset)  # type: ignore[return-value]


class _LazySummaries:
    """Lets the paginator slice the queryset before each case is turned into a dict."""

    def __init__(self, queryset: Any):
        self.queryset = queryset

    def __len__(self) -> int:
        return int(self.queryset.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [presenters.case_summary(c) for c in self.queryset[item]]


@staff.post("/cases", response={201: CaseDetailOut}, operation_id="record_submission")
def record_submission(request: HttpRequest, payload: StaffSubmissionIn) -> Status[dict[str, Any]]:
    """Record a letter, hotline call, e-mail or reception-day contact with its real date received. The same
    right as the intake page: only a handler (clerk, head, unit admin), and only into a unit they handle
    (403 otherwise; supervisors and protection officers never)."""
    case = services.record_submission(
        actor=request.user,
        channel=payload.channel,
        received_on=payload.received_on,
        **_submission_fields(payload),
    )
    return Status(201, presenters.case_detail(case))


@staff.get("/cases/{case_id}", response=CaseDetailOut, operation_id="get_case")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return presenters.case_detail(access_case(request.user, case_id))


def _act(request: HttpRequest, case_id: int, fn: Any, **kwargs: Any) -> dict[str, Any]:
    case = access_case(request.user, case_id)
    case = fn(actor=request.user, case=case, **kwargs)
    return presenters.case_detail(case)


@staff.post("/cases/{case_id}/accept", response=CaseDetailOut, operation_id="accept_case")
def accept(request: HttpRequest, case_id: int, payload: AcceptIn) -> dict[str, Any]:
    return _act(request, case_id, services.accept_case, accepted_on=payload.accepted_on, complexity=payload.complexity)


@staff.post("/cases/{case_id}/refuse", response=CaseDetailOut, operation_id="refuse_case")
def refuse(request: HttpRequest, case_id: int, payload: RefuseIn) -> dict[str, Any]:
    return _act(
        request, case_id, services.refuse_case, reason_code=payload.reason_code, explanation=payload.explanation
    )


@staff.post("/cases/{case_id}/forward", response=CaseDetailOut, operation_id="forward_case")
def forward(request: HttpRequest, case_id: int, payload: ForwardIn) -> dict[str, Any]:
    unit = Unit.objects.filter(code=payload.to_unit_code, is_active=True).first()
    if unit is None:
        raise InvalidInput(fields={"to_unit_code": [str(NotFound.default_message)]})
    return _act(request, case_id, services.forward_case, to_unit=unit, reason=payload.reason)


@staff.post("/cases/{case_id}/start", response=CaseDetailOut, operation_id="start_case")
def start(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _act(request, case_id, services.start_case)


@staff.post("/cases/{case_id}/extend", response=CaseDetailOut, operation_id="extend_deadline")
def extend(request: HttpRequest, case_id: int, payload: ExtendIn) -> dict[str, Any]:
    return _act(request, case_id, services.extend_deadline, complexity=payload.complexity, reason=payload.reason)


@staff.post("/cases/{case_id}/resolve", response=CaseDetailOut, operation_id="resolve_case")
def resolve(request: HttpRequest, case_id: int, payload: ResolveIn) -> dict[str, Any]:
    return _act(request, case_id, services.resolve_case, body=payload.body, kind=payload.kind, finding=payload.finding)


@staff.post("/cases/{case_id}/resolve-with-files", response=CaseDetailOut, operation_id="resolve_case_with_files")
def resolve_with_files(
    request: HttpRequest,
    case_id: int,
    payload: Form[ResolveFilesIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    """The same act as ``resolve``, sent as ``multipart/form-data`` with the evidence of what was done (a photo
    after the repair, the decision's file): up to 5 files ``files``, checked like a citizen's; ``files_public``
    lets them be published with the answer (never for a denunciation)."""
    from pakn.protection.services import check_uploads

    case = access_case(request.user, case_id)  # before reading any file
    for upload in files or []:
        upload.seek(0)  # the request's parsing may have left it at the end
    case = services.resolve_case(
        actor=request.user,
        case=case,
        body=payload.body,
        kind=payload.kind,
        finding=payload.finding,
        uploads=check_uploads(list(files or []), field="files"),
        files_public=payload.files_public,
    )
    return presenters.case_detail(case)


@staff.post("/cases/{case_id}/assign", response=CaseDetailOut, operation_id="assign_case")
def assign(request: HttpRequest, case_id: int, payload: AssignIn) -> dict[str, Any]:
    """Give the case to an officer of its unit who may handle it (``username``), or to nobody in particular."""
    case = access_case(request.user, case_id)
    officer = None
    if payload.username:
        officer = next((u for u in services.assignable_officers(case) if u.get_username() == payload.username), None)
        if officer is None:
            raise InvalidInput(fields={"username": [_("Cán bộ này không xử lý được hồ sơ.")]})
    services.assign_case(actor=request.user, case=case, officer=officer)
    return presenters.case_detail(case)


@staff.get("/cases/{case_id}/notes", response=list[NoteOut], operation_id="list_case_notes")
def notes(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The staff's internal notes on the case, oldest first (never shown to the citizen)."""
    case = access_case(request.user, case_id)
    return [_note_out(n) for n in case.notes.select_related("author")]


@staff.post("/cases/{case_id}/notes", response={201: NoteOut}, operation_id="add_case_note")
def add_note(request: HttpRequest, case_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    case = access_case(request.user, case_id)
    return Status(201, _note_out(services.add_note(actor=request.user, case=case, body=payload.body)))


@staff.get("/cases/{case_id}/tags", response=list[TagOut], operation_id="list_case_tags")
def tags(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The unit's labels on the case (never shown to the citizen)."""
    case = access_case(request.user, case_id)
    return [{"id": t.pk, "name": t.name} for t in case.tags.all()]


@staff.post("/cases/{case_id}/tags", response={201: list[TagOut]}, operation_id="tag_case")
def tag(request: HttpRequest, case_id: int, payload: TagIn) -> Status[list[dict[str, Any]]]:
    """Put a label of the case's unit on it (created in the unit the first time it is used there)."""
    case = access_case(request.user, case_id)
    services.tag_case(actor=request.user, case=case, name=payload.name)
    return Status(201, [{"id": t.pk, "name": t.name} for t in case.tags.all()])


# api_operation rather than .delete(): the write-path check reads a ``.delete(`` call as a database write.
@staff.api_operation(["DELETE"], "/cases/{case_id}/tags/{tag_id}", response={204: None}, operation_id="untag_case")
def untag(request: HttpRequest, case_id: int, tag_id: int) -> Status[None]:
    case = access_case(request.user, case_id)
    services.untag_case(actor=request.user, case=case, tag_id=tag_id)
    return Status(204, None)


def _note_out(note: Any) -> dict[str, Any]:
    from pakn.core.people import person_name

    return {"author": person_name(note.author) or note.author.get_username(), "body": note.body,
            "created_at": note.created_at}  # fmt: skip


@staff.post("/cases/{case_id}/repeat-letters", response=CaseDetailOut, operation_id="record_repeat_letter")
def repeat_letter(request: HttpRequest, case_id: int, payload: RepeatLetterIn) -> dict[str, Any]:
    """A letter on this settled matter (resolved, closed or refused): filed here and answered with a reference to
    the earlier answer, instead of a new case. A letter with new facts is a new case (``POST /cases``)."""
    case = access_case(request.user, case_id)
    services.record_repeat_letter(actor=request.user, case=case, **payload.dict())
    return presenters.case_detail(case)


@staff.post("/cases/{case_id}/false-report", response=CaseDetailOut, operation_id="record_false_report")
def false_report(request: HttpRequest, case_id: int, payload: FalseReportIn) -> dict[str, Any]:
    """After a conclusion that the denunciation was false: whether the denouncer lied on purpose and what was
    done (nothing; dealt with; referred, to whom, by which document). Never returns who the denouncer is."""
    case = access_case(request.user, case_id)
    services.record_false_report(actor=request.user, case=case, **payload.dict())
    return presenters.case_detail(case)


@staff.post("/cases/{case_id}/close", response=CaseDetailOut, operation_id="close_case")
def close(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _act(request, case_id, services.close_case)


@staff.post("/cases/{case_id}/suspend", response=CaseDetailOut, operation_id="suspend_case")
def suspend(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, case_id, services.suspend_case, reason=payload.reason)


@staff.post("/cases/{case_id}/resume", response=CaseDetailOut, operation_id="resume_case")
def resume(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _act(request, case_id, services.resume_case)


@staff.post("/cases/{case_id}/merge", response=CaseDetailOut, operation_id="merge_case")
def merge(request: HttpRequest, case_id: int, payload: MergeIn) -> dict[str, Any]:
    code = normalise_tracking_code(payload.into_tracking_code)  # as typed: spaces, dashes, O/0, I/L/1
    target = visible_cases(request.user).filter(tracking_code=code).first() if code else None
    if target is None:
        raise InvalidInput(fields={"into_tracking_code": [str(NotFound.default_message)]})
    return _act(request, case_id, services.merge_case, into=target)


@staff.get("/cases/{case_id}/timeline", response=list[TimelineEntry], operation_id="get_case_timeline")
def case_timeline(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Every event of the case, the internal ones too (the public status shows only the public ones)."""
    return presenters.timeline(access_case(request.user, case_id), public=False)


def _message_out(message: Any) -> dict[str, Any]:
    return {"id": message.pk, "from_citizen": message.from_citizen, "body": message.body, "at": message.created_at}


@staff.get("/cases/{case_id}/messages", response=list[MessageOut], operation_id="list_case_messages")
def case_messages(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Information the citizen added after filing (and notes to the citizen), oldest first."""
    case = access_case(request.user, case_id)
    return [_message_out(m) for m in case.messages.order_by("created_at", "pk")]


@staff.post("/cases/{case_id}/questions", response={201: MessageOut}, operation_id="ask_reporter")
def ask_question(request: HttpRequest, case_id: int, payload: MessageIn) -> Status[dict[str, Any]]:
    """Ask the reporter a question. They read it on their status page or in the drop box (and through
    ``GET /submissions/{tracking_code}/messages``); a reporter who chose notifications is told there is a
    question, never what it says. The reporter's identity is not needed and never shown."""
    case = access_case(request.user, case_id)
    return Status(201, _message_out(services.ask_reporter(actor=request.user, case=case, body=payload.body)))


@public.get(
    "/submissions/{tracking_code}/messages",
    response=list[MessageOut],
    operation_id="list_submission_messages",
    auth=None,
)
def submission_messages(request: HttpRequest, tracking_code: str) -> list[dict[str, Any]]:
    """The reporter's conversation with the unit (questions and what they added), oldest first, as stored:
    redacted of their own details. The tracking code is the key."""
    case = services.get_case_by_code(tracking_code)
    return [_message_out(m) for m in case.messages.order_by("created_at", "pk")]


@public.post(
    "/submissions/{tracking_code}/messages",
    response={201: MessageOut},
    operation_id="add_submission_information",
    auth=None,
)
def add_submission_information(request: HttpRequest, tracking_code: str, payload: MessageIn) -> Status[dict[str, Any]]:
    """The reporter answers a question or adds information (text only here; files through the web page).
    Throttled per client like the web form."""
    throttle.check(request, "citizen")
    case = services.get_case_by_code(tracking_code)
    return Status(201, _message_out(services.add_information(case=case, body=payload.body)))


@public.get("/refusal-reasons", response=list[ChoiceOut], operation_id="list_refusal_reasons", auth=None)
def refusal_reasons(request: HttpRequest, kind: str = "") -> list[dict[str, str]]:
    """The legal grounds ``POST /cases/{id}/refuse`` takes as ``reason_code``; ``?kind=`` keeps those that
    apply to that kind of case (a complaint: Luật Khiếu nại 2011, Điều 11; a denunciation: Luật Tố cáo 2018,
    Điều 23–25), as the service refuses a ground of another kind."""
    from django.utils.translation import gettext as _

    if kind and kind not in Kind.values:
        raise InvalidInput(fields={"kind": [_("Loại đơn không hợp lệ.")]})
    return [{"code": code, "label": str(label)} for code, label in services.refusal_reasons_for(kind or None)]


@public.get("/topics", response=list[TopicOut], operation_id="list_topics", auth=None)
def topics(request: HttpRequest) -> list[dict[str, str]]:
    """Topics (``topic_code`` of a submission), also the second part of an Open311 service code."""
    return [{"code": t.code, "name": t.name, "name_en": t.name_en} for t in Topic.objects.order_by("code")]


def today() -> date:
    return timezone.localdate()
