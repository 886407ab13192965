"""Reception pages. The public ones (upcoming sessions, booking a slot, a booking by its code) show
no personal data of anyone; the staff ones fetch every object through ``access.fetch`` so another
unit's sessions and register answer "not found". Views only shape input and call services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pakn.cases.views import staff_required
from pakn.core.errors import InvalidInput, NotFound, PaknError
from pakn.core.formflow import form_status, submit
from pakn.core.text import fold
from pakn.core.tracking import format_tracking_code
from pakn.org.models import Province, Unit
from pakn.protection import throttle
from pakn.reception import clearance, clearance_views, follow_up, queries, reports, services
from pakn.reception import forms as f
from pakn.reception import refusals as refusal_register
from pakn.reception.access import access_unit, can_write, fetch, readable_units, writable_units
from pakn.reception.models import (
    BookingStatus,
    Entry,
    EntryKind,
    FollowUpTask,
    ReceptionRequirement,
    Session,
    SessionKind,
    SessionMode,
    SessionStatus,
)

# ---------------------------------------------------------------- public


def _upcoming(today: date) -> Any:
    return queries.upcoming_sessions(today)


def public_sessions(request: HttpRequest) -> HttpResponse:
    """Upcoming reception days and dialogues: when, where, who presides, how many slots are left."""
    today = timezone.localdate()
    form = f.PublicFilterForm(request.GET or None)
    sessions = _upcoming(today)
    if form.is_valid():
        if form.cleaned_data.get("province"):
            sessions = sessions.filter(unit__province_id=form.cleaned_data["province"])
        words = fold(form.cleaned_data.get("q") or "").split()
        if words:
            ids = [s.pk for s in sessions[:2000] if all(w in fold(s.unit.name) for w in words)]
            sessions = sessions.filter(pk__in=ids)
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reception/public_list.html", {"form": form, "page": page, "query": query.urlencode()})


def _public_session(session_id: int) -> Session:
    session = _upcoming(timezone.localdate()).filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("Không tìm thấy buổi tiếp này, hoặc buổi tiếp không còn nhận đăng ký."))
    return session


@throttle.throttled("submit")
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _public_session(session_id)
    form = f.BookingForm(request.POST or None)

    def book_slot(data: dict[str, Any]) -> Any:
        if data.get("website"):  # the honeypot: a person leaves it empty
            raise PaknError(_("Không gửi được đăng ký. Vui lòng thử lại."))
        return services.book_slot(
            session=session,
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            people_count=data["people_count"],
            summary=data["summary"],
        )

    def booked(booking: Any) -> HttpResponse:
        request.session["new_booking"] = booking.code
        return redirect("reception_booking", code=booking.code)

    answer = submit(request, form, book_slot, then=booked, refused="form")
    free = max(session.capacity - session.booked, 0)  # type: ignore[attr-defined]
    context = {"session": session, "form": form, "free": free}
    return answer or render(request, "reception/book.html", context, status=form_status(request))


def booking_status(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's own booking, found by its unguessable code: slot, time and (for an online
    session) the video link. Nothing the citizen typed is shown back."""
    booking = services.get_booking(code)
    is_new = request.session.pop("new_booking", None) == booking.code
    return render(
        request,
        "reception/booking.html",
        {
            "booking": booking,
            "session": booking.session,
            "code": format_tracking_code(booking.code),
            "is_new": is_new,
            "time": services.slot_time(booking.session, booking.slot),
            "cancel_form": f.CancelBookingForm(),
            "can_cancel": booking.status == BookingStatus.BOOKED and booking.session.date >= timezone.localdate(),
        },
    )


@require_POST
def booking_cancel(request: HttpRequest, code: str) -> HttpResponse:
    booking = services.get_booking(code)
    form = f.CancelBookingForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_booking(booking=booking)
        except PaknError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Đã hủy lượt đăng ký."))
    else:
        messages.error(request, _("Hãy đánh dấu ô xác nhận để hủy."))
    return redirect("reception_booking", code=booking.code)


