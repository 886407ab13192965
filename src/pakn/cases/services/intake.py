"""Filing a submission, in three steps: ``clean`` (every field checked, the unit decided; writes nothing),
``protect`` (redaction, the reporter's contact sealed, a drop-box receipt; writes nothing) and one
transaction that writes the case, its first deadline, its sealed items, its files and its audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases.models import AuditEvent, Case, Channel, Kind, NotifyChannel, Reporter
from pakn.cases.services.common import MAX_TITLE
from pakn.cases.services.events import first_event, notify_reporter, notify_unit_staff, record_first_event
from pakn.cases.services.obligations import first_obligation, open_first_obligation
from pakn.cases.services.subjects import record_subject
from pakn.cases.services.submission import (
    CleanSubmission,
    SealedReporter,
    clean,
    needs_receipt,
    party_reference,
    route,
)
from pakn.cases.workflow import Status
from pakn.core.errors import Forbidden, InvalidInput, ServerBusy
from pakn.core.inserts import insert
from pakn.core.tracking import new_tracking_code
from pakn.org.access import handling_units
from pakn.org.models import Role
from pakn.org.places import Position, clean_position, commune_at


@sensitive_variables()
def submit(
    *,
    actor: Any,
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
    citizen: Any = None,
    attachments: Any = (),
    original_letter: Any = None,
    sealed_reporter: SealedReporter | None = None,
    staff_record: bool = False,
    subject_person: Any = None,
    dropbox: bool = False,
    latitude: Any = None,
    longitude: Any = None,
    location_accuracy_m: Any = None,
) -> Case:
    """File a submission. Validates everything first, so nothing is stored half-way. ``staff_record``
    (through ``record_submission``): the actor must handle the unit the case is routed to.

    Identity protection (docs/protection.md): the title, content, address and subject are stored redacted;
    the reporter's details, the original text and the files are sealed in the vault; the notification
    contact is sealed to the notifier key. A drop-box tip, and a denunciation or a report on an official's
    conduct filed without a name, gets a drop-box receipt (``needs_receipt``), set on the returned case as
    ``case.new_receipt`` (shown once, stored only as a slow hash); what was removed from each file is
    ``case.attachment_report``; the obligation the case starts with is ``case.first_obligation``. An unsigned
    complaint is refused (Luật Khiếu nại 2011, Điều 8).

    Competence (``cases.competence``): the person concerned (``subject_person``: name, position, body_code,
    party_member, party_unit_code), completed from the words of ``subject``, decides the unit when a rule
    applies; otherwise the place, kind and topic do (``route``). The person is stored as ``CaseSubject``,
    with the unit whose members may not see the case (``org.access.conflicted_cases``).

    Position (docs/location.md): ``latitude``/``longitude`` (and the phone's ``location_accuracy_m``), never
    required, must lie in Vietnam; with no commune chosen, the commune is the one the position is in."""
    position_errors: dict[str, list[Any]] = {}
    position = _clean_position(latitude, longitude, location_accuracy_m, position_errors)
    if position is not None and not commune_code:
        commune_code = (commune_at(position, province_code=province_code) or (None, commune_code))[1]
    try:
        cleaned = clean(
            kind=kind,
            title=title,
            content=content,
            province_code=province_code,
            commune_code=commune_code,
            address=address,
            subject=subject,
            reporter=reporter,
            complaint_round=complaint_round,
            publish=publish,
            topic_code=topic_code,
            channel=channel,
            received_on=received_on,
            attachments=attachments,
            original_letter=original_letter,
            sealed_reporter=sealed_reporter,
            subject_person=subject_person,
        )
    except InvalidInput as error:
        error.fields = {**position_errors, **error.fields}  # every field error at once
        raise
    if position_errors:
        raise InvalidInput(fields=position_errors)
    if staff_record and not _may_record(actor, cleaned):
        raise Forbidden(
            _("Đơn này thuộc thẩm quyền của %(unit)s. Bạn chỉ vào sổ được đơn của đơn vị mình xử lý.")
            % {"unit": cleaned.unit.name}
        )
    return _write(cleaned, protect(cleaned, dropbox=dropbox), actor=actor, citizen=citizen, position=position)


def _clean_position(latitude: Any, longitude: Any, accuracy: Any, errors: dict[str, list[Any]]) -> Position | None:
    try:
        return clean_position(latitude, longitude, accuracy)
    except InvalidInput as error:
        errors.update(error.fields)
        return None


def record_submission(*, actor: Any, channel: Any, received_on: Any = None, **fields: Any) -> Case:
    """A letter, call, e-mail or visit recorded by staff with its real date received: the intake page and
    ``POST /api/v1/cases`` share this right. Only a handler (clerk, head, unit admin) may, and only into a
    unit they handle; Forbidden otherwise (supervisors and protection officers read, they never file)."""
    if not handling_units(actor).exists():
        raise Forbidden()
    return submit(actor=actor, channel=channel, received_on=received_on, staff_record=True, **fields)


def _may_record(actor: Any, cleaned: CleanSubmission) -> bool:
    """A clerk records letters for the units they handle. A letter about a matter of their area that the law
    sends elsewhere because of the person it concerns (their own chair, a party member) is recorded and goes
    straight to the competent body, as the receiving body must forward it (Luật Tố cáo 2018, Điều 24(2))."""
    handled = handling_units(actor)
    if handled.filter(pk=cleaned.unit.pk).exists():
        return True
    if cleaned.routing is None:
        return False
    place = cleaned.place
    by_place = route(
        province_code=place.province_code, commune_code=place.commune_code, kind=cleaned.kind, topic_code=None
    )
    return handled.filter(pk=by_place.pk).exists()


@dataclass(frozen=True)
class Protection:
    """Step 2's output: the texts as staff and search see them, and what protects the reporter."""

    terms: list[str]  # keyed hashes of the reporter's details, to redact what they add later
    redacted: dict[str, Any]  # title, content, address, subject → redact.Redaction
    sealed_contact: str
    notify_by: str
    receipt: str = ""
    receipt_digest: str = ""

    @property
    def originals_changed(self) -> bool:
        return any(r.count for r in self.redacted.values())


@sensitive_variables()
def protect(cleaned: CleanSubmission, *, dropbox: bool = False) -> Protection:
    """Redact the reporter's own details and generic identifiers from the texts, seal the notification
    contact to the notifier key, and make a drop-box receipt when one protects the reporter. Writes nothing."""
    from pakn.protection import keys as vault_keys
    from pakn.protection import redact
    from pakn.protection import services as protection
    from pakn.protection.notifier import seal_contact

    redaction_key = vault_keys.redaction_key()
    sealed = cleaned.sealed_reporter
    reporter = cleaned.reporter
    terms = list(sealed.terms) if sealed is not None else redact.identity_terms(reporter.identity(), redaction_key)
    # The texts are compared with the identity in the clear (what ``terms`` hashes): no hash per word sequence.
    identity = redact.identity_in_clear(reporter.identity()) if sealed is None else None
    redacted = {
        name: redact.redact(value, terms, redaction_key, identity=identity) for name, value in cleaned.texts().items()
    }
    contact = reporter.contact()
    sealed_contact = seal_contact(*contact) if contact else ""
    notify_by = reporter.notify_by if contact else NotifyChannel.NONE
    if sealed is not None:
        sealed_contact = sealed.notify_sealed
        notify_by = sealed.notify_by if sealed_contact else NotifyChannel.NONE
    receipt, receipt_digest = ("", "")
    if (
        not reporter.name
        and sealed is None
        and cleaned.channel in (Channel.WEB, Channel.API)
        and needs_receipt(kind=cleaned.kind, conduct=cleaned.conduct, dropbox=dropbox)
    ):
        receipt, receipt_digest = protection.new_receipt()
    return Protection(terms, redacted, sealed_contact, notify_by, receipt, receipt_digest)


@sensitive_variables()
def _write(
    cleaned: CleanSubmission, protected: Protection, *, actor: Any, citizen: Any, position: Position | None = None
) -> Case:
    """Step 3: one transaction: the case (with its first deadline and the head of its audit chain), its
    first event and the jobs that follow it, the person concerned, the sealed items, the files and the
    obligation. A tracking-code collision (2^-50) is retried with another code. The acknowledgement and the
    clerks' notice are a job (``acknowledge``), queued with the others in this transaction."""
    from pakn.protection import services as protection
    from pakn.protection.vault import files_guard, recipients_for_units, unit_ids

    # Who the sealed items are sealed to, read before the transaction like everything else that is only read.
    recipients = recipients_for_units(unit_ids(cleaned.unit)) if _seals_texts(cleaned, protected) else None
    for _attempt in range(5):
        # The row, its deadline and its first event are worked out before the transaction: only writes are
        # inside it (on SQLite, BEGIN IMMEDIATE holds the one write lock until the commit).
        case = _new_case(cleaned, protected, citizen=citizen, position=position)
        obligation_kind, due, rule = first_obligation(case, cleaned.received)
        case.due_on = due
        event = _submitted(case, cleaned, protected, actor=actor)
        try:
            with files_guard(), transaction.atomic():
                insert(case)
                if cleaned.subject_person is not None:
                    record_subject(case, cleaned.subject_person, cleaned.routing)
                _seal(case, cleaned, protected, recipients)
                stored = _store_files(case, cleaned)
                obligation = open_first_obligation(
                    case, kind=obligation_kind, opened_on=cleaned.received, due_on=due, rule=rule
                )
                record_first_event(case, event)
        except IntegrityError:
            continue
        case.first_obligation = obligation  # type: ignore[attr-defined]
        case.new_receipt = protected.receipt  # type: ignore[attr-defined]
        case.attachment_report = protection.removal_report(stored)  # type: ignore[attr-defined]
        return case
    raise ServerBusy()


def _new_case(cleaned: CleanSubmission, protected: Protection, *, citizen: Any, position: Position | None) -> Case:
    """The case row, not yet saved."""
    redacted, place = protected.redacted, cleaned.place
    return Case(
        tracking_code=new_tracking_code(),
        kind=cleaned.kind,
        complaint_round=cleaned.complaint_round,
        track=cleaned.track,
        reference=party_reference(cleaned.track, cleaned.verifiable),
        title=redacted["title"].text[:MAX_TITLE],
        content=redacted["content"].text,
        topic=cleaned.topic,
        province_id=place.province_code,
        commune_id=place.commune_code,
        address=redacted["address"].text[:300],
        latitude=position.latitude if position else None,
        longitude=position.longitude if position else None,
        location_accuracy_m=position.accuracy_m if position else None,
        subject=redacted["subject"].text[:300],
        unit=cleaned.unit,
        status=Status.RECEIVED,
        channel=cleaned.channel,
        received_on=cleaned.received,
        remote_area=cleaned.unit.remote_area,
        publish=bool(cleaned.publish),
        # A denunciation is never linked to the citizen's account: the account (e-mail, name) would name the
        # denouncer in plaintext (Law on Denunciations Art. 8, 9).
        citizen=citizen if getattr(citizen, "is_authenticated", False) and cleaned.kind != Kind.DENUNCIATION else None,
    )


def _seals_texts(cleaned: CleanSubmission, protected: Protection) -> bool:
    """``_seal`` seals the original texts (with the identity, when it is given in the clear)."""
    if cleaned.sealed_reporter is not None:
        return protected.originals_changed
    return cleaned.reporter.given or protected.originals_changed


@sensitive_variables()
def _seal(case: Case, cleaned: CleanSubmission, protected: Protection, recipients: list[Any] | None) -> None:
    """The reporter's identity and the original texts into the vault (sealed to ``recipients``); the sealed
    contact, the redaction terms and the receipt's slow hash beside the case."""
    from pakn.protection.models import Receipt, VaultItem
    from pakn.protection.vault import seal_json, share_with_case

    originals = {
        "title": cleaned.title,
        "content": cleaned.content,
        "case_address": cleaned.address,
        "subject": cleaned.subject,
    }
    reporter, sealed = cleaned.reporter, cleaned.sealed_reporter
    if sealed is not None:
        share_with_case(sealed.item, case=case)
        if protected.originals_changed:
            seal_json(case=case, kind=VaultItem.Kind.ORIGINAL_MESSAGE, data=originals, recipients=recipients)
    elif reporter.given or protected.originals_changed:
        identity = {**reporter.identity(), "notify_by": reporter.notify_by, **originals}
        seal_json(case=case, kind=VaultItem.Kind.IDENTITY, data=identity, recipients=recipients)
    if reporter.given or sealed is not None:
        insert(
            Reporter(
                case=case,
                notify_by=protected.notify_by,
                notify_sealed=protected.sealed_contact,
                redaction_terms=protected.terms,
            )
        )
    if protected.receipt_digest:
        insert(Receipt(case=case, digest=protected.receipt_digest))


def _store_files(case: Case, cleaned: CleanSubmission) -> list[Any]:
    """The evidence files (the citizen's, or staff's for a recorded letter) and the original letter."""
    from pakn.protection import services as protection
    from pakn.protection.models import Attachment as StoredFile

    citizen = cleaned.channel in (Channel.WEB, Channel.API)
    stored = protection.store_uploads(
        case=case,
        uploads=list(cleaned.uploads),
        source=StoredFile.Source.CITIZEN if citizen else StoredFile.Source.STAFF,
    )
    if cleaned.letter:
        protection.store_uploads(
            case=case,
            uploads=list(cleaned.letter),
            source=StoredFile.Source.STAFF,
            kind=StoredFile.Kind.ORIGINAL_LETTER,
        )
    return stored


def _submitted(case: Case, cleaned: CleanSubmission, protected: Protection, *, actor: Any) -> AuditEvent:
    """The ``submitted`` event, chained before the case row is written (``events.first_event``)."""
    return first_event(
        case,
        "submitted",
        actor=actor,
        actor_label="" if getattr(actor, "is_authenticated", False) else "citizen",
        data={
            "channel": cleaned.channel,
            "unit": cleaned.unit.name,
            "track": case.track,
            "due_on": case.due_on.isoformat() if case.due_on else None,
            "converted_from": protected.redacted["address"].text if cleaned.place.converted_from else None,
            "attachments": len(cleaned.uploads) + len(cleaned.letter),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


def acknowledge(*, case: Case, event: AuditEvent) -> None:
    """Job (``settings.CASE_JOBS``) after a ``submitted`` event: the reporter's acknowledgement, in the
    language they filed in, and the clerks' notice of a new case. Queued once however often it runs (the
    outbox's keys are the event's)."""
    if event.action != "submitted":
        return
    unit = case.unit
    due = date.fromisoformat(event.data["due_on"]) if event.data.get("due_on") else case.due_on
    with transaction.atomic():
        with translation.override(event.data.get("language") or settings.LANGUAGE_CODE):
            notify_reporter(
                case,
                event,
                str(_("Đã tiếp nhận đơn %(code)s") % {"code": case.tracking_code}),
                str(
                    _("Đơn của bạn đã được %(unit)s tiếp nhận. Mã tra cứu: %(code)s. Hạn xử lý: %(due)s.")
                    % {"unit": unit.name, "code": case.tracking_code, "due": due.strftime("%d/%m/%Y") if due else "–"}
                ),
            )
        notify_unit_staff(
            case,
            unit,
            f"{event.hash}:new",
            str(_("Đơn mới %(code)s") % {"code": case.tracking_code}),
            case.title,
            roles=(Role.CLERK,),
        )
