"""The public submission form and the staff intake form. They only shape the input; the rules live
in ``cases.services.submit`` and its errors are mapped back onto these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import party_signs
from pakn.cases.models import Channel, Kind, NotifyChannel, Topic
from pakn.cases.services import MAX_CONTENT
from pakn.core.errors import InvalidInput
from pakn.core.forms import DateField, LongTextField
from pakn.org.forms import PlaceCheckMixin
from pakn.org.models import Position, Province, Unit, UnitKind
from pakn.org.places import clean_position, commune_at, communes_of
from pakn.protection.forms import ACCEPT, FILES_HELP, MultipleFileField

KIND_HELP = {
    Kind.REPORT: _("Báo cho cơ quan biết một vấn đề, một việc làm chưa đúng."),
    Kind.PETITION: _("Đề nghị cơ quan xem xét, sửa đổi một chính sách, quy định, cách làm."),
    Kind.COMPLAINT: _("Đề nghị xem xét lại quyết định hoặc hành vi hành chính xâm phạm quyền, lợi ích của bạn."),
    Kind.DENUNCIATION: _("Báo cho cơ quan có thẩm quyền hành vi vi phạm pháp luật của cán bộ, đảng viên, cơ quan."),
    Kind.OPINION: _("Đóng góp ý kiến, ví dụ vào một dự thảo văn bản."),
}


PARTY = (UnitKind.PARTY_COMMITTEE, UnitKind.INSPECTION_COMMISSION)
BODY_KINDS = (
    UnitKind.PEOPLES_COMMITTEE,
    UnitKind.PARTY_COMMITTEE,
    UnitKind.INSPECTION_COMMISSION,
    UnitKind.FRONT_COMMITTEE,
    UnitKind.DEPARTMENT,
    UnitKind.AGENCY,
)


def subject_bodies(province: Any, commune: Any, *, with_kind: bool = False) -> list[Any]:
    """The bodies a person concerned may belong to, for the chosen place: the commune's and the province's
    standing bodies, and the province's departments and agencies."""
    if not province:
        return []
    rows = (
        Unit.objects.filter(province_id=str(province), is_active=True, kind__in=BODY_KINDS)
        .filter(Q(commune__isnull=True) | Q(commune_id=str(commune or "")))
        .order_by("-level", "kind", "name")
        .values_list("code", "name", "kind")
    )
    return [(c, n, k) if with_kind else (c, n) for c, n, k in rows]


