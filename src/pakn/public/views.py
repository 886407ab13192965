"""The public transparency portal (no login): published answers and conclusions, results of disciplining
officials, statistics with charts, and open data. Nothing here reads the reporter."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pakn.cases.models import Kind
from pakn.core.errors import NotFound
from pakn.public import charts, opendata, stats
from pakn.public.forms import AnswerFilterForm, ScopeForm
from pakn.public.models import DisciplineResult
from pakn.public.presenters import ART_40_NOTE, published_cases, published_item, published_items


def channel_label(code: str) -> str:
    from pakn.cases.models import Channel

    return str(Channel(code).label) if code in Channel.values else code


def statistics_context(scope: stats.Scope, period: stats.Period) -> dict[str, Any]:
    """Everything the statistics page shows; also used by the tests to compare with the other outputs."""
    total = stats.totals(scope, period)
    months = stats.month_rows(scope, period, medians=False)
    topics = stats.topic_rows(scope, period, medians=False)
    if scope.province_id is None and scope.unit_ids is None:
        units, unit_heading = stats.province_rows(period), _("Theo tỉnh, thành phố")
    else:
        units, unit_heading = (
            sorted(stats.unit_rows(scope, period), key=lambda r: (-r.measures["received"], r.label)),
            _("Theo đơn vị"),
        )
    month_chart = charts.column_chart(
        [(f"{r.key:%m/%y}", [r.measures["received"], r.measures["resolved"]]) for r in months]
    )
    on_time_bars = charts.bars(
        [(r.label, stats.pct(r.measures.on_time_rate), r.measures.text("on_time_rate")) for r in months]
    )
    topic_bars = charts.bars(
        [(r.label, r.measures["received"], charts.fmt_int(r.measures["received"])) for r in topics]
    )
    kind_bars = charts.bars([(str(Kind(k).label), n, charts.fmt_int(n)) for k, n in total.by_kind])
    channel_bars = charts.bars([(channel_label(c), n, charts.fmt_int(n)) for c, n in total.by_channel if n])
    return {
        "scope": scope,
        "period": period,
        "total": total,
        "months": months,
        "topics": topics,
        "units": units,
        "unit_heading": unit_heading,
        "month_chart": month_chart,
        "on_time_bars": on_time_bars,
        "topic_bars": topic_bars,
        "kind_bars": kind_bars,
        "channel_bars": channel_bars,
        "formulas": stats.FORMULAS,
        "legend_months": [_("Tiếp nhận"), _("Đã giải quyết")],
    }


REFRESH_AHEAD_SECONDS = 150  # ``warm_portal`` recomputes figures this long before they would expire


def _cached(
    name: str, scope: stats.Scope, period: stats.Period, compute: Callable[[], Any], refresh_ahead: int
) -> tuple[Any, Any, bool]:
    """(value, computed at, computed now)."""
    seconds = settings.PUBLIC_CACHE_SECONDS
    if seconds <= 0:
        return compute(), timezone.now(), True
    raw = f"{name}|{scope.province_id}|{scope.unit_ids}|{period.start}|{period.end}|{translation.get_language()}"
    key = "pakn:portal:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    hit = cache.get(key)
    if hit is not None and (refresh_ahead < 0 or (timezone.now() - hit[1]).total_seconds() < seconds - refresh_ahead):
        return hit[0], hit[1], False
    value, at = compute(), timezone.now()
    cache.set(key, (value, at), seconds)
    return value, at, True


def portal_cached(name: str, scope: stats.Scope, period: stats.Period, compute: Callable[[], Any]) -> Any:
    """Public figures from the shared cache, computed at most every ``PAKN_PUBLIC_CACHE_SECONDS``: the
    nationwide page aggregates every case of the country, and a journalist's reload must not redo it.
    (value, computed at): the page shows when its figures were computed."""
    value, at, _fresh = _cached(name, scope, period, compute, -1)
    return value, at


def _figures(name: str, scope: stats.Scope, period: stats.Period) -> Callable[[], Any]:
    return lambda: statistics_context(scope, period)


# The home page shows the totals of the statistics page for the same scope and period, read from the same cache
# entry: one computation, so the two pages can never show different figures or different "computed at" times.
PAGES_SHARING_FIGURES = ("home", "statistics")


def shared_cache() -> bool:
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache)


def warm_portal() -> int:
    """Called by ``pakn worker``: the nationwide figures of the home and statistics pages for the default
    period, in each language, are recomputed shortly before they expire, so no visitor waits for them.
    Returns how many pages got fresh figures (both pages of a language share one entry, computed once). Only with
    a cache shared with the web processes (``PAKN_CACHE_URL``): the worker's own memory would help nobody."""
    if settings.PUBLIC_CACHE_SECONDS <= 0 or not shared_cache():
        return 0
    refreshed = 0
    period, nation = stats.Period.default(), stats.Scope.nation()
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            figures = _figures("statistics", nation, period)
            fresh = _cached("statistics", nation, period, figures, REFRESH_AHEAD_SECONDS)[2]
            refreshed += len(PAGES_SHARING_FIGURES) * int(fresh)
    return refreshed


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    period = stats.Period.default()
    nation = stats.Scope.nation()
    figures, computed_at = portal_cached("statistics", nation, period, _figures("statistics", nation, period))
    total = figures["total"]
    latest = published_items(published_cases().order_by("-pk")[:5], with_body=False)
    discipline = DisciplineResult.objects.filter(retracted_at__isnull=True).select_related("unit")[:5]
    return render(
        request,
        "public_portal/home.html",
        {
            "period": period,
            "total": total,
            "computed_at": computed_at,
            "latest": latest,
            "discipline": discipline,
            "section": "home",
        },
    )


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = ScopeForm(request.GET or None)
    scope, period = form.scope(), form.period()
    context, computed_at = portal_cached("statistics", scope, period, _figures("statistics", scope, period))
    context = {**context, "computed_at": computed_at}
    context["form"] = form
    context["query"] = request.GET.urlencode()
    context["section"] = "statistics"
    return render(request, "public_portal/statistics.html", context)


