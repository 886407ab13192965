"""The identity vault, reveal requests, drop-box receipts, clean attachments, verification copies and
protection requests. No table here holds an identity in plaintext: see docs/protection.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind as CaseKind


class RecipientKey(models.Model):
    """A public key that data keys are sealed to: a protection officer's (private key stored encrypted
    with their password, Argon2id) or the deployment's escrow key (private key kept offline)."""

    class Kind(models.TextChoices):
        OFFICER = "officer", _("Cán bộ bảo vệ người tố cáo")
        ESCROW = "escrow", _("Khóa dự phòng của hệ thống")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="vault_keys"
    )
    public_key = models.CharField(max_length=64)  # base64
    locked_private_key = models.TextField(blank=True)  # base64 SecretBox(Argon2id(password), private key)
    kdf_salt = models.CharField(max_length=32, blank=True)
    kdf_opslimit = models.PositiveIntegerField(default=0)
    kdf_memlimit = models.PositiveBigIntegerField(default=0)
    relock_needed = models.BooleanField(default=False)  # the password changed outside the protection pages
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(retired_at__isnull=True), name="one_active_key_per_officer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.user_id or '-'}:{self.pk}"


class VaultConfig(models.Model):
    """One row per deployment: the escrow key and the salt and cost of the receipt hash."""

    escrow = models.ForeignKey(RecipientKey, on_delete=models.PROTECT, related_name="+")
    receipt_salt = models.CharField(max_length=32)  # base64 of 16 bytes
    receipt_opslimit = models.PositiveIntegerField()
    receipt_memlimit = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"vault config {self.pk}"


