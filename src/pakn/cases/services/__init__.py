"""The one write path for cases. Every public function here is a business act: keyword-only arguments, the
acting user explicit, one transaction, one audit event per change, notifications queued in the same
transaction (the outbox) and delivered by ``pakn worker`` after commit.

The acts live in modules by what they do (``intake``, ``acceptance``, ``handling``, ``closing``,
``citizen``, ``merging``, ``subjects``, ``deadlines_check``); callers import them from here."""

from pakn.cases.services.acceptance import accept_case, extend_acceptance, notify_acceptance, refuse_case
from pakn.cases.services.assignment import (
    add_note,
    assign_case,
    assign_cases,
    assignable_officers,
    delete_search,
    forward_cases,
    officers_of,
    save_search,
    search_query,
    tag_case,
    tag_cases,
    untag_case,
)
from pakn.cases.services.citizen import (
    add_information,
    can_escalate,
    escalate_case,
    escalation_ends,
    overdue_resolution,
    rate_case,
    withdraw_case,
)
from pakn.cases.services.closing import (
    close_case,
    continue_withdrawn,
    publish_conclusion,
    resolve_case,
    terminate_complaint,
)
from pakn.cases.services.common import (
    MAX_CONTENT,
    MAX_MESSAGE,
    MAX_TITLE,
    RESOLUTION_TRACKS,
    STATUTORY_KINDS,
    as_local,
    get_case_by_code,
    public_url,
)
from pakn.cases.services.common import clean_text as _text
from pakn.cases.services.deadlines_check import check_deadlines
from pakn.cases.services.events import event_payload, notify_reporter, notify_unit_staff, record_event
from pakn.cases.services.false_reports import concluded_false, record_false_report
from pakn.cases.services.grounds import (
    CONTINUE_GROUNDS,
    PUBLICATION_METHODS,
    REFUSAL_REASON_KINDS,
    REFUSAL_REASONS,
    refusal_reasons_for,
)
from pakn.cases.services.handling import (
    ask_reporter,
    extend_deadline,
    forward_case,
    resume_case,
    start_case,
    suspend_case,
)
from pakn.cases.services.intake import Protection, protect, record_submission, submit
from pakn.cases.services.merging import merge_case
from pakn.cases.services.obligations import compute_for_case, rule_track
from pakn.cases.services.repeats import default_reply, record_repeat_letter, settled
from pakn.cases.services.subjects import set_subject_person, set_topic
from pakn.cases.services.submission import (
    UNSIGNED_COMPLAINT,
    CleanSubmission,
    ReporterInput,
    SealedReporter,
    _track_for,
    clean,
    clean_reporter,
    needs_receipt,
    party_reference,
    route,
)

__all__ = [
    "add_note",
    "delete_search",
    "forward_cases",
    "save_search",
    "search_query",
    "tag_case",
    "tag_cases",
    "untag_case",
    "assign_case",
    "assign_cases",
    "assignable_officers",
    "officers_of",
    "concluded_false",
    "default_reply",
    "record_false_report",
    "record_repeat_letter",
    "settled",
    "CONTINUE_GROUNDS",
    "MAX_CONTENT",
    "MAX_MESSAGE",
    "MAX_TITLE",
    "PUBLICATION_METHODS",
    "REFUSAL_REASONS",
    "REFUSAL_REASON_KINDS",
    "RESOLUTION_TRACKS",
    "STATUTORY_KINDS",
    "UNSIGNED_COMPLAINT",
    "CleanSubmission",
    "Protection",
    "ReporterInput",
    "SealedReporter",
    "_text",
    "_track_for",
    "accept_case",
    "add_information",
    "as_local",
    "ask_reporter",
    "can_escalate",
    "check_deadlines",
    "clean",
    "clean_reporter",
    "close_case",
    "compute_for_case",
    "continue_withdrawn",
    "escalate_case",
    "escalation_ends",
    "event_payload",
    "extend_acceptance",
    "extend_deadline",
    "forward_case",
    "get_case_by_code",
    "merge_case",
    "needs_receipt",
    "notify_acceptance",
    "notify_reporter",
    "notify_unit_staff",
    "overdue_resolution",
    "party_reference",
    "protect",
    "public_url",
    "publish_conclusion",
    "rate_case",
    "record_event",
    "record_submission",
    "refusal_reasons_for",
    "refuse_case",
    "resolve_case",
    "resume_case",
    "route",
    "rule_track",
    "set_subject_person",
    "set_topic",
    "start_case",
    "submit",
    "suspend_case",
    "terminate_complaint",
    "withdraw_case",
]
