"""Citizen reception: the required frequency of reception days (data with citations), scheduled
sessions and the slots citizens book, the reception register (sổ tiếp công dân), the head's
conclusions and their follow-up tasks. Writes happen only in ``services.py``."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import PSEUDONYM_ALPHABET, Case, Kind
from pakn.org.models import Commune, Unit, UnitKind, UnitLevel


class Period(models.TextChoices):
    WEEK = "week", _("tuần")
    MONTH = "month", _("tháng")


class ReceptionRequirement(models.Model):
    """How often the head of a kind of unit must receive citizens in person (e.g. the chair of a
    commune People's Committee: at least 1 day a week). Seeded from ``defaults.REQUIREMENTS``;
    administrators edit it. The rule in force on the first day of a week or month applies to it."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    unit_kind = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitKind.choices)
    level = models.CharField(
        _("cấp"), max_length=10, choices=UnitLevel.choices, blank=True, help_text=_("Để trống: áp dụng cho mọi cấp.")
    )
    head_title = models.CharField(_("người đứng đầu"), max_length=150)
    days = models.PositiveSmallIntegerField(_("số ngày tối thiểu"))
    period = models.CharField(_("trong mỗi"), max_length=10, choices=Period.choices)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    citation = models.CharField(_("căn cứ"), max_length=300)

    class Meta:
        ordering = ["unit_kind", "level", "effective_from"]
        verbose_name = _("quy định tần suất tiếp công dân")
        verbose_name_plural = _("quy định tần suất tiếp công dân")

    def __str__(self) -> str:
        return f"{self.head_title}: {self.days}/{self.get_period_display()}"


class TimeRule(models.Model):
    """Periods in working days: how far ahead a schedule is published (``publish_ahead``) and how
    soon the citizen is told whether the matter was accepted, forwarded or refused (``notice``).
    ``unit_kind`` blank applies to every kind of unit; a kind-specific row wins."""

    class Item(models.TextChoices):
        PUBLISH_AHEAD = "publish_ahead", _("Công bố lịch tiếp trước ngày tiếp")
        NOTICE = "notice", _("Thông báo kết quả xử lý cho công dân")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    item = models.CharField(_("việc"), max_length=20, choices=Item.choices)
    unit_kind = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitKind.choices, blank=True)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    complex_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc (vụ việc phức tạp)"), null=True, blank=True
    )
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    citation = models.CharField(_("căn cứ"), max_length=300)

    class Meta:
        ordering = ["item", "unit_kind", "effective_from"]
        verbose_name = _("thời hạn tiếp công dân")
        verbose_name_plural = _("thời hạn tiếp công dân")

    def __str__(self) -> str:
        return self.code


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Tiếp định kỳ")
    AD_HOC = "ad_hoc", _("Tiếp đột xuất")
    DIALOGUE = "dialogue", _("Đối thoại với Nhân dân")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến (video)")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự kiến, chưa công bố")
    PUBLISHED = "published", _("Đã công bố")
    HELD = "held", _("Đã tiếp")
    CANCELLED = "cancelled", _("Đã hủy")


