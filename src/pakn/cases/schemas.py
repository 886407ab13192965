"""API shapes. Inputs are typed for the OpenAPI document; the services re-validate every value and
return the project's one error shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool, field_validator


class ReporterIn(Schema):
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""
    notify_by: Literal["email", "sms", "none"] | None = None


class SubjectPersonIn(Schema):
    """The person concerned by a denunciation, complaint or report on an official's conduct, as far as the
    sender knows. Optional: a position written in ``subject`` ("Chủ tịch UBND phường Ba Đình") is read too.
    Never returned by any public endpoint."""

    name: str = Field("", max_length=150)
    position: str = Field("", description="pc_chair, pc_vice_chair, party_secretary, …, official, party_member")
    body_code: str = Field("", description="Code of the unit the person belongs to, e.g. UBND-00004")
    party_member: StrictBool | None = None
    party_unit_code: str = Field("", description="Code of the party organisation that manages them, e.g. DU-00004")
    signs: list[str] = Field(
        default_factory=list,
        description="Signs of decline (Nghị quyết 04-NQ/TW) the letter points to: g1.1 … g3.9 (cases.party_signs)",
    )


class SubmissionIn(Schema):
    kind: Literal["report", "petition", "complaint", "denunciation", "opinion"]
    title: str = Field(..., max_length=100_000)
    content: str
    province_code: str | None = None
    commune_code: str | None = None
    address: str = ""
    subject: str = ""
    subject_person: SubjectPersonIn | None = None
    reporter: ReporterIn | None = None
    complaint_round: Literal[1, 2] | None = None
    publish: StrictBool = False
    topic_code: str | None = None
    # Where a field report is (WGS84), e.g. from the phone (docs/location.md); checked to be in Vietnam.
    latitude: float | None = None
    longitude: float | None = None
    location_accuracy_m: float | None = Field(None, description="The radius the position is good to, in metres.")

    @field_validator("reporter", mode="before")
    @classmethod
    def reporter_is_an_object(cls, value: object) -> object:
        # ninja's Schema would read attributes off any value: a string would become an empty reporter
        # and silently put a complaint on the anonymous track.
        if value is not None and not isinstance(value, dict | ReporterIn):
            raise ValueError("reporter must be an object")
        return value


class DueDates(Schema):
    accept_by: date | None = None
    resolve_by: date | None = None
    answer_by: date | None = None


class SubmissionOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    received_at: datetime
    received_on: date
    unit: str
    track: str
    due: DueDates
    receipt: str | None = Field(
        None, description="Anonymous submissions only: the 16-digit drop-box receipt, shown this once and never stored."
    )


class TimelineEntry(Schema):
    at: datetime
    action: str
    label: str
    unit: str | None
    detail: str = ""


class AnswerFileOut(Schema):
    number: int
    name: str
    public: bool


class AnswerOut(Schema):
    kind: str
    body: str
    unit: str
    at: datetime
    files: list[AnswerFileOut] = Field(default_factory=list, description="Evidence of what was done (clean copies).")


class DueBasisOut(Schema):
    """What the current due date is for, and its legal basis; ``confirmed`` is False when the citation
    could not be confirmed against the official text ("chưa xác nhận căn cứ pháp lý")."""

    kind: str
    label: str
    due_on: date
    citation: str
    confirmed: bool


class PublicStatusOut(Schema):
    tracking_code: str
    kind: str
    title: str
    status: str
    status_label: str
    received_on: date
    unit: str
    due_on: date | None
    overdue: bool
    timeline: list[TimelineEntry]
    answers: list[AnswerOut]
    due_basis: DueBasisOut | None = None
    rights: list[str] = []


class RuleOut(Schema):
    code: str
    item: str
    amount: int
    unit: str
    citation: str
    # False: the citation is not confirmed against the official text; show it as "chưa xác nhận căn cứ pháp lý".
    confirmed: bool = True
    effective_from: date
    effective_to: date | None


class DeadlinesOut(Schema):
    accept_by: date | None = None
    resolve_by: date | None = None
    answer_by: date | None = None
    accepted_assumed: bool = False
    rules: list[RuleOut]


class ObligationOut(Schema):
    kind: str
    due_on: date
    opened_on: date
    met_on: date | None
    cancelled: bool
    citation: str
    citation_confirmed: bool = True
    unit: str


class CaseOut(Schema):
    id: int
    tracking_code: str
    kind: str
    complaint_round: int | None
    track: str
    title: str
    status: str
    status_label: str
    unit_code: str
    unit: str
    province_code: str
    commune_code: str | None
    topic_code: str | None
    channel: str
    received_on: date
    accepted_on: date | None
    due_on: date | None
    overdue: bool
    complexity: str
    extensions: int
    reporter_pseudonym: str


class CaseDetailOut(CaseOut):
    content: str
    address: str
    latitude: float | None = None
    longitude: float | None = None
    location_accuracy_m: int | None = None
    subject: str
    obligations: list[ObligationOut]
    answers: list[AnswerOut]
    allowed_actions: list[str]


class AcceptIn(Schema):
    accepted_on: date | None = None
    complexity: Literal["normal", "complex", "especially_complex"] = "normal"


class RefuseIn(Schema):
    reason_code: str
    explanation: str = ""


class ForwardIn(Schema):
    to_unit_code: str
    reason: str


class ExtendIn(Schema):
    complexity: Literal["complex", "especially_complex"]
    reason: str


class ResolveIn(Schema):
    body: str
    kind: Literal["answer", "conclusion"] = "answer"
    # A conclusion on a denunciation must say it (Luật Tố cáo 2018, Điều 35(1)(c)); nothing else has one.
    finding: Literal["", "true", "partly", "false"] = ""


class ResolveFilesIn(ResolveIn):
    files_public: bool = False  # the evidence may be published with the answer (never for a denunciation)


class AssignIn(Schema):
    username: str | None = None  # None or "": to nobody in particular


class TagIn(Schema):
    name: str = Field(max_length=200)


class TagOut(Schema):
    id: int
    name: str


class NoteIn(Schema):
    body: str


class NoteOut(Schema):
    author: str
    body: str
    created_at: datetime


class RepeatLetterIn(Schema):
    summary: str
    channel: Literal["letter", "direct", "email", "hotline", "reception", "web", "api", "front"] = "letter"
    received_on: date | None = None
    reply: str = ""  # empty: the reference to the earlier answer


class FalseReportIn(Schema):
    intentional: bool
    action: Literal["none", "handled", "referred"]
    referred_to: str = ""
    document: str = ""
    note: str = ""
    decided_on: date | None = None


class ReasonIn(Schema):
    reason: str


class MessageIn(Schema):
    body: str


class MergeIn(Schema):
    into_tracking_code: str


class StaffSubmissionIn(SubmissionIn):
    channel: Literal["letter", "hotline", "email", "reception", "direct", "web", "api"] = "letter"
    received_on: date | None = None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    province_code: str
    commune_code: str | None
    label: str = Field("", description="The name with its province where the name alone is ambiguous.")


class PlaceOut(Schema):
    code: str
    name: str


class MessageOut(Schema):
    id: int
    from_citizen: bool
    body: str
    at: datetime


class ChoiceOut(Schema):
    code: str
    label: str


class TopicOut(Schema):
    code: str
    name: str
    name_en: str


class MembershipOut(Schema):
    unit_code: str
    unit: str
    role: str
    role_label: str
    include_subunits: bool


class MeOut(Schema):
    username: str
    name: str
    email: str
    is_superuser: bool
    is_staff_member: bool
    roles: list[str]
    memberships: list[MembershipOut]
