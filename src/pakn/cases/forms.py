"""Staff action forms. Each maps to one service verb."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pakn.cases.models import AnswerKind, Channel, Complexity, FalseReportAction, Finding, Kind
from pakn.cases.services import CONTINUE_GROUNDS, PUBLICATION_METHODS, REFUSAL_REASONS, refusal_reasons_for
from pakn.core.forms import DateField
from pakn.protection.forms import FILES_HELP, MultipleFileField


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), required=False)
    due = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[("", _("Tất cả")), ("overdue", _("Quá hạn")), ("soon", _("Sắp đến hạn"))],
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    received_from = DateField(label=_("Nhận từ ngày"), required=False)
    received_to = DateField(label=_("đến ngày"), required=False)
    tag = forms.ChoiceField(label=_("Nhãn"), required=False)
    mine = forms.BooleanField(label=_("Chỉ hồ sơ giao cho tôi"), required=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False)

    def __init__(
        self,
        *args: object,
        units: list[tuple[str, str]],
        tags: list[tuple[str, str]] | None = None,
        sorts: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ):
        from pakn.cases.models import Kind
        from pakn.cases.workflow import STATUS_LABELS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Tất cả")),
            ("open", _("Đang mở")),
            *((s.value, label) for s, label in STATUS_LABELS.items()),
        ]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Tất cả")), *Kind.choices]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("Tất cả đơn vị được xem")), *units]  # type: ignore[attr-defined]
        self.fields["sort"].choices = [("", _("Hạn gần nhất trước")), *(sorts or [])]  # type: ignore[attr-defined]
        if tags:
            self.fields["tag"].choices = [("", _("Tất cả")), *tags]  # type: ignore[attr-defined]
        else:
            del self.fields["tag"]


class AssignForm(forms.Form):
    officer = forms.ChoiceField(label=_("Giao cho cán bộ"), required=False)

    def __init__(self, *args: Any, officers: list[Any], **kwargs: Any) -> None:
        from pakn.core.people import person_name

        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("Không giao riêng ai"))] + [  # type: ignore[attr-defined]
            (str(u.pk), person_name(u) or u.get_username()) for u in officers
        ]


class TagForm(forms.Form):
    tag = forms.CharField(
        label=_("Gắn nhãn"),
        max_length=40,
        help_text=_("Chọn nhãn có sẵn của đơn vị hoặc gõ nhãn mới."),
        widget=forms.TextInput(attrs={"list": "unit-tags", "autocomplete": "off"}),
    )


class BulkForm(forms.Form):
    """The acts on the ticked cases of the list: give them to an officer, label them (the forward part is a
    ``ForwardForm`` beside it)."""

    action = forms.ChoiceField(
        label=_("Thao tác"),
        required=False,
        choices=[
            ("", _("— Chọn thao tác —")),
            ("assign", _("Giao cho cán bộ")),
            ("tag", _("Gắn nhãn")),
            ("forward", _("Chuyển đơn vị khác")),
        ],
    )
    officer = forms.ChoiceField(label=_("Giao cho cán bộ"), required=False)
    label = forms.CharField(
        label=_("Tên nhãn"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "unit-tags", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, officers: list[Any], **kwargs: Any) -> None:
        from pakn.core.people import person_name

        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("Không giao riêng ai"))] + [  # type: ignore[attr-defined]
            (str(u.pk), person_name(u) or u.get_username()) for u in officers
        ]


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Tên tìm kiếm"), max_length=80)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Ghi chú nội bộ"),
        help_text=_("Chỉ cán bộ xem được; người gửi không bao giờ thấy."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(forms.Form):
    accepted_on = DateField(label=_("Ngày thụ lý"))
    complexity = forms.ChoiceField(label=_("Mức độ"), choices=Complexity.choices, initial=Complexity.NORMAL)

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["accepted_on"].initial = timezone.localdate()


class RefuseForm(forms.Form):
    """Offers only the grounds that apply to the case's kind (``services.refusal_reasons_for``)."""

    needs_case = True

    reason_code = forms.ChoiceField(label=_("Căn cứ không thụ lý"), choices=list(REFUSAL_REASONS.items()))
    explanation = forms.CharField(label=_("Giải thích"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["reason_code"].choices = refusal_reasons_for(case.kind)  # type: ignore[attr-defined]


class ForwardForm(forms.Form):
    """The receiving unit is chosen from a list (the bodies above and around the case's unit, or what the
    search found), never typed as an internal code. Without JavaScript, "Tìm" posts the search and the page
    comes back with the matches; with it, pakn.js fills the list as the clerk types."""

    needs_case = True

    unit_search = forms.CharField(
        label=_("Tìm đơn vị nhận"),
        required=False,
        max_length=100,
        help_text=_("Gõ tên đơn vị, có thể không dấu, ví dụ: ubnd thanh pho ha noi, dang uy phuong ba dinh."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-unit-search": "to_unit", "type": "search"}),
    )
    to_unit = forms.ChoiceField(label=_("Đơn vị nhận"))
    reason = forms.CharField(label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Any = None, near: Any = None, **kwargs: Any):
        from pakn.org.directory import find_units, suggested_targets, unit_label
        from pakn.org.models import Unit

        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        search = str(source.get("unit_search") or "").strip()
        chosen = str(source.get("to_unit") or "")
        near = case.unit if case is not None else near
        found = find_units(search, near=near) if search else []
        suggested = [u for u in suggested_targets(near) if u.pk != getattr(near, "pk", None)] if near else []
        extra = list(Unit.objects.filter(code=chosen, is_active=True)) if chosen else []
        groups: list[tuple[Any, list[tuple[str, str]]]] = []
        if search:
            groups.append((_("Kết quả tìm “%(q)s”") % {"q": search}, [(u.code, unit_label(u)) for u in found]))
        groups.append((_("Gợi ý"), [(u.code, unit_label(u)) for u in suggested]))
        listed = {code for _label, options in groups for code, _name in options}
        if extra and extra[0].code not in listed:
            groups.append((_("Đã chọn"), [(extra[0].code, unit_label(extra[0]))]))
        self.fields["to_unit"].choices = [("", _("— Chọn đơn vị nhận —")), *groups]  # type: ignore[attr-defined]
        if near is not None:
            self.fields["to_unit"].widget.attrs["data-near"] = near.code
        if search and not found:
            self.search_message = _("Không tìm thấy đơn vị nào có tên “%(q)s”.") % {"q": search}


class ExtendForm(forms.Form):
    complexity = forms.ChoiceField(
        label=_("Mức độ"),
        choices=[(Complexity.COMPLEX, _("Phức tạp")), (Complexity.ESPECIALLY_COMPLEX, _("Đặc biệt phức tạp"))],
    )
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 3}))
    subject_notified = forms.BooleanField(
        label=_("Đã gửi văn bản thông báo gia hạn cho người bị tố cáo"),
        required=False,
        help_text=_("Quyết định gia hạn được thông báo cho người tố cáo và người bị tố cáo."),
    )


class ExtendAcceptanceForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do kéo dài thời hạn thụ lý"),
        help_text=_("Cần kiểm tra, xác minh ở nhiều địa điểm: thời hạn thụ lý không quá 10 ngày làm việc."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeForm(forms.Form):
    body = forms.CharField(
        label=_("Nội dung thông báo thụ lý (các nội dung tố cáo được thụ lý)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(forms.Form):
    method = forms.ChoiceField(label=_("Hình thức công khai"), choices=list(PUBLICATION_METHODS.items()))


class ContinueForm(forms.Form):
    ground = forms.ChoiceField(label=_("Căn cứ tiếp tục giải quyết"), choices=list(CONTINUE_GROUNDS.items()))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class TerminateForm(forms.Form):
    body = forms.CharField(
        label=_("Nội dung quyết định đình chỉ giải quyết khiếu nại"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ResolveForm(forms.Form):
    needs_case = True
    template = forms.ChoiceField(
        label=_("Mẫu trả lời"),
        required=False,
        help_text=_("Chọn mẫu rồi bấm “Dùng mẫu”: nội dung mẫu, kèm căn cứ, được điền vào ô dưới để sửa."),
    )
    kind = forms.ChoiceField(
        label=_("Loại văn bản"),
        choices=[(AnswerKind.ANSWER, AnswerKind.ANSWER.label), (AnswerKind.CONCLUSION, AnswerKind.CONCLUSION.label)],
    )
    body = forms.CharField(label=_("Nội dung trả lời / kết luận"), widget=forms.Textarea(attrs={"rows": 8}))
    evidence = MultipleFileField(
        label=_("Ảnh, văn bản chứng minh kết quả (nếu có)"),
        help_text=format_lazy("{} {}", _("Ví dụ: ảnh sau khi sửa chữa, bản quét quyết định, biên bản."), FILES_HELP),
    )
    files_public = forms.BooleanField(
        label=_("Cho phép công khai các tệp này cùng câu trả lời (khi hồ sơ được công khai)"),
        required=False,
        help_text=_("Chỉ chọn khi trong ảnh, tài liệu không có thông tin cá nhân của người dân."),
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None and case.kind == Kind.DENUNCIATION:
            del self.fields["files_public"]  # nothing of a denunciation is published with its files
        self.quality_warnings: list[Any] = []
        self.templates = templates_for(case) if case is not None else []
        self.fields["template"].choices = [("", _("Không dùng mẫu"))] + [  # type: ignore[attr-defined]
            (str(t.pk), t.title) for t in self.templates
        ]
        if case is not None and case.kind == Kind.DENUNCIATION:
            # Luật Tố cáo 2018, Điều 35(1)(c): the conclusion says whether the denunciation was true.
            self.fields["finding"] = forms.ChoiceField(
                label=_("Kết luận nội dung tố cáo"),
                help_text=_("Bắt buộc với kết luận nội dung tố cáo (Luật Tố cáo 2018, Điều 35)."),
                choices=Finding.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def warn(self, warnings: list[Any]) -> None:
        """Show the answer check's warnings and ask the clerk to confirm before it is sent."""
        self.quality_warnings = warnings
        self.fields["confirm"] = forms.BooleanField(
            label=_("Tôi đã xem các lưu ý trên, vẫn gửi câu trả lời này"), required=False
        )


def templates_for(case: Any) -> list[Any]:
    """Active model answers for the case: its unit's first, then those for everyone; of its kind (or any) and its
    topic (or any)."""
    from django.db.models import Q

    from pakn.cases.models import AnswerTemplate

    rows = AnswerTemplate.objects.filter(active=True).filter(
        Q(unit_id=case.unit_id) | Q(unit__isnull=True), Q(kind=case.kind) | Q(kind=""),
        Q(topic_id=case.topic_id) | Q(topic__isnull=True),
    )  # fmt: skip
    return sorted(rows, key=lambda t: (t.unit_id is None, t.kind == "", t.title))


class RepeatLetterForm(forms.Form):
    """A letter on this settled matter (``services.record_repeat_letter``); the reply starts as the reference to
    the earlier answer."""

    needs_case = True
    received_on = DateField(label=_("Ngày nhận"))
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=Channel.choices, initial=Channel.LETTER)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung đơn"),
        help_text=_("Nếu đơn có thông tin, tình tiết mới, hãy vào sổ như đơn mới thay vì ghi ở đây."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reply = forms.CharField(label=_("Trả lời, hướng dẫn"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        if case is not None:
            from pakn.cases.services import default_reply

            self.fields["reply"].initial = default_reply(case)


class FalseReportForm(forms.Form):
    """After a conclusion that the denunciation was false (``services.record_false_report``)."""

    intentional = forms.TypedChoiceField(
        label=_("Có căn cứ cho rằng người tố cáo cố ý tố cáo sai sự thật?"),
        choices=[("no", _("Không")), ("yes", _("Có"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    action = forms.ChoiceField(label=_("Cách xử lý"), choices=FalseReportAction.choices, widget=forms.RadioSelect)
    referred_to = forms.CharField(
        label=_("Cơ quan được kiến nghị, chuyển xử lý"),
        help_text=_(
            "Ví dụ: Cơ quan Cảnh sát điều tra Công an quận (dấu hiệu tội vu khống, Bộ luật Hình sự, Điều 156)."
        ),
        required=False,
        max_length=300,
    )
    document = forms.CharField(label=_("Số, ngày văn bản"), required=False, max_length=120)
    decided_on = DateField(label=_("Ngày quyết định"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Mã tra cứu của hồ sơ giữ lại"))
