"""HTML side: the staff search page, the staff panel on a case (routing suggestion and near-duplicates,
confirmed or corrected with one click), the no-JavaScript similar-cases page for citizens and the small
script that shows similar cases while a citizen types. Thin: services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from pakn.cases.forms import CaseFilterForm
from pakn.cases.models import Case, Kind, Topic
from pakn.cases.queries import CaseFilter, apply_filter
from pakn.cases.views import staff_required
from pakn.core.errors import InvalidInput, NotFound, PaknError
from pakn.language import duplicates, search, services
from pakn.language.models import DuplicateFlag, Suggestion
from pakn.org.access import access_case, can_handle, visible_cases
from pakn.org.models import Unit


@staff_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Staff search: diacritic-insensitive, ranked, highlighted, with the case-list filters."""
    visible = visible_cases(request.user)
    units = [
        (u.code, u.name)
        for u in Unit.objects.filter(pk__in=visible.values("unit_id").distinct()).order_by("name")[:300]
    ]
    form = CaseFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    q = (data.get("q") or "").strip()
    filters = CaseFilter(**{k: v for k, v in data.items() if v and k != "q"})
    queryset = apply_filter(visible, filters)
    found = search.find(queryset, q, scope=search.index_scope(request.user)) if q else None
    if found:
        page: Paginator = _Counted(found.cases, 30, known=found.count)
    else:
        page = Paginator(queryset.order_by("-received_on", "-pk"), 30)
    current = page.get_page(request.GET.get("page"))
    words = search.parse_query(q).words
    rows = [
        {"case": c, "title_html": search.highlight(c.title, words), "snippet_html": search.snippet(c.content, words)}
        for c in current
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "language/search.html",
        {
            "form": form,
            "page": current,
            "rows": rows,
            "q": q,
            "query": query.urlencode(),
            "partial": bool(found and found.partial),
            # The newest matches are ranked, at most the window: say "more than" when it is full.
            "window_full": bool(found and found.window and page.count >= found.window),
        },
    )


class _Counted(Paginator):
    """A paginator told how many results there are when the search already knows (its window's ids)."""

    def __init__(self, object_list: Any, per_page: int, *, known: int | None) -> None:
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        return self.known if self.known is not None else super().count


def panel_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the staff panel on a case shows (used by the ``language_panel`` template tag too)."""
    suggestion = Suggestion.objects.filter(case=case).first()
    visible = visible_cases(request.user).values("pk")
    flags = list(
        DuplicateFlag.objects.filter(case=case, state=DuplicateFlag.State.OPEN, candidate__in=visible).select_related(
            "candidate"
        )
    )
    counts = duplicates.reporter_counts([case.pk])
    topics = dict(Topic.objects.values_list("code", "name"))
    return {
        "case": case,
        "suggestion": suggestion,
        "suggested_topic": topics.get(suggestion.topic_code, suggestion.topic_code) if suggestion else "",
        "suggested_kind": Kind(suggestion.kind).label if suggestion and suggestion.kind in Kind.values else "",
        "suggested_unit": Unit.objects.filter(code=suggestion.unit_code).values_list("name", flat=True).first()
        if suggestion and suggestion.unit_code
        else "",
        "flags": flags,
        "reporters": counts[case.pk],
        "reporters_message": duplicates.reporters_message(counts[case.pk]),
        "handler": can_handle(request.user, case),
        "topics": sorted(topics.items(), key=lambda t: t[1]),
        "kinds": Kind.choices,
    }


@staff_required
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    return render(request, "language/panel.html", panel_context(request, case))


@staff_required
@require_POST
def review(request: HttpRequest, case_id: int) -> HttpResponse:
    """One click: confirm the suggestion, or correct it (kind, topic, unit)."""
    case = access_case(request.user, case_id)
    correcting = request.POST.get("do") == "correct"
    try:
        services.review_suggestion(
            actor=request.user,
            case=case,
            suggestion_id=_int(request.POST.get("suggestion_id")),
            kind=request.POST.get("kind") if correcting else None,
            topic_code=request.POST.get("topic_code") if correcting else None,
            unit_code=(request.POST.get("unit_code") or "").strip().upper() or None if correcting else None,
        )
    except PaknError as error:
        messages.error(request, _flatten(error))
    else:
        messages.success(request, _("Đã ghi nhận phân loại.") if correcting else _("Đã xác nhận gợi ý phân loại."))
    return redirect(_back(request, case))


@staff_required
@require_POST
def decide_duplicate(request: HttpRequest, flag_id: int, decision: str) -> HttpResponse:
    if decision not in ("merge", "dismiss"):
        raise NotFound()
    flag = services.access_flag(request.user, flag_id)
    case = flag.case
    try:
        if decision == "merge":
            services.merge_duplicate(actor=request.user, flag=flag)
            messages.success(request, _("Đã gộp vào hồ sơ %(code)s.") % {"code": flag.candidate.tracking_code})
        else:
            services.dismiss_duplicate(actor=request.user, flag=flag)
            messages.success(request, _("Đã ghi nhận: không trùng."))
    except PaknError as error:
        messages.error(request, _flatten(error))
    return redirect(_back(request, case))


def similar_page(request: HttpRequest) -> HttpResponse:
    """For citizens without JavaScript: the similar open cases for what they typed."""
    from pakn.language.api import SimilarIn, _similar

    results: list[dict[str, Any]] = []
    error = ""
    params = {k: request.GET.get(k, "") for k in ("title", "content", "province_code", "commune_code")}
    if any(params.values()):
        try:
            payload = SimilarIn(
                title=params["title"],
                content=params["content"],
                province_code=params["province_code"] or None,
                commune_code=params["commune_code"] or None,
            )
            results = _similar(payload)["results"]
        except InvalidInput:
            error = _("Hãy chọn tỉnh/thành phố và xã/phường nơi xảy ra sự việc.")
    return render(request, "language/similar.html", {"results": results, "params": params, "error": error})


@cache_control(max_age=3600, public=True)
def similar_script(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("language/similar.js"), content_type="text/javascript; charset=utf-8")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flatten(error: PaknError) -> str:
    details = "; ".join(
        str(m) for msgs in error.fields.values() for m in (msgs if isinstance(msgs, list | tuple) else [msgs])
    )
    return f"{error.message} {details}".strip()


def _back(request: HttpRequest, case: Case) -> str:
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("staff_case", args=[case.pk])
