"""Forms of the protection pages and of the drop box. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind
from pakn.cases.services import MAX_CONTENT
from pakn.core.forms import LongTextField
from pakn.core.validate import MAX_FILES
from pakn.org.forms import PlaceCheckMixin
from pakn.protection.models import LegalBasis, Measure, Person

ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.odt,.mp3,.wav"
FILES_HELP = format_lazy(
    _(
        "Tối đa {files} tệp, mỗi tệp tối đa {mb} MB: ảnh JPEG/PNG/WebP, PDF, Word (.docx), Excel (.xlsx), "
        "OpenDocument (.odt), âm thanh MP3/WAV. Vị trí GPS, tên thiết bị, tên tác giả… được tự động xóa khỏi tệp "
        "trước khi lưu."
    ),
    files=MAX_FILES,
    mb=settings.UPLOAD_MAX_MB,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks are done by ``protection.services.check_uploads``."""

    def __init__(self, *args: Any, **kwargs: Any):
        limits = {"data-max-files": MAX_FILES, "data-max-mb": settings.UPLOAD_MAX_MB}  # checked early by pakn.js
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, **limits}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu của bạn (để mở khóa)"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class RelockForm(PasswordForm):
    old_password = forms.CharField(
        label=_("Mật khẩu cũ (khóa đang được khóa bằng mật khẩu này)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("Mật khẩu mới"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    confirm = forms.CharField(
        label=_("Nhập lại mật khẩu mới"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("confirm"):
            self.add_error("confirm", _("Hai lần nhập không khớp."))
        return data


class RevealRequestForm(forms.Form):
    legal_basis = forms.ChoiceField(label=_("Căn cứ pháp lý"), choices=LegalBasis.choices)
    reason = forms.CharField(
        label=_("Lý do, văn bản yêu cầu"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Ghi rõ vì sao cần biết danh tính và theo văn bản nào. Một cán bộ bảo vệ khác phải phê duyệt."),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AskForm(forms.Form):
    body = forms.CharField(
        label=_("Câu hỏi cho người gửi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("Người gửi đọc câu hỏi bằng mã tra cứu hoặc mã biên nhận và trả lời ẩn danh."),
    )


class ProtectionRequestForm(forms.Form):
    persons = forms.MultipleChoiceField(
        label=_("Người cần được bảo vệ"), choices=Person.choices, widget=forms.CheckboxSelectMultiple
    )
    measures = forms.MultipleChoiceField(
        label=_("Biện pháp đề nghị"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple
    )
    urgent = forms.BooleanField(label=_("Khẩn cấp (có nguy cơ xâm hại ngay)"), required=False)
    details = forms.CharField(
        label=_("Nội dung, nguy cơ cụ thể"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nội dung này được niêm phong; cán bộ xử lý chỉ thấy bản đã che thông tin cá nhân."),
    )


class CitizenProtectionRequestForm(ProtectionRequestForm):
    """The same request as the person who wrote the letter fills it in: "myself", whether they denounced or
    reported an official's conduct (staff record it for them with ``ProtectionRequestForm``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [  # type: ignore[attr-defined]
            (value, _("Bản thân tôi (người gửi đơn)") if value == Person.SELF else label)
            for value, label in Person.choices
        ]


class ProtectionDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            ("granted", _("Áp dụng biện pháp bảo vệ")),
            ("refused", _("Không áp dụng")),
            ("ended", _("Chấm dứt bảo vệ")),
        ],
    )
    decision = forms.CharField(
        label=_("Quyết định, biện pháp, lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Mã biên nhận (16 chữ số)"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Trả lời, bổ sung thông tin"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )
    evidence = MultipleFileField(label=_("Tài liệu, chứng cứ"), help_text=FILES_HELP)


class DropboxForm(PlaceCheckMixin, forms.Form):
    """The anonymous drop box: no field about the sender at all."""

    kind = forms.ChoiceField(
        label=_("Loại tin"),
        choices=[(Kind.DENUNCIATION, _("Tố cáo")), (Kind.REPORT, _("Phản ánh"))],
        widget=forms.RadioSelect,
        initial=Kind.DENUNCIATION,
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    content = LongTextField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_CONTENT,
        help_text=_("Ai, làm gì, ở đâu, khi nào, chứng cứ. Đừng ghi tên hay chi tiết về bản thân bạn."),
    )
    subject = forms.CharField(label=_("Người, cơ quan bị tố cáo/phản ánh"), max_length=300, required=False)
    province_code = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)
    commune_code = forms.ChoiceField(label=_("Xã/phường/đặc khu"), required=False)
    evidence = MultipleFileField(label=_("Tài liệu, chứng cứ"), help_text=FILES_HELP)
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        from pakn.org.models import Province
        from pakn.org.places import communes_of

        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chọn tỉnh/thành phố —")),
            *((p.code, p.name) for p in Province.objects.all()),
        ]
        province = (self.data.get("province_code") if self.is_bound else None) or self.initial.get("province_code")
        self.fields["commune_code"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chọn xã/phường —")),
            *(communes_of(province) if province else []),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_place(data)
        return data
