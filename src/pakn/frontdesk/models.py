"""Batches of opinions the Fatherland Front forwards ("do MTTQ, đoàn thể chuyển đến"): after a meeting
between voters and deputies, a dialogue, or a member organisation's report, the Front committee records the
batch once, and each opinion becomes a case of the competent unit (channel ``front``, through
``cases.services.submit``) or joins a case that already exists. Writes happen only in ``services.py``.

No resident's name is stored here: a resident who gives one is the case's reporter, sealed in the vault."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case
from pakn.org.models import Unit


class BatchSource(models.TextChoices):
    VOTERS_MEETING = "voters_meeting", _("Tiếp xúc cử tri của đại biểu dân cử")
    DIALOGUE = "dialogue", _("Hội nghị, đối thoại với Nhân dân")
    ORGANISATION = "organisation", _("Tổ chức chính trị – xã hội thành viên chuyển đến")
    SUPERVISION = "supervision", _("Qua giám sát, phản biện xã hội")
    OTHER = "other", _("Khác")


class FrontBatch(models.Model):
    front_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Ủy ban MTTQ chuyển")
    )
    source = models.CharField(_("nguồn ý kiến"), max_length=20, choices=BatchSource.choices)
    meeting = models.CharField(_("hội nghị, cuộc tiếp xúc"), max_length=300)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=300)
    document_number = models.CharField(_("số văn bản chuyển"), max_length=60)
    forwarded_on = models.DateField(_("ngày chuyển"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-forwarded_on", "-id"]
        verbose_name = _("đợt chuyển ý kiến của MTTQ")
        verbose_name_plural = _("đợt chuyển ý kiến của MTTQ")

    def __str__(self) -> str:
        return f"{self.document_number} – {self.front_unit}"


class FrontOpinion(models.Model):
    """One opinion of a batch and the case that carries it: a new case, or one that existed (``joined``)."""

    batch = models.ForeignKey(FrontBatch, on_delete=models.PROTECT, related_name="opinions")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung tóm tắt"), max_length=200)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    joined = models.BooleanField(_("gộp vào hồ sơ đã có"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch_id", "number"]
        unique_together = [("batch", "number")]
        verbose_name = _("ý kiến do MTTQ chuyển đến")
        verbose_name_plural = _("ý kiến do MTTQ chuyển đến")

    def __str__(self) -> str:
        return f"{self.batch_id}.{self.number}"
