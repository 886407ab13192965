"""Administrative units (34 provinces, 3,321 communes, official codes), the bodies that handle cases,
and who works where."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    kind = models.CharField(_("loại"), max_length=20)  # Xã, Phường, Đặc khu
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("xã, phường, đặc khu")
        verbose_name_plural = _("xã, phường, đặc khu")

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class UnitKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
    FRONT_COMMITTEE = "front_committee", _("Ủy ban Mặt trận Tổ quốc")
    INSPECTION_BOARD = "inspection_board", _("Ban Thanh tra nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    AGENCY = "agency", _("Cơ quan, đơn vị")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Unit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=30, choices=UnitKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="units")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    remote_area = models.BooleanField(_("vùng sâu, vùng xa"), default=False)
    answer_working_days = models.PositiveSmallIntegerField(
        _("hạn trả lời phản ánh, kiến nghị (ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_("Để trống để dùng quy định chung."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["province_id", "level", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["province", "commune", "kind"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CLERK = "clerk", _("Cán bộ tiếp nhận, xử lý")
    HEAD = "head", _("Người đứng đầu")
    SUPERVISOR = "supervisor", _("Giám sát (MTTQ, Ban TTND)")
    ADMIN = "admin", _("Quản trị đơn vị")
    PROTECTION_OFFICER = "protection_officer", _("Cán bộ bảo vệ người tố cáo (giữ khóa danh tính)")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    include_subunits = models.BooleanField(
        _("xem cả đơn vị cấp dưới"), default=False, help_text=_("Cho phép xem hồ sơ của các đơn vị trực thuộc.")
    )

    class Meta:
        unique_together = [("user", "unit", "role")]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class ApiToken(models.Model):
    """Staff API access. Only a SHA-256 of the token is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
