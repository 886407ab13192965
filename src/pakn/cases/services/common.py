"""What the case acts share: limits, the text check, the locked and checked transaction, the workflow step,
the reporter's redaction, and the look-ups and links their messages use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import AuditEvent, Case, Kind, Obligation, Track
from pakn.cases.services.events import record_event
from pakn.cases.workflow import Action, Status, next_status
from pakn.core import validate
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.org.access import require_handler

MAX_TITLE = 200
MAX_CONTENT = validate.MAX_CONTENT
MAX_MESSAGE = 10_000
STATUTORY_KINDS = {Kind.COMPLAINT, Kind.DENUNCIATION}
# Tracks on which a complaint or denunciation is accepted, then resolved within a period: the law's, and the
# Party's (Quy định 296-QĐ/TW) when the case is not an unsigned letter kept for reference.
RESOLUTION_TRACKS = (Track.STATUTORY, Track.PARTY)
ENDED = (Status.CLOSED, Status.WITHDRAWN, Status.MERGED)

clean_text = validate.text  # (value, field, errors, *, required, limit) -> str, errors added to ``errors``


def checked_text(value: Any, field: str, *, required: bool = True, limit: int) -> str:
    """An act's only free-text field: InvalidInput at once when it is wrong."""
    errors: dict[str, list[Any]] = {}
    text = clean_text(value, field, errors, required=required, limit=limit)
    if errors:
        raise InvalidInput(fields=errors)
    return text


def lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)


def transition(case: Case, action: Action) -> Status:
    target = next_status(action, case.status)
    if target is None:
        raise InvalidTransition()
    return target


@contextmanager
def handled(case: Case, actor: Any) -> Iterator[Case]:
    """One transaction on the locked case row, ``actor`` checked as one of its handlers (the staff acts)."""
    with transaction.atomic():
        locked = lock(case)
        require_handler(actor, locked)
        yield locked


def move(case: Case, action: Action, *, actor: Any, event: str, data: dict[str, Any] | None = None) -> AuditEvent:
    """A workflow step with nothing else to it: check, save the status, audit."""
    case.status = transition(case, action)
    case.save(update_fields=["status", "updated_at"])
    return record_event(case, event, actor=actor, data=data)


def open_obligations(case: Case) -> QuerySet[Obligation]:
    return Obligation.objects.filter(case=case, met_on__isnull=True, cancelled=False)


def redacted(case: Case, text: str) -> str:
    """Free text from the citizen, with their identity and generic identifiers removed (docs/protection.md)."""
    from pakn.protection.services import redact_for_case

    return redact_for_case(case, text).text if text else text


def public_url(case: Case) -> str:
    from pakn.core.site import public_base_url

    return f"{public_base_url()}/track/{case.tracking_code}/"


def as_local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def get_case_by_code(code: str) -> Case:
    from pakn.core.tracking import normalise_tracking_code

    canonical = normalise_tracking_code(code or "")
    if canonical is None:
        raise NotFound(
            _("Mã tra cứu không đúng. Vui lòng kiểm tra lại (mã có ký tự kiểm tra)."), code="bad_tracking_code"
        )
    case = Case.objects.select_related("unit", "province", "commune").filter(tracking_code=canonical).first()
    if case is None:
        raise NotFound(_("Không tìm thấy hồ sơ với mã này."))
    return case
