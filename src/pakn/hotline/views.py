"""Hotline pages. The public directory (no login, no JavaScript needed) lists published numbers; the staff
pages (a unit's clerks, heads and administrators) keep the entries, the roster and the call log, and answer
"not found" for anyone else. Views only shape input and call ``hotline.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pakn.cases.views import staff_required
from pakn.core.errors import NotFound, PaknError
from pakn.core.formflow import form_status, submit
from pakn.core.tracking import format_tracking_code
from pakn.hotline import services
from pakn.hotline.forms import CallForm, DirectoryFilterForm, HotlineForm, ShiftForm
from pakn.hotline.models import DutyShift

# ---------------------------------------------------------------- public


def directory(request: HttpRequest) -> HttpResponse:
    """Leaders' hotlines by province and commune: who, which position, which number, when."""
    form = DirectoryFilterForm(request.GET or None)
    province, query = "", ""
    if form.is_valid():
        province, query = form.cleaned_data.get("province") or "", form.cleaned_data.get("q") or ""
    # ``?commune=00004``: a commune's own page (or a link from another page) can point at its hotlines.
    commune = request.GET.get("commune", "")
    commune = commune if commune.isdecimal() and len(commune) == 5 else ""
    rows = services.public_hotlines(province_code=province, commune_code=commune, query=query)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "hotline/directory.html", {"form": form, "page": page, "query": params.urlencode()})


# ---------------------------------------------------------------- staff


def hotline_staff(view: Any) -> Any:
    """Staff who keep at least one unit's hotlines; "not found" for everyone else."""

    @staff_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.maintainable_units(request.user).exists():
            raise NotFound()
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _handled(user: Any, calls: Any) -> set[int]:
    """Of the units the calls' cases went to, those whose case pages ``user`` may open."""
    units = {c.case.unit_id for c in calls if c.case_id}
    return set(services.maintainable_units(user).filter(pk__in=units).values_list("pk", flat=True))


@hotline_staff
def staff_home(request: HttpRequest) -> HttpResponse:
    units = services.maintainable_units(request.user)
    now = timezone.now()
    hotlines = list(
        services.Hotline.objects.filter(unit__in=units).select_related("unit").order_by("unit__name", "id")[:200]
    )
    rows = [{"hotline": h, "shift": services.shift_at(h, now)} for h in hotlines]
    calls = list(services.calls_for(request.user)[:20])
    return render(
        request,
        "hotline/staff_home.html",
        {"rows": rows, "calls": calls, "section": "home", "handled": _handled(request.user, calls)},
    )


@hotline_staff
@require_http_methods(["GET", "POST"])
def hotline_new(request: HttpRequest) -> HttpResponse:
    units = services.maintainable_units(request.user)
    form = HotlineForm(request.POST or None, units=units)

    def create(data: dict[str, Any]) -> Any:
        unit = units.filter(pk=data["unit"]).first()
        if unit is None:
            raise NotFound()
        return services.create_hotline(
            actor=request.user,
            unit=unit,
            official_name=data["official_name"],
            position=data["position"],
            phone=data["phone"],
            hours=data["hours"],
            note=data["note"],
        )

    answer = submit(
        request,
        form,
        create,
        message=_("Đã công bố đường dây nóng."),
        then=lambda hotline: redirect("hotline_detail", hotline_id=hotline.pk),
    )
    return answer or render(request, "hotline/hotline_form.html", {"form": form}, status=form_status(request))


def _detail(request: HttpRequest, hotline: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    officials = services.roster_officials(hotline.unit)
    calls = list(services.calls_for(request.user, hotline=hotline)[:50])
    context = {
        "hotline": hotline,
        "edit_form": forms.get("edit_form")
        or HotlineForm(
            initial={
                "official_name": hotline.official_name,
                "position": hotline.position,
                "phone": hotline.phone,
                "hours": hotline.hours,
                "note": hotline.note,
                "is_active": hotline.is_active,
            },
            units=services.maintainable_units(request.user),
            editing=True,
            prefix="edit",
        ),
        "shift_form": forms.get("shift_form") or ShiftForm(officials=officials, prefix="shift"),
        "shifts": services.shifts_for(hotline),
        "on_duty": services.shift_at(hotline, timezone.now()),
        "calls": calls,
        "handled": _handled(request.user, calls),
    }
    return render(request, "hotline/hotline_detail.html", context, status=status)


@hotline_staff
def hotline_detail(request: HttpRequest, hotline_id: int) -> HttpResponse:
    return _detail(request, services.access_hotline(request.user, hotline_id))


@hotline_staff
@require_POST
def hotline_edit(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = services.access_hotline(request.user, hotline_id)
    form = HotlineForm(request.POST, units=services.maintainable_units(request.user), editing=True, prefix="edit")
    answer = submit(
        request,
        form,
        lambda data: services.update_hotline(
            actor=request.user,
            hotline=hotline,
            official_name=data["official_name"],
            position=data["position"],
            phone=data["phone"],
            hours=data["hours"],
            note=data["note"],
            is_active=bool(data["is_active"]),
        ),
        message=_("Đã cập nhật đường dây nóng."),
        then=lambda _result: redirect("hotline_detail", hotline_id=hotline.pk),
    )
    return answer or _detail(request, hotline, status=400, edit_form=form)


@hotline_staff
@require_POST
def shift_add(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = services.access_hotline(request.user, hotline_id)
    officials = services.roster_officials(hotline.unit)
    form = ShiftForm(request.POST, officials=officials, prefix="shift")

    def add(data: dict[str, Any]) -> Any:
        starts_at, ends_at = form.moments()
        return services.add_shift(
            actor=request.user,
            hotline=hotline,
            official=officials.filter(pk=data["official"]).first(),
            starts_at=starts_at,
            ends_at=ends_at,
            note=data["note"],
        )

    answer = submit(
        request,
        form,
        add,
        message=_("Đã thêm ca trực."),
        then=lambda _result: redirect("hotline_detail", hotline_id=hotline.pk),
    )
    return answer or _detail(request, hotline, status=400, shift_form=form)


@hotline_staff
@require_POST
def shift_remove(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = DutyShift.objects.filter(pk=shift_id).first()
    if shift is None:
        raise NotFound()
    hotline = services.access_hotline(request.user, shift.hotline_id)
    try:
        services.remove_shift(actor=request.user, shift=shift)
    except PaknError as error:
        if isinstance(error, NotFound):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Đã xóa ca trực."))
    return redirect("hotline_detail", hotline_id=hotline.pk)


@hotline_staff
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = services.access_hotline(request.user, hotline_id)
    now = timezone.localtime()
    form = CallForm(
        request.POST or None,
        initial={"received_on": now.date(), "received_time": now.time().replace(second=0, microsecond=0)},
    )
    answer = submit(
        request,
        form,
        lambda _data: services.record_call(actor=request.user, hotline=hotline, **form.service_input()),
        message=_call_recorded,
        then=lambda _call: redirect("hotline_detail", hotline_id=hotline.pk),
    )
    if answer:
        return answer
    on_duty = services.shift_at(hotline, timezone.now())
    context = {"hotline": hotline, "form": form, "on_duty": on_duty}
    return render(request, "hotline/call_form.html", context, status=form_status(request))


def _call_recorded(call: Any) -> str:
    if call.case is None:
        return _("Đã ghi nhận cuộc gọi (không lập đơn).")
    return _("Đã ghi nhận cuộc gọi và lập đơn %(code)s, chuyển %(unit)s xử lý.") % {
        "code": format_tracking_code(call.case.tracking_code),
        "unit": call.case.unit.name,
    }
