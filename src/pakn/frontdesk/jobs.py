"""The Front desk's job after a case change (settings.CASE_JOBS)."""

from typing import Any

from django.db import transaction

from pakn.frontdesk.services import ANSWER_ACTIONS
from pakn.frontdesk.services import tell_front as _tell_front


def tell_front(*, case: Any, event: Any) -> None:
    """An answer to an opinion the Front forwarded: its supervisors are told."""
    if event.action in ANSWER_ACTIONS:
        with transaction.atomic():
            _tell_front(case, event)
