"""Step 1 of a submission (``intake.submit``): the input checked and normalised into a ``CleanSubmission``,
and the unit and track it goes to decided. Every field error is reported at once; nothing is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases import persons, policy
from pakn.cases.models import Channel, Kind, NotifyChannel, Topic, Track
from pakn.cases.routing import choose_rule, unit_code_for
from pakn.cases.services.common import MAX_CONTENT, MAX_TITLE, STATUTORY_KINDS, clean_text
from pakn.core.errors import InvalidInput
from pakn.org.directory import active_unit
from pakn.org.models import Unit
from pakn.org.places import Place, resolve_place

PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")
ID_RE = re.compile(r"^([0-9]{9}|[0-9]{12})$")
UNSIGNED_COMPLAINT = _(
    "Đơn khiếu nại phải ghi rõ họ tên, địa chỉ của người khiếu nại (Luật Khiếu nại 2011, Điều 8). Nếu bạn không "
    "muốn ghi tên, bạn có thể gửi nội dung này dưới dạng phản ánh."
)


@dataclass(frozen=True)
class ReporterInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""
    notify_by: str = NotifyChannel.EMAIL

    @property
    def verifiable(self) -> bool:
        """A name and some way to find the person: the statutory track needs an identifiable sender."""
        return bool(self.name and (self.phone or self.email or self.id_number or self.address))

    @property
    def given(self) -> bool:
        return any((self.name, self.phone, self.email, self.id_number, self.address))

    def identity(self) -> dict[str, str]:
        return {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "id_number": self.id_number,
            "address": self.address,
        }

    def contact(self) -> tuple[str, str] | None:
        """The one contact the reporter chose for notifications, or None."""
        if self.notify_by == NotifyChannel.EMAIL and self.email:
            return "email", self.email
        if self.notify_by == NotifyChannel.SMS and self.phone:
            return "sms", self.phone
        return None


@dataclass(frozen=True)
class SealedReporter:
    """A reporter whose identity is already in the vault (a person in the reception register): the case
    gets a copy of the sealed item, never the plaintext. ``terms`` are the keyed redaction hashes;
    ``notify_sealed`` a contact already sealed to the notifier key (``notify_by`` says which channel)."""

    item: Any
    terms: list[str]
    verifiable: bool
    notify_by: str = "none"
    notify_sealed: str = ""


@sensitive_variables()
def clean_reporter(raw: Any, errors: dict[str, list[Any]]) -> ReporterInput:
    if raw in (None, ""):
        return ReporterInput()
    if not isinstance(raw, dict):
        errors.setdefault("reporter", []).append(_("Thông tin người gửi không hợp lệ."))
        return ReporterInput()
    name = clean_text(raw.get("name"), "reporter.name", errors, required=False, limit=150)
    phone = (
        clean_text(raw.get("phone"), "reporter.phone", errors, required=False, limit=20)
        .replace(" ", "")
        .replace(".", "")
    )
    email = clean_text(raw.get("email"), "reporter.email", errors, required=False, limit=254)
    id_number = clean_text(raw.get("id_number"), "reporter.id_number", errors, required=False, limit=12)
    address = clean_text(raw.get("address"), "reporter.address", errors, required=False, limit=300)
    notify_by = raw.get("notify_by") or (NotifyChannel.EMAIL if email else NotifyChannel.SMS if phone else "none")
    if phone and not PHONE_RE.match(phone):
        errors.setdefault("reporter.phone", []).append(_("Số điện thoại không hợp lệ."))
    if email:
        try:
            validate_email(email)
        except Exception:
            errors.setdefault("reporter.email", []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    if id_number and not ID_RE.match(id_number):
        errors.setdefault("reporter.id_number", []).append(
            _("Số định danh cá nhân / CCCD gồm 12 chữ số (CMND cũ 9 chữ số).")
        )
    if notify_by not in NotifyChannel.values:
        errors.setdefault("reporter.notify_by", []).append(_("Kênh nhận thông báo không hợp lệ."))
    return ReporterInput(name=name, phone=phone, email=email, id_number=id_number, address=address, notify_by=notify_by)


def _track_for(kind: str, verifiable: bool, *, party: bool = False) -> str:
    """The anonymous track is Art. 25 of the Law on Denunciations: denunciations only. A complaint must
    carry the complainant's name and address (Luật Khiếu nại 2011, Điều 8), so ``submit`` refuses an
    unsigned one and a complaint is always on the statutory track. ``party``: the competence rule that routed
    the case is one of the Party's (``CompetenceRule.party``): the case follows Quy định 296-QĐ/TW, signed or
    not (an unsigned one is kept for reference, ``party_reference``)."""
    if party and kind != Kind.COMPLAINT:
        return Track.PARTY
    if kind not in STATUTORY_KINDS:
        return Track.FEEDBACK
    if kind == Kind.COMPLAINT:
        return Track.STATUTORY
    return Track.STATUTORY if verifiable else Track.ANONYMOUS


def party_reference(track: str, verifiable: bool) -> bool:
    """An unsigned party-track letter (anonymous, under a false name or without a clear address) is not handled
    as a denunciation: it is kept as information for reference (the REFERENCE rules of ``cases.deadlines``)."""
    return track == Track.PARTY and not verifiable


def needs_receipt(*, kind: str, conduct: bool, dropbox: bool) -> bool:
    """A drop-box receipt (and the whistleblower advice) protects someone only in the drop box, and for a
    denunciation or a report on an official's conduct filed without a name; an unnamed ordinary report
    (a street light) is followed with its tracking code, and costs no Argon2 hashing."""
    return dropbox or kind == Kind.DENUNCIATION or (conduct and kind in (Kind.REPORT, Kind.PETITION))


def route(*, province_code: str, commune_code: str | None, kind: str, topic_code: str | None) -> Unit:
    rule = choose_rule(
        policy.route_rules(), province_code=province_code, commune_code=commune_code, kind=kind, topic_code=topic_code
    )
    candidates: list[str] = []
    if rule is not None and rule.unit_id:
        unit = active_unit(pk=rule.unit_id)
        if unit:
            return unit
    if rule is not None:
        code = unit_code_for(rule.target, province_code=province_code, commune_code=commune_code)
        if code:
            candidates.append(code)
    candidates += [f"UBND-{commune_code}" if commune_code else "", f"UBND-{province_code}"]
    for code in filter(None, candidates):
        unit = active_unit(code=code)
        if unit:
            return unit
    raise InvalidInput(
        _("Chưa có đơn vị tiếp nhận cho địa bàn này."), fields={"province_code": [_("Chưa có đơn vị tiếp nhận.")]}
    )


@dataclass(frozen=True)
class CleanSubmission:
    """A submission whose every field was checked, with the unit and track it goes to."""

    kind: str
    title: str
    content: str
    address: str
    subject: str
    reporter: ReporterInput
    sealed_reporter: SealedReporter | None
    complaint_round: int | None
    publish: bool
    topic: Topic | None
    channel: str
    received: date
    place: Place
    uploads: tuple[Any, ...]
    letter: tuple[Any, ...]
    subject_person: persons.SubjectInput | None
    routing: persons.Routing | None
    unit: Unit
    track: str

    @property
    def verifiable(self) -> bool:
        return self.sealed_reporter.verifiable if self.sealed_reporter is not None else self.reporter.verifiable

    @property
    def conduct(self) -> bool:
        """The submission is about a person's conduct (not only a body, or nobody)."""
        return self.subject_person is not None and self.subject_person.about_person

    def texts(self) -> dict[str, str]:
        return {"title": self.title, "content": self.content, "address": self.address, "subject": self.subject}


