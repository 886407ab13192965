"""What the protection acts share: the log, the audit event on the case, the case lock."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pakn.core import validate

logger = logging.getLogger("pakn.protection")
REVEAL_VALID = timedelta(hours=24)
MAX_FILES = validate.MAX_FILES
IDENTITY_FIELDS = ("name", "phone", "email", "id_number", "address")


def record_case_event(case: Any, action: str, **kwargs: Any) -> Any:
    from pakn.cases.services import record_event

    return record_event(case, action, **kwargs)


def lock_case(case: Any) -> Any:
    from pakn.cases.models import Case

    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