class SubmissionForm(PlaceCheckMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.REPORT)
    complaint_round = forms.TypedChoiceField(
        label=_("Khiếu nại lần thứ (chỉ với khiếu nại)"),
        choices=[(1, _("Lần đầu")), (2, _("Lần hai"))],
        coerce=int,
        initial=1,
        required=False,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200, help_text=_("Tóm tắt trong một câu."))
    content = LongTextField(
        label=_("Nội dung"),
        max_length=MAX_CONTENT,
        help_text=_("Mô tả sự việc: ở đâu, khi nào, ai liên quan, bạn đề nghị gì."),
    )
    topic_code = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    province_code = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)
    commune_code = forms.ChoiceField(label=_("Xã/phường/đặc khu"), required=False)
    address = forms.CharField(
        label=_("Địa chỉ nơi xảy ra sự việc"),
        max_length=300,
        required=False,
        help_text=_("Có thể ghi địa chỉ cũ (có quận/huyện): hệ thống tự chuyển sang đơn vị hành chính mới."),
    )
    # The phone's position, filled by static/pakn/locate.js when the citizen asks (never required; without
    # JavaScript the form has no way to fill them and nothing changes). Checked by ``org.places.clean_position``.
    latitude = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    location_accuracy_m = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    subject = forms.CharField(
        label=_("Cá nhân, cơ quan bị phản ánh/khiếu nại/tố cáo (nếu có)"), max_length=300, required=False
    )
    # The person concerned (tố cáo, khiếu nại, phản ánh về cán bộ, đảng viên): all optional; what the citizen
    # does not know is read from the subject text by the service, and a clerk confirms it.
    subject_name = forms.CharField(
        label=_("Tên người bị tố cáo, khiếu nại, phản ánh (nếu biết)"), max_length=150, required=False
    )
    subject_position = forms.ChoiceField(
        label=_("Chức vụ"), choices=[("", _("— Không rõ —")), *Position.choices], required=False
    )
    subject_body = forms.ChoiceField(
        label=_("Cơ quan, đơn vị của người đó"),
        required=False,
        help_text=_("Danh sách theo tỉnh/thành phố và xã/phường đã chọn ở trên."),
    )
    subject_party_member = forms.ChoiceField(
        label=_("Là đảng viên?"),
        choices=[("", _("Không rõ")), ("yes", _("Có")), ("no", _("Không"))],
        required=False,
        widget=forms.RadioSelect,
    )
    subject_party_unit = forms.ChoiceField(label=_("Tổ chức đảng quản lý người đó"), required=False)
    # The signs of decline of Nghị quyết 04-NQ/TW (cases.party_signs): one checkbox group per group of nine, each
    # rendered as its own fieldset and legend; works without JavaScript.
    subject_signs_g1 = forms.MultipleChoiceField(
        label=party_signs.GROUPS[0].label,
        choices=party_signs.GROUPS[0].signs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject_signs_g2 = forms.MultipleChoiceField(
        label=party_signs.GROUPS[1].label,
        choices=party_signs.GROUPS[1].signs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject_signs_g3 = forms.MultipleChoiceField(
        label=party_signs.GROUPS[2].label,
        choices=party_signs.GROUPS[2].signs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reporter_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    reporter_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    reporter_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    reporter_id_number = forms.CharField(label=_("Số định danh cá nhân / CCCD"), max_length=12, required=False)
    reporter_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300, required=False)
    reporter_notify_by = forms.ChoiceField(
        label=_("Nhận thông báo qua"), choices=NotifyChannel.choices, initial=NotifyChannel.EMAIL, required=False
    )
    attachments = MultipleFileField(label=_("Tài liệu, ảnh, ghi âm kèm theo"), help_text=FILES_HELP)
    publish = forms.BooleanField(
        label=_(
            "Tôi đồng ý công khai nội dung và kết quả trả lời (không bao giờ công khai thông tin cá nhân của tôi)."
        ),
        required=False,
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        provinces = [(p.code, p.name) for p in Province.objects.all()]
        self.fields["province_code"].choices = [("", _("— Chọn tỉnh/thành phố —")), *provinces]  # type: ignore[attr-defined]
        province = (self.data.get("province_code") if self.is_bound else None) or self.initial.get("province_code")
        communes = communes_of(province) if province else []
        self.fields["commune_code"].choices = [("", _("— Chọn xã/phường —")), *communes]  # type: ignore[attr-defined]
        self.fields["topic_code"].choices = [("", _("— Không rõ —")), *((t.code, t.name) for t in Topic.objects.all())]  # type: ignore[attr-defined]
        commune = (self.data.get("commune_code") if self.is_bound else None) or self.initial.get("commune_code")
        bodies = subject_bodies(province, commune)
        self.fields["subject_body"].choices = [("", _("— Không rõ —")), *bodies]  # type: ignore[attr-defined]
        party = [
            (code, name) for code, name, kind in subject_bodies(province, commune, with_kind=True) if kind in PARTY
        ]
        self.fields["subject_party_unit"].choices = [("", _("— Không rõ —")), *party]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_position(data)
        self.check_place(data)
        return data

    def check_position(self, data: dict[str, Any]) -> None:
        """A shared position must be in Vietnam; with no commune chosen, it chooses the commune (so the place
        check below sees it). An error keeps everything typed, drops the position and says what to do."""
        try:
            position = clean_position(data.get("latitude"), data.get("longitude"), data.get("location_accuracy_m"))
        except InvalidInput as error:
            for messages in error.fields.values():
                for message in messages:
                    self.add_error(None, str(message))
            # The unusable position is dropped from the page shown again (it was not typed, and without JavaScript
            # it could not be removed): sent once more, the form goes through without it.
            kept = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict: several values per name kept
            for name in ("latitude", "longitude", "location_accuracy_m"):
                kept[name] = ""
                getattr(self, "_bound_fields_cache", {}).pop(name, None)  # read again from the new data when shown
            self.data = kept
            return
        if position is not None and not data.get("commune_code"):
            found = commune_at(position, province_code=data.get("province_code") or None)
            if found:
                data["province_code"], data["commune_code"] = found

    def position_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "latitude": data.get("latitude") or None,
            "longitude": data.get("longitude") or None,
            "location_accuracy_m": data.get("location_accuracy_m") or None,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.position_arguments(),
            "kind": data["kind"],
            "title": data["title"],
            "content": data["content"],
            "province_code": data.get("province_code") or None,
            "commune_code": data.get("commune_code") or None,
            "address": data.get("address", ""),
            "subject": data.get("subject", ""),
            "complaint_round": data.get("complaint_round") or 1,
            "publish": bool(data.get("publish")),
            "topic_code": data.get("topic_code") or None,
            "attachments": data.get("attachments") or [],
            "subject_person": {
                "name": data.get("subject_name", ""),
                "position": data.get("subject_position", ""),
                "body_code": data.get("subject_body", ""),
                "party_member": data.get("subject_party_member") or None,
                "party_unit_code": data.get("subject_party_unit", ""),
                "signs": [
                    *data.get("subject_signs_g1", []),
                    *data.get("subject_signs_g2", []),
                    *data.get("subject_signs_g3", []),
                ],
            },
            "reporter": {
                "name": data.get("reporter_name", ""),
                "phone": data.get("reporter_phone", ""),
                "email": data.get("reporter_email", ""),
                "id_number": data.get("reporter_id_number", ""),
                "address": data.get("reporter_address", ""),
                "notify_by": data.get("reporter_notify_by") or None,
            },
        }

    def add_service_errors(self, error: InvalidInput) -> None:
        for name, messages in error.fields.items():
            field = name.replace(".", "_")
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(field if field in self.fields else None, str(message))
        if not error.fields:
            self.add_error(None, str(error.message))


class StaffIntakeForm(SubmissionForm):
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"), choices=[c for c in Channel.choices if c[0] not in ("web", "api")]
    )
    received_on = DateField(
        label=_("Ngày nhận thực tế"),
        help_text=_(
            "Ngày đơn đến cơ quan (dấu bưu điện, ngày gọi, ngày tiếp công dân), dạng ngày/tháng/năm, ví dụ 27/11/2026."
        ),
    )
    original_letter = forms.FileField(
        label=_("Đơn gốc có chữ ký (bản quét hoặc ảnh chụp)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "Được niêm phong cùng danh tính người gửi: cán bộ xử lý chỉ thấy nội dung đã che thông tin cá nhân."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        del self.fields["website"]

    def service_arguments(self) -> dict[str, Any]:
        return {
            **super().service_arguments(),
            "channel": self.cleaned_data["channel"],
            "received_on": self.cleaned_data["received_on"],
            "original_letter": self.cleaned_data.get("original_letter"),
        }


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã tra cứu"), max_length=20, help_text=_("Ví dụ: 7F3K-9QXD-2M5"))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Thông tin bổ sung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    evidence = MultipleFileField(label=_("Tài liệu, chứng cứ"), help_text=FILES_HELP)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do rút đơn (không bắt buộc)"), required=False, max_length=2000)
    confirm = forms.BooleanField(label=_("Tôi xác nhận rút đơn này."))


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Rất hài lòng")),
            (4, _("Hài lòng")),
            (3, _("Bình thường")),
            (2, _("Không hài lòng")),
            (1, _("Rất không hài lòng")),
        ],
    )
    comment = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Lý do đề nghị cấp trên xem xét"), widget=forms.Textarea(attrs={"rows": 3}))


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices)
    round = forms.TypedChoiceField(
        label=_("Lần khiếu nại"), choices=[(1, "1"), (2, "2")], coerce=int, initial=1, required=False
    )
    received = DateField(label=_("Ngày nhận đơn"))
    accepted = DateField(label=_("Ngày thụ lý (nếu có)"), required=False)
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    remote = forms.BooleanField(label=_("Vùng sâu, vùng xa"), required=False)
    extensions = forms.TypedChoiceField(
        label=_("Số lần gia hạn (tố cáo)"),
        choices=[(0, "0"), (1, "1"), (2, "2")],
        coerce=int,
        initial=0,
        required=False,
    )


