"""Merging cases about the same matter: the merged case keeps its reporter and messages, its deadlines move
to the surviving case, and its reporter is told when the matter is answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case
from pakn.cases.services.common import lock, open_obligations, public_url, transition
from pakn.cases.services.events import notify_reporter, record_event
from pakn.cases.services.obligations import refresh_due
from pakn.cases.workflow import OPEN, Action
from pakn.core.errors import InvalidInput
from pakn.org.access import require_handler


def merge_case(*, actor: Any, case: Case, into: Case) -> Case:
    """The merged case keeps its reporter and messages; its open deadline obligations move to the
    surviving case, so a statutory obligation is never dropped by merging."""
    with transaction.atomic():
        # Lock in primary-key order, the order resolve_case uses for a survivor and its merged cases, so two
        # acts on the same pair wait for each other instead of deadlocking.
        locked = {c.pk: lock(c) for c in sorted((case, into), key=lambda c: c.pk)}
        case, into = locked[case.pk], locked[into.pk]
        require_handler(actor, case)
        require_handler(actor, into)
        if case.pk == into.pk or into.status not in OPEN:
            raise InvalidInput(fields={"into": [_("Chọn một hồ sơ khác đang mở.")]})
        case.status, case.merged_into = transition(case, Action.MERGE), into
        case.save(update_fields=["status", "merged_into", "updated_at"])
        open_obligations(case).update(case=into, unit=into.unit)
        refresh_due(case)
        refresh_due(into)
        record_event(case, "merged", actor=actor, data={"into": into.tracking_code})
        record_event(into, "merge_received", actor=actor, data={"from": case.tracking_code}, public=False)
        return case


def tell_merged_reporters(case: Case) -> None:
    """The reporters of cases merged into ``case`` learn that the matter was answered, by their chosen
    contact; their status page shows the answer redacted of every reporter's details
    (``presenters.joint_answers``), since it was written to another reporter."""
    for merged in case.merged_family():  # in primary-key order, after the survivor: one lock order
        merged = lock(merged)
        event = record_event(merged, "merged_answered", actor_label="system", data={"to": case.unit.name})
        notify_reporter(
            merged,
            event,
            str(_("Đơn %(code)s: vụ việc đã có kết quả") % {"code": merged.tracking_code}),
            str(
                _(
                    "Đơn của bạn đã được gộp với các đơn cùng nội dung; %(unit)s đã có kết quả giải quyết chung. "
                    "Xem tại: %(url)s"
                )
                % {"unit": case.unit.name, "url": public_url(merged)}
            ),
        )
