"""Pages of the e-mail alerts (``pakn.public.alerts``), under ``/public/alerts/``: the follow form (also placed on
the answers page and on a published case's page, ``templatetags.pakn_alerts``), the "check your mailbox" page, and
the three links of the e-mails: confirm and stop (each a page with the button that acts; a mail client's RFC 8058
one-click POST stops at once), and the page of the address (its follows, each stopped by a button, or all at
once). Everything is done by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from pakn.cases.models import Topic
from pakn.core import formflow
from pakn.core.forms import set_choices
from pakn.org.models import Province
from pakn.org.places import communes_of
from pakn.protection import throttle
from pakn.public import alerts


class AlertForm(forms.Form):
    """Follow an area (``for_case=False``: a province, optionally a commune and a topic) or one case (its id
    travels in a hidden field)."""

    email = forms.EmailField(
        label=_("Địa chỉ thư điện tử"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    province_code = forms.ChoiceField(label=_("Tỉnh/thành phố"))
    commune_code = forms.ChoiceField(
        label=_("Xã/phường/đặc khu"), required=False, help_text=_("Để trống để theo dõi cả tỉnh/thành phố.")
    )
    topic_code = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, for_case: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_case = for_case
        if for_case:
            for name in ("province_code", "commune_code", "topic_code"):
                del self.fields[name]
            return
        province = (self.data.get("province_code") if self.is_bound else None) or self.initial.get("province_code")
        set_choices(
            self, "province_code", [("", _("— Chọn tỉnh/thành phố —")), *Province.objects.values_list("pk", "name")]
        )
        set_choices(self, "commune_code", [("", _("— Mọi xã/phường —")), *communes_of(province)])
        english = translation.get_language() == "en"
        topics = [(t.code, (t.name_en if english and t.name_en else t.name)) for t in Topic.objects.all()]
        set_choices(self, "topic_code", [("", _("— Mọi lĩnh vực —")), *topics])


def area_form(province: str) -> AlertForm:
    """The form as the answers page shows it: the province of the page's filter already chosen."""
    return AlertForm(initial={"province_code": str(province)[:2]})


def case_form(case_id: int) -> AlertForm:
    return AlertForm(initial={"case": case_id}, for_case=True)


@sensitive_post_parameters("email")
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """The follow form on a page of its own (reached from the answers page without JavaScript, to choose the
    commune, or when what was typed is refused). Whatever the address, success looks the same."""
    source = request.POST if request.method == "POST" else request.GET
    for_case = bool(source.get("case"))
    target = alerts.clean_target(case_id=source.get("case")) if for_case else None
    if request.method == "POST" and "choose_province" not in request.POST:
        form = AlertForm(request.POST, for_case=for_case)

        def act(data: dict[str, Any]) -> None:
            if data.get("website"):
                return None  # the honeypot was filled: nothing is done, and the answer is the same
            alerts.request_follow(
                email=data["email"],
                language=translation.get_language(),
                client=throttle.client_key(request),
                case_id=data.get("case"),
                province_code=data.get("province_code", ""),
                commune_code=data.get("commune_code", ""),
                topic_code=data.get("topic_code", ""),
            )
            return None

        answer = formflow.submit(request, form, act, then=lambda _result: redirect("portal_alert_sent"))
        if answer:
            return answer
        status = 400
    else:
        # First view, or the no-JavaScript "choose province" step: keep what was typed, show no errors.
        fields = ("email", "province_code", "commune_code", "topic_code", "case")
        initial = {name: source.get(name, "") for name in fields if request.method == "POST" or name != "email"}
        form = AlertForm(initial=initial, for_case=for_case)
        status = 200
    context = {"form": form, "what": alerts.describe(target) if target else "", "section": "answers"}
    return render(request, "public/alerts/follow.html", context, status=status)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public/alerts/sent.html", {"days": alerts.CONFIRM_DAYS, "section": "answers"})


# The e-mails' links ask and a button acts: mail scanners (Safe Links and the like) open every link of a message
# they receive, and must not confirm a follow the address's owner never asked for, nor stop one they want.


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: a page with the button that starts the alerts (once they run, the page says so)."""
    follow = alerts.confirm_follow(token=token) if request.method == "POST" else alerts.follow_for_link(token)
    done = follow.confirmed_at is not None and follow.unsubscribed_at is None
    return render(
        request,
        "public/alerts/confirmed.html" if done else "public/alerts/confirm.html",
        {"what": alerts.describe(follow), "token": token, "section": "answers"},
    )


@csrf_exempt  # the link itself is the key; RFC 8058 mail clients POST "List-Unsubscribe=One-Click" without a form
@never_cache
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link: a page with the button that stops this follow (a mail client's one-click POST stops it
    at once); once stopped, the page says so and offers to undo it."""
    if request.method == "POST" and "resume" in request.POST:
        follow = alerts.resume_follow(token=token)
    elif request.method == "POST":
        follow = alerts.unsubscribe(token=token)
    else:
        follow = alerts.follow_for_link(token)
    return render(
        request,
        "public/alerts/stopped.html",
        {
            "what": alerts.describe(follow),
            "stopped": follow.unsubscribed_at is not None,
            "asking": request.method == "GET" and follow.unsubscribed_at is None,
            "token": token,
            "section": "answers",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The follows of the address the link was sent to: each one stopped by its button, or all at once."""
    if request.method == "POST" and ("stop_all" in request.POST or request.POST.get("stop")):
        one = None if "stop_all" in request.POST else request.POST.get("stop")
        stopped = alerts.stop_follows(token=token, follow_id=one)
        messages.success(
            request, gettext("Đã ngừng %(n)s mục theo dõi. Bạn sẽ không nhận thêm thư về các mục đó.") % {"n": stopped}
        )
        return redirect("portal_alert_manage", token=token)
    follow = alerts.follow_for_link(token)
    rows = [
        {"id": f.pk, "what": alerts.describe(f), "confirmed": f.confirmed_at is not None, "since": f.created_at}
        for f in alerts.follows_of(follow)
    ]
    return render(request, "public/alerts/manage.html", {"rows": rows, "token": token, "section": "answers"})


urlpatterns = [
    path("", follow, name="portal_alert_follow"),
    path("sent/", sent, name="portal_alert_sent"),
    path("confirm/<str:token>/", confirm, name="portal_alert_confirm"),
    path("stop/<str:token>/", stop, name="portal_alert_stop"),
    path("manage/<str:token>/", manage, name="portal_alert_manage"),
]
