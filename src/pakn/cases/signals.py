"""Extension point for the other feature packages (search index, webhooks, statistics): sent inside the
transaction of every case change, right after its audit event is written. Receivers must be quick and
must not write to the case itself; anything slow goes through the outbox."""

from django.dispatch import Signal

# kwargs: case (Case), event (AuditEvent)
case_changed = Signal()
