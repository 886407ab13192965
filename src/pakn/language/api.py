"""JSON API of the language package: similar open cases while a citizen types (public), ranked search
(staff, and public over published cases), routing suggestions and duplicate flags (staff).

``build_router()`` returns a fresh django-ninja Router, so it can be mounted both in the project API
(``/api/v1/``) and in this package's own small API at ``/language/api/``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from pakn.cases.models import Case
from pakn.cases.queries import CaseFilter, apply_filter
from pakn.core.errors import InvalidInput, NotFound
from pakn.core.pagination import page_field
from pakn.language import duplicates, search, services
from pakn.language.models import DuplicateFlag, Suggestion
from pakn.org.access import access_case, is_staff_member, visible_cases

MAX_TEXT = 20_000


class SimilarIn(Schema):
    title: str = ""
    content: str = ""
    text: str = ""  # title and content in one, for simple clients
    province_code: str | None = None
    commune_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    limit: int = 5


class SimilarItem(Schema):
    ref: str
    title: str
    status: str
    status_label: str
    commune: str | None
    received_on: date
    reporters: int
    message: str
    similarity: float


class SimilarOut(Schema):
    count: int
    results: list[SimilarItem]


class SearchQuery(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    unit: str = ""
    due: str = ""
    received_from: date | None = None
    received_to: date | None = None
    page: int = page_field()  # 1 … 10,000 (50 a page); else 400


class SearchItem(Schema):
    id: int
    tracking_code: str
    title: str
    title_html: str
    snippet_html: str
    kind: str
    status: str
    status_label: str
    unit: str
    received_on: date
    due_on: date | None
    rank: int


class SearchOut(Schema):
    q: str
    page: int
    partial: bool = False  # no case has every word: these have some of them, the most words first
    results: list[SearchItem]


class PublicSearchItem(Schema):
    title_html: str
    snippet_html: str
    status_label: str
    commune: str | None
    received_on: date


class PublicSearchOut(Schema):
    q: str
    results: list[PublicSearchItem]


class SuggestionOut(Schema):
    id: int
    kind: str
    kind_confidence: float
    topic_code: str
    confidence: float
    unit_code: str
    source: str
    source_label: str
    status: str


class ReviewIn(Schema):
    suggestion_id: int | None = None
    kind: str | None = None
    topic_code: str | None = None
    unit_code: str | None = None


class FlagOut(Schema):
    id: int
    candidate_id: int
    candidate_tracking_code: str
    candidate_title: str
    score: float
    origin: str
    state: str


def _similar(payload: SimilarIn) -> dict[str, Any]:
    title, content = payload.title, payload.content or payload.text
    if len(title) + len(content) > MAX_TEXT:
        raise InvalidInput(fields={"content": ["≤ 20000"]})
    if not (payload.province_code or payload.commune_code):
        raise InvalidInput(fields={"province_code": [str(InvalidInput.default_message)]})
    province = payload.province_code
    if payload.commune_code and not province:
        from pakn.org.models import Commune

        province = Commune.objects.filter(code=payload.commune_code).values_list("province_id", flat=True).first()
    matches = duplicates.find_similar(
        duplicates.public_cases(),
        title=title,
        content=content,
        province_code=province,
        commune_code=payload.commune_code,
        latitude=payload.lat,
        longitude=payload.lon,
        limit=max(1, min(payload.limit, 10)),
    )
    results = duplicates.public_results(matches)
    return {"count": len(results), "results": results}


def _search_item(hit: search.Hit) -> dict[str, Any]:
    case = hit.case
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "title": case.title,
        "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet_html),
        "kind": case.kind,
        "status": case.status,
        "status_label": case.status_label,
        "unit": case.unit.name,
        "received_on": case.received_on,
        "due_on": case.due_on,
        "rank": hit.rank,
    }


def _suggestion_out(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "kind_confidence": s.kind_confidence,
        "topic_code": s.topic_code,
        "confidence": s.confidence,
        "unit_code": s.unit_code,
        "source": s.source,
        "source_label": str(s.get_source_display()),
        "status": s.status,
    }


def _flag_out(flag: DuplicateFlag) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "candidate_id": flag.candidate_id,
        "candidate_tracking_code": flag.candidate.tracking_code,
        "candidate_title": flag.candidate.title,
        "score": flag.score,
        "origin": flag.origin,
        "state": flag.state,
    }


def _staff_flag(request: HttpRequest, flag_id: int) -> DuplicateFlag:
    return services.access_flag(request.user, flag_id)


def build_router() -> Router:
    router = Router(tags=["language"])

    @router.get("/similar", response=SimilarOut, auth=None, operation_id="similar_cases", url_name="similar")
    def similar(request: HttpRequest, query: Query[SimilarIn]) -> dict[str, Any]:
        """Open public cases nearby that look like the text being typed, with how many people reported
        each ("Đã có 12 người phản ánh việc này"). Never the tracking code nor anyone's identity; ``ref``
        lets the citizen join one (send it as ``duplicate_of`` with the submission)."""
        return _similar(query)

    @router.post("/similar", response=SimilarOut, auth=None, operation_id="similar_cases_post")
    def similar_post(request: HttpRequest, payload: SimilarIn) -> dict[str, Any]:
        """The same as GET, for long texts."""
        return _similar(payload)

    @router.get("/search", response=SearchOut, operation_id="search_cases")
    def search_cases(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
        """Diacritic-insensitive ranked search over the cases the caller may see, with highlighted
        title and snippet of the original text, and the case-list filters."""
        if not is_staff_member(request.user):
            raise NotFound()
        filters = CaseFilter(
            status=query.status,
            kind=query.kind,
            unit=query.unit,
            due=query.due,
            received_from=query.received_from,
            received_to=query.received_to,
        )
        queryset = apply_filter(visible_cases(request.user), filters)
        page = query.page
        found = search.find(queryset, query.q, scope=search.index_scope(request.user))
        hits = search.hits(found.cases, query.q, limit=50, offset=(page - 1) * 50, ranked=True)
        return {"q": query.q, "page": page, "partial": found.partial, "results": [_search_item(h) for h in hits]}

    @router.get("/public/search", response=PublicSearchOut, auth=None, operation_id="search_published_cases")
    def search_public(request: HttpRequest, q: str = "") -> dict[str, Any]:
        """Search over published cases (sender agreed to publish; public kinds)."""
        queryset = duplicates.public_cases(Case.objects.select_related("commune"))
        found = search.hits(queryset, q, limit=20) if q.strip() else []
        return {
            "q": q,
            "results": [
                {
                    "title_html": str(h.title_html),
                    "snippet_html": str(h.snippet_html),
                    "status_label": h.case.status_label,
                    "commune": h.case.commune.name if h.case.commune_id else None,
                    "received_on": h.case.received_on,
                }
                for h in found
            ],
        }

    @router.get("/cases/{case_id}/suggestion", response=SuggestionOut, operation_id="get_suggestion")
    def get_suggestion(request: HttpRequest, case_id: int) -> dict[str, Any]:
        case = access_case(request.user, case_id)
        suggestion = Suggestion.objects.filter(case=case).first()
        if suggestion is None:
            raise NotFound()
        return _suggestion_out(suggestion)

    @router.post("/cases/{case_id}/suggestion/review", response=SuggestionOut, operation_id="review_suggestion")
    def review(request: HttpRequest, case_id: int, payload: ReviewIn) -> dict[str, Any]:
        """Confirm (empty body) or correct the suggestion; the answer is kept for training."""
        case = access_case(request.user, case_id)
        suggestion = services.review_suggestion(actor=request.user, case=case, **payload.dict())
        return _suggestion_out(suggestion)

    @router.get("/cases/{case_id}/duplicates", response=list[FlagOut], operation_id="list_duplicate_flags")
    def flags(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
        case = access_case(request.user, case_id)
        visible = visible_cases(request.user).values("pk")
        rows = DuplicateFlag.objects.filter(case=case, candidate__in=visible).select_related("candidate")
        return [_flag_out(f) for f in rows]

    @router.post("/duplicates/{flag_id}/merge", response=FlagOut, operation_id="merge_duplicate")
    def merge(request: HttpRequest, flag_id: int) -> dict[str, Any]:
        return _flag_out(services.merge_duplicate(actor=request.user, flag=_staff_flag(request, flag_id)))

    @router.post("/duplicates/{flag_id}/dismiss", response=FlagOut, operation_id="dismiss_duplicate")
    def dismiss(request: HttpRequest, flag_id: int) -> dict[str, Any]:
        return _flag_out(services.dismiss_duplicate(actor=request.user, flag=_staff_flag(request, flag_id)))

    return router


def build_api() -> Any:
    """This package's own API at /language/api/ (same auth and error shape as /api/v1/)."""
    from ninja import NinjaAPI
    from ninja.security import django_auth

    from pakn import api as project_api

    own = NinjaAPI(
        title="PAKN – ngôn ngữ",
        version="1",
        urls_namespace="language_api",
        docs_url="/docs",
        auth=[project_api.TokenAuth(), django_auth],
    )
    own.add_router("/", build_router())
    for exc, handler in project_api.api._exception_handlers.items():  # the same JSON error shape
        own.add_exception_handler(exc, handler)
    return own
