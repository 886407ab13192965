"""Transparency data: the statistics tables (kept up to date by a job after each case change, rebuilt by
``pakn stats_rebuild``) and the published results of disciplining officials.

``HandlingFact`` is one row per *stint* of a case at a unit: the unit it was routed to, and every unit it was
forwarded or escalated to afterwards. Each row carries what the statistics need, already computed (outcome,
on time or late, days to answer, rating), so no statistic joins the case tables. ``UnitMonthStat`` sums the
facts per unit and per month of arrival; whole months of a period are read from it, the days at the edges
of a period from the facts. Neither table holds anything about the reporter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Case
from pakn.org.models import Unit


class Outcome(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã trả lời / kết luận")
    REFUSED = "refused", _("Không thụ lý")
    FORWARDED = "forwarded", _("Đã chuyển đơn vị khác")
    WITHDRAWN = "withdrawn", _("Người gửi rút đơn")
    MERGED = "merged", _("Gộp vào hồ sơ khác")


class HandlingFact(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    seq = models.PositiveSmallIntegerField()  # 0 = the unit the case was routed to, 1.. = after each forward
    current = models.BooleanField()  # the stint of the unit now in charge
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    province_id = models.CharField(max_length=2)  # of the unit
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    topic_id = models.BigIntegerField(null=True)
    received_on = models.DateField()  # the day the case reached this unit (case received / forwarded)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    accepted = models.BooleanField(default=False)
    answered_on = models.DateField(null=True)  # date of the answer, conclusion or refusal
    answer_days = models.PositiveIntegerField(null=True)  # answered_on - received_on, resolved only
    on_time = models.BooleanField(null=True)  # every deadline of the stint met (None while open)
    due_on = models.DateField(null=True)  # current stint only: earliest open deadline
    escalated_away = models.BooleanField(default=False)  # the citizen took it to the unit above
    rating = models.PositiveSmallIntegerField(null=True)  # the citizen's rating of this unit (1..5)
    handler_id = models.BigIntegerField(null=True)  # the official who signed the answer or refusal
    publish = models.BooleanField(default=False)

    class Meta:
        unique_together = [("case", "seq")]
        indexes = [
            models.Index(fields=["unit", "received_on"], name="public_fact_unit_day"),
            models.Index(fields=["received_on", "province_id"], name="public_fact_day_prov"),
            models.Index(fields=["outcome", "due_on"], name="public_fact_open_due"),
            # "still open and overdue" over a period, grouped by province, unit, topic or month, and the days to
            # answer of the resolved ones (the medians), read from the index alone (the nationwide overdue count
            # took seconds at 1M facts through the indexes above)
            models.Index(
                fields=["outcome", "received_on", "due_on", "province_id", "unit", "topic_id", "answer_days"],
                name="public_fact_open_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.seq} {self.outcome}"


class MeasureColumns(models.Model):
    """The stored measures (``facts.STORED_MEASURES``) of a month table: sums of ``HandlingFact`` rows."""

    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    forwarded = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    done_on_time = models.PositiveIntegerField(default=0)
    done_late = models.PositiveIntegerField(default=0)
    still_open = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    escalated_away = models.PositiveIntegerField(default=0)
    answer_days_sum = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    kind_report = models.PositiveIntegerField(default=0)
    kind_petition = models.PositiveIntegerField(default=0)
    kind_complaint = models.PositiveIntegerField(default=0)
    kind_denunciation = models.PositiveIntegerField(default=0)
    kind_opinion = models.PositiveIntegerField(default=0)
    channel_web = models.PositiveIntegerField(default=0)
    channel_api = models.PositiveIntegerField(default=0)
    channel_letter = models.PositiveIntegerField(default=0)
    channel_hotline = models.PositiveIntegerField(default=0)
    channel_email = models.PositiveIntegerField(default=0)
    channel_reception = models.PositiveIntegerField(default=0)
    channel_direct = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class UnitMonthStat(MeasureColumns):
    """Sums of ``HandlingFact`` per unit and calendar month of arrival. Same column names as the
    measures in ``stats.MEASURES``."""

    month = models.DateField()  # first day of the month
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    province_id = models.CharField(max_length=2)

    class Meta:
        unique_together = [("unit", "month")]
        indexes = [models.Index(fields=["month", "province_id"], name="public_ums_month_prov")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class TopicMonthStat(MeasureColumns):
    """Sums of ``HandlingFact`` per province, topic and calendar month of arrival: the breakdown by topic of a
    nationwide or provincial page is read from here (a year of facts took seconds at a million cases)."""

    month = models.DateField()  # first day of the month
    province_id = models.CharField(max_length=2)
    topic_id = models.BigIntegerField(null=True)  # None: not classified

    class Meta:
        indexes = [models.Index(fields=["month", "province_id", "topic_id"], name="public_tms_month_prov")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%Y-%m} {self.topic_id}"


class ProvinceDaysStat(models.Model):
    """How many resolved stints took each number of days to answer, per province and month of arrival: the
    histogram from which nationwide and provincial medians are read (a median cannot be summed)."""

    month = models.DateField()
    province_id = models.CharField(max_length=2)
    answer_days = models.PositiveIntegerField()
    resolved = models.PositiveIntegerField()

    class Meta:
        unique_together = [("province_id", "month", "answer_days")]
        indexes = [models.Index(fields=["month", "province_id"], name="public_pds_month_prov")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%Y-%m} {self.answer_days}: {self.resolved}"


class SnapshotScope(models.TextChoices):
    NATION = "nation", _("Cả nước")
    PROVINCE = "province", _("Tỉnh, thành phố")
    UNIT = "unit", _("Đơn vị và các đơn vị trực thuộc")


class PortalSnapshot(models.Model):
    """The figures of one public statistics page (the nationwide page, a province's, a unit's) for the default
    period, computed ahead by the worker (``pakn.public.snapshots``) so a visitor reads them with one query and
    never waits for them to be computed. Numbers and codes only (no label, no translated text): the page puts
    names on them in the visitor's language. After each case change its snapshots are marked stale; the worker
    computes a stale snapshot again, at most every ``PAKN_PORTAL_REFRESH_SECONDS``, and visitors keep reading the
    previous figures meanwhile, with the time they were computed."""

    key = models.CharField(max_length=40, unique=True)  # "<scope kind>:<province code or unit id>|<period kind>"
    scope = models.CharField(max_length=10, choices=SnapshotScope.choices)
    province_id = models.CharField(max_length=2, blank=True)  # a province's snapshot
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    period_kind = models.CharField(max_length=10)  # "last12", the default period of the pages
    period_start = models.DateField()
    period_end = models.DateField()  # the day it was computed for: a snapshot of yesterday is out of date
    data = models.JSONField()
    computed_at = models.DateTimeField()
    stale = models.BooleanField(default=False, db_default=False)
    stale_since = models.DateTimeField(null=True, blank=True)  # the latest case change after ``computed_at``

    class Meta:
        indexes = [models.Index(fields=["scope", "province_id"], name="public_snap_province")]

    def __str__(self) -> str:
        return f"{self.key} {self.computed_at:%Y-%m-%d %H:%M}"


class DisciplineMeasure(models.TextChoices):
    """Every disciplinary measure that exists or existed. Which ones are valid for a cadre, a civil servant
    or a party member on a given date is data with citations (``pakn.public.discipline``): since 01/07/2025
    (Nghị định 172/2025/NĐ-CP) a civil servant can no longer get ``salary_downgrade`` or ``demotion``."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    SALARY_DOWNGRADE = "salary_downgrade", _("Hạ bậc lương")
    DEMOTION = "demotion", _("Giáng chức")
    DISMISSAL_FROM_POST = "dismissal", _("Cách chức")
    REMOVAL = "removal", _("Bãi nhiệm")
    FORCED_RESIGNATION = "forced_resignation", _("Buộc thôi việc")
    PARTY_EXPULSION = "party_expulsion", _("Khai trừ khỏi Đảng")
    OTHER = "other", _("Hình thức khác (ghi rõ)")  # results published before the measures were checked