# ---------------------------------------------------------------- staff: sessions


def _unit_filter(request: HttpRequest) -> Unit | None:
    unit_id = request.GET.get("unit")
    return access_unit(request.user, unit_id) if unit_id else None


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    readable = readable_units(request.user)
    unit = _unit_filter(request)
    sessions = Session.objects.filter(unit__in=readable).select_related("unit")
    if unit:
        sessions = sessions.filter(unit=unit)
    upcoming = (
        sessions.filter(date__gte=today).exclude(status=SessionStatus.CANCELLED).order_by("date", "start_time")[:50]
    )
    recent = sessions.filter(date__lt=today).order_by("-date", "-start_time")[:30]
    entries = Entry.objects.filter(unit__in=readable)
    overdue_notices = entries.filter(notified_on__isnull=True, notice_due_on__lt=today).count()
    ids = (
        list(readable.values_list("pk", flat=True))
        if not request.user.is_superuser
        else list(Session.objects.values_list("unit_id", flat=True).distinct())
    )
    tasks = queries.open_tasks(ids, today=today)[:50]
    return render(
        request,
        "reception/staff_home.html",
        {
            "upcoming": upcoming,
            "recent": recent,
            "unit": unit,
            "today": today,
            "tasks": tasks,
            "overdue_notices": overdue_notices,
            "can_schedule": writable_units(request.user).exists(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    units = writable_units(request.user)
    if not units.exists():
        raise NotFound()
    form = f.SessionForm(request.POST or None, units=units)
    answer = submit(
        request,
        form,
        lambda data: services.schedule_session(
            actor=request.user,
            unit=access_unit(request.user, data["unit"], write=True),
            kind=data["kind"],
            mode=data["mode"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            place=data["place"],
            video_url=data["video_url"],
            presider_name=data["presider_name"],
            presided_by_head=data["presided_by_head"],
            slot_minutes=data["slot_minutes"],
            topic=data["topic"],
            publish=data["publish"],
        ),
        message=lambda session: (
            _("Đã lên lịch buổi tiếp.")
            if session.status == SessionStatus.DRAFT
            else _("Đã lên lịch và công bố buổi tiếp.")
        ),
        then=lambda session: redirect("reception_session", session_id=session.pk),
    )
    return answer or render(request, "reception/session_form.html", {"form": form}, status=form_status(request))


def _session_context(request: HttpRequest, session: Session, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    writer = can_write(request.user, session.unit)
    bound = bound or {}
    entries = list(session.entries.order_by("number"))
    forms: dict[str, Any] = {}
    if writer:
        if session.status == SessionStatus.DRAFT:
            forms["publish"] = None
        if session.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            forms["cancel"] = bound.get("cancel") or f.ReasonForm()
        held_allowed = session.status == SessionStatus.PUBLISHED or (
            session.kind == SessionKind.AD_HOC and session.status == SessionStatus.DRAFT
        )
        if held_allowed and session.date <= timezone.localdate():
            forms["held"] = bound.get("held") or f.HeldForm(
                initial={"presider_name": session.presider_name, "presided_by_head": session.presided_by_head}
            )
        forms.update(clearance_views.dialogue_forms(request, session, bound))
        if session.status == SessionStatus.HELD:
            forms["conclude"] = bound.get("conclude") or f.ConclusionForm(
                units=_task_units(session), entries=entries, households=clearance_views.households_of(session)
            )
    return {
        **clearance_views.dialogue_context(request, session),
        "session": session,
        "writer": writer,
        "action_forms": forms,
        "entries": entries,
        "bookings": session.bookings.all(),
        "conclusions": session.conclusions.prefetch_related("tasks__owner_unit", "tasks__reviews", "tasks__household"),
        "labels": SESSION_ACTIONS,
        "today": timezone.localdate(),
        "task_form": f.TaskDoneForm(),
        "reopen_form": f.TaskReopenForm(),
        "slot_times": {b.pk: services.slot_time(session, b.slot) for b in session.bookings.all()},
        "repeats": services.repeated_contacts(session.bookings.filter(status=BookingStatus.BOOKED)),
    }


SESSION_ACTIONS = {
    "publish": _("Công bố trên cổng công khai"),
    "cancel": _("Hủy buổi tiếp"),
    "held": _("Ghi nhận đã tiếp"),
    "conclude": _("Ban hành kết luận"),
    **clearance_views.DIALOGUE_ACTIONS,
}


def _task_units(session: Session) -> Any:
    """Units a conclusion can assign work to: the unit itself and the units in its area."""
    area = Q(commune_id=session.unit.commune_id) if session.unit.commune_id else Q(province_id=session.unit.province_id)
    return Unit.objects.filter(area, is_active=True)


@staff_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = fetch(request.user, Session.objects.select_related("unit"), session_id)
    return render(request, "reception/session_detail.html", _session_context(request, session))


@staff_required
@require_POST
def session_action(request: HttpRequest, session_id: int, action: str) -> HttpResponse:
    if action not in SESSION_ACTIONS:
        raise NotFound()
    session = fetch(request.user, Session.objects.select_related("unit"), session_id, write=True)
    if action in clearance_views.DIALOGUE_ACTIONS and session.kind != SessionKind.DIALOGUE:
        raise NotFound()
    form: Any = None
    try:
        if action == "publish":
            services.publish_session(actor=request.user, session=session)
        elif action == "cancel":
            form = f.ReasonForm(request.POST)
            if form.is_valid():
                services.cancel_session(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        elif action == "held":
            form = f.HeldForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.record_session_held(
                    actor=request.user,
                    session=session,
                    presider_name=d["presider_name"],
                    presided_by_head=d["presided_by_head"],
                    summary=d["summary"],
                    recording_ref=d["recording_ref"],
                )
        elif action in clearance_views.DIALOGUE_ACTIONS:
            form = clearance_views.dialogue_form(request, session, action)
            if form.is_valid():
                clearance_views.dialogue_act(request, session, action, form)
        elif action == "conclude":
            entries = list(session.entries.all())
            units = _task_units(session)
            households = clearance_views.households_of(session)
            form = f.ConclusionForm(request.POST, units=units, entries=entries, households=households)
            if form.is_valid():
                unit_map = {
                    u.pk: u
                    for u in units.filter(
                        pk__in=[v for k, v in form.cleaned_data.items() if k.endswith("_owner_unit") and v]
                    )
                }
                tasks, indexes = form.tasks(
                    units=unit_map, entries={e.pk: e for e in entries}, households={h.pk: h for h in households}
                )
                # A dialogue about a project: its tasks may concern a household (reception.clearance).
                conclude = clearance.conclude_dialogue if households else services.issue_conclusion
                try:
                    conclude(
                        actor=request.user,
                        session=session,
                        number=form.cleaned_data["number"],
                        issued_on=form.cleaned_data["issued_on"],
                        body=form.cleaned_data["body"],
                        tasks=tasks,
                    )
                except InvalidInput as error:
                    form.add_task_errors(error, indexes)
    except InvalidInput as error:
        if form is None:
            messages.error(request, " ".join(error.texts()))
            return redirect("reception_session", session_id=session.pk)
        form.add_service_errors(error)
    except PaknError as error:
        messages.error(request, str(error.message))
        return redirect("reception_session", session_id=session.pk)
    if form is None or form.is_valid():
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": SESSION_ACTIONS[action]})
        return redirect("reception_session", session_id=session.pk)
    session.refresh_from_db()
    context = _session_context(request, session, bound={action: form})
    context["open_action"] = action
    return render(request, "reception/session_detail.html", context, status=400)


# ---------------------------------------------------------------- staff: register


def identity_link(user: Any, item_id: int | None) -> str:
    """Where a protection officer of the unit asks to see a sealed person (four-eyes reveal); nobody else
    sees a way in."""
    from pakn.protection.access import officer_items

    if item_id and officer_items(user).filter(pk=item_id).exists():
        return reverse("protection_person", args=[item_id])
    return ""


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    readable = readable_units(request.user)
    unit = _unit_filter(request)
    entries = Entry.objects.filter(unit__in=readable).select_related("unit")
    if unit:
        entries = entries.filter(unit=unit)
    year = request.GET.get("year")
    if year and year.isdecimal():
        entries = entries.filter(year=int(year))
    if request.GET.get("format") == "xlsx":
        if unit is None:
            raise NotFound()
        return reports.register_xlsx(entries.order_by("year", "number"), unit=unit)
    page = Paginator(entries.order_by("-received_on", "-number"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    units = Unit.objects.filter(pk__in=Entry.objects.filter(unit__in=readable).values("unit_id").distinct()).order_by(
        "name"
    )[:300]
    return render(
        request,
        "reception/register.html",
        {
            "page": page,
            "unit": unit,
            "units": units,
            "year": year,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_write": writable_units(request.user).exists(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    units = writable_units(request.user)
    if not units.exists():
        raise NotFound()
    session = booking = None
    source = request.POST if request.method == "POST" else request.GET
    if source.get("session"):
        session = fetch(request.user, Session.objects.select_related("unit"), source.get("session"), write=True)
    booking_id = source.get("booking")
    if booking_id and session is not None:
        booking = session.bookings.filter(pk=booking_id if booking_id.isdecimal() else 0).first()
        if booking is None:
            raise NotFound()
    initial: dict[str, Any] = {}
    if session:
        initial.update(unit=session.unit_id, received_on=session.date, session=session.pk)
    if booking:
        initial.update(
            summary=booking.summary,
            people_count=booking.people_count,
            booking=booking.pk,
        )
    form = f.EntryForm(request.POST or None, units=units, initial=initial)
    form.fields["name"].required = booking is None  # a booked citizen's details are already sealed
    answer = submit(
        request,
        form,
        lambda d: services.register_contact(
            actor=request.user,
            unit=access_unit(request.user, d["unit"], write=True),
            received_on=d["received_on"],
            name=d["name"],
            address=d["address"],
            id_number=d["id_number"],
            phone=d["phone"],
            summary=d["summary"],
            kind=d["kind"],
            people_count=d["people_count"],
            handled_before=d["handled_before"],
            competence=d["competence"],
            guidance_document=d["guidance_document"],
            follow_up=d["follow_up"],
            complex=d["complex"],
            session=session,
            booking=booking,
        ),
        message=lambda entry: _("Đã vào sổ tiếp công dân số %(n)s.") % {"n": entry.reference},
        then=lambda entry: redirect("reception_entry", entry_id=entry.pk),
    )
    context = {"form": form, "session": session, "booking": booking}
    return answer or render(request, "reception/entry_form.html", context, status=form_status(request))


@staff_required
def refusals(request: HttpRequest) -> HttpResponse:
    """The register of refused receptions of the units the user reads, with the count per ground of Điều 9."""
    rows = refusal_register.readable_refusals(request.user)
    unit = _unit_filter(request)
    if unit is not None:
        rows = rows.filter(unit=unit)
    year = request.GET.get("year", "")
    if year.isdecimal():
        rows = rows.filter(refused_on__year=int(year))
    context = {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "counts": refusal_register.count_by_ground(rows),
        "can_add": writable_units(request.user).exists(),
        "query": request.GET.urlencode(),
    }
    return render(request, "reception/refusals.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def refusal_new(request: HttpRequest) -> HttpResponse:
    units = writable_units(request.user)
    if not units.exists():
        raise NotFound()
    form = f.RefusalForm(request.POST or None, units=units)
    answer = submit(
        request,
        form,
        lambda d: refusal_register.record_refusal(
            actor=request.user,
            unit=access_unit(request.user, d.pop("unit"), write=True),
            **d,
        ),
        message=_("Đã ghi vào sổ từ chối tiếp công dân."),
        then=lambda _refusal: redirect("reception_refusals"),
    )
    return answer or render(request, "reception/refusal_form.html", {"form": form}, status=form_status(request))


ENTRY_ACTIONS = {
    "update": _("Cập nhật theo dõi"),
    "open_cases": _("Mở hồ sơ giải quyết"),
    "notice": _("Ghi nhận đã thông báo cho công dân"),
}


def _entry_context(request: HttpRequest, entry: Entry, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    writer = can_write(request.user, entry.unit_id)
    bound = bound or {}
    forms: dict[str, Any] = {}
    if writer:
        forms["update"] = bound.get("update") or f.EntryUpdateForm(
            initial={
                "handled_before": entry.handled_before,
                "guidance_document": entry.guidance_document,
                "follow_up": entry.follow_up,
            }
        )
        forms["open_cases"] = bound.get("open_cases") or f.OpenCasesForm(
            initial={"m0_kind": entry.kind if entry.kind != EntryKind.MIXED else "", "m0_content": entry.summary}
        )
        forms["notice"] = bound.get("notice") or f.NoticeForm()
    today = timezone.localdate()
    return {
        "entry": entry,
        "writer": writer,
        "action_forms": forms,
        "labels": ENTRY_ACTIONS,
        "cases": [ec.case for ec in entry.entry_cases.select_related("case__unit")],
        "identity_link": identity_link(request.user, entry.identity_id),
        "notice_overdue": entry.notified_on is None and entry.notice_due_on < today,
        "notice_late": entry.notified_on is not None and entry.notified_on > entry.notice_due_on,
        "tasks": entry.tasks.select_related("owner_unit"),
        "today": today,
    }


@staff_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = fetch(request.user, Entry.objects.select_related("unit", "session"), entry_id)
    return render(request, "reception/entry_detail.html", _entry_context(request, entry))


def _open_cases(request: HttpRequest, entry: Entry, form: f.OpenCasesForm) -> list[Any]:
    matters, _rows = form.matters()
    if not matters:
        raise InvalidInput(_("Điền ít nhất một nội dung (tiêu đề và nội dung)."))
    return services.open_cases(actor=request.user, entry=entry, matters=matters)


@staff_required
@require_POST
def entry_action(request: HttpRequest, entry_id: int, action: str) -> HttpResponse:
    if action not in ENTRY_ACTIONS:
        raise NotFound()
    entry = fetch(request.user, Entry.objects.select_related("unit", "session"), entry_id, write=True)
    form: Any

    def back(_result: object) -> HttpResponse:
        return redirect("reception_entry", entry_id=entry.pk)

    done = _("Đã thực hiện: %(action)s.") % {"action": ENTRY_ACTIONS[action]}
    if action == "update":
        form = f.EntryUpdateForm(request.POST)
        answer = submit(
            request,
            form,
            lambda d: services.update_entry(actor=request.user, entry=entry, **d),
            message=done,
            then=back,
        )
    elif action == "notice":
        form = f.NoticeForm(request.POST)
        answer = submit(
            request,
            form,
            lambda d: services.record_notice(actor=request.user, entry=entry, **d),
            message=done,
            then=back,
        )
    else:
        form = f.OpenCasesForm(request.POST)
        answer = submit(
            request,
            form,
            lambda _d: _open_cases(request, entry, form),
            errors=lambda error: form.add_matter_errors(error, form.matters()[1]),
            message=lambda cases: (
                _("Đã mở %(n)s hồ sơ: %(codes)s.")
                % {"n": len(cases), "codes": ", ".join(format_tracking_code(c.tracking_code) for c in cases)}
            ),
            then=back,
        )
    if answer:
        return answer
    entry.refresh_from_db()
    context = _entry_context(request, entry, bound={action: form})
    context["open_action"] = action
    return render(request, "reception/entry_detail.html", context, status=400)


@staff_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    readable = readable_units(request.user)
    task = (
        FollowUpTask.objects.filter(pk=task_id)
        .filter(Q(conclusion__session__unit__in=readable) | Q(owner_unit__in=readable))
        .select_related("conclusion__session")
        .first()
    )
    if task is None:
        raise NotFound()
    form = f.TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.complete_follow_up_task(actor=request.user, task=task, **form.cleaned_data)
        except PaknError as error:
            messages.error(request, " ".join(error.texts()))
        else:
            messages.success(request, _("Đã ghi nhận hoàn thành."))
    else:
        messages.error(request, _("Cần nhập kết quả và ngày hoàn thành."))
    back = request.POST.get("next", "")
    if back.startswith("/reception/") and "//" not in back:
        return redirect(back)
    return redirect("reception_session", session_id=task.conclusion.session_id)


@staff_required
@require_POST
def task_reopen(request: HttpRequest, task_id: int) -> HttpResponse:
    """The unit that concluded takes a task reported done back (after a dispute, usually)."""
    task = (
        FollowUpTask.objects.filter(pk=task_id, conclusion__session__unit__in=readable_units(request.user))
        .select_related("conclusion__session")
        .first()
    )
    if task is None:
        raise NotFound()
    form = f.TaskReopenForm(request.POST)
    back = redirect("reception_session", session_id=task.conclusion.session_id)
    answer = submit(
        request,
        form,
        lambda data: follow_up.reopen_task(actor=request.user, task=task, reason=data["reason"]),
        then=lambda _task: back,
        message=_("Đã mở lại việc: đơn vị chủ trì cần thực hiện và báo cáo lại."),
        refused="message",
    )
    if answer is None:
        messages.error(request, _("Cần ghi lý do mở lại."))
        return back
    return answer


# ---------------------------------------------------------------- the citizen and the Front confirm


@throttle.throttled("submit")
@require_http_methods(["GET", "POST"])
def citizen_review(request: HttpRequest, token: str) -> HttpResponse:
    """The page of the link sent to a citizen when a task about their matter is reported done: what the unit
    says it did, and two answers. Nothing identifies the citizen; the link is theirs alone."""
    task = follow_up.task_for_citizen(token)
    form = f.TaskReviewForm(request.POST or None)
    answer = submit(
        request,
        form,
        lambda data: follow_up.review_as_citizen(token=token, verdict=data["verdict"], note=data["note"]),
        then=lambda _review: redirect("reception_citizen_review", token=token),
        message=_("Cảm ơn bạn. Ý kiến đã được gửi tới đơn vị và được lưu lại."),
        refused="form",
    )
    if answer is not None:
        return answer
    context = {"task": task, "form": form, "word": follow_up.citizen_word(task)}
    return render(request, "reception/citizen_review.html", context, status=form_status(request))


@throttle.throttled("submit")
@require_http_methods(["GET", "POST"])
def citizen_rating(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent once the citizen was told the outcome of their visit: how were they received (1–5)?"""
    entry = follow_up.entry_for_rating(token)
    form = f.ReceptionRatingForm(request.POST or None)
    answer = submit(
        request,
        form,
        lambda data: follow_up.rate_reception(token=token, level=data["level"], comment=data["comment"]),
        then=lambda _entry: redirect("reception_citizen_rating", token=token),
        message=_("Cảm ơn bạn. Ý kiến đã được gửi tới đơn vị."),
        refused="form",
    )
    if answer is not None:
        return answer
    context = {"entry": entry, "form": form}
    return render(request, "reception/citizen_rating.html", context, status=form_status(request))


def _front_required(view: Any) -> Any:
    from pakn.oversight.views import supervisor_required

    return supervisor_required(view)


@_front_required
def front_follow_up(request: HttpRequest) -> HttpResponse:
    """For the Front committee: the tasks of its area reported done, newest first, with every word said of
    them, and those still open; it confirms or disputes each."""
    tasks = (
        follow_up.front_tasks(request.user)
        .select_related("conclusion__session__unit", "owner_unit")
        .prefetch_related("reviews")
    )
    show = request.GET.get("show", "done")
    if show == "open":
        tasks = tasks.filter(done_on__isnull=True).order_by("due_on", "pk")
    else:
        show = "done"
        tasks = tasks.filter(done_on__isnull=False).order_by("-done_on", "-pk")
    page = Paginator(tasks, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "form": f.TaskReviewForm(),
        "today": timezone.localdate(),
        "section": "follow_up",
        "is_supervisor": True,
    }
    return render(request, "reception/front_follow_up.html", context)


@_front_required
@require_POST
def front_review(request: HttpRequest, task_id: int) -> HttpResponse:
    task = follow_up.front_tasks(request.user).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    form = f.TaskReviewForm(request.POST)
    back = redirect(reverse("reception_front_follow_up") + f"#task-{task.pk}")
    answer = submit(
        request,
        form,
        lambda data: follow_up.review_as_front(actor=request.user, task=task, **data),
        then=lambda _review: back,
        message=_("Đã ghi ý kiến của Mặt trận."),
        refused="message",
    )
    if answer is None:
        errors = [str(m) for field in form.errors.values() for m in field]
        messages.error(request, " ".join(errors) or _("Chọn ý kiến."))
        return back
    return answer


# ---------------------------------------------------------------- staff: compliance


def _period(request: HttpRequest) -> tuple[f.PeriodForm, date, date]:
    today = timezone.localdate()
    default_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    default_start = default_start.replace(month=((default_start.month - 1) // 3) * 3 + 1)
    provinces = [
        (p.code, p.name)
        for p in Province.objects.filter(code__in=readable_units(request.user).values("province_id").distinct())
    ]
    bound = any(request.GET.get(k) for k in ("start", "end", "province"))
    form = f.PeriodForm(
        request.GET if bound else None, provinces=provinces, initial={"start": default_start, "end": today}
    )
    start, end = default_start, today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def compliance_units(request: HttpRequest, form: f.PeriodForm) -> Any:
    kinds = ReceptionRequirement.objects.values("unit_kind").distinct()
    units = readable_units(request.user).filter(kind__in=kinds, is_active=True)
    province = form.cleaned_data.get("province") if form.is_bound and form.is_valid() else ""
    if province:
        units = units.filter(province_id=province)
    elif request.user.is_superuser or units.count() > 400:
        # Too many units to be useful at once: start from the province of the user's own unit.
        own = writable_units(request.user).order_by("province_id").first()
        units = units.filter(province_id=own.province_id if own else "01")
    return units.order_by("province_id", "level", "kind", "name")


@staff_required
def compliance(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reception/compliance.html", {"form": form, "page": None}, status=400)
    today = timezone.localdate()
    units = compliance_units(request, form)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "pdf"):
        rows = queries.compliance_for(list(units[:5000]), start=start, end=end, today=today)
        own = writable_units(request.user).first()  # the report is issued by the user's unit
        return reports.compliance_download(rows, start=start, end=end, fmt=fmt, issuer=own)
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    rows = queries.compliance_for(list(page), start=start, end=end, today=today)
    query = QueryDict(mutable=True)
    query.update({"start": start.isoformat(), "end": end.isoformat(), "province": request.GET.get("province", "")})
    return render(
        request,
        "reception/compliance.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "start": start,
            "end": end,
            "query": query.urlencode(),
        },
    )


@staff_required
def compliance_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    form, start, end = _period(request)
    today = timezone.localdate()
    row = queries.compliance_for([unit], start=start, end=end, today=today)[0]
    sessions = Session.objects.filter(unit=unit, date__gte=start, date__lte=end).order_by("date")
    tasks = queries.open_tasks([unit.pk], today=today)
    overdue = Entry.objects.filter(unit=unit, notified_on__isnull=True, notice_due_on__lt=today).order_by(
        "notice_due_on"
    )
    query = QueryDict(mutable=True)
    query.update({"start": start.isoformat(), "end": end.isoformat()})
    return render(
        request,
        "reception/compliance_unit.html",
        {
            "unit": unit,
            "form": form,
            "row": row,
            "sessions": sessions,
            "tasks": tasks,
            "overdue_entries": overdue,
            "start": start,
            "end": end,
            "today": today,
            "query": query.urlencode(),
            "modes": SessionMode,
        },
    )
