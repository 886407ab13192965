from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """Six digits from the authenticator app (or, on the second step, a recovery code)."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: object, recovery: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["code"]
        if recovery:
            field.help_text = _("Mã gồm 6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục (dạng XXXXX-XXXXX).")
        else:
            field.help_text = _("Mã gồm 6 chữ số đang hiển thị trong ứng dụng xác thực cho tài khoản này.")
            field.widget.attrs["inputmode"] = "numeric"


class ResetForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của cán bộ"), max_length=150)
    reason = forms.CharField(
        label=_("Lý do đặt lại"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: mất điện thoại, đã xác minh trực tiếp người dùng. Lý do được ghi vào nhật ký."),
    )