class VaultItem(models.Model):
    """One encrypted thing: the reporter's identity, an original file, the original of a redacted
    message or of a protection request. Its random data key is sealed to each recipient (``KeyWrap``)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Danh tính người gửi và nội dung gốc")
        ORIGINAL_FILE = "original_file", _("Tệp gốc")
        ORIGINAL_MESSAGE = "original_message", _("Nội dung gốc của thông tin bổ sung")
        PROTECTION_DETAILS = "protection_details", _("Nội dung đề nghị bảo vệ")
        PERSON = "person", _("Thông tin cá nhân (ngoài hồ sơ)")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="vault_items")
    # For identities that belong to no case yet (e.g. a reception-day register entry): sealed to this unit's
    # protection officers and those of the unit above. Exactly one of ``case`` and ``unit`` is set.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What a case-less item is, for the officers' pages ("Sổ tiếp công dân 3/2026"): never identifying.
    label = models.CharField(max_length=200, blank=True)
    # A case's identity copied from a register entry's item (same ciphertext, same data key): a reveal of
    # either is recorded on the case, so the reporter's status page shows it.
    shared_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="shared_copies"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ciphertext = models.TextField(blank=True)  # base64, small items
    blob = models.CharField(max_length=64, blank=True)  # file name under PAKN_DATA_DIR/vault, large items
    needs_reseal = models.BooleanField(default=False)  # recipients changed: add the missing ones
    needs_rekey = models.BooleanField(default=False)  # a recipient was removed: new data key
    key_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["needs_reseal"]), models.Index(fields=["needs_rekey"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.pk}"


class KeyWrap(models.Model):
    item = models.ForeignKey(VaultItem, on_delete=models.CASCADE, related_name="wraps")
    recipient = models.ForeignKey(RecipientKey, on_delete=models.CASCADE, related_name="wraps")
    sealed_key = models.CharField(max_length=128)  # base64 SealedBox(recipient, data key)

    class Meta:
        unique_together = [("item", "recipient")]

    def __str__(self) -> str:
        return f"{self.item_id}→{self.recipient_id}"


class Receipt(models.Model):
    """A drop-box receipt, stored only as its Argon2id digest (deployment salt: lookup is an equality)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="receipt")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"receipt of {self.case_id}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Tài liệu, chứng cứ")
        ORIGINAL_LETTER = "original_letter", _("Đơn gốc có chữ ký (bản quét)")

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("Người gửi")
        STAFF = "staff", _("Cán bộ tiếp nhận")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey("cases.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EVIDENCE)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CITIZEN)
    number = models.PositiveSmallIntegerField()  # "Tệp 3" of the case: the reporter's file name is not kept
    file_kind = models.CharField(max_length=10)  # image | pdf | document | audio
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)  # of the clean copy
    clean_blob = models.CharField(max_length=64, blank=True)  # under PAKN_DATA_DIR/files, server files key
    original = models.ForeignKey(VaultItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    removed = models.JSONField(default=list)  # labels of the metadata removed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "number"]
        unique_together = [("case", "number")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"tep-{self.number}.{self.extension}"


class LegalBasis(models.TextChoices):
    VERIFICATION = (
        "verification",
        _("Cần làm việc trực tiếp với người tố cáo để xác minh (Luật Tố cáo 2018, Điều 9, 31)"),
    )
    PROTECTION = "protection", _("Áp dụng biện pháp bảo vệ người tố cáo (Luật Tố cáo 2018, Điều 47–50)")
    FALSE_DENUNCIATION = (
        "false_denunciation",
        _("Xử lý tố cáo sai sự thật có dấu hiệu tội phạm (Luật Tố cáo 2018, Điều 9)"),
    )
    COMPETENT_AUTHORITY = (
        "competent_authority",
        _("Yêu cầu bằng văn bản của cơ quan có thẩm quyền (điều tra, kiểm sát, tòa án)"),
    )
    COMPLAINT_DIALOGUE = "complaint_dialogue", _("Đối thoại, giải quyết khiếu nại (Luật Khiếu nại 2011, Điều 30, 39)")
    OTHER = "other", _("Căn cứ khác (ghi rõ điều luật)")


class RevealRequest(models.Model):
    """Four eyes: one officer asks with a legal basis, a second officer approves, then the first sees the
    identity once. Every step is an audit event of the case. A request is about a case's identity
    (``case``) or about a person sealed outside any case (``item``, e.g. a reception-register entry);
    exactly one of the two is set."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")
        USED = "used", _("Đã xem")
        EXPIRED = "expired", _("Hết hạn")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="reveal_requests"
    )
    item = models.ForeignKey(VaultItem, on_delete=models.CASCADE, null=True, blank=True, related_name="reveal_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=30, choices=LegalBasis.choices)
    reason = models.TextField(_("lý do"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=True, item__isnull=False)
                | models.Q(case__isnull=False, item__isnull=True),
                name="reveal_request_case_or_item",
            )
        ]

    def __str__(self) -> str:
        return f"reveal {self.pk} of {self.case_id or f'item {self.item_id}'} ({self.status})"


class Person(models.TextChoices):
    SELF = "self", _("Bản thân người tố cáo")
    SPOUSE = "spouse", _("Vợ hoặc chồng")
    PARENT = "parent", _("Bố, mẹ")
    CHILD = "child", _("Con")


class Measure(models.TextChoices):
    SECRECY = "secrecy", _("Giữ bí mật thông tin")
    JOB = "job", _("Bảo vệ vị trí công tác, việc làm")
    SAFETY = "safety", _("Bảo vệ tính mạng, sức khỏe")
    PROPERTY = "property", _("Bảo vệ tài sản")
    DIGNITY = "dignity", _("Bảo vệ danh dự, nhân phẩm, uy tín")


class ProtectionDeadlineRule(models.Model):
    """How long the competent person has to decide on a protection request. Data, editable in the admin."""

    code = models.CharField(max_length=40, unique=True)
    urgent = models.BooleanField(_("khẩn cấp"))
    amount = models.PositiveSmallIntegerField(_("số ngày"))
    working_days = models.BooleanField(_("tính theo ngày làm việc"), default=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    citation = models.CharField(_("căn cứ"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["urgent", "-effective_from"]
        verbose_name = _("thời hạn xem xét đề nghị bảo vệ")
        verbose_name_plural = _("thời hạn xem xét đề nghị bảo vệ")

    def __str__(self) -> str:
        return self.code


class ProtectionRequest(models.Model):
    class Origin(models.TextChoices):
        REPORTER = "reporter", _("Người tố cáo đề nghị")
        HANDLER = "handler", _("Cán bộ ghi nhận thay (ví dụ qua điện thoại khẩn cấp)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        GRANTED = "granted", _("Đã quyết định áp dụng biện pháp bảo vệ")
        REFUSED = "refused", _("Không áp dụng (có lý do)")
        ENDED = "ended", _("Đã chấm dứt bảo vệ")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="protection_requests")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    urgent = models.BooleanField(_("khẩn cấp"), default=False)
    persons = models.JSONField(_("người được bảo vệ"), default=list)
    measures = models.JSONField(_("biện pháp"), default=list)
    summary = models.TextField(_("nội dung (đã che thông tin cá nhân)"), blank=True)
    details = models.ForeignKey(VaultItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField()
    due_on = models.DateField()
    rule_code = models.CharField(max_length=40)
    citation = models.CharField(max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"protection {self.pk} of {self.case_id}"

    def persons_display(self) -> list[str]:
        return [str(Person(p).label) for p in self.persons if p in Person.values]

    def measures_display(self) -> list[str]:
        return [str(Measure(m).label) for m in self.measures if m in Measure.values]


class VerificationCopy(models.Model):
    """The Art. 56 copy: the text and the attachments with the identifying details removed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="verification_copies")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    attachments = models.ManyToManyField(Attachment, related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"verification copy {self.pk} of {self.case_id}"


class KeyFingerprint(models.Model):
    """The fingerprint of a server key file (``server``, ``notify``; see ``keys.py``), written when the key
    is first used with this database. Never the secret: a hash of the notifier's public key, a keyed hash
    (a subkey) of the server key. A database restored without its key files, or with another instance's,
    is then recognised instead of silently getting new keys (docs/operations.md, "Backups")."""

    name = models.CharField(max_length=20, unique=True)
    fingerprint = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name}:{self.fingerprint[:16]}"


# ---------------------------------------------------------------- retention, the citizen's rights (docs/retention.md)


class RetentionOutcome(models.TextChoices):
    """How a case ended, as far as how long its personal data is kept is concerned (``retention_rules``)."""

    ANY = "", _("Mọi kết quả")
    ANSWERED = "answered", _("Đã trả lời, kết luận, giải quyết")
    REFUSED = "refused", _("Không thụ lý")
    WITHDRAWN = "withdrawn", _("Người gửi rút đơn, đình chỉ giải quyết")
    FALSE_REPORT = "false_report", _("Tố cáo sai sự thật, người tố cáo bị xử lý hoặc kiến nghị xử lý")


class RetentionRule(models.Model):
    """How long the personal data of a settled case is kept, and what is erased after that: data with its legal
    basis, like ``cases.DeadlineRule``. The most specific active rule for the case's kind and outcome applies."""

    code = models.CharField(_("mã"), max_length=60, unique=True)
    kind = models.CharField(
        _("loại hồ sơ"),
        max_length=20,
        blank=True,
        default="",
        choices=[("", _("Mọi loại")), *CaseKind.choices],
    )
    outcome = models.CharField(_("kết quả"), max_length=20, blank=True, default="", choices=RetentionOutcome.choices)
    years = models.PositiveSmallIntegerField(
        _("số năm lưu giữ"),
        null=True,
        blank=True,
        help_text=_("Tính từ năm công việc kết thúc. Để trống: lưu giữ lâu dài, không tự động xóa."),
    )
    erase_identity = models.BooleanField(
        _("xóa danh tính người gửi"), default=True, help_text=_("Danh tính, nội dung gốc trong kho niêm phong.")
    )
    erase_attachments = models.BooleanField(_("xóa tệp đính kèm"), default=True)
    erase_contact = models.BooleanField(_("xóa liên hệ nhận thông báo"), default=True)
    citation = models.CharField(_("căn cứ"), max_length=400)
    confirmed = models.BooleanField(
        _("căn cứ đã xác nhận"),
        default=False,
        help_text=_(
            "Bỏ chọn khi chưa đối chiếu được căn cứ với văn bản chính thức: trang quản trị và lệnh chạy ghi rõ "
            "chưa xác nhận."
        ),
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["kind", "outcome", "code"]
        verbose_name = _("quy định thời hạn lưu trữ dữ liệu cá nhân")
        verbose_name_plural = _("quy định thời hạn lưu trữ dữ liệu cá nhân")

    def __str__(self) -> str:
        return self.code


class RetentionHold(models.Model):
    """A case whose personal data must not be erased whatever the schedule says (a court, an investigation, an
    inspection asked for the file), until the hold is released."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="retention_holds")
    reason = models.CharField(_("lý do, văn bản yêu cầu"), max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("tạm dừng xóa dữ liệu")
        verbose_name_plural = _("tạm dừng xóa dữ liệu")

    def __str__(self) -> str:
        return f"hold {self.pk} of {self.case_id}"


class Erasure(models.Model):
    """What was erased from a case and under which rule: never the values. Read by the reveal path ("erased under
    rule X on date Y") and by the next run (twice = once)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="erasure")
    rule_code = models.CharField(max_length=60)
    citation = models.CharField(max_length=400)
    parts = models.JSONField(default=list)  # identity | attachments | contact
    counts = models.JSONField(default=dict)
    erased_at = models.DateTimeField()  # the first erasure
    updated_at = models.DateTimeField()  # the last one (a rule that later erases more)

    class Meta:
        verbose_name = _("dữ liệu cá nhân đã xóa")
        verbose_name_plural = _("dữ liệu cá nhân đã xóa")

    def __str__(self) -> str:
        return f"erasure of {self.case_id} ({self.rule_code})"


class RetentionRun(models.Model):
    """One run of ``pakn retention run`` (by hand or the worker's daily duty): its counts, never an identity."""

    day = models.DateField()
    scheduled = models.BooleanField(default=False)  # the worker's daily duty: at most one a day
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=models.Q(scheduled=True), name="one_scheduled_run_a_day")
        ]
        verbose_name = _("lần chạy xóa dữ liệu hết hạn")
        verbose_name_plural = _("lần chạy xóa dữ liệu hết hạn")

    def __str__(self) -> str:
        return f"retention run {self.day}{' (dry run)' if self.dry_run else ''}"


class DataRequest(models.Model):
    """A citizen's request about their personal data (Nghị định 13/2023/NĐ-CP, Điều 9, 14, 16; Luật Bảo vệ dữ liệu
    cá nhân 2025): a copy of it, or its erasure. Recorded whatever the answer."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Nhận bản sao dữ liệu")
        ERASURE = "erasure", _("Xóa dữ liệu")

    class Via(models.TextChoices):
        ACCOUNT = "account", _("Tài khoản người dân")
        TRACKING_CODE = "tracking_code", _("Mã tra cứu")

    kind = models.CharField(_("yêu cầu"), max_length=10, choices=Kind.choices)
    via = models.CharField(_("xác thực bằng"), max_length=20, choices=Via.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cases = models.JSONField(default=list)  # ids
    outcome = models.JSONField(default=dict)  # per case: erased | kept (reason, until); account: closed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")

    def __str__(self) -> str:
        return f"data request {self.pk} ({self.kind})"
