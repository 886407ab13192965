"""The case list's tools (issue #17 item 2): columns sortable by a click, labels, saved searches and the acts on the
ticked cases (give to an officer, label, forward), each case checked and audited on its own by the services.

A bulk act refused as a whole (nothing ticked, no unit chosen, no reason) sends the person back to the list with
what they ticked and typed kept in the session, so nothing is typed twice; without JavaScript the unit search of
the forward part works the same way ("Tìm" keeps the ticks)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pakn.cases import forms as case_forms
from pakn.cases import services
from pakn.cases.models import SavedSearch, Tag
from pakn.cases.views import staff_required
from pakn.core.errors import InvalidInput, PaknError
from pakn.core.formflow import submit
from pakn.org.access import access_case, handling_units, visible_cases
from pakn.org.models import Unit

# Column → the fields it sorts by (the row id last, so that pages never overlap).
SORT_COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "code": (gettext_lazy("Mã"), ("tracking_code",)),
    "title": (gettext_lazy("Tiêu đề"), ("title",)),
    "kind": (gettext_lazy("Loại"), ("kind", "due_on")),
    "status": (gettext_lazy("Trạng thái"), ("status", "due_on")),
    "unit": (gettext_lazy("Đơn vị"), ("unit__name", "due_on")),
    "due": (gettext_lazy("Hạn"), ("due_on",)),
    "assignee": (gettext_lazy("Cán bộ được giao"), ("assignee__last_name", "assignee__first_name", "due_on")),
    "received": (gettext_lazy("Ngày nhận"), ("received_on",)),
}
MAX_TICKED = 200


def ordering(sort: str) -> tuple[str, ...] | None:
    """The ``order_by`` of a sort key ("due", "-due" …), None for an unknown one."""
    descending = sort.startswith("-")
    column = SORT_COLUMNS.get(sort.removeprefix("-"))
    if column is None:
        return None
    fields = (*column[1], "pk")
    return tuple(f"-{f}" for f in fields) if descending else fields


def sort_choices() -> list[tuple[str, str]]:
    choices = []
    for key, (label, _fields) in SORT_COLUMNS.items():
        choices.append((key, _("%(column)s, tăng dần") % {"column": label}))
        choices.append((f"-{key}", _("%(column)s, giảm dần") % {"column": label}))
    return choices


def column_headers(query: QueryDict, sort: str) -> list[dict[str, Any]]:
    """Each sortable column's header: its link (ascending first, then descending) and its ``aria-sort``."""
    headers = []
    for key, (label, _fields) in SORT_COLUMNS.items():
        if key == "received":
            continue  # not a column of the table; offered in the filter's list
        params = query.copy()
        params.pop("page", None)
        params["sort"] = f"-{key}" if sort == key else key
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + params.urlencode(),
                "aria": "ascending" if sort == key else "descending" if sort == f"-{key}" else "",
            }
        )
    return headers


def unit_tags(units: Any) -> list[Tag]:
    return list(Tag.objects.filter(unit__in=units).select_related("unit").order_by("name", "unit__name"))


def tag_choices(tags: list[Tag], *, several_units: bool) -> list[tuple[str, str]]:
    return [(str(t.pk), f"{t.name} ({t.unit.name})" if several_units else t.name) for t in tags]


def worklist_context(request: HttpRequest, handled_units: Any) -> dict[str, Any]:
    """What the list shows around its table: the bulk forms (with a refused attempt's ticks and text), the unit's
    labels and the person's saved searches."""
    draft = request.session.pop("bulk_draft", None) or {}
    saved = list(SavedSearch.objects.filter(user_id=request.user.pk or 0))
    query = services.search_query(request.GET.urlencode())
    current = next((s for s in saved if s.query == query), None)  # already saved: named, not offered again
    context: dict[str, Any] = {
        "saved_searches": saved,
        "current_search": current,
        "save_search_form": case_forms.SaveSearchForm(auto_id="save-%s"),
        "saved_query": "" if current else query,
        "ticked": set(draft.get("cases", [])),
        "bulk_open": bool(draft),
    }
    if handled_units.exists():
        initial = draft.get("fields", {})
        context["bulk_form"] = case_forms.BulkForm(
            officers=services.officers_of(handled_units), initial=initial, auto_id="bulk-%s"
        )
        forward = case_forms.ForwardForm(near=handled_units.order_by("pk").first(), initial=initial, auto_id="bulk-%s")
        for name in ("to_unit", "reason"):  # needed for a forward only: the view asks for them then
            forward.fields[name].required = False
        context["forward_form"] = forward
        context["unit_tags"] = sorted({t.name for t in unit_tags(handled_units)})
    return context


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    return back if back.startswith("/staff/") and "//" not in back else reverse("staff_home")


