"""The public map (``/public/map/``): published field reports on a server-drawn map, with their public id, title and
status, filtered by province, commune and topic (docs/location.md).

What it may show follows the portal's own rule (``presenters.published_cases``: the citizen agreed to publish and
the unit answered), narrowed to what a position can be shown for without naming anyone:

- only reports and petitions on the feedback track: never a denunciation, a complaint (the complainant's own
  affairs) or a case on the Party's track;
- never a case about a person (one with a ``CaseSubject``: a report on an official's conduct);
- positions rounded to 3 decimals (about 110 m), never the exact point the phone gave.

No JavaScript and no tiles: the page stays under 50 KB (tests/journeys/test_location.py measures it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pakn.cases.models import Case, CaseSubject, Kind, Topic, Track
from pakn.core import maps
from pakn.org.models import Commune, Province
from pakn.org.places import communes_of
from pakn.public.presenters import mask, published_cases

PUBLIC_KINDS = (Kind.REPORT, Kind.PETITION)
PAGE_SIZE = 20  # points and rows per page: the page stays under 50 KB with everything it loads


def mapped_cases() -> QuerySet[Case]:
    """Published reports and petitions with a position that may be shown publicly (see the module's rules)."""
    about_someone = CaseSubject.objects.filter(case=OuterRef("pk"))
    return (
        published_cases()
        .filter(kind__in=PUBLIC_KINDS, track=Track.FEEDBACK, latitude__isnull=False, longitude__isnull=False)
        .exclude(Exists(about_someone))
        .select_related("commune")
    )


def public_id(case: Case) -> str:
    """The id the public sees (as Open311's listings): not the tracking code, which is the reporter's key."""
    return f"P{case.pk}"


def map_item(case: Case) -> dict[str, Any]:
    """A case as the public map shows it: never a position finer than ``maps.PUBLIC_DECIMALS``."""
    return {
        "id": case.pk,
        "public_id": public_id(case),
        "title": mask(case.title),
        "kind": case.kind,
        "kind_label": str(Kind(case.kind).label),
        "status_label": case.status_label,
        "topic": case.topic.name if case.topic else "",
        "place": ", ".join(p for p in (case.commune.name if case.commune else "", case.province.name) if p),
        "latitude": maps.public_round(case.latitude),
        "longitude": maps.public_round(case.longitude),
        "url": reverse("portal_answer", args=[case.pk]),
    }


class MapFilterForm(forms.Form):
    province = forms.ChoiceField(label=gettext_lazy("Tỉnh, thành phố"), required=False)
    commune = forms.ChoiceField(label=gettext_lazy("Xã, phường"), required=False)
    topic = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = list(Province.objects.values_list("code", "name"))
        self.fields["province"].choices = [("", _("Cả nước")), *provinces]  # type: ignore[attr-defined]
        province = str(self.data.get("province") or "") if self.is_bound else ""
        communes = communes_of(province) if province else []
        if self.is_bound and self.data.get("commune") and self.data.get("commune") not in dict(communes):
            # A commune of the province chosen before (no JavaScript: the province changed, the list did not).
            data = dict(self.data.items())
            data["commune"] = ""
            self.data = data
        first = _("Tất cả xã, phường") if communes else _("Chọn tỉnh trước, rồi bấm Xem")
        self.fields["commune"].choices = [("", first), *communes]  # type: ignore[attr-defined]
        topics = list(Topic.objects.order_by("name").values_list("code", "name"))
        self.fields["topic"].choices = [("", _("Tất cả lĩnh vực")), *topics]  # type: ignore[attr-defined]

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if not self.is_bound or not self.is_valid():
            return cases
        data = self.cleaned_data
        if data.get("province"):
            cases = cases.filter(province_id=data["province"])
        if data.get("commune"):
            cases = cases.filter(commune_id=data["commune"])
        if data.get("topic"):
            cases = cases.filter(topic__code=data["topic"])
        return cases

    def view(self) -> tuple[maps.View, tuple[tuple[float, float, str], ...]]:
        """The chosen commune or province fills the map, its name on it; the whole country otherwise."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("province"):
            return maps.whole_view(), ()
        communes = Commune.objects.filter(latitude__isnull=False, longitude__isnull=False)
        if self.cleaned_data.get("commune"):
            communes = communes.filter(code=self.cleaned_data["commune"])
        else:
            communes = communes.filter(province_id=self.cleaned_data["province"])
        rows = [
            (float(lat), float(lon), name, province)
            for lat, lon, name, province in communes.values_list("latitude", "longitude", "name", "province__name")
            if lat is not None and lon is not None
        ]
        if not rows:
            return maps.whole_view(), ()
        centres = [(lat, lon) for lat, lon, _name, _province in rows]
        if self.cleaned_data.get("commune"):
            lat, lon, name, _province = rows[0]
            return maps.view_around(centres, min_span=0.08), ((lat, lon, name),)
        middle = (sum(c[0] for c in centres) / len(centres), sum(c[1] for c in centres) / len(centres))
        return maps.view_around(centres, margin=0.1), ((*middle, rows[0][3]),)


@require_GET
def public_map(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET or None)
    cases = form.filter(mapped_cases()).order_by("-received_on", "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [map_item(c) for c in page.object_list]
    points = [
        maps.Point(
            i["latitude"],
            i["longitude"],
            label=f"{i['public_id']} – {i['title']} ({i['status_label']})",
            url=i["url"],
            kind=i["kind"],
        )
        for i in items
    ]
    query = request.GET.copy()
    query.pop("page", None)
    view, places = form.view()
    return render(
        request,
        "public_portal/map.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "query": query.urlencode(),
            "map": maps.svg_map(points, title=_("Bản đồ phản ánh, kiến nghị đã công khai"), view=view, places=places),
            "map_id": "public-map",
            "section": "map",
        },
    )
