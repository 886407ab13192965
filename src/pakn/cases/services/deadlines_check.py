"""The periodic deadline check (``pakn worker``): remind units of what is due soon, and tell the heads of
the unit and of the unit above when a deadline passed."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import policy
from pakn.cases.models import Obligation
from pakn.cases.services.common import lock
from pakn.cases.services.events import notify_unit_staff, record_event
from pakn.cases.workflow import Status
from pakn.org.models import Role


def check_deadlines(*, today: date | None = None, due_soon_days: int | None = None) -> dict[str, int]:
    """Remind units of deadlines due soon and escalate overdue ones to the heads of the unit above.
    Idempotent: each obligation is reminded and escalated at most once."""
    today = today or timezone.localdate()
    calendar = policy.working_calendar()
    horizon = calendar.add_working_days(
        today, due_soon_days if due_soon_days is not None else settings.DUE_SOON_WORKING_DAYS
    )
    counts = {"reminded": 0, "escalated": 0}
    open_obligations = (
        Obligation.objects.filter(met_on__isnull=True, cancelled=False)
        .exclude(case__status=Status.SUSPENDED)  # suspended time does not count (resume moves the dates)
        .select_related("case", "unit")
    )
    for obligation in open_obligations.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon):
        counts["reminded"] += _remind(obligation)
    for obligation in open_obligations.filter(escalated_at__isnull=True, due_on__lt=today):
        counts["escalated"] += _escalate(obligation)
    return counts


def _remind(obligation: Obligation) -> int:
    """1 when this call claimed the reminder (a concurrent run that got there first sends it instead)."""
    with transaction.atomic():
        if not Obligation.objects.filter(pk=obligation.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
            return 0
        notify_unit_staff(
            obligation.case,
            obligation.unit,
            f"remind:{obligation.pk}",
            str(_("Sắp đến hạn: %(code)s") % {"code": obligation.case.tracking_code}),
            str(
                _("Hạn %(kind)s: %(date)s.")
                % {"kind": obligation.get_kind_display(), "date": obligation.due_on.strftime("%d/%m/%Y")}
            ),
            roles=(Role.CLERK, Role.HEAD),
        )
        return 1


def _escalate(obligation: Obligation) -> int:
    """An ``overdue`` event on the case, and a notice to the heads of the unit and of the one above."""
    with transaction.atomic():
        if not Obligation.objects.filter(pk=obligation.pk, escalated_at__isnull=True).update(
            escalated_at=timezone.now()
        ):
            return 0
        case = lock(obligation.case)
        event = record_event(
            case,
            "overdue",
            actor_label="system",
            data={
                "obligation": obligation.kind,
                "due_on": obligation.due_on.isoformat(),
                "unit": obligation.unit.name,
            },
        )
        subject = str(_("Quá hạn: %(code)s") % {"code": case.tracking_code})
        body = str(
            _("%(unit)s chưa hoàn thành việc %(kind)s, hạn %(date)s.")
            % {
                "unit": obligation.unit.name,
                "kind": obligation.get_kind_display(),
                "date": obligation.due_on.strftime("%d/%m/%Y"),
            }
        )
        notify_unit_staff(case, obligation.unit, f"{event.hash}:own", subject, body, roles=(Role.HEAD,))
        if obligation.unit.parent_id:
            notify_unit_staff(case, obligation.unit.parent, f"{event.hash}:up", subject, body, roles=(Role.HEAD,))  # type: ignore[arg-type]
        return 1
