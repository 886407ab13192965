"""Cases and everything that hangs off them. Writes happen only in ``services.py``."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.workflow import STATUS_LABELS, Status
from pakn.org.models import Commune, Position, Province, Unit

PSEUDONYM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Kind(models.TextChoices):
    REPORT = "report", _("Phản ánh")
    PETITION = "petition", _("Kiến nghị")
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    OPINION = "opinion", _("Góp ý")


class Track(models.TextChoices):
    STATUTORY = "statutory", _("Theo luật (có thời hạn luật định)")
    ANONYMOUS = "anonymous", _("Nặc danh / không xác định được người gửi (Điều 25 Luật Tố cáo)")
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị, góp ý")
    PARTY = "party", _("Theo quy định của Đảng (QĐ 296-QĐ/TW)")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin")
    API = "api", _("Ứng dụng (API)")
    LETTER = "letter", _("Thư, đơn qua bưu điện")
    HOTLINE = "hotline", _("Đường dây nóng")
    EMAIL = "email", _("Thư điện tử")
    RECEPTION = "reception", _("Tiếp công dân")
    DIRECT = "direct", _("Nộp trực tiếp")
    FRONT = "front", _("Do MTTQ, đoàn thể chuyển đến")


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Thông thường")
    COMPLEX = "complex", _("Phức tạp")
    ESPECIALLY_COMPLEX = "especially_complex", _("Đặc biệt phức tạp")


class Topic(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120)
    keywords = models.TextField(_("từ khóa (mỗi dòng một từ, không dấu)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    tracking_code = models.CharField(_("mã tra cứu"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    complaint_round = models.PositiveSmallIntegerField(_("lần khiếu nại"), null=True, blank=True)
    track = models.CharField(_("luồng xử lý"), max_length=20, choices=Track.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("lĩnh vực"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("tỉnh, thành phố"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("xã, phường"))
    address = models.CharField(_("địa chỉ (như người dân ghi)"), max_length=300, blank=True)
    # Where a field report is, when the citizen chose to share their phone's position (never required).
    # Personal data for a denunciation: never shown publicly for one.
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    location_accuracy_m = models.PositiveIntegerField(_("sai số vị trí (m)"), null=True, blank=True)
    subject = models.CharField(_("người, cơ quan bị phản ánh / tố cáo"), max_length=300, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("đơn vị xử lý"))
    # The officer of the unit the case is given to (``services.assign_case``); none: the unit's clerks at large.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("cán bộ được giao"),
    )
    # The unit's own labels (``services.tag_cases``): for sorting work, never shown to the citizen.
    tags = models.ManyToManyField(  # type: ignore[var-annotated]
        "Tag", blank=True, related_name="cases", verbose_name=_("nhãn")
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=[(s.value, label) for s, label in STATUS_LABELS.items()]
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("ngày nhận"))
    accepted_on = models.DateField(_("ngày thụ lý"), null=True, blank=True)
    complexity = models.CharField(_("mức độ"), max_length=20, choices=Complexity.choices, default=Complexity.NORMAL)
    remote_area = models.BooleanField(_("vùng sâu, vùng xa"), default=False)
    extensions = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    # Party track: an unsigned letter (anonymous, false name, no clear address) is not handled as a denunciation
    # but kept as information for reference for the inspection commission's supervision (cases.deadlines,
    # Item.REFERENCE): no denunciation periods run.
    reference = models.BooleanField(_("thông tin tham khảo"), default=False)
    publish = models.BooleanField(_("đồng ý công khai"), default=False)
    escalated = models.BooleanField(_("đã đề nghị cấp trên"), default=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="own_cases"
    )
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged")
    due_on = models.DateField(_("hạn xử lý hiện tại"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    audit_head = models.CharField(max_length=64, blank=True, editable=False)
    audit_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["received_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} – {self.title}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[Status(self.status)])

    def merge_survivor(self) -> Case:
        """The case this one ends up in, following merges of merges (itself when not merged)."""
        survivor: Case = self
        for _hop in range(50):  # a chain, never a loop (a merge target must be open)
            if survivor.merged_into_id is None:
                break
            survivor = survivor.merged_into  # type: ignore[assignment]
        return survivor

    def merged_family(self) -> list[Case]:
        """Every case merged into this one, directly or through another merged case."""
        family: list[Case] = []
        level = [self.pk]
        for _depth in range(50):
            found = list(Case.objects.filter(merged_into_id__in=level).order_by("pk"))
            if not found:
                break
            family.extend(found)
            level = [c.pk for c in found]
        return family

    @property
    def pseudonym(self) -> str:
        """What staff call the reporter: derived from the row id, never from the tracking code (the
        citizen's key to the case) and never from the identity."""
        label = _("Người tố cáo") if self.kind == Kind.DENUNCIATION else _("Người gửi")
        digest = hashlib.blake2b(f"pakn-pseudonym:{self.pk}".encode(), digest_size=4).digest()
        tag = "".join(PSEUDONYM_ALPHABET[b % len(PSEUDONYM_ALPHABET)] for b in digest)
        return f"{label} #{tag}"


class NotifyChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    NONE = "none", _("Không nhận thông báo")


class Reporter(models.Model):
    """That a case has an identified sender, and how to notify them — nothing that identifies them.

    The identity (name, address, phone, e-mail, ID number, the original text and signed letter) is in the
    vault (``pakn.protection``), sealed to the unit's protection officers. ``notify_sealed`` is the one
    contact the reporter chose for notifications, sealed to the notifier key (opened only by the worker);
    ``redaction_terms`` are keyed hashes of the identity, so later text from the reporter is redacted."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    notify_by = models.CharField(_("nhận thông báo qua"), max_length=10, choices=NotifyChannel.choices, default="none")
    notify_sealed = models.TextField(blank=True)
    redaction_terms = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("người gửi")
        verbose_name_plural = _("người gửi")

    def __str__(self) -> str:
        return self.case.pseudonym


class SubjectSource(models.TextChoices):
    CITIZEN = "citizen", _("Người gửi cho biết")
    RECOGNISED = "recognised", _("Nhận ra từ nội dung đơn")
    CLERK = "clerk", _("Cán bộ xác nhận")


class CaseSubject(models.Model):
    """The person concerned by a denunciation, a complaint or a report on an official's conduct: what
    competence (``cases.competence``) and conflict of interest (``org.access``) key on. Personal data:
    shown to the staff who may see the case, never on a public page, open data, Open311 or the public API."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="subject_person")
    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=30, choices=Position.choices, blank=True)
    body = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan, đơn vị")
    )
    party_member = models.BooleanField(_("là đảng viên"), null=True, blank=True)
    party_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đảng quản lý"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản của người này trong hệ thống"),
    )
    source = models.CharField(_("nguồn"), max_length=20, choices=SubjectSource.choices)
    # The unit whose members may not see the case (conflict of interest), kept in step by the services.
    conflict_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule_code = models.CharField(_("quy tắc thẩm quyền"), max_length=60, blank=True)
    competent_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Codes of the signs of decline (Nghị quyết 04-NQ/TW, ``cases.party_signs``) the letter points to: staff-only.
    signs = models.JSONField(_("biểu hiện suy thoái"), default=list, blank=True)

    class Meta:
        verbose_name = _("người bị phản ánh, khiếu nại, tố cáo")
        verbose_name_plural = _("người bị phản ánh, khiếu nại, tố cáo")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_position_display() or '?'}"

    def sign_groups(self) -> list[tuple[object, list[object]]]:
        """The signs of decline recorded, grouped for display (staff pages only)."""
        from pakn.cases import party_signs

        return party_signs.grouped(self.signs or ())