class Session(models.Model):
    """A reception day or a dialogue of the head of ``unit``."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reception_sessions", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=SessionKind.choices, default=SessionKind.REGULAR)
    mode = models.CharField(_("cách thức"), max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    date = models.DateField(_("ngày tiếp"))
    start_time = models.TimeField(_("từ giờ"))
    end_time = models.TimeField(_("đến giờ"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    video_url = models.URLField(_("đường dẫn phòng họp trực tuyến"), blank=True)
    presider_name = models.CharField(_("người chủ trì"), max_length=200)
    presided_by_head = models.BooleanField(_("người đứng đầu trực tiếp chủ trì"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(_("thời lượng mỗi lượt (phút)"), default=20)
    topic = models.CharField(_("nội dung, lĩnh vực (nếu có)"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    held_summary = models.TextField(_("tóm tắt buổi tiếp"), blank=True)
    recording_ref = models.CharField(_("lưu trữ ghi hình (tiếp trực tuyến)"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    # A dialogue about a land-clearance project, and the complaint whose resolution required it (Luật Khiếu nại
    # 2011, Điều 30 and 39): set through ``clearance.link_dialogue``.
    project = models.ForeignKey(
        "ClearanceProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogues",
        verbose_name=_("dự án giải phóng mặt bằng"),
    )
    complaint = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reception_dialogues",
        verbose_name=_("hồ sơ khiếu nại"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("buổi tiếp công dân")
        indexes = [models.Index(fields=["status", "date"]), models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.date:%d/%m/%Y}"

    @property
    def capacity(self) -> int:
        minutes = (self.end_time.hour * 60 + self.end_time.minute) - (
            self.start_time.hour * 60 + self.start_time.minute
        )
        return max(minutes // max(self.slot_minutes, 1), 0)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đăng ký")
    CANCELLED = "cancelled", _("Đã hủy")
    ATTENDED = "attended", _("Đã được tiếp")


def pseudonym_for(namespace: str, pk: int | None) -> str:
    """What staff call a person in the register: derived from the row id, never from the identity."""
    digest = hashlib.blake2b(f"pakn-{namespace}:{pk}".encode(), digest_size=4).digest()
    return "".join(PSEUDONYM_ALPHABET[b % len(PSEUDONYM_ALPHABET)] for b in digest)


class Booking(models.Model):
    """A slot a citizen booked online. The name, phone, e-mail and address are sealed in the vault
    (``identity``, opened only by the unit's protection officers through the four-eyes reveal); the one
    contact used for notices is sealed to the notifier key; ``contact_digests`` are keyed hashes of the
    phone and e-mail, so the same person cannot book one session twice."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    code = models.CharField(_("mã đăng ký"), max_length=16, unique=True, editable=False)
    slot = models.PositiveSmallIntegerField(_("lượt số"))
    identity = models.ForeignKey(
        "protection.VaultItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notify_channel = models.CharField(max_length=10, blank=True)
    notify_sealed = models.TextField(blank=True)
    contact_digests = models.JSONField(default=list, blank=True)
    redaction_terms = models.JSONField(default=list, blank=True)
    people_count = models.PositiveSmallIntegerField(_("số người cùng đến"), default=1)
    summary = models.TextField(_("tóm tắt nội dung"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session_id", "slot"]
        verbose_name = _("đăng ký tiếp")
        verbose_name_plural = _("đăng ký tiếp")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "slot"], condition=models.Q(status="booked"), name="reception_booking_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.slot}"

    @property
    def pseudonym(self) -> str:
        return _("Người đăng ký #%(tag)s") % {"tag": pseudonym_for("reception-booking", self.pk)}


class EntryKind(models.TextChoices):
    COMPLAINT = Kind.COMPLAINT.value, Kind.COMPLAINT.label
    DENUNCIATION = Kind.DENUNCIATION.value, Kind.DENUNCIATION.label
    PETITION = Kind.PETITION.value, Kind.PETITION.label
    REPORT = Kind.REPORT.value, Kind.REPORT.label
    OPINION = Kind.OPINION.value, Kind.OPINION.label
    MIXED = "mixed", _("Đơn có nhiều nội dung")


class Competence(models.TextChoices):
    COMPETENT = "yes", _("Thuộc thẩm quyền")
    NOT_COMPETENT = "no", _("Không thuộc thẩm quyền")


class NoticeOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Thụ lý giải quyết")
    FORWARDED = "forwarded", _("Chuyển đơn đến cơ quan có thẩm quyền")
    REFUSED = "refused", _("Không thụ lý")
    GUIDED = "guided", _("Hướng dẫn công dân gửi đến cơ quan có thẩm quyền")


class Entry(models.Model):
    """One line of the reception register (sổ tiếp công dân), with the columns the regulations list:
    number, date, name, address, ID number, summary, kind, number of people, bodies that handled it
    before, competent or not, guidance/forwarding document, follow-up.

    The name, address, ID number and phone are sealed in the vault (``identity``) to the unit's protection
    officers and those of the unit above; staff see a pseudonym. ``redaction_terms`` (keyed hashes of the
    identity) keep the person's details out of the summary and of the cases opened from the entry;
    ``notify_sealed`` is the phone (or a booked citizen's chosen contact), sealed to the notifier key, for the
    notices of the cases opened from the entry."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reception_entries", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    received_on = models.DateField(_("ngày tiếp"))
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="entries", verbose_name=_("buổi tiếp")
    )
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="entry")
    identity = models.ForeignKey(
        "protection.VaultItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    redaction_terms = models.JSONField(default=list, blank=True)
    verifiable = models.BooleanField(default=False)  # a name and a way to find the person (statutory track)
    notify_channel = models.CharField(max_length=10, default="sms")  # of ``notify_sealed``: sms | email
    notify_sealed = models.TextField(blank=True)
    summary = models.TextField(_("nội dung vụ việc"))
    kind = models.CharField(_("phân loại"), max_length=20, choices=EntryKind.choices)
    people_count = models.PositiveSmallIntegerField(_("số người"), default=1)
    handled_before = models.CharField(_("cơ quan đã giải quyết"), max_length=500, blank=True)
    competence = models.CharField(_("thẩm quyền"), max_length=5, choices=Competence.choices)
    guidance_document = models.CharField(_("hướng dẫn, chuyển đơn (số văn bản)"), max_length=300, blank=True)
    follow_up = models.TextField(_("theo dõi kết quả giải quyết"), blank=True)
    complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    notice_due_on = models.DateField(_("hạn thông báo cho công dân"))
    notice_rule = models.CharField(_("căn cứ thời hạn thông báo"), max_length=300)
    notice_outcome = models.CharField(
        _("kết quả đã thông báo"), max_length=20, choices=NoticeOutcome.choices, blank=True
    )
    notice_document = models.CharField(_("văn bản thông báo"), max_length=300, blank=True)
    notified_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # `pakn worker`: due-soon reminder sent
    overdue_at = models.DateTimeField(null=True, blank=True)  # `pakn worker`: overdue alert sent
    # The citizen's rating of how they were received (``follow_up.rate_reception``), asked through a link of their
    # own once they were told the outcome; only the link's SHA-256 is kept.
    rating_digest = models.CharField(max_length=64, blank=True, default="", db_default="", db_index=True)
    rating = models.PositiveSmallIntegerField(_("mức độ hài lòng với buổi tiếp"), null=True, blank=True)
    rating_comment = models.TextField(_("nhận xét về buổi tiếp"), blank=True, default="", db_default="")
    rated_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("sổ tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        unique_together = [("unit", "year", "number")]
        indexes = [models.Index(fields=["unit", "received_on"]), models.Index(fields=["notified_on", "notice_due_on"])]

    def __str__(self) -> str:
        return f"{self.number}/{self.year} {self.unit}"

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def pseudonym(self) -> str:
        return _("Công dân #%(tag)s") % {"tag": pseudonym_for("reception-entry", self.pk)}


class EntryCase(models.Model):
    """A case opened from a register entry (a letter with several matters opens one case each)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="entry_cases")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reception_entry")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.entry} → {self.case_id}"


class Conclusion(models.Model):
    """The head's written conclusion of a session or a dialogue (thông báo kết luận)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="conclusions")
    number = models.CharField(_("số văn bản"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    body = models.TextField(_("nội dung kết luận"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("kết luận buổi tiếp")
        verbose_name_plural = _("kết luận buổi tiếp")

    def __str__(self) -> str:
        return self.number


class FollowUpTask(models.Model):
    """What the head concluded must be done, by whom, by when; checked until it is done."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.PROTECT, related_name="tasks")
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("vụ việc trong sổ")
    )
    title = models.CharField(_("nội dung công việc"), max_length=500)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reception_tasks", verbose_name=_("đơn vị chủ trì")
    )
    owner_name = models.CharField(_("người phụ trách"), max_length=150, blank=True)
    due_on = models.DateField(_("hạn hoàn thành"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # When it was last reported done, and the digest of the link that asks the citizen whether it really was
    # (``reception.follow_up``): a citizen's word counts for the report it was given after.
    reported_at = models.DateTimeField(null=True, blank=True)
    review_digest = models.CharField(max_length=64, blank=True, default="", db_default="", db_index=True)
    # A task about a household of a land-clearance dialogue: asked, like a register citizen, through its sealed
    # contact when ``entry`` is empty (``reception.follow_up``).
    household = models.ForeignKey(
        "AffectedHousehold",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("hộ bị ảnh hưởng"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("việc cần theo dõi")
        verbose_name_plural = _("việc cần theo dõi")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_on is None


class RefusalGround(models.TextChoices):
    """Luật Tiếp công dân 2013, Điều 9: the only cases in which a person may be refused reception."""

    INCAPACITATED = "incapacitated", _(
        "Người say do dùng chất kích thích, mắc bệnh tâm thần hoặc bệnh khác làm mất khả năng nhận thức, điều khiển "
        "hành vi (khoản 1)"
    )
    THREATENING = "threatening", _(
        "Đe dọa, xúc phạm cơ quan, người tiếp công dân, người thi hành công vụ hoặc vi phạm nội quy nơi tiếp (khoản 2)"
    )
    SETTLED = "settled", _(
        "Khiếu nại, tố cáo vụ việc đã giải quyết đúng chính sách, pháp luật, đã được kiểm tra, rà soát, thông báo "
        "bằng văn bản, đã được tiếp, giải thích, hướng dẫn nhưng vẫn cố tình khiếu nại, tố cáo kéo dài (khoản 3)"
    )
    OTHER = "other", _("Trường hợp khác theo quy định của pháp luật (khoản 4)")


class RefusedVisit(models.Model):
    """A person refused reception, with the ground of Điều 9 Luật Tiếp công dân 2013 it rests on: the register
    of refusals a unit keeps beside its reception register, so that a refusal is an exception one can count and
    check, never a quiet way to turn people away. The person's details, when given, are sealed like the
    register's (``identity``); staff see a pseudonym."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="refused_visits", verbose_name=_("đơn vị"))
    refused_on = models.DateField(_("ngày từ chối"))
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="refusals", verbose_name=_("buổi tiếp")
    )
    ground = models.CharField(_("căn cứ từ chối"), max_length=20, choices=RefusalGround.choices)
    explanation = models.TextField(_("sự việc"))
    earlier_matter = models.CharField(
        _("vụ việc đã giải quyết (số văn bản, mã hồ sơ)"), max_length=300, blank=True
    )  # ground 3: what was settled, and how the person was told
    notice_document = models.CharField(_("văn bản thông báo từ chối"), max_length=300, blank=True)
    identity = models.ForeignKey(
        "protection.VaultItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refused_by = models.CharField(_("người tiếp công dân từ chối"), max_length=150)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-refused_on", "-id"]
        verbose_name = _("trường hợp từ chối tiếp công dân")
        verbose_name_plural = _("sổ từ chối tiếp công dân")
        indexes = [models.Index(fields=["unit", "refused_on"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.refused_on}: {self.ground}"

    @property
    def pseudonym(self) -> str:
        if self.identity_id is None:
            return str(_("Không rõ danh tính"))
        return _("Người bị từ chối #%(tag)s") % {"tag": pseudonym_for("reception-refusal", self.pk)}


class TaskReview(models.Model):
    """A word on a follow-up task reported done: from the citizen whose matter it was (through the link sent to
    them) or from the Fatherland Front, which supervises what is done after reception and dialogues
    (Quy định 99-QĐ/TW: "kiểm tra, giám sát việc trả lời, giải quyết ý kiến, kiến nghị của Nhân dân sau khi tiếp
    công dân, đối thoại"). Append-only: a later word is added, never replaces an earlier one."""

    class By(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        FRONT = "front", _("Mặt trận Tổ quốc")

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", _("Xác nhận đã thực hiện")
        DISPUTED = "disputed", _("Chưa thực hiện đúng")

    task = models.ForeignKey(FollowUpTask, on_delete=models.PROTECT, related_name="reviews")
    by = models.CharField(_("ý kiến của"), max_length=10, choices=By.choices)
    verdict = models.CharField(_("ý kiến"), max_length=10, choices=Verdict.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ý kiến về việc đã thực hiện")
        verbose_name_plural = _("ý kiến về việc đã thực hiện")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.by} {self.verdict}"


class Activity(models.Model):
    """Append-only log of every change made through the reception and plans services."""

    app = models.CharField(max_length=20)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=60)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.app}.{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Activity rows are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Activity rows are append-only.")


class ClearanceProject(models.Model):
    """A land-clearance project (dự án giải phóng mặt bằng) of a People's Committee, under its land-recovery
    decision. Quyết định 99-QĐ/TW asks for dialogue with the people "nhất là trong công tác giải phóng mặt bằng, hỗ
    trợ tái định cư": the project gathers the households it affects and the dialogues held with them (sessions of
    kind dialogue, ``Session.project``). Writes happen only in ``reception/clearance.py``."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="clearance_projects", verbose_name=_("đơn vị")
    )
    name = models.CharField(_("tên dự án"), max_length=300)
    decision_number = models.CharField(_("số quyết định thu hồi đất"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định thu hồi đất"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã, phường")
    )
    description = models.TextField(_("mô tả"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "-id"]
        verbose_name = _("dự án giải phóng mặt bằng")
        verbose_name_plural = _("dự án giải phóng mặt bằng")
        indexes = [models.Index(fields=["unit", "decision_date"])]

    def __str__(self) -> str:
        return self.name


class AffectedHousehold(models.Model):
    """A household whose land the project recovers. Its representative's name, address, ID number and phone and
    the description of its land parcel are sealed in the vault (``identity``) exactly as the reception register
    seals a person; staff see a pseudonym. ``redaction_terms`` keep those details out of the minutes;
    ``notify_sealed`` is the phone sealed to the notifier key, for the conclusion and the follow-up link."""

    project = models.ForeignKey(ClearanceProject, on_delete=models.PROTECT, related_name="households")
    identity = models.ForeignKey(
        "protection.VaultItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    redaction_terms = models.JSONField(default=list, blank=True)
    notify_channel = models.CharField(max_length=10, default="sms")
    notify_sealed = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("hộ bị ảnh hưởng")
        verbose_name_plural = _("hộ bị ảnh hưởng")

    def __str__(self) -> str:
        return str(self.pseudonym)

    @property
    def pseudonym(self) -> str:
        return _("Hộ #%(tag)s") % {"tag": pseudonym_for("clearance-household", self.pk)}


class DialogueAttendance(models.Model):
    """Whether a household of the project came to a dialogue (recorded after it was held)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    household = models.ForeignKey(AffectedHousehold, on_delete=models.PROTECT, related_name="attendances")
    attended = models.BooleanField(_("có mặt"))
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session_id", "household_id"]
        verbose_name = _("hộ tham dự đối thoại")
        verbose_name_plural = _("hộ tham dự đối thoại")
        constraints = [models.UniqueConstraint(fields=["session", "household"], name="reception_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.household_id}: {self.attended}"


class DialogueMinutes(models.Model):
    """The signed minutes of a dialogue (biên bản đối thoại), with the households' details removed. Once signed
    they are the record of the dialogue: they are not rewritten, and the dialogue's links are fixed."""

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField(_("nội dung biên bản"))
    signed_by = models.CharField(_("người ký"), max_length=500)
    signed_on = models.DateField(_("ngày ký"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biên bản đối thoại")
        verbose_name_plural = _("biên bản đối thoại")

    def __str__(self) -> str:
        return f"{self.session_id} {self.signed_on}"