class DisciplineRegime(models.TextChoices):
    """Whose discipline: the state's (cadres, civil servants) or the Party's — separate systems, published
    apart."""

    CADRE = "cadre", _("Cán bộ – kỷ luật hành chính")
    CIVIL_SERVANT = "civil_servant", _("Công chức – kỷ luật hành chính")
    PARTY = "party", _("Đảng viên – kỷ luật đảng")


class DisciplineResult(models.Model):
    """The result of disciplining an official found in violation after a people's report, published by the
    head of the unit that handled the case (Decision 99-QĐ/TW). The official is named by position; the
    reporter never appears."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("hồ sơ"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị công bố"))
    official_position = models.CharField(_("chức vụ của người vi phạm"), max_length=200)
    official_name = models.CharField(_("họ tên (không bắt buộc)"), max_length=150, blank=True)
    violation = models.TextField(_("hành vi vi phạm"))
    measure = models.CharField(_("hình thức kỷ luật"), max_length=30, choices=DisciplineMeasure.choices)
    measure_detail = models.CharField(_("ghi rõ hình thức"), max_length=200, blank=True)
    # Blank only on results published before the regime was recorded.
    regime = models.CharField(_("hệ thống kỷ luật"), max_length=20, choices=DisciplineRegime.choices, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.CharField(_("lý do gỡ"), max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("kết quả xử lý kỷ luật")
        verbose_name_plural = _("kết quả xử lý kỷ luật")

    def __str__(self) -> str:
        return f"{self.decision_number} – {self.official_position}"


class CommendationKind(models.TextChoices):
    UNIT = "unit", _("Tập thể (đơn vị)")
    OFFICIAL = "official", _("Cá nhân cán bộ")
    CITIZEN = "citizen", _("Người dân phát hiện, phản ánh, tố cáo")


class Commendation(models.Model):
    """A commendation or reward decided by a head: of a unit or an official whose way of handling the people's
    letters works (a good model to spread: "phát hiện, biểu dương, khen thưởng tổ chức, cá nhân có cách làm sáng
    tạo … nhân rộng các mô hình", Quyết định 99-QĐ/TW), with the figures that justified it as they stood on the day;
    or of a citizen whose report led to a result ("bảo vệ, khuyến khích người dân phát hiện, tố giác"), recorded
    against the case, never naming them: the thanks go to their sealed contact, and a reward's payment needs the
    two-officer reveal."""

    kind = models.CharField(_("đối tượng"), max_length=10, choices=CommendationKind.choices)
    issued_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị quyết định"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị được khen")
    )
    official_name = models.CharField(_("họ và tên cán bộ"), max_length=150, blank=True)
    official_position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hồ sơ")
    )
    form = models.CharField(_("hình thức khen thưởng"), max_length=120)
    reason = models.TextField(_("thành tích"))
    model_title = models.CharField(_("tên mô hình, cách làm hay"), max_length=200, blank=True)
    model_description = models.TextField(_("mô tả mô hình, cách làm"), blank=True)
    figures = models.JSONField(default=dict, blank=True)  # the unit's figures on the day (12 months to the decision)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    published = models.BooleanField(_("công khai trong thư viện mô hình hay"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")

    def __str__(self) -> str:
        return f"{self.decision_number} – {self.kind}"


class AlertFollow(models.Model):
    """Someone who asked to be e-mailed when an answer or conclusion is published (``pakn.public.alerts``): about
    one published case, or about an area (a province, optionally one commune, optionally one topic).

    Nothing here says who follows what to anyone who copies the database: the address is sealed to the notifier
    key (opened by the worker at send time, like every notification) and looked up by a keyed hash; the links
    in the e-mails are derived from ``link_salt`` and the server's secret, and only their SHA-256 is stored.
    A follow does nothing until the link in its one confirmation e-mail is opened; unconfirmed ones expire."""

    email_key = models.CharField(max_length=64)  # HMAC(server secret, normalised address): "same address"
    sealed_email = models.TextField()
    # "case:<id>" or "area:<province>:<commune>:<topic>": one follow per address and target
    target = models.CharField(max_length=80)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("hồ sơ")
    )
    province = models.ForeignKey(
        "org.Province", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        "org.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("xã")
    )
    topic = models.ForeignKey(
        "cases.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("lĩnh vực")
    )
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=settings.LANGUAGES, default="vi")
    link_salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the link token, never the token
    created_at = models.DateTimeField(_("ngày yêu cầu"))  # of the latest request (a new request renews it)
    confirmed_at = models.DateTimeField(_("ngày xác nhận"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("ngày ngừng theo dõi"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["email_key", "target"], name="public_alert_one_per_target")]
        indexes = [
            models.Index(fields=["province", "confirmed_at"], name="public_alert_province"),
            models.Index(fields=["case", "confirmed_at"], name="public_alert_case"),
            models.Index(fields=["created_at"], name="public_alert_created"),
        ]
        verbose_name = _("theo dõi qua thư điện tử")
        verbose_name_plural = _("theo dõi qua thư điện tử")

    def __str__(self) -> str:
        return f"{self.pk}: {self.target}"