class SubjectPersonForm(forms.Form):
    """The clerk confirms or completes who a case is about (``services.set_subject_person``)."""

    name = forms.CharField(label=_("Tên người bị phản ánh, khiếu nại, tố cáo"), max_length=150, required=False)
    position = forms.ChoiceField(
        label=_("Chức vụ"), choices=[("", _("— Không rõ —")), *Position.choices], required=False
    )
    body_code = forms.ChoiceField(label=_("Cơ quan, đơn vị của người đó"), required=False)
    party_member = forms.ChoiceField(
        label=_("Là đảng viên?"),
        choices=[("", _("Không rõ")), ("yes", _("Có")), ("no", _("Không"))],
        required=False,
        widget=forms.RadioSelect,
    )
    party_unit_code = forms.ChoiceField(label=_("Tổ chức đảng quản lý người đó"), required=False)
    username = forms.CharField(
        label=_("Tài khoản của người này trong hệ thống (nếu có)"),
        max_length=150,
        required=False,
        help_text=_("Người có tài khoản sẽ không bao giờ thấy hồ sơ này."),
    )
    signs_g1 = forms.MultipleChoiceField(
        label=party_signs.GROUPS[0].label,
        choices=party_signs.GROUPS[0].signs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signs_g2 = forms.MultipleChoiceField(
        label=party_signs.GROUPS[1].label,
        choices=party_signs.GROUPS[1].signs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signs_g3 = forms.MultipleChoiceField(
        label=party_signs.GROUPS[2].label,
        choices=party_signs.GROUPS[2].signs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any):
        subject = getattr(case, "subject_person", None) if case.pk else None
        if subject is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": subject.name,
                "position": subject.position,
                "body_code": subject.body.code if subject.body else "",
                "party_member": {True: "yes", False: "no"}.get(subject.party_member, ""),
                "party_unit_code": subject.party_unit.code if subject.party_unit else "",
                "username": subject.user.get_username() if subject.user else "",
                **{
                    f"signs_{group.code}": [c for c, _label in group.signs if c in (subject.signs or ())]
                    for group in party_signs.GROUPS
                },
            }
        kwargs.setdefault("auto_id", "subject-%s")
        super().__init__(*args, **kwargs)
        rows = subject_bodies(case.province_id, case.commune_id, with_kind=True)
        current = [subject.body, subject.party_unit] if subject is not None else []
        extra = [(u.code, u.name, u.kind) for u in current if u is not None and u.code not in {r[0] for r in rows}]
        rows = [*extra, *rows]
        self.fields["body_code"].choices = [("", _("— Không rõ —")), *((c, n) for c, n, _k in rows)]  # type: ignore[attr-defined]
        self.fields["party_unit_code"].choices = [  # type: ignore[attr-defined]
            ("", _("— Không rõ —")),
            *((c, n) for c, n, k in rows if k in PARTY),
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "position": data.get("position", ""),
            "body_code": data.get("body_code", ""),
            "party_member": {"yes": True, "no": False}.get(data.get("party_member") or ""),
            "party_unit_code": data.get("party_unit_code", ""),
            "username": data.get("username", ""),
            "signs": [*data.get("signs_g1", []), *data.get("signs_g2", []), *data.get("signs_g3", [])],
        }
