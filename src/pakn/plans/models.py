"""A directive or conclusion (e.g. Conclusion 54-KL/TW) cascades into the plans of each unit that
implements it (165-KH/TU of a city party committee, 141-KH/QU of a unit below), each plan assigns
tasks to units below with due dates, and those units report progress. Writes happen only in
``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.org.models import Unit


class Directive(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=60, unique=True, help_text=_("Ví dụ: 54-KL/TW"))
    title = models.CharField(_("trích yếu"), max_length=300)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.TextField(_("nội dung chính"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("chỉ thị, kết luận")
        verbose_name_plural = _("chỉ thị, kết luận")

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"


class Plan(models.Model):
    """A unit's plan implementing a directive; ``parent`` is the plan of the unit above that it
    implements (none for a plan implementing the directive directly). One plan per unit and directive."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="plans")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị ban hành"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thực hiện kế hoạch cấp trên"),
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 165-KH/TU"))
    title = models.CharField(_("trích yếu"), max_length=300)
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.TextField(_("nội dung chính"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="plans_one_plan_per_unit"),
            models.UniqueConstraint(fields=["unit", "number"], name="plans_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.unit})"


class Task(models.Model):
    """Work a plan assigns to a unit below, to be done (and reported) by ``due_on``."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    assignee = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plan_tasks", verbose_name=_("đơn vị thực hiện")
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("yêu cầu cụ thể"), blank=True)
    due_on = models.DateField(_("thời hạn"))
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        indexes = [models.Index(fields=["assignee", "completed_on"])]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    number = models.CharField(_("số báo cáo"), max_length=60, blank=True, help_text=_("Ví dụ: 12-BC/ĐU"))
    reported_on = models.DateField(_("ngày báo cáo"))
    percent = models.PositiveSmallIntegerField(_("mức độ hoàn thành (%)"))
    body = models.TextField(_("kết quả thực hiện"))
    is_final = models.BooleanField(_("đã hoàn thành nhiệm vụ"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return f"{self.task} {self.reported_on}"
