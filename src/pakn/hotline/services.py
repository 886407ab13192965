"""The one write path for hotlines: publish and change a unit's hotline entries, keep the duty roster, log
calls. Keyword-only arguments, the acting user explicit, everything checked before anything is written, one
transaction, one activity row per change (``core.activity.log_activity``, the shared append-only log).

A call that becomes a case goes through ``cases.services.submit`` (channel ``hotline``), which routes it as
usual and seals the caller's name and number in the identity vault; this package keeps neither."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.cases import services as case_services
from pakn.cases.models import Case, Channel
from pakn.core import validate
from pakn.core.activity import log_activity
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.core.text import fold
from pakn.hotline.models import Call, CallOutcome, DutyShift, Hotline
from pakn.org.access import handling_units
from pakn.org.models import Membership, Unit

PUBLIC_PHONE_RE = re.compile(r"^\+?[0-9][0-9 .]{6,18}[0-9]$")
MAX_SUMMARY = 5_000
MAX_DURATION_MINUTES = 600
MAX_SHIFT = timedelta(days=7)
# A call's time may run a little ahead of the server clock (a desk clock, a phone).
CLOCK_SKEW = timedelta(minutes=5)
# Errors of ``submit`` renamed to the call's own fields.
CASE_FIELDS = {
    "content": "summary",
    "reporter.name": "caller_name",
    "reporter.phone": "caller_phone",
    "reporter.address": "caller_address",
    "received_on": "received_at",
}


def _log(action: str, obj: Any, *, actor: Any, unit: Unit, data: dict[str, Any] | None = None) -> None:
    log_activity("hotline", action, obj, actor=actor, unit=unit, data=data)


# ---------------------------------------------------------------- access and reading


def maintainable_units(user: Any) -> QuerySet[Unit]:
    """Units whose hotlines, roster and calls ``user`` keeps: clerks, heads and unit administrators."""
    return handling_units(user)


def access_hotline(user: Any, hotline_id: Any) -> Hotline:
    """The hotline if ``user`` keeps its unit; "not found" otherwise (another unit's log is never revealed)."""
    try:
        pk = int(hotline_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    hotline = Hotline.objects.select_related("unit").filter(pk=pk, unit__in=maintainable_units(user)).first()
    if hotline is None:
        raise NotFound()
    return hotline


def public_hotlines(*, province_code: str = "", commune_code: str = "", query: str = "") -> QuerySet[Hotline]:
    """Published hotlines of active units, by province, commune and words of the unit, commune or official
    (without diacritics or with: ``ba dinh`` finds Ba Đình)."""
    rows = Hotline.objects.filter(is_active=True, unit__is_active=True).select_related(
        "unit", "unit__province", "unit__commune"
    )
    if province_code:
        rows = rows.filter(unit__province_id=province_code)
    if commune_code:
        rows = rows.filter(unit__commune_id=commune_code)
    words = fold(query or "").split()
    if words:
        ids = [
            h.pk
            for h in rows[:5000]
            if all(
                w
                in fold(f"{h.unit.name} {h.unit.commune.name if h.unit.commune else ''} {h.official_name} {h.position}")
                for w in words
            )
        ]
        rows = rows.filter(pk__in=ids)
    return rows.order_by("unit__province_id", "unit__level", "unit__name", "id")


def shift_at(hotline: Hotline, moment: datetime) -> DutyShift | None:
    """The shift covering ``moment`` (the latest started, when two overlap)."""
    return (
        DutyShift.objects.filter(hotline=hotline, starts_at__lte=moment, ends_at__gt=moment)
        .select_related("official")
        .order_by("-starts_at", "-id")
        .first()
    )


def roster_officials(unit: Unit) -> QuerySet[Any]:
    """Who may be put on a unit's roster: its clerks, heads and unit administrators."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(unit=unit, role__in=("clerk", "head", "admin")).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "username")


# ---------------------------------------------------------------- the directory


def _clean_entry(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[Any]]]:
    errors: dict[str, list[Any]] = {}
    cleaned = {
        "official_name": validate.text(data.get("official_name"), "official_name", errors, required=True, limit=150),
        "position": validate.text(data.get("position"), "position", errors, required=True, limit=150),
        "phone": validate.text(data.get("phone"), "phone", errors, required=True, limit=20),
        "hours": validate.text(data.get("hours"), "hours", errors, required=True, limit=120),
        "note": validate.text(data.get("note"), "note", errors, required=False, limit=300),
    }
    if cleaned["phone"] and not PUBLIC_PHONE_RE.match(cleaned["phone"]):
        errors.setdefault("phone", []).append(_("Số điện thoại không hợp lệ (chỉ gồm chữ số, dấu cách, dấu chấm)."))
    return cleaned, errors


def create_hotline(
    *, actor: Any, unit: Unit, official_name: Any, position: Any, phone: Any, hours: Any, note: Any = ""
) -> Hotline:
    """Publish a leader's hotline for ``unit`` (the actor must keep the unit)."""
    if not maintainable_units(actor).filter(pk=unit.pk).exists():
        raise NotFound()
    cleaned, errors = _clean_entry(
        {"official_name": official_name, "position": position, "phone": phone, "hours": hours, "note": note}
    )
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        hotline = Hotline.objects.create(unit=unit, **cleaned)
        _log("hotline_created", hotline, actor=actor, unit=unit, data=dict(cleaned))
    return hotline


def update_hotline(
    *,
    actor: Any,
    hotline: Hotline,
    official_name: Any,
    position: Any,
    phone: Any,
    hours: Any,
    note: Any = "",
    is_active: Any = True,
) -> Hotline:
    """Change an entry, or stop publishing it (``is_active`` false: the calls already logged stay)."""
    hotline = access_hotline(actor, hotline.pk)
    cleaned, errors = _clean_entry(
        {"official_name": official_name, "position": position, "phone": phone, "hours": hours, "note": note}
    )
    if not isinstance(is_active, bool):
        errors["is_active"] = [_("Giá trị phải là đúng hoặc sai.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        hotline = Hotline.objects.select_for_update().get(pk=hotline.pk)
        before = {name: getattr(hotline, name) for name in (*cleaned, "is_active")}
        for name, value in {**cleaned, "is_active": is_active}.items():
            setattr(hotline, name, value)
        hotline.save()
        changed = {
            name: [before[name], getattr(hotline, name)] for name in before if before[name] != getattr(hotline, name)
        }
        _log("hotline_updated", hotline, actor=actor, unit=hotline.unit, data={"changed": changed})
    return hotline


# ---------------------------------------------------------------- the duty roster


def add_shift(
    *, actor: Any, hotline: Hotline, official: Any, starts_at: Any, ends_at: Any, note: Any = ""
) -> DutyShift:
    """Put one of the unit's officials on duty from ``starts_at`` to ``ends_at`` (at most a week)."""
    hotline = access_hotline(actor, hotline.pk)
    errors: dict[str, list[Any]] = {}
    note_text = validate.text(note, "note", errors, required=False, limit=200)
    if official is None or not roster_officials(hotline.unit).filter(pk=getattr(official, "pk", None)).exists():
        errors["official"] = [_("Chọn một cán bộ của đơn vị.")]
    for value, field in ((starts_at, "starts_at"), (ends_at, "ends_at")):
        if not isinstance(value, datetime) or timezone.is_naive(value):
            errors[field] = [_("Thời điểm không hợp lệ.")]
    if "starts_at" not in errors and "ends_at" not in errors:
        if ends_at <= starts_at:
            errors["ends_at"] = [_("Giờ kết thúc phải sau giờ bắt đầu.")]
        elif ends_at - starts_at > MAX_SHIFT:
            errors["ends_at"] = [_("Một ca trực dài tối đa 7 ngày.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        shift = DutyShift.objects.create(
            hotline=hotline, official=official, starts_at=starts_at, ends_at=ends_at, note=note_text, created_by=actor
        )
        _log(
            "shift_added",
            shift,
            actor=actor,
            unit=hotline.unit,
            data={
                "hotline": hotline.pk,
                "official": official.pk,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
    return shift


def remove_shift(*, actor: Any, shift: DutyShift) -> None:
    """Take a shift off the roster; a shift during which calls were logged stays (it says who was on duty)."""
    hotline = access_hotline(actor, shift.hotline_id)
    with transaction.atomic():
        locked = DutyShift.objects.select_for_update().filter(pk=shift.pk, hotline=hotline).first()
        if locked is None:
            raise NotFound()
        if Call.objects.filter(shift=locked).exists():
            raise InvalidTransition(_("Ca trực này đã có cuộc gọi được ghi nhận nên không xóa được."))
        _log(
            "shift_removed",
            locked,
            actor=actor,
            unit=hotline.unit,
            data={"hotline": hotline.pk, "official": locked.official_id, "starts_at": locked.starts_at.isoformat()},
        )
        locked.delete()


# ---------------------------------------------------------------- the call log


def record_call(
    *,
    actor: Any,
    hotline: Hotline,
    received_at: Any,
    duration_minutes: Any,
    summary: Any,
    outcome: Any,
    kind: Any = None,
    title: Any = "",
    topic_code: Any = None,
    address: Any = "",
    caller: Any = None,
) -> Call:
    """Log a call taken on ``hotline``, with who was on duty (the roster's shift at that time, or the
    official recording it when nobody was rostered). ``outcome``:

    - ``case``: the call becomes a case in the same step, through ``submit`` (channel ``hotline``, routed as
      usual, received on the day of the call); ``caller`` (``name``, ``phone``, ``address``) goes to
      ``submit`` as the reporter and is sealed there; the log keeps the case's redacted text;
    - ``information``: information or guidance was given, no case; no caller detail is taken at all."""
    hotline = access_hotline(actor, hotline.pk)
    errors: dict[str, list[Any]] = {}
    summary_text = validate.text(summary, "summary", errors, required=True, limit=MAX_SUMMARY)
    if outcome not in CallOutcome.values:
        errors["outcome"] = [_("Chọn kết quả cuộc gọi.")]
    _check_time_and_duration(received_at, duration_minutes, errors)
    if caller not in (None, "", {}) and outcome != CallOutcome.CASE:
        errors["outcome"] = [
            _("Chỉ ghi thông tin người gọi khi lập đơn; cuộc gọi chỉ hỏi thông tin không lưu thông tin cá nhân.")
        ]
    if errors:
        raise InvalidInput(fields=errors)
    shift = shift_at(hotline, received_at)
    on_duty = shift.official if shift is not None else actor
    with transaction.atomic():
        case = None
        if outcome == CallOutcome.CASE:
            case = _call_case(
                actor,
                hotline,
                summary_text,
                kind=kind,
                title=title,
                topic_code=topic_code,
                address=address,
                caller=caller,
                received_at=received_at,
            )
        call = Call.objects.create(
            hotline=hotline,
            unit=hotline.unit,
            received_at=received_at,
            duration_minutes=duration_minutes,
            summary=case.content if case is not None else summary_text,
            outcome=outcome,
            case=case,
            shift=shift,
            on_duty=on_duty,
            recorded_by=actor,
        )
        _log(
            "call_recorded",
            call,
            actor=actor,
            unit=hotline.unit,
            data={
                "hotline": hotline.pk,
                "outcome": outcome,
                "on_duty": on_duty.pk,
                "shift": shift.pk if shift else None,
                "case": case.tracking_code if case else None,
            },
        )
    return call


def _check_time_and_duration(received_at: Any, duration_minutes: Any, errors: dict[str, list[Any]]) -> None:
    if not isinstance(received_at, datetime) or timezone.is_naive(received_at):
        errors["received_at"] = [_("Thời điểm không hợp lệ.")]
    elif received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = [_("Thời điểm gọi không được ở tương lai.")]
    elif received_at.year < 2000:
        errors["received_at"] = [_("Thời điểm không hợp lệ.")]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = [_("Thời lượng là số phút (số nguyên).")]
    elif not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = [_("Thời lượng từ 0 đến 600 phút.")]


def _call_case(
    actor: Any,
    hotline: Hotline,
    summary: str,
    *,
    kind: Any,
    title: Any,
    topic_code: Any,
    address: Any,
    caller: Any,
    received_at: datetime,
) -> Case:
    """The call as a case through ``submit`` (routed as usual); its refusals name the call form's fields."""
    try:
        return case_services.submit(
            actor=actor,
            channel=Channel.HOTLINE,
            kind=kind,
            title=title or summary[:120],
            content=summary,
            topic_code=topic_code or None,
            province_code=hotline.unit.province_id,
            commune_code=hotline.unit.commune_id,
            address=address or "",
            reporter=caller or None,
            received_on=timezone.localdate(received_at),
        )
    except InvalidInput as error:
        fields = {CASE_FIELDS.get(name, name): msgs for name, msgs in error.fields.items()}
        raise InvalidInput(error.message, fields=fields) from None


def calls_for(user: Any, *, hotline: Hotline | None = None) -> QuerySet[Call]:
    """Calls of the units ``user`` keeps (of one hotline when given)."""
    rows = Call.objects.filter(unit__in=maintainable_units(user)).select_related(
        "hotline", "case", "case__unit", "on_duty", "recorded_by"
    )
    if hotline is not None:
        rows = rows.filter(hotline=hotline)
    return rows


def shifts_for(hotline: Hotline, *, since: datetime | None = None) -> QuerySet[DutyShift]:
    since = since or timezone.now() - timedelta(days=1)
    return DutyShift.objects.filter(hotline=hotline).filter(Q(ends_at__gte=since)).select_related("official")
