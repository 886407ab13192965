from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outbox(models.Model):
    """Every notification is written here in the same transaction as the change that causes it, and
    delivered later by ``pakn worker``. ``dedupe_key`` makes queuing idempotent; ``status`` makes
    delivery idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    channel = models.CharField(max_length=10)  # email | sms
    # Staff addresses are stored as they are; a reporter's contact only sealed to the notifier key
    # (pakn.protection.keys), opened by the worker at send time.
    recipient = models.CharField(max_length=254, blank=True)
    sealed_recipient = models.TextField(blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=120, unique=True)
    # The link that stops messages of this kind (an alert's follow), sent as e-mail's List-Unsubscribe header.
    unsubscribe_url = models.CharField(max_length=500, blank=True, db_default="")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("thông báo")
        verbose_name_plural = _("hàng đợi thông báo")

    def __str__(self) -> str:
        return f"{self.channel}:{self.dedupe_key}"