@sensitive_variables()
def clean(
    *,
    kind: Any,
    title: Any,
    content: Any,
    province_code: Any = None,
    commune_code: Any = None,
    address: Any = "",
    subject: Any = "",
    reporter: Any = None,
    complaint_round: Any = None,
    publish: Any = False,
    topic_code: Any = None,
    channel: str = Channel.WEB,
    received_on: Any = None,
    attachments: Any = (),
    original_letter: Any = None,
    sealed_reporter: SealedReporter | None = None,
    subject_person: Any = None,
) -> CleanSubmission:
    """Check every field, raising InvalidInput with all the errors at once, then decide the unit (competence
    rules for the person concerned, else place, kind and topic) and the track. Reads only."""
    errors: dict[str, list[Any]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Loại đơn không hợp lệ: chọn phản ánh, kiến nghị, khiếu nại, tố cáo hoặc góp ý.")]
    title_text = clean_text(title, "title", errors, required=True, limit=MAX_TITLE)
    content_text = clean_text(content, "content", errors, required=True, limit=MAX_CONTENT)
    address_text = clean_text(address, "address", errors, required=False, limit=300)
    subject_text = clean_text(subject, "subject", errors, required=False, limit=300)
    reporter_input = clean_reporter(reporter, errors)
    if sealed_reporter is not None and reporter_input.given:
        raise ValueError("a submission has a plaintext reporter or a sealed one, not both")
    complaint_round = _clean_round(kind, complaint_round, errors)
    if not isinstance(publish, bool):
        errors["publish"] = [_("Giá trị phải là đúng hoặc sai.")]
    topic = _clean_topic(topic_code, errors)
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    received = _clean_received(received_on, errors)
    place = _clean_place(province_code, commune_code, address_text, errors)
    uploads, letter = _clean_files(attachments, original_letter, errors)
    verifiable = sealed_reporter.verifiable if sealed_reporter is not None else reporter_input.verifiable
    if kind == Kind.COMPLAINT and not verifiable:
        field = "reporter.address" if reporter_input.name else "reporter.name"
        errors.setdefault(field, []).append(UNSIGNED_COMPLAINT)
    subject_input = _clean_subject(subject_person, kind, subject_text, place, complaint_round, errors)
    if errors or place is None:
        raise InvalidInput(fields=errors)
    routing, unit = _competence(kind, complaint_round, subject_input, place, topic)
    return CleanSubmission(
        kind=kind,
        title=title_text,
        content=content_text,
        address=address_text,
        subject=subject_text,
        reporter=reporter_input,
        sealed_reporter=sealed_reporter,
        complaint_round=complaint_round,
        publish=publish,
        topic=topic,
        channel=channel,
        received=received,
        place=place,
        uploads=tuple(uploads),
        letter=tuple(letter),
        subject_person=subject_input,
        routing=routing,
        unit=unit,
        track=_track_for(kind, verifiable, party=routing is not None and routing.rule.party),
    )


def _clean_round(kind: Any, complaint_round: Any, errors: dict[str, list[Any]]) -> int | None:
    """Complaints come in two rounds (the first by default); other kinds have none."""
    if kind != Kind.COMPLAINT:
        return None
    if complaint_round in (None, ""):
        return 1
    if isinstance(complaint_round, bool) or str(complaint_round) not in {"1", "2"}:
        errors["complaint_round"] = [_("Lần khiếu nại phải là 1 hoặc 2.")]
        return None
    return int(complaint_round)


def _clean_topic(topic_code: Any, errors: dict[str, list[Any]]) -> Topic | None:
    if not topic_code:
        return None
    topic = Topic.objects.filter(code=str(topic_code)).first()
    if topic is None:
        errors["topic_code"] = [_("Lĩnh vực không hợp lệ.")]
    return topic


def _clean_received(received_on: Any, errors: dict[str, list[Any]]) -> date:
    """The date the letter was received (staff records it); today otherwise."""
    today = timezone.localdate()
    if received_on in (None, ""):
        return today
    try:
        received = received_on if isinstance(received_on, date) else date.fromisoformat(str(received_on))
    except ValueError:
        errors["received_on"] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
        return today
    if received > today:
        errors["received_on"] = [_("Ngày nhận không được ở tương lai.")]
    elif received.year < 2000:
        errors["received_on"] = [_("Ngày nhận không hợp lệ.")]
    return received


def _clean_place(province_code: Any, commune_code: Any, address: str, errors: dict[str, list[Any]]) -> Place | None:
    for value, field in ((province_code, "province_code"), (commune_code, "commune_code")):
        if value is not None and not isinstance(value, str):
            errors[field] = [_("Mã đơn vị hành chính không hợp lệ.")]
    if "province_code" in errors or "commune_code" in errors:
        return None
    try:
        return resolve_place(province_code=province_code or None, commune_code=commune_code or None, address=address)
    except InvalidInput as exc:
        errors.update(exc.fields)
        return None


def _clean_files(attachments: Any, original_letter: Any, errors: dict[str, list[Any]]) -> tuple[list[Any], list[Any]]:
    """The evidence files and the scanned original letter, read and checked before anything is stored."""
    from pakn.protection import services as protection

    uploads: list[Any] = []
    letter: list[Any] = []
    try:
        uploads = protection.check_uploads(list(attachments or ()))
    except InvalidInput as exc:
        errors.update(exc.fields)
    if original_letter:
        try:
            letter = protection.check_uploads([original_letter], field="original_letter", max_files=1)
        except InvalidInput as exc:
            errors.update(exc.fields)
    return uploads, letter


def _clean_subject(
    raw: Any,
    kind: Any,
    subject_text: str,
    place: Place | None,
    complaint_round: int | None,
    errors: dict[str, list[Any]],
) -> persons.SubjectInput | None:
    """The person concerned, completed from the words of ``subject``; only once the place and kind are known."""
    if place is None or kind not in Kind.values:
        return None
    return persons.clean_subject_person(
        raw,
        errors,
        kind=kind,
        subject_text=subject_text,
        province_code=place.province_code,
        commune_code=place.commune_code,
        complaint_round=complaint_round,
    )


def _competence(
    kind: str, complaint_round: int | None, subject: persons.SubjectInput | None, place: Place, topic: Topic | None
) -> tuple[persons.Routing | None, Unit]:
    """Competence follows the person concerned (``cases.competence``); a case about nobody in particular is
    routed by place, kind and topic."""
    routing = (
        persons.route_for_subject(kind=kind, complaint_round=complaint_round, subject=subject)
        if subject is not None
        else None
    )
    if routing is not None:
        return routing, routing.unit
    unit = route(
        province_code=place.province_code,
        commune_code=place.commune_code,
        kind=kind,
        topic_code=topic.code if topic else None,
    )
    return None, unit
