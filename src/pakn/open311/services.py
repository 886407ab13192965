"""The writes of Open311: application keys (issued, revoked, last use) and the record that ties a case to the
request that filed it. Views, the admin and ``pakn open311key`` call these; each change of a key is one row
of the activity log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pakn.core.activity import log_activity
from pakn.open311.models import ApiKey, Open311Request


def issue_api_key(*, actor: Any, name: str, contact: str = "") -> tuple[ApiKey, str]:
    """A new key for an application; the key itself is returned once and only its SHA-256 is stored."""
    with transaction.atomic():
        record, key = ApiKey.issue(name=name.strip()[:100], contact=contact.strip()[:200], created_by=actor)
        log_activity("open311", "api_key_issued", record, actor=actor, unit=None, data={"prefix": record.prefix})
    return record, key


def revoke_api_keys(*, actor: Any, keys: QuerySet[ApiKey]) -> int:
    """Revoke the active keys among ``keys``; the number revoked."""
    now = timezone.now()
    with transaction.atomic():
        active = list(keys.filter(revoked_at__isnull=True).select_for_update())
        for record in active:
            record.revoked_at = now
            record.save(update_fields=["revoked_at"])
            log_activity("open311", "api_key_revoked", record, actor=actor, unit=None, data={"prefix": record.prefix})
    return len(active)


def note_key_use(record: ApiKey) -> None:
    """Bookkeeping, not an act: when the application last called."""
    ApiKey.objects.filter(pk=record.pk).update(last_used_at=timezone.now())


def record_request(
    *, case: Any, token: str, api_key: ApiKey, service_code: str, **details: Any
) -> Open311Request:
    """Tie a case filed through GeoReport to its request (call inside the transaction that filed it)."""
    return Open311Request.objects.create(case=case, token=token, api_key=api_key, service_code=service_code, **details)
