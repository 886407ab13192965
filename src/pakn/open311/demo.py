"""Demo data for Open311: one known API key, so a client can file requests against ``make demo`` right away.
Called by ``pakn demo`` only; never in production."""

from __future__ import annotations

from pakn.open311.models import ApiKey

DEMO_KEY = "pakn-demo-open311-key"  # noqa: S105 - a published demo value, created only by `pakn demo`


def ensure_demo_key() -> str:
    """Create (or re-activate) the demo key; idempotent. Returns the key."""
    record, created = ApiKey.objects.get_or_create(
        key_hash=ApiKey.hash_key(DEMO_KEY),
        defaults={"name": "Demo (Open311)", "prefix": DEMO_KEY[:8], "contact": "demo"},
    )
    if not created and record.revoked_at is not None:
        ApiKey.objects.filter(pk=record.pk).update(revoked_at=None)
    return DEMO_KEY
