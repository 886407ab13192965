"""The language package's own tables: the search index (one row per case, kept in sync by a job
after each case change, ``language.jobs``), routing suggestions and the clerks' corrections, trained router models,
and near-duplicate flags. Writes happen only in ``services.py`` (the index also in ``search.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case, Kind


class CaseSearchDocument(models.Model):
    """The folded, slang-expanded keys of a case (``core.text.search_key``). On SQLite an FTS5 table
    (``language_fts``) mirrors ``title_key``, ``body_key`` and ``scope_key`` through triggers; on PostgreSQL a
    generated ``tsvector`` column with a GIN index does the same (migrations 0002, 0003)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="search_document")
    title_key = models.TextField()
    body_key = models.TextField()
    title_toned = models.TextField(blank=True)  # lower case, canonical tone style, diacritics kept
    dup_key = models.TextField(blank=True, default="")  # content words for the duplicate check
    # Who may see the case and how recent it is, as index terms (``search.scope_key``): "u_<unit>",
    # "p_<province>", "c_<commune>" of the case and of its unit, "r_<id // RECENT_BUCKET>". Text keys never
    # hold "_", so these never meet a typed word. They only narrow the index's candidates: every result is
    # still filtered by the caller's queryset (``visible_cases``).
    scope_key = models.TextField(blank=True, default="", db_default="")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ mục tìm kiếm")
        verbose_name_plural = _("chỉ mục tìm kiếm")

    def __str__(self) -> str:
        return self.title_key.strip()


class Source(models.TextChoices):
    MODEL = "model", _("gợi ý theo mô hình học từ hồ sơ đã xử lý")
    KEYWORDS = "keywords", _("gợi ý theo từ khóa")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    CORRECTED = "corrected", _("Đã sửa")


class Suggestion(models.Model):
    """What the router proposes for a new submission: kind, topic and competent unit, with a confidence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="language_suggestions")
    kind = models.CharField(_("loại đơn gợi ý"), max_length=20, choices=Kind.choices)
    kind_confidence = models.FloatField(default=0.0)
    topic_code = models.CharField(_("lĩnh vực gợi ý"), max_length=40, blank=True)
    confidence = models.FloatField(_("độ tin cậy"), default=0.0)
    unit_code = models.CharField(_("đơn vị gợi ý"), max_length=40, blank=True)
    source = models.CharField(_("nguồn gợi ý"), max_length=20, choices=Source.choices)
    model_version = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gợi ý phân loại")
        verbose_name_plural = _("gợi ý phân loại")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}/{self.topic_code}/{self.unit_code} ({self.confidence:.2f})"


class Correction(models.Model):
    """A clerk's answer to a suggestion: kept for training (``pakn router train`` without ``--data``)."""

    class Field(models.TextChoices):
        KIND = "kind", _("loại đơn")
        TOPIC = "topic", _("lĩnh vực")
        UNIT = "unit", _("đơn vị")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="corrections")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="language_corrections")
    field = models.CharField(max_length=10, choices=Field.choices)
    suggested = models.CharField(max_length=40, blank=True)
    chosen = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("hiệu chỉnh của cán bộ")
        verbose_name_plural = _("hiệu chỉnh của cán bộ")

    def __str__(self) -> str:
        return f"{self.case_id} {self.field}: {self.suggested} → {self.chosen}"

    @property
    def agreed(self) -> bool:
        return self.suggested == self.chosen


class RouterModel(models.Model):
    """A trained text classifier (``pakn router train``). The newest active one per target is used."""

    target = models.CharField(max_length=20)  # topic | kind | label
    version = models.CharField(max_length=64, unique=True)  # sha256 of the blob
    blob = models.BinaryField()
    labels = models.JSONField(default=list)
    n_docs = models.PositiveIntegerField(default=0)
    data_source = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mô hình phân loại")
        verbose_name_plural = _("mô hình phân loại")

    def __str__(self) -> str:
        return f"{self.target} {self.version[:8]} ({self.n_docs})"


class DuplicateFlag(models.Model):
    """``case`` looks like (or the citizen said it is) the same matter as the open case ``candidate``."""

    class Origin(models.TextChoices):
        INTAKE = "intake", _("phát hiện khi tiếp nhận")
        CITIZEN = "citizen", _("người dân chọn tham gia hồ sơ đã có")

    class State(models.TextChoices):
        OPEN = "open", _("Chờ xem xét")
        MERGED = "merged", _("Đã gộp")
        DISMISSED = "dismissed", _("Không trùng")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_flags")
    candidate = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_of_flags")
    score = models.FloatField(default=0.0)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "candidate"], name="language_dupflag_unique")]
        verbose_name = _("nghi trùng")
        verbose_name_plural = _("nghi trùng")

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.candidate_id} ({self.score:.2f}, {self.state})"
