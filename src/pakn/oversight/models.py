"""Supervision by the Fatherland Front and the People's Inspection Boards: recommendations (kiến nghị giám
sát) sent to a unit, which answers within a tracked period. Writes happen only in ``services.py``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case
from pakn.org.models import Unit

RECOMMENDATION_PERIOD = "supervision_recommendation"


class ResponsePeriod(models.Model):
    """How long a unit has to answer, as data. The shipped default (15 working days) is this platform's
    choice, editable by an administrator: it is not quoted from a law."""

    code = models.CharField(_("mã"), max_length=60)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    effective_from = models.DateField(_("hiệu lực từ"))
    note = models.CharField(_("ghi chú, căn cứ"), max_length=300)

    class Meta:
        ordering = ["code", "-effective_from"]
        unique_together = [("code", "effective_from")]
        verbose_name = _("thời hạn trả lời kiến nghị")
        verbose_name_plural = _("thời hạn trả lời kiến nghị")

    def __str__(self) -> str:
        return f"{self.code}: {self.working_days} ({self.effective_from})"


class RecommendationStatus(models.TextChoices):
    AWAITING = "awaiting", _("Chờ đơn vị trả lời")
    ANSWERED = "answered", _("Đơn vị đã trả lời")
    WITHDRAWN = "withdrawn", _("Đã rút kiến nghị")
    ACCEPTED = "accepted", _("Cơ quan giám sát chấp nhận trả lời")
    ESCALATED = "escalated", _("Đã kiến nghị lên cấp trên")


class Recommendation(models.Model):
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan giám sát"))
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhận kiến nghị")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hồ sơ liên quan")
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung kiến nghị"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("ngày gửi"))
    due_on = models.DateField(_("hạn trả lời"))
    period_note = models.CharField(_("căn cứ thời hạn"), max_length=300)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.AWAITING
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    # The recommendation this one takes to the unit above, after it was not taken up (the supervising body
    # may then recommend to the higher body; the citation lives in docs/transparency.md).
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("tiếp theo kiến nghị"),
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["to_unit", "status"])]
        verbose_name = _("kiến nghị giám sát")
        verbose_name_plural = _("kiến nghị giám sát")

    def __str__(self) -> str:
        return f"{self.title} → {self.to_unit}"

    def is_overdue(self, today: date | None = None) -> bool:
        """Awaiting past its due date."""
        return self.status == RecommendationStatus.AWAITING and self.due_on < (today or timezone.localdate())

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on

    def deadline_state(self, today: date | None = None) -> str:
        """awaiting | overdue | answered_on_time | answered_late | accepted | escalated | withdrawn (for badges
        and filters)."""
        if self.status == RecommendationStatus.WITHDRAWN:
            return "withdrawn"
        if self.status in (RecommendationStatus.ACCEPTED, RecommendationStatus.ESCALATED):
            return str(self.status)
        if self.status == RecommendationStatus.ANSWERED:
            return "answered_late" if self.answered_late else "answered_on_time"
        return "overdue" if self.is_overdue(today) else "awaiting"


EVENT_LABELS = {
    "sent": _("Gửi kiến nghị"),
    "answered": _("Đơn vị trả lời"),
    "withdrawn": _("Rút kiến nghị"),
    "accepted": _("Cơ quan giám sát chấp nhận trả lời"),
    "asked_again": _("Cơ quan giám sát đề nghị trả lời lại"),
    "escalated": _("Kiến nghị lên cơ quan cấp trên"),
    "overdue": _("Quá hạn trả lời – đã báo người đứng đầu và cơ quan giám sát"),
}


class RecommendationEvent(models.Model):
    """Append-only history of a recommendation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Recommendation events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))