@require_GET
def answers(request: HttpRequest) -> HttpResponse:
    form = AnswerFilterForm(request.GET or None)
    cases = published_cases().order_by("-received_on", "-pk")
    if form.is_valid():
        if form.cleaned_data.get("kind"):
            cases = cases.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data.get("province"):
            cases = cases.filter(province_id=form.cleaned_data["province"])
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public_portal/answers.html",
        {
            "form": form,
            "page": page,
            "items": published_items(page.object_list, with_body=False),
            "query": query.urlencode(),
            "section": "answers",
        },
    )


@require_GET
def answer_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = published_cases().filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return render(
        request,
        "public_portal/answer_detail.html",
        {"item": published_item(case), "art40": ART_40_NOTE, "section": "answers"},
    )


@require_GET
def discipline(request: HttpRequest) -> HttpResponse:
    """The state's discipline (cadres, civil servants) and the Party's (party members) in separate tables,
    each measure with the text it was decided under."""
    results = DisciplineResult.objects.filter(retracted_at__isnull=True).select_related("unit", "case")
    page = Paginator(results.exclude(regime="party"), 30).get_page(request.GET.get("page"))
    party_page = Paginator(results.filter(regime="party"), 30).get_page(request.GET.get("party_page"))
    return render(
        request, "public_portal/discipline.html", {"page": page, "party_page": party_page, "section": "discipline"}
    )


@require_GET
def good_models(request: HttpRequest) -> HttpResponse:
    """The library of good models: units and officials commended for how they handle the people's letters, each
    with the figures that justified it on the day of the decision."""
    from pakn.public.commendations import good_models as published

    page = Paginator(published(), 20).get_page(request.GET.get("page"))
    return render(request, "public_portal/good_models.html", {"page": page, "section": "good_models"})


@require_GET
def data(request: HttpRequest) -> HttpResponse:
    form = ScopeForm(request.GET or None)
    return render(
        request,
        "public_portal/data.html",
        {
            "datasets": opendata.DATASETS,
            "form": form,
            "query": request.GET.urlencode(),
            "scope": form.scope(),
            "period": form.period(),
            "section": "data",
        },
    )


@require_GET
def data_download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in opendata.DATASETS or fmt not in ("csv", "json"):
        raise NotFound()
    form = ScopeForm(request.GET or None)
    scope, period = form.scope(), form.period()
    meta: dict[str, Any] = {"title": str(opendata.DATASETS[dataset]["title"]), "licence": "CC BY 4.0"}
    if dataset in ("units", "months", "topics"):
        rows = opendata.statistics_rows(dataset, scope, period)
        meta.update(
            {"scope": scope.label, "period_start": period.start.isoformat(), "period_end": period.end.isoformat()}
        )
    elif dataset == "answers":
        rows = opendata.answer_rows()
    else:
        rows = opendata.discipline_rows()
    response: HttpResponse
    if fmt == "json":
        response = JsonResponse(opendata.to_json(dataset, rows, meta), json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse("\ufeff" + opendata.to_csv(dataset, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pakn-{dataset}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
