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
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pakn.cases import presenters as case_presenters
from pakn.cases.models import Kind
from pakn.core.errors import NotFound
from pakn.public import charts, opendata, snapshots, stats
from pakn.public.forms import AnswerFilterForm, ScopeForm
from pakn.public.models import DisciplineResult
from pakn.public.presenters import ART_40_NOTE, published_cases, published_item, published_items


def channel_label(code: str) -> str:
    from pakn.cases.models import Channel

    return str(Channel(code).label) if code in Channel.values else code


def statistics_context(scope: stats.Scope, period: stats.Period) -> dict[str, Any]:
    """Everything the statistics page shows, computed now; also used by the tests and the bench to compare with
    the other outputs and with the snapshots."""
    return figures_context(snapshots.compute(scope, period), scope, period)


def figures_context(data: dict[str, Any], scope: stats.Scope, period: stats.Period) -> dict[str, Any]:
    """The statistics page's context from a snapshot's figures (``snapshots.compute``): rows, charts, formulas."""
    rows = snapshots.context(data, scope, period)
    total, months, topics = rows["total"], rows["months"], rows["topics"]
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
        **rows,
        "month_chart": month_chart,
        "on_time_bars": on_time_bars,
        "topic_bars": topic_bars,
        "kind_bars": kind_bars,
        "channel_bars": channel_bars,
        "formulas": stats.FORMULAS,
        "legend_months": [_("Tiếp nhận"), _("Đã giải quyết")],
    }


# ---------------------------------------------------------------- the portal's cache
#
# A page's body (everything under the portal's menu) is kept rendered for ``PAKN_PUBLIC_CACHE_SECONDS`` per
# language, day and query, so a reload costs a cache read and the page's frame. The figures come from the
# snapshots (``public.snapshots``): on a miss the body is rendered again from the stored snapshot, never
# recomputed. The home page and the statistics page of the same scope and period share one pointer to the
# snapshot version they show, so the two pages never show different figures or "computed at" times.

Body = tuple[str, str]  # (rendered body, version of the figures it shows)


def _key(*parts: str) -> str:
    return "pakn:portal:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _query(request: HttpRequest) -> str:
    """The request's query, in a stable order."""
    return urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))


def portal_body(page: str, query: str, build: Callable[[], Body], *, figures: bool) -> str:
    """The rendered body of ``page`` for ``query`` from the cache, or built (``build``) and kept there.
    ``figures``: the body shows statistics, whose version is shared by the pages of the same query."""
    seconds = settings.PUBLIC_CACHE_SECONDS
    if seconds <= 0:
        return build()[0]
    day, language = timezone.localdate().isoformat(), translation.get_language() or ""
    pointer = _key("figures", day, query)
    version = cache.get(pointer) if figures else ""
    if version is not None:
        body = cache.get(_key(page, language, day, query, version))
        if body is not None:
            return mark_safe(body)  # noqa: S308 - rendered by our templates, escaped there
    body, fresh = build()
    if figures and fresh != version:
        cache.set(pointer, fresh, seconds)
    cache.set(_key(page, language, day, query, fresh), str(body), seconds)
    return body


def _home_body() -> Body:
    nation = stats.Scope.nation()
    figures = snapshots.figures(nation, stats.Period.default())
    latest = published_items(published_cases().order_by("-pk")[:5], with_body=False)
    discipline = DisciplineResult.objects.filter(retracted_at__isnull=True).select_related("unit")[:5]
    context = {
        "period": figures.period,
        "total": snapshots.context_total(figures.data),
        "computed_at": figures.computed_at,
        "latest": latest,
        "discipline": discipline,
    }
    return render_to_string("public_portal/_home.html", context), figures.version


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    body = portal_body("home", "", _home_body, figures=True)  # the figures of /public/statistics/ (no query)
    return render(request, "public_portal/home.html", {"body": body, "section": "home"})


def _statistics_body(request: HttpRequest) -> Body:
    form = ScopeForm(request.GET or None)
    scope = form.scope()
    figures = snapshots.figures(scope, form.period())
    context = {
        **figures_context(figures.data, scope, figures.period),
        "computed_at": figures.computed_at,
        "form": form,
        "query": request.GET.urlencode(),
    }
    return render_to_string("public_portal/_statistics.html", context), figures.version


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    body = portal_body("statistics", _query(request), lambda: _statistics_body(request), figures=True)
    return render(request, "public_portal/statistics.html", {"body": body, "section": "statistics"})


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
    public_files = [f for a in case_presenters.answers(case) for f in a["files"] if f["public"]]
    return render(
        request,
        "public_portal/answer_detail.html",
        {"item": published_item(case), "art40": ART_40_NOTE, "section": "answers", "files": public_files},
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


def _data_body(request: HttpRequest) -> Body:
    form = ScopeForm(request.GET or None)
    context = {
        "datasets": opendata.DATASETS,
        "form": form,
        "query": request.GET.urlencode(),
        "scope": form.scope(),
        "period": form.period(),
    }
    return render_to_string("public_portal/_data.html", context), ""


@require_GET
def data(request: HttpRequest) -> HttpResponse:
    body = portal_body("data", _query(request), lambda: _data_body(request), figures=False)
    return render(request, "public_portal/data.html", {"body": body, "section": "data"})


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
