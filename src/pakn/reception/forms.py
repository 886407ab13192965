"""Forms only shape the input; the rules live in ``reception.services`` and their errors are mapped
back onto these fields (``add_service_errors``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import Kind, Topic
from pakn.core.errors import InvalidInput
from pakn.core.forms import DateField, ServiceForm, UnitChoiceField, row_field, set_choices, unit_choices
from pakn.org.models import Province, Unit
from pakn.reception.models import (
    Competence,
    EntryKind,
    NoticeOutcome,
    RefusalGround,
    SessionKind,
    SessionMode,
    TaskReview,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PublicFilterForm(forms.Form):
    province = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)
    q = forms.CharField(label=_("Tên cơ quan, xã/phường"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "province", [("", _("Tất cả")), *((p.code, p.name) for p in Province.objects.all())])


class BookingForm(ServiceForm):
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    people_count = forms.IntegerField(label=_("Số người cùng đến"), min_value=1, max_value=500, initial=1)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung cần trình bày"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vài câu: việc gì, ở đâu, đã gửi cơ quan nào chưa, bạn đề nghị gì."),
    )
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class CancelBookingForm(forms.Form):
    confirm = forms.BooleanField(label=_("Tôi xác nhận hủy lượt đăng ký này."))


class SessionForm(ServiceForm):
    unit = UnitChoiceField(label=_("Đơn vị"))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=SessionKind.choices, initial=SessionKind.REGULAR)
    mode = forms.ChoiceField(
        label=_("Cách thức"), choices=SessionMode.choices, initial=SessionMode.IN_PERSON, widget=forms.RadioSelect
    )
    date = DateField(label=_("Ngày tiếp"))
    start_time = forms.TimeField(label=_("Từ giờ"), widget=TIME, initial="08:00")
    end_time = forms.TimeField(label=_("Đến giờ"), widget=TIME, initial="11:00")
    place = forms.CharField(label=_("Địa điểm (tiếp trực tiếp)"), max_length=300, required=False)
    video_url = forms.URLField(
        label=_("Đường dẫn phòng họp trực tuyến"),
        required=False,
        assume_scheme="https",
        help_text=_("Chỉ gửi cho người đã đăng ký, không hiện trên trang công khai."),
    )
    presider_name = forms.CharField(
        label=_("Người chủ trì"), max_length=200, help_text=_("Ví dụ: Đồng chí Lê Văn Cường, Chủ tịch UBND phường.")
    )
    presided_by_head = forms.BooleanField(label=_("Người đứng đầu trực tiếp chủ trì"), required=False, initial=True)
    slot_minutes = forms.IntegerField(label=_("Thời lượng mỗi lượt (phút)"), min_value=5, max_value=240, initial=20)
    topic = forms.CharField(label=_("Nội dung, lĩnh vực (nếu có)"), max_length=300, required=False)
    publish = forms.BooleanField(label=_("Công bố ngay trên cổng công khai"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))
        self.fields["date"].initial = timezone.localdate() + timedelta(days=10)


class ReasonForm(ServiceForm):
    reason = forms.CharField(label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class HeldForm(ServiceForm):
    presider_name = forms.CharField(label=_("Người chủ trì thực tế"), max_length=200)
    presided_by_head = forms.BooleanField(label=_("Người đứng đầu trực tiếp chủ trì"), required=False)
    summary = forms.CharField(label=_("Tóm tắt buổi tiếp"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recording_ref = forms.CharField(label=_("Nơi lưu bản ghi hình (tiếp trực tuyến)"), max_length=300, required=False)


class EntryForm(ServiceForm):
    unit = UnitChoiceField(label=_("Sổ của đơn vị"))
    received_on = DateField(label=_("Ngày tiếp"))
    name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân / CCCD"), max_length=12, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    summary = forms.CharField(label=_("Nội dung vụ việc"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Phân loại"), choices=EntryKind.choices)
    people_count = forms.IntegerField(label=_("Số người"), min_value=1, initial=1)
    handled_before = forms.CharField(label=_("Cơ quan đã giải quyết (nếu có)"), max_length=500, required=False)
    competence = forms.ChoiceField(
        label=_("Thẩm quyền"), choices=Competence.choices, widget=forms.RadioSelect, initial=Competence.COMPETENT
    )
    guidance_document = forms.CharField(label=_("Hướng dẫn, chuyển đơn (số văn bản)"), max_length=300, required=False)
    follow_up = forms.CharField(
        label=_("Theo dõi kết quả giải quyết"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)
    booking = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))
        self.fields["received_on"].initial = timezone.localdate()


class EntryUpdateForm(ServiceForm):
    handled_before = forms.CharField(label=_("Cơ quan đã giải quyết"), max_length=500, required=False)
    guidance_document = forms.CharField(label=_("Hướng dẫn, chuyển đơn (số văn bản)"), max_length=300, required=False)
    follow_up = forms.CharField(
        label=_("Theo dõi kết quả giải quyết"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


MATTER_ROWS = 3


class OpenCasesForm(ServiceForm):
    """Up to three matters without JavaScript; a row left without a title is ignored."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        topics = [("", _("— Không rõ —")), *((t.code, t.name) for t in Topic.objects.all())]
        for i in range(MATTER_ROWS):
            self.fields[f"m{i}_kind"] = forms.ChoiceField(label=_("Loại"), choices=Kind.choices, required=False)
            self.fields[f"m{i}_title"] = forms.CharField(label=_("Tiêu đề"), max_length=200, required=False)
            self.fields[f"m{i}_content"] = forms.CharField(
                label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"m{i}_subject"] = forms.CharField(
                label=_("Người, cơ quan bị khiếu nại/tố cáo"), max_length=300, required=False
            )
            self.fields[f"m{i}_topic_code"] = forms.ChoiceField(label=_("Lĩnh vực"), choices=topics, required=False)

    def rows(self) -> list[list[Any]]:
        return [
            [self[f"m{i}_{n}"] for n in ("kind", "title", "content", "subject", "topic_code")]
            for i in range(MATTER_ROWS)
        ]

    def matters(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The filled rows as service input, and the row number of each."""
        result, indexes = [], []
        for i in range(MATTER_ROWS):
            title = self.cleaned_data.get(f"m{i}_title")
            if not title and not self.cleaned_data.get(f"m{i}_content"):
                continue
            result.append(
                {n: self.cleaned_data.get(f"m{i}_{n}") for n in ("kind", "title", "content", "subject", "topic_code")}
            )
            indexes.append(i)
        return result, indexes

    def add_matter_errors(self, error: InvalidInput, indexes: list[int]) -> None:
        self.add_service_errors(
            error, rename=lambda name: row_field(name, items="matters", prefix="m", indexes=indexes)
        )


class NoticeForm(ServiceForm):
    outcome = forms.ChoiceField(label=_("Kết quả đã thông báo"), choices=NoticeOutcome.choices)
    notified_on = DateField(label=_("Ngày thông báo"))
    document = forms.CharField(label=_("Số văn bản thông báo"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["notified_on"].initial = timezone.localdate()


TASK_ROWS = 3
TASK_NAMES: tuple[str, ...] = ("title", "owner_unit", "owner_name", "due_on", "entry")


class ConclusionForm(ServiceForm):
    number = forms.CharField(label=_("Số thông báo kết luận"), max_length=60, help_text=_("Ví dụ: 15/TB-UBND"))
    issued_on = DateField(label=_("Ngày ban hành"))
    body = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, units: Any, entries: Any, households: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        unit_list = [("", _("— Chọn đơn vị —")), *unit_choices(units)]
        entry_list = [
            ("", _("— Không gắn với vụ việc —")),
            *((e.pk, f"{e.reference} – {e.summary[:60]}") for e in entries),
        ]
        # A dialogue about a land-clearance project: a task may concern one household (told and asked through its
        # sealed contact, ``reception.follow_up``).
        self.names = TASK_NAMES + (("household",) if households else ())
        household_list = [("", _("— Không gắn với hộ nào —")), *((h.pk, str(h.pseudonym)) for h in households)]
        for i in range(TASK_ROWS):
            if households:
                self.fields[f"t{i}_household"] = forms.TypedChoiceField(
                    label=_("Hộ bị ảnh hưởng"), choices=household_list, coerce=int, required=False, empty_value=None
                )
            self.fields[f"t{i}_title"] = forms.CharField(label=_("Việc cần làm"), max_length=500, required=False)
            self.fields[f"t{i}_owner_unit"] = forms.TypedChoiceField(
                label=_("Đơn vị chủ trì"), choices=unit_list, coerce=int, required=False, empty_value=None
            )
            self.fields[f"t{i}_owner_name"] = forms.CharField(
                label=_("Người phụ trách"), max_length=150, required=False
            )
            self.fields[f"t{i}_due_on"] = DateField(label=_("Hạn hoàn thành"), required=False)
            self.fields[f"t{i}_entry"] = forms.TypedChoiceField(
                label=_("Vụ việc trong sổ"), choices=entry_list, coerce=int, required=False, empty_value=None
            )

    def task_rows(self) -> list[list[Any]]:
        return [[self[f"t{i}_{n}"] for n in self.names] for i in range(TASK_ROWS)]

    def tasks(
        self, *, units: dict[int, Unit], entries: dict[int, Any], households: dict[int, Any] | None = None
    ) -> tuple[list[dict[str, Any]], list[int]]:
        result, indexes = [], []
        for i in range(TASK_ROWS):
            data = {n: self.cleaned_data.get(f"t{i}_{n}") for n in self.names}
            if not data["title"]:
                continue
            data["owner_unit"] = units.get(data["owner_unit"]) if data["owner_unit"] else None
            data["entry"] = entries.get(data["entry"]) if data["entry"] else None
            if "household" in data:
                data["household"] = (households or {}).get(data["household"]) if data["household"] else None
            result.append(data)
            indexes.append(i)
        return result, indexes

    def add_task_errors(self, error: InvalidInput, indexes: list[int]) -> None:
        self.add_service_errors(error, rename=lambda name: row_field(name, items="tasks", prefix="t", indexes=indexes))


class TaskDoneForm(ServiceForm):
    result = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    done_on = DateField(label=_("Ngày hoàn thành"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class RefusalForm(ServiceForm):
    """A person refused reception (Luật Tiếp công dân 2013, Điều 9): the ground, what happened, who refused."""

    unit = UnitChoiceField(label=_("Sổ của đơn vị"))
    refused_on = DateField(label=_("Ngày từ chối"))
    ground = forms.ChoiceField(
        label=_("Căn cứ từ chối (Điều 9 Luật Tiếp công dân)"), choices=RefusalGround.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Sự việc"),
        help_text=_("Điều gì đã xảy ra, đã nhắc nhở, giải thích thế nào."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    earlier_matter = forms.CharField(
        label=_("Vụ việc đã được giải quyết (số văn bản, mã hồ sơ)"),
        help_text=_("Bắt buộc với căn cứ khoản 3."),
        max_length=300,
        required=False,
    )
    refused_by = forms.CharField(label=_("Người tiếp công dân từ chối"), max_length=150)
    notice_document = forms.CharField(label=_("Văn bản thông báo từ chối (nếu có)"), max_length=300, required=False)
    name = forms.CharField(
        label=_("Họ và tên người bị từ chối (nếu biết)"),
        help_text=_("Được niêm phong như sổ tiếp công dân; cán bộ chỉ thấy bí danh."),
        max_length=150,
        required=False,
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân / CCCD"), max_length=12, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))
        self.fields["refused_on"].initial = timezone.localdate()


class TaskReviewForm(ServiceForm):
    """The citizen's or the Front's word on a task reported done (``reception.follow_up``)."""

    verdict = forms.ChoiceField(
        label=_("Việc này đã được thực hiện đúng chưa?"), choices=TaskReview.Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        help_text=_("Bắt buộc nếu chưa đúng: điều gì chưa được làm hoặc làm chưa đúng. Không cần ghi tên của bạn."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReceptionRatingForm(ServiceForm):
    level = forms.TypedChoiceField(
        label=_("Bạn hài lòng đến đâu với cách được tiếp?"),
        choices=[
            (5, _("Rất hài lòng")),
            (4, _("Hài lòng")),
            (3, _("Bình thường")),
            (2, _("Không hài lòng")),
            (1, _("Rất không hài lòng")),
        ],  # fmt: skip
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét"),
        help_text=_("Không cần ghi tên của bạn."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskReopenForm(ServiceForm):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    start = DateField(label=_("Từ ngày"))
    end = DateField(label=_("Đến ngày"))
    province = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "province", [("", _("Tất cả được xem")), *(provinces or [])])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
            elif (end - start).days > 366 * 3:
                self.add_error("end", _("Khoảng thời gian tối đa 3 năm."))
        return data


# ---------------------------------------------------------------- land clearance (``reception.clearance``)


class ProjectForm(ServiceForm):
    unit = UnitChoiceField(label=_("Ủy ban nhân dân"))
    name = forms.CharField(
        label=_("Tên dự án"), max_length=300, help_text=_("Ví dụ: Mở rộng phố Đội Cấn đoạn số 1–50.")
    )
    decision_number = forms.CharField(
        label=_("Số quyết định thu hồi đất"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-UBND")
    )
    decision_date = DateField(label=_("Ngày quyết định thu hồi đất"))
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)
    description = forms.CharField(
        label=_("Mô tả"),
        required=False,
        max_length=20_000,
        help_text=_(
            "Phạm vi thu hồi, phương án bồi thường, hỗ trợ, tái định cư. Không ghi tên, số điện thoại của hộ dân."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any):
        from pakn.org.models import Commune

        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))
        communes = Commune.objects.filter(province_id__in=units.values("province_id")).order_by("name")[:2000]
        set_choices(self, "commune", [("", _("— Xã, phường của đơn vị —")), *((c.code, c.name) for c in communes)])


class HouseholdForm(ServiceForm):
    """A household the project affects: everything typed here is sealed; staff see only a pseudonym."""

    name = forms.CharField(label=_("Họ và tên người đại diện hộ"), max_length=150)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân / CCCD"), max_length=12, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Để gửi kết luận đối thoại và hỏi hộ dân về việc đã thực hiện."),
    )
    parcel = forms.CharField(
        label=_("Thửa đất bị thu hồi"),
        max_length=500,
        help_text=_("Ví dụ: thửa số 45, tờ bản đồ số 12, diện tích thu hồi 36 m²."),
    )


class DialogueLinkForm(ServiceForm):
    project = forms.TypedChoiceField(label=_("Dự án giải phóng mặt bằng"), coerce=int, required=False, empty_value=None)
    complaint = forms.CharField(
        label=_("Mã hồ sơ khiếu nại"),
        max_length=20,
        required=False,
        help_text=_("Hồ sơ khiếu nại cần đối thoại (Luật Khiếu nại 2011, Điều 30, Điều 39). Để trống nếu không có."),
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "project", [("", _("— Không gắn với dự án —")), *((p.pk, p.name) for p in projects)])


class AttendanceForm(ServiceForm):
    attended = forms.TypedMultipleChoiceField(
        label=_("Hộ có mặt"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hộ không được đánh dấu được ghi là vắng mặt."),
    )

    def __init__(self, *args: Any, households: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(h.pk, str(h.pseudonym)) for h in households]


class MinutesForm(ServiceForm):
    text = forms.CharField(
        label=_("Nội dung biên bản"),
        max_length=20_000,
        help_text=_("Họ tên, địa chỉ, số định danh, số điện thoại và thửa đất của các hộ được che tự động."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    signed_by = forms.CharField(
        label=_("Người ký biên bản"),
        max_length=500,
        help_text=_("Ví dụ: Chủ tịch UBND phường; đại diện 12 hộ; thư ký."),
    )
    signed_on = DateField(label=_("Ngày ký"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
