"""Optional citizen accounts: filing never needs one, but with one a citizen sees all their
submissions in one place."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from pakn.accounts.services import register_citizen
from pakn.cases.models import Case


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("Thư điện tử"), required=False, help_text=_("Để nhận thông báo (không bắt buộc)."))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        labels = {"username": _("Tên đăng nhập")}


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = register_citizen(
            username=form.cleaned_data["username"],
            email=form.cleaned_data.get("email", ""),
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("my_cases")
    return render(request, "public/signup.html", {"form": form}, status=400 if form.errors else 200)


@login_required(login_url="/account/login/")
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = Case.objects.filter(citizen_id=request.user.pk).select_related("unit").order_by("-created_at")
    if not cases.exists():
        # A staff member who logged in from the public header goes to their workspace, not an empty list.
        from pakn.navigation import landing_url

        landing = landing_url(request.user)
        if landing:
            return redirect(landing)
    return render(request, "public/my_cases.html", {"cases": cases})
