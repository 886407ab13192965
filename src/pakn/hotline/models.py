"""Leaders' hotlines ("thiết lập đường dây nóng thông qua số điện thoại của lãnh đạo", Decision 99-QĐ/TW):
each unit's published numbers, the duty roster (who answers when) and the call log. Writes happen only in
``services.py``; every change is also written to the shared activity log (``reception.Activity``).

No caller's name or number is stored here: a call that becomes a case passes the caller to
``cases.services.submit``, which seals it in the identity vault like any reporter's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case
from pakn.org.models import Unit


class Hotline(models.Model):
    """One published number of a unit's leader: public data (public officials, in their official role)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="hotlines", verbose_name=_("đơn vị"))
    official_name = models.CharField(_("họ và tên lãnh đạo"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150)
    phone = models.CharField(_("số điện thoại"), max_length=20)
    hours = models.CharField(_("thời gian tiếp nhận"), max_length=120)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang công bố"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__province_id", "unit__name", "id"]
        verbose_name = _("đường dây nóng")
        verbose_name_plural = _("đường dây nóng")

    def __str__(self) -> str:
        return f"{self.official_name} – {self.unit}"


class DutyShift(models.Model):
    """Who answers a hotline from when to when (the duty roster)."""

    hotline = models.ForeignKey(Hotline, on_delete=models.CASCADE, related_name="shifts")
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ trực")
    )
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["hotline", "starts_at", "ends_at"])]
        verbose_name = _("ca trực")
        verbose_name_plural = _("ca trực")

    def __str__(self) -> str:
        return f"{self.hotline_id}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class CallOutcome(models.TextChoices):
    CASE = "case", _("Tiếp nhận thành đơn (phản ánh, kiến nghị, khiếu nại, tố cáo)")
    INFORMATION = "information", _("Đã cung cấp thông tin, hướng dẫn; không cần lập đơn")


class Call(models.Model):
    """One call taken on a hotline. ``summary`` never names the caller: a call that became a case keeps the
    case's (redacted) text; the caller's identity is in the vault, with the case."""

    hotline = models.ForeignKey(Hotline, on_delete=models.PROTECT, related_name="calls")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("thời điểm gọi"))
    duration_minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"))
    summary = models.TextField(_("tóm tắt nội dung"))
    outcome = models.CharField(_("kết quả"), max_length=12, choices=CallOutcome.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    shift = models.ForeignKey(DutyShift, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    on_duty = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ trực")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["unit", "received_at"])]
        verbose_name = _("cuộc gọi")
        verbose_name_plural = _("cuộc gọi")

    def __str__(self) -> str:
        return f"{self.hotline_id}: {self.received_at:%Y-%m-%d %H:%M}"