class ObligationKind(models.TextChoices):
    ACCEPT = "accept", _("Thụ lý hoặc trả lời không thụ lý")
    RESOLVE = "resolve", _("Giải quyết")
    ANSWER = "answer", _("Trả lời")
    TRIAGE = "triage", _("Xem xét, kiểm tra tin nặc danh")
    FORWARD_RESPONSE = "forward_response", _("Xử lý đơn được chuyển đến")
    NOTIFY_ACCEPTANCE = "notify_acceptance", _("Thông báo việc thụ lý cho người tố cáo")
    PUBLISH_CONCLUSION = "publish_conclusion", _("Công khai kết luận nội dung tố cáo")
    REFERENCE = "reference", _("Ghi nhận, đánh giá thông tin tham khảo")


class Obligation(models.Model):
    """A deadline the handling unit must meet. Opened by a service, met or cancelled by another."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obligations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="obligations")
    kind = models.CharField(_("nghĩa vụ"), max_length=20, choices=ObligationKind.choices)
    opened_on = models.DateField(_("tính từ ngày"))
    due_on = models.DateField(_("hạn"))
    rule_code = models.CharField(max_length=60)
    citation = models.CharField(_("căn cứ"), max_length=300)
    met_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["met_on", "cancelled", "due_on"])]

    def __str__(self) -> str:
        return f"{self.case.tracking_code} {self.kind} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None and not self.cancelled


class Forward(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="forwards")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # Taken to the unit above by the unsatisfied citizen, not sent on by the unit.
    escalation = models.BooleanField(_("người gửi đề nghị cấp trên"), default=False)
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    respond_by = models.DateField(_("hạn đơn vị nhận xử lý"))

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_unit_id} → {self.to_unit_id}"


class AnswerKind(models.TextChoices):
    ANSWER = "answer", _("Văn bản trả lời")
    CONCLUSION = "conclusion", _("Kết luận / quyết định giải quyết")
    REFUSAL = "refusal", _("Thông báo không thụ lý")
    TERMINATION = "termination", _("Quyết định đình chỉ giải quyết khiếu nại")


class Finding(models.TextChoices):
    """What a conclusion on a denunciation finds (Luật Tố cáo 2018, Điều 35(1)(c): "kết luận về nội dung tố cáo
    là đúng, đúng một phần hoặc tố cáo sai sự thật")."""

    TRUE = "true", _("Tố cáo đúng")
    PARTLY = "partly", _("Tố cáo đúng một phần")
    FALSE = "false", _("Tố cáo sai sự thật")


class Answer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=AnswerKind.choices)
    body = models.TextField(_("nội dung"))
    finding = models.CharField(
        _("kết luận nội dung tố cáo"), max_length=10, choices=Finding.choices, blank=True, default="", db_default=""
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class AnswerFile(models.Model):
    """A file that shows what an answer says was done (a photo after the repair, the decision's scan): one of the
    case's stored files (``protection.Attachment``, by its number in the case, metadata removed). Published with
    the answer only if the officer who answered allowed it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveSmallIntegerField()  # the file's number in the case ("Tệp 4")
    public = models.BooleanField(_("được công khai cùng câu trả lời"), default=False, db_default=False)

    class Meta:
        ordering = ["answer_id", "number"]
        constraints = [models.UniqueConstraint(fields=["answer", "number"], name="answer_file_once")]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.number}"


class FalseReportAction(models.TextChoices):
    NONE = "none", _("Không xử lý: không có căn cứ cho rằng người tố cáo cố ý")
    HANDLED = "handled", _("Xử lý theo thẩm quyền")
    REFERRED = "referred", _("Kiến nghị, chuyển cơ quan có thẩm quyền xử lý")


class FalseReport(models.Model):
    """A denunciation concluded false, and what was done about the denouncer (Luật Tố cáo 2018, Điều 9(2)(c)
    and (đ): the denouncer answers for a denunciation knowingly false; Điều 35(1)(c), 36: the body that decides
    deals with it or refers it). The denouncer's identity leaves the vault only through the two-officer reveal,
    with its own reason (``protection.RevealRequest``)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="false_report")
    intentional = models.BooleanField(_("có căn cứ cho rằng người tố cáo cố ý tố cáo sai sự thật"))
    action = models.CharField(_("cách xử lý"), max_length=20, choices=FalseReportAction.choices)
    referred_to = models.CharField(_("cơ quan được chuyển, kiến nghị xử lý"), max_length=300, blank=True)
    document = models.CharField(_("văn bản"), max_length=120, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tố cáo sai sự thật")
        verbose_name_plural = _("tố cáo sai sự thật")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    UNSATISFIED = 2, _("Không hài lòng")
    VERY_UNSATISFIED = 1, _("Rất không hài lòng")


class Rating(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Satisfaction.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("case", "unit")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level}"


class Message(models.Model):
    """Information the citizen adds after filing, or a note from the unit to the citizen."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    from_citizen = models.BooleanField(default=True)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.created_at:%Y-%m-%d}"


class AnswerTemplate(models.Model):
    """A model answer for a kind (and topic) of letter, with the legal basis it rests on: the clerk starts from it and
    writes what was actually done. A unit's own templates come first; those without a unit serve everyone."""

    title = models.CharField(_("tên mẫu"), max_length=200)
    kind = models.CharField(_("loại đơn"), max_length=20, choices=Kind.choices, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("lĩnh vực"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị (trống: dùng chung)"),
    )
    body = models.TextField(
        _("nội dung"),
        help_text=_("Có thể dùng {ma_ho_so}, {don_vi}, {ngay_nhan}; để trống chỗ [ghi rõ việc đã làm]."),
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """A label a unit puts on its cases ("cần xác minh thực địa", "liên quan dự án X"). Each unit has its own."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="tags", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên nhãn"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="tag_unique_per_unit")]
        verbose_name = _("nhãn")
        verbose_name_plural = _("nhãn")

    def __str__(self) -> str:
        return self.name


class SavedSearch(models.Model):
    """A filter of the case list an officer named and keeps for themselves (the list's query string)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("tên"), max_length=80)
    query = models.CharField(_("điều kiện lọc"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")]
        verbose_name = _("tìm kiếm đã lưu")
        verbose_name_plural = _("tìm kiếm đã lưu")

    def __str__(self) -> str:
        return self.name


class CaseNote(models.Model):
    """A note staff write for each other on a case: never shown to the citizen, never in the API for citizens or
    the public, redacted of the reporter's identity like everything staff read."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("ghi chú"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.created_at:%Y-%m-%d}"


class RepeatLetter(models.Model):
    """A letter on a matter already settled, filed with the case that settled it instead of opening a new one:
    the unit answers with a reference to its earlier answer, and the repetitions are counted on the case (a
    matter people keep writing about is a matter to look at again, or a letter to answer better)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="repeat_letters")
    received_on = models.DateField(_("ngày nhận"))
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    summary = models.TextField(_("tóm tắt nội dung"))
    reply = models.TextField(_("trả lời, hướng dẫn"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("đơn trùng vụ việc đã giải quyết")
        verbose_name_plural = _("đơn trùng vụ việc đã giải quyết")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.received_on}"


class AuditEvent(models.Model):
    """Append-only, hash-chained log per case (``pakn audit verify`` checks the chain)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=60)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["case_id", "seq"]
        unique_together = [("case", "seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class RoutingRule(models.Model):
    """Place + kind + topic → competent unit. The most specific matching rule wins; ties go to the
    lower priority number."""

    class Target(models.TextChoices):
        COMMUNE_PEOPLES_COMMITTEE = "commune_pc", _("UBND xã/phường nơi xảy ra")
        COMMUNE_PARTY_COMMITTEE = "commune_party", _("Đảng ủy xã/phường nơi xảy ra")
        PROVINCE_PEOPLES_COMMITTEE = "province_pc", _("UBND tỉnh/thành phố")
        PROVINCE_PARTY_COMMITTEE = "province_party", _("Tỉnh ủy/Thành ủy")
        FIXED_UNIT = "unit", _("Đơn vị cụ thể")

    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True)
    target = models.CharField(_("chuyển đến"), max_length=20, choices=Target.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True)
    priority = models.PositiveSmallIntegerField(default=100)
    note = models.CharField(_("ghi chú, căn cứ"), max_length=300, blank=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("quy tắc phân luồng")
        verbose_name_plural = _("quy tắc phân luồng")

    def __str__(self) -> str:
        return f"{self.kind or '*'} / {self.topic or '*'} / {self.commune or self.province or '*'} → {self.target}"


class DeadlineRule(models.Model):
    """Statutory and local deadline rules, with effective dates and citations (docs/deadlines.md)."""

    code = models.CharField(_("mã"), max_length=60, unique=True)
    case_kind = models.CharField(_("loại hồ sơ"), max_length=20, choices=Kind.choices)
    item = models.CharField(_("việc"), max_length=20)
    amount = models.PositiveSmallIntegerField(_("số ngày"))
    unit = models.CharField(_("đơn vị tính"), max_length=20)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    citation = models.CharField(_("căn cứ"), max_length=300)
    complaint_round = models.PositiveSmallIntegerField(null=True, blank=True)
    complex = models.BooleanField(null=True, blank=True)
    remote = models.BooleanField(null=True, blank=True)
    max_count = models.PositiveSmallIntegerField(null=True, blank=True)
    confirmed = models.BooleanField(
        _("căn cứ đã xác nhận"),
        default=True,
        help_text=_(
            "Bỏ chọn khi chưa đối chiếu được căn cứ với văn bản chính thức: trang và API ghi rõ chưa xác nhận."
        ),
    )
    track = models.CharField(
        _("áp dụng cho"),
        max_length=10,
        blank=True,
        default="",
        choices=[("", _("Theo luật")), ("party", _("Theo quy định của Đảng"))],
    )
    level = models.CharField(
        _("cấp của đơn vị xử lý"),
        max_length=20,
        blank=True,
        default="",
        choices=[("", _("Mọi cấp")), ("province", _("Cấp tỉnh")), ("commune", _("Cấp xã"))],
    )
    counted_from = models.CharField(
        _("tính từ"),
        max_length=10,
        blank=True,
        default="",
        choices=[("", _("Mặc định của việc")), ("received", _("Ngày nhận đơn"))],
    )

    class Meta:
        ordering = ["case_kind", "item", "effective_from"]
        verbose_name = _("quy định thời hạn")
        verbose_name_plural = _("quy định thời hạn")

    def __str__(self) -> str:
        return self.code


class CalendarOverride(models.Model):
    """Decreed swaps: an extra day off, or a Saturday that is a working day."""

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("căn cứ"), max_length=300)

    class Meta:
        ordering = ["date"]
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")

    def __str__(self) -> str:
        return f"{self.date} {'làm việc' if self.is_working_day else 'nghỉ'}"
