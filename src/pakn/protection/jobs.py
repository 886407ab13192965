"""Protection's job after a case change (settings.CASE_JOBS)."""

from typing import Any

from pakn.protection.apps import RESEAL_ACTIONS


def mark_for_reseal(*, case: Any, event: Any) -> None:
    """A case moved to another unit (forwarded, escalated, merged): its sealed items are sealed again for
    the officers of the unit that has it now (``vault.reseal_pending``)."""
    if event.action in RESEAL_ACTIONS:
        from pakn.protection.models import VaultItem

        VaultItem.objects.filter(case_id=case.pk).update(needs_reseal=True)
