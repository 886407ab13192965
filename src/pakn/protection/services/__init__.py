"""The protection acts. Like ``pakn.cases.services``: keyword-only arguments, the actor explicit, one
transaction, one audit event per act on a case (through ``record_event``, so it joins the case's hash
chain). Private keys and identities exist only in memory, inside one request.

The acts live in modules by what they act on (``officers``: key pairs; ``submissions``: files, sealing, receipts;
``reveal``: the four-eyes reveal; ``copies``: the handler's questions and the verification copy;
``protection_requests``: protection of the denouncer); callers import them from here."""

from pakn.protection.services.common import IDENTITY_FIELDS, MAX_FILES, REVEAL_VALID
from pakn.protection.services.copies import (
    Screened,
    add_evidence,
    make_verification_copy,
    screen_attachments,
    verification_zip,
)
from pakn.protection.services.officers import (
    change_password,
    officer_left,
    relock_key,
    reseal_pending,
    reset_key,
    rotate_key,
    setup_key,
    unlock,
)
from pakn.protection.services.protection_requests import (
    can_decide_protection,
    can_request_protection,
    decide_protection,
    protection_deadline,
    reports_conduct,
    request_protection,
    rotate_escrow_key,
)
from pakn.protection.services.reveal import Revealed, decide_reveal, open_original, request_reveal, reveal_identity
from pakn.protection.services.submissions import (
    Upload,
    case_by_receipt,
    check_uploads,
    new_receipt,
    redact_for_case,
    redaction_terms,
    removal_report,
    split_original,
    store_uploads,
)

__all__ = [
    "IDENTITY_FIELDS",
    "MAX_FILES",
    "REVEAL_VALID",
    "Revealed",
    "Screened",
    "Upload",
    "add_evidence",
    "can_decide_protection",
    "can_request_protection",
    "case_by_receipt",
    "change_password",
    "check_uploads",
    "decide_protection",
    "decide_reveal",
    "make_verification_copy",
    "new_receipt",
    "officer_left",
    "open_original",
    "protection_deadline",
    "redact_for_case",
    "redaction_terms",
    "relock_key",
    "removal_report",
    "reports_conduct",
    "request_protection",
    "request_reveal",
    "reseal_pending",
    "reset_key",
    "reveal_identity",
    "rotate_escrow_key",
    "rotate_key",
    "screen_attachments",
    "setup_key",
    "split_original",
    "store_uploads",
    "unlock",
    "verification_zip",
]
