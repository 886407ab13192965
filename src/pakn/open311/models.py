"""Open311 GeoReport v2 keys and submissions, and outgoing webhooks for other systems.

Keys and webhook secrets are issued by an administrator (admin, ``pakn open311key``). An Open311 key is
stored only as its SHA-256; a webhook secret must be kept as it is, because every delivery is signed
with it (HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.core.keys import new_key


class ApiKey(models.Model):
    """The ``api_key`` an Open311 application sends with ``POST requests``."""

    name = models.CharField(_("ứng dụng"), max_length=100)
    contact = models.CharField(_("liên hệ của bên phát triển"), max_length=200, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khóa Open311")
        verbose_name_plural = _("khóa Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, name: str, contact: str = "", created_by: object = None) -> tuple[ApiKey, str]:
        """A new key; the key itself is returned once and never stored."""
        key = new_key()
        record = cls.objects.create(
            name=name,
            contact=contact,
            key_hash=cls.hash_key(key),
            prefix=key[:8],
            created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        )
        return record, key

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Open311Request(models.Model):
    """A case filed through Open311: its ``token`` and what the application sent beside the case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="open311")
    token = models.CharField(max_length=32, unique=True, editable=False)
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests")
    service_code = models.CharField(max_length=80)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu Open311")
        verbose_name_plural = _("yêu cầu Open311")

    def __str__(self) -> str:
        return f"{self.token} → {self.case_id}"


class WebhookEndpoint(models.Model):
    """Another system that is told about case changes: ``events`` lists the audit actions it wants
    (``submitted``, ``resolved``…; ``*`` for all), ``province`` limits it to one province's cases."""

    name = models.CharField(_("hệ thống nhận"), max_length=100)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    secret = models.CharField(
        _("khóa ký"),
        max_length=100,
        blank=True,
        help_text=_("Để trống để tạo tự động. Bên nhận dùng khóa này kiểm tra chữ ký HMAC-SHA256."),
    )
    events = models.CharField(
        _("sự kiện"),
        max_length=500,
        default="*",
        help_text=_("Các hành động, cách nhau bởi dấu phẩy (submitted, accepted, resolved…), hoặc * cho tất cả."),
    )
    province = models.ForeignKey(
        "org.Province", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("chỉ hồ sơ của tỉnh")
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.secret:
            self.secret = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def wants(self, action: str) -> bool:
        wanted = {e.strip() for e in self.events.split(",") if e.strip()}
        return "*" in wanted or action in wanted


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction of the case change (so it exists if and
    only if the change committed), delivered by ``pakn.notify.webhooks.deliver_webhooks`` with retries.
    Never deleted: a delivery that keeps failing stays here as ``failed`` and can be retried."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=60)
    payload = models.TextField()  # the exact JSON body that is signed and sent
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="open311_webhook_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("lần gửi webhook")

    def __str__(self) -> str:
        return f"{self.endpoint_id}:{self.event_type}:{self.event_id[:12]}"
