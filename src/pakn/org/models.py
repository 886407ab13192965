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
    INSPECTION_COMMISSION = "inspection_commission", _("Ủy ban kiểm tra của cấp ủy")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    AGENCY = "agency", _("Cơ quan, đơn vị")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Rank(models.TextChoices):
    """Where a position sits in its body: what competence and conflict-of-interest rules key on."""

    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó của người đứng đầu")
    OTHER = "other", _("Cán bộ, công chức, đảng viên khác")


class Position(models.TextChoices):
    """The position of a person concerned by a case (người bị tố cáo, bị phản ánh, bị khiếu nại)."""

    PC_CHAIR = "pc_chair", _("Chủ tịch Ủy ban nhân dân")
    PC_VICE_CHAIR = "pc_vice_chair", _("Phó Chủ tịch Ủy ban nhân dân")
    PARTY_SECRETARY = "party_secretary", _("Bí thư cấp ủy")
    PARTY_DEPUTY_SECRETARY = "party_deputy_secretary", _("Phó Bí thư cấp ủy")
    DEPARTMENT_DIRECTOR = "department_director", _("Giám đốc sở")
    DEPARTMENT_DEPUTY_DIRECTOR = "department_deputy_director", _("Phó Giám đốc sở")
    OFFICE_HEAD = "office_head", _("Trưởng phòng")
    OFFICE_DEPUTY_HEAD = "office_deputy_head", _("Phó Trưởng phòng")
    FRONT_CHAIR = "front_chair", _("Chủ tịch Ủy ban MTTQ")
    FRONT_VICE_CHAIR = "front_vice_chair", _("Phó Chủ tịch Ủy ban MTTQ")
    OFFICIAL = "official", _("Cán bộ, công chức, viên chức khác")
    PARTY_MEMBER = "party_member", _("Đảng viên")


# position → (rank, the kind of body the position belongs to; "" when it depends)
POSITION_INFO: dict[str, tuple[str, str]] = {
    Position.PC_CHAIR: (Rank.HEAD, UnitKind.PEOPLES_COMMITTEE),
    Position.PC_VICE_CHAIR: (Rank.DEPUTY, UnitKind.PEOPLES_COMMITTEE),
    Position.PARTY_SECRETARY: (Rank.HEAD, UnitKind.PARTY_COMMITTEE),
    Position.PARTY_DEPUTY_SECRETARY: (Rank.DEPUTY, UnitKind.PARTY_COMMITTEE),
    Position.DEPARTMENT_DIRECTOR: (Rank.HEAD, UnitKind.DEPARTMENT),
    Position.DEPARTMENT_DEPUTY_DIRECTOR: (Rank.DEPUTY, UnitKind.DEPARTMENT),
    Position.OFFICE_HEAD: (Rank.HEAD, UnitKind.AGENCY),
    Position.OFFICE_DEPUTY_HEAD: (Rank.DEPUTY, UnitKind.AGENCY),
    Position.FRONT_CHAIR: (Rank.HEAD, UnitKind.FRONT_COMMITTEE),
    Position.FRONT_VICE_CHAIR: (Rank.DEPUTY, UnitKind.FRONT_COMMITTEE),
    Position.OFFICIAL: (Rank.OTHER, ""),
    Position.PARTY_MEMBER: (Rank.OTHER, UnitKind.PARTY_COMMITTEE),
}


def position_rank(position: str) -> str:
    """head, deputy or other (other for an unknown or empty position)."""
    return POSITION_INFO.get(position, (Rank.OTHER, ""))[0]


def is_head(position: str) -> bool:
    return position_rank(position) == Rank.HEAD


def is_deputy(position: str) -> bool:
    return position_rank(position) == Rank.DEPUTY


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


class TokenScope(models.TextChoices):
    READ = "read", _("Chỉ đọc")
    WRITE = "write", _("Đọc và ghi")


class ApiToken(models.Model):
    """Staff API access. Only a SHA-256 of the token is stored; the token itself is shown once.

    ``scope``: a read token may only read (GET); a write token may also act, but never beyond its owner's
    own rights. Tokens are issued and revoked through ``org.services``. The column default is "write" so
    that rows made directly (fixtures) behave as before; ``create_api_token`` chooses the scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    scope = models.CharField(_("phạm vi"), max_length=5, choices=TokenScope.choices, default=TokenScope.WRITE)
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

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
