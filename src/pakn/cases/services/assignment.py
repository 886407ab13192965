"""Who in the unit handles a case, and what staff tell each other about it.

A case may be given to one officer of its unit (``assign_case``; "my cases" in the list), one at a time or many at
once (``assign_cases``: one audit event per case, as if each had been given alone). Only an officer who may handle
the case can be given it: a handler of its unit with no conflict of interest (the person concerned, or a member
of the unit the case is about, never sees it: ``org.access``). Internal notes (``add_note``) are for staff only,
redacted of the reporter's identity; the audit event says a note was added, not what it says."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case, CaseNote
from pakn.cases.services.common import MAX_MESSAGE, checked_text, handled, redacted
from pakn.cases.services.events import record_event
from pakn.core.errors import InvalidInput, PaknError
from pakn.core.people import person_name
from pakn.org.access import HANDLER_ROLES, can_handle


def assignable_officers(case: Case) -> list[Any]:
    """The officers of the case's unit who may handle it, by name."""
    users = (
        get_user_model()
        .objects.filter(memberships__unit_id=case.unit_id, memberships__role__in=HANDLER_ROLES, is_active=True)
        .distinct()
    )
    return sorted((u for u in users if can_handle(u, case)), key=person_name)


def officers_of(units: QuerySet[Any]) -> list[Any]:
    """Officers of ``units`` (for the bulk form: each case checks its own)."""
    users = (
        get_user_model()
        .objects.filter(memberships__unit__in=units, memberships__role__in=HANDLER_ROLES, is_active=True)
        .distinct()
    )
    return sorted(users, key=person_name)


def assign_case(*, actor: Any, case: Case, officer: Any) -> Case:
    """Give ``case`` to ``officer`` (None: to nobody in particular)."""
    with handled(case, actor) as case:
        if officer is not None and not can_handle(officer, case):
            raise InvalidInput(
                fields={
                    "officer": [_("Cán bộ này không xử lý được hồ sơ (không thuộc đơn vị, hoặc có xung đột lợi ích).")]
                }
            )
        if case.assignee_id == (officer.pk if officer else None):
            return case
        case.assignee = officer
        case.save(update_fields=["assignee", "updated_at"])
        record_event(
            case,
            "assigned",
            actor=actor,
            public=False,
            data={"to": person_name(officer) if officer else ""},
        )
        return case


def assign_cases(*, actor: Any, cases: list[Case], officer: Any) -> tuple[int, list[tuple[Case, str]]]:
    """Give each of ``cases`` to ``officer``, each on its own (a refused one does not stop the others). Returns how
    many were given and, for the others, why not."""
    done, refused = 0, []
    for case in cases:
        try:
            assign_case(actor=actor, case=case, officer=officer)
        except PaknError as error:
            reasons = [str(m) for messages in error.fields.values() for m in messages] or [str(error.message)]
            refused.append((case, " ".join(reasons)))
        else:
            done += 1
    return done, refused


def add_note(*, actor: Any, case: Case, body: Any) -> CaseNote:
    text = checked_text(body, "body", limit=MAX_MESSAGE)
    with handled(case, actor) as case:
        note = CaseNote.objects.create(case=case, author=actor, body=redacted(case, text))
        record_event(case, "note_added", actor=actor, public=False, data={})
        return note