def _keep_draft(request: HttpRequest, ids: list[int]) -> None:
    fields = {k: request.POST.get(k, "") for k in ("action", "officer", "label", "unit_search", "to_unit", "reason")}
    request.session["bulk_draft"] = {"cases": ids, "fields": fields}


def _report(request: HttpRequest, outcome: services.assignment.Outcome, done_message: str) -> None:
    done, refused = outcome
    if done:
        messages.success(request, done_message % {"n": done})
    for case, reason in refused:
        messages.error(request, f"{case.tracking_code}: {reason}")


@staff_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Give, label or forward the ticked cases; each case checks the act on its own."""
    ids = [int(i) for i in request.POST.getlist("case") if i.isdecimal()][:MAX_TICKED]
    back = _back(request)
    if "find_unit" in request.POST:  # without JavaScript: the unit search, the ticks and the text kept
        _keep_draft(request, ids)
        return redirect(back + "#bulk-forward")
    cases = list(visible_cases(request.user).filter(pk__in=ids))
    action = request.POST.get("action", "assign")  # the first form had one act and no choice
    if not cases or action not in ("assign", "tag", "forward"):
        messages.error(request, _("Chọn ít nhất một hồ sơ.") if not cases else _("Chọn thao tác cần thực hiện."))
        _keep_draft(request, ids)
        return redirect(back)
    try:
        if action == "tag":
            outcome = services.tag_cases(actor=request.user, cases=cases, name=request.POST.get("label", ""))
            _report(request, outcome, _("Đã gắn nhãn cho %(n)s hồ sơ."))
        elif action == "forward":
            to_unit = Unit.objects.filter(code=request.POST.get("to_unit", ""), is_active=True).first()
            if to_unit is None:
                raise InvalidInput(fields={"to_unit": [_("Chọn đơn vị nhận.")]})
            reason = request.POST.get("reason", "")
            outcome = services.forward_cases(actor=request.user, cases=cases, to_unit=to_unit, reason=reason)
            _report(request, outcome, _("Đã chuyển %(n)s hồ sơ."))
        else:
            officers = services.officers_of(handling_units(request.user))
            officer = next((u for u in officers if str(u.pk) == request.POST.get("officer", "")), None)
            outcome = services.assign_cases(actor=request.user, cases=cases, officer=officer)
            _report(request, outcome, _("Đã giao %(n)s hồ sơ."))
    except PaknError as error:  # refused as a whole (a bad label, no unit): nothing done, nothing lost
        for text in error.texts():
            messages.error(request, text)
        _keep_draft(request, ids)
        return redirect(back)
    if outcome[1]:
        _keep_draft(request, [case.pk for case, _reason in outcome[1]])
    return redirect(back)


@staff_required
@require_POST
def case_tag(request: HttpRequest, case_id: int) -> HttpResponse:
    from pakn.cases.views import _detail_context

    case = access_case(request.user, case_id)
    if request.POST.get("remove", "").isdecimal():
        services.untag_case(actor=request.user, case=case, tag_id=int(request.POST["remove"]))
        messages.success(request, _("Đã bỏ nhãn."))
        return redirect(reverse("staff_case", args=[case.pk]) + "#team-h")
    form = case_forms.TagForm(request.POST, auto_id="tag-%s")
    answer = submit(
        request,
        form,
        lambda d: services.tag_case(actor=request.user, case=case, name=d["tag"]),
        message=_("Đã gắn nhãn."),
        then=lambda _case: redirect(reverse("staff_case", args=[case.pk]) + "#team-h"),
        refused="message",
    )
    if answer:
        return answer
    return render(request, "staff/case_detail.html", _detail_context(request, case, bound={"tag": form}), status=400)


@staff_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    try:
        saved = services.save_search(actor=request.user, name=request.POST.get("name", ""), query_string=query)
    except PaknError as error:
        for text in error.texts():
            messages.error(request, text)
        return redirect(reverse("staff_home") + ("?" + services.search_query(query) if query else ""))
    messages.success(request, _("Đã lưu tìm kiếm “%(name)s”.") % {"name": saved.name})
    return redirect(reverse("staff_home") + "?" + saved.query)


@staff_required
@require_POST
def delete_search(request: HttpRequest, search_id: int) -> HttpResponse:
    services.delete_search(actor=request.user, search_id=search_id)
    messages.success(request, _("Đã xóa tìm kiếm đã lưu."))
    return redirect("staff_home")
