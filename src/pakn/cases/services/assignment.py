"""Who in the unit handles a case, and what staff tell each other about it.

A case may be given to one officer of its unit (``assign_case``; "my cases" in the list), one at a time or many at
once (``assign_cases``: one audit event per case, as if each had been given alone). Only an officer who may handle
the case can be given it: a handler of its unit with no conflict of interest (the person concerned, or a member
of the unit the case is about, never sees it: ``org.access``). Internal notes (``add_note``) are for staff only,
redacted of the reporter's identity; the audit event says a note was added, not what it says.

Labels (``tag_case``, ``untag_case``) are the unit's own: a label is created in the case's unit the first time it
is used there. The bulk acts (``assign_cases``, ``tag_cases``, ``forward_cases``) run the single act on each case
in its own transaction, so each case gets its own audit event and one refused case does not stop the others.
Saved searches (``save_search``) are an officer's named filters of the case list, private to them."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case, CaseNote, SavedSearch, Tag
from pakn.cases.services.common import MAX_MESSAGE, checked_text, handled, redacted
from pakn.cases.services.events import record_event
from pakn.cases.services.handling import forward_case
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


Outcome = tuple[int, list[tuple[Case, str]]]


def for_each_case(cases: list[Case], act: Callable[[Case], Any]) -> Outcome:
    """Run ``act`` on each case on its own (a refused one does not stop the others). Returns how many were done
    and, for the others, why not."""
    done, refused = 0, []
    for case in cases:
        try:
            act(case)
        except PaknError as error:
            refused.append((case, " ".join(error.texts())))
        else:
            done += 1
    return done, refused


def assign_cases(*, actor: Any, cases: list[Case], officer: Any) -> Outcome:
    """Give each of ``cases`` to ``officer``, each on its own."""
    return for_each_case(cases, lambda case: assign_case(actor=actor, case=case, officer=officer))


def forward_cases(*, actor: Any, cases: list[Case], to_unit: Any, reason: str) -> Outcome:
    """Forward each of ``cases`` to ``to_unit`` with the same reason, each on its own (``forward_case``)."""
    return for_each_case(cases, lambda case: forward_case(actor=actor, case=case, to_unit=to_unit, reason=reason))


MAX_TAG = 40


def tag_name(value: Any) -> str:
    """A label as typed, tidied: NFC, single spaces, at most ``MAX_TAG`` characters, never empty."""
    name = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
    if not name:
        raise InvalidInput(fields={"tag": [_("Nhập tên nhãn.")]})
    if len(name) > MAX_TAG:
        raise InvalidInput(fields={"tag": [_("Tên nhãn dài tối đa %(n)s ký tự.") % {"n": MAX_TAG}]})
    return name


def tag_case(*, actor: Any, case: Case, name: Any) -> Case:
    """Put the label ``name`` of the case's unit on ``case`` (created in the unit if it is new there)."""
    label = tag_name(name)
    with handled(case, actor) as case:
        tag = Tag.objects.filter(unit_id=case.unit_id, name__iexact=label).first()
        if tag is None:
            tag = Tag.objects.create(unit_id=case.unit_id, name=label)
        elif case.tags.filter(pk=tag.pk).exists():
            return case
        case.tags.add(tag)
        record_event(case, "tagged", actor=actor, public=False, data={"tag": tag.name})
        return case


def untag_case(*, actor: Any, case: Case, tag_id: int) -> Case:
    with handled(case, actor) as case:
        tag = case.tags.filter(pk=tag_id).first()
        if tag is None:
            return case
        case.tags.remove(tag)
        record_event(case, "untagged", actor=actor, public=False, data={"tag": tag.name})
        return case


def tag_cases(*, actor: Any, cases: list[Case], name: Any) -> Outcome:
    label = tag_name(name)  # a bad name is refused once, not once per case
    return for_each_case(cases, lambda case: tag_case(actor=actor, case=case, name=label))


MAX_SAVED_SEARCHES = 30
MAX_SAVED_QUERY = 1000  # SavedSearch.query
# What a saved search keeps of the list's query string: the filters, never the page or the ticked cases.
SAVED_FILTERS = ("q", "status", "kind", "due", "unit", "tag", "received_from", "received_to", "mine", "sort")


def search_query(query_string: str) -> str:
    """The filters of a list URL's query string, in a stable order."""
    pairs = [(k, v) for k, v in parse_qsl(query_string) if k in SAVED_FILTERS and v]
    return urlencode(sorted(pairs))


def save_search(*, actor: Any, name: Any, query_string: str) -> SavedSearch:
    """Keep the list's current filter under ``name`` for ``actor`` (the same name again replaces it)."""
    label = " ".join(unicodedata.normalize("NFC", str(name or "")).split())
    if not label or len(label) > 80:
        raise InvalidInput(fields={"name": [_("Đặt tên cho tìm kiếm (tối đa 80 ký tự).")]})
    query = search_query(query_string)
    if len(query) > MAX_SAVED_QUERY:  # the column's size: a longer one would fail on PostgreSQL
        raise InvalidInput(fields={"name": [_("Điều kiện lọc quá dài để lưu.")]})
    if not query:
        raise InvalidInput(fields={"name": [_("Chưa có điều kiện lọc nào để lưu.")]})
    existing = SavedSearch.objects.filter(user=actor, name=label).first()
    if existing is None and SavedSearch.objects.filter(user=actor).count() >= MAX_SAVED_SEARCHES:
        raise InvalidInput(
            fields={"name": [_("Mỗi người lưu tối đa %(n)s tìm kiếm; hãy xóa bớt.") % {"n": MAX_SAVED_SEARCHES}]}
        )
    saved, _created = SavedSearch.objects.update_or_create(user=actor, name=label, defaults={"query": query})
    return saved


def delete_search(*, actor: Any, search_id: int) -> None:
    SavedSearch.objects.filter(user=actor, pk=search_id).delete()


def add_note(*, actor: Any, case: Case, body: Any) -> CaseNote:
    text = checked_text(body, "body", limit=MAX_MESSAGE)
    with handled(case, actor) as case:
        note = CaseNote.objects.create(case=case, author=actor, body=redacted(case, text))
        record_event(case, "note_added", actor=actor, public=False, data={})
        return note
