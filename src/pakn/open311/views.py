"""Open311 GeoReport v2 endpoints at ``/open311/v2/``. Reading needs no key; ``POST requests`` needs an
``api_key`` issued by an administrator and files the case through ``cases.services.submit`` (channel
``api``). Every error is the spec's list of ``{code, description}``, in the format that was asked for."""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from pakn.cases import services
from pakn.cases.models import Case, Kind
from pakn.core.errors import PaknError, retry_after_header
from pakn.core.site import public_base_url
from pakn.core.tracking import normalise_tracking_code
from pakn.open311 import georeport
from pakn.open311 import services as open311_services
from pakn.open311.georeport import Open311Error, render, render_error
from pakn.open311.models import ApiKey, Open311Request
from pakn.org.places import in_vietnam
from pakn.protection import throttle
from pakn.public.presenters import mask

MAX_IDS = 100
MAX_RESULTS = 1000
MAX_RANGE = timedelta(days=90)
FEEDBACK_KINDS = (Kind.REPORT, Kind.PETITION, Kind.OPINION)
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
PHONE_NOISE = re.compile(r"[\s.\-()]")

# Where a field of ``services.submit`` comes from in an Open311 request (for error descriptions).
FIELD_NAMES = {
    "content": "description",
    "title": "attribute[title]",
    "subject": "attribute[subject]",
    "complaint_round": "attribute[complaint_round]",
    "publish": "attribute[publish]",
    "reporter.notify_by": "attribute[notify_by]",
    "reporter.name": "first_name/last_name",
    "reporter.email": "email",
    "reporter.phone": "phone",
    "province_code": "address_string",
    "commune_code": "address_id",
    "address": "address_string",
    "topic_code": "service_code",
    "kind": "service_code",
}


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def open311_view(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Method check, jurisdiction check and the spec's error shape around a view."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # server-to-server: authenticated by api_key, never by a cookie
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            fmt = kwargs.pop("fmt", None) or "json"
            try:
                if request.method not in methods:
                    response = render_error(Open311Error(405, _("Phương thức không được hỗ trợ.")), fmt)
                    response["Allow"] = ", ".join(methods)
                    return response
                _check_jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return retry_after_header(render_error(error, fmt), error)
            except PaknError as error:
                status = error.http_status if 400 <= error.http_status < 500 else 400
                return render_error(Open311Error(status, str(error.message)), fmt)
            except SuspiciousOperation:  # a body over the upload limit, too many fields
                return render_error(Open311Error(400, _("Yêu cầu quá lớn hoặc không hợp lệ.")), fmt)

        return wrapper

    return decorate


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _check_jurisdiction(request: HttpRequest) -> None:
    expected = _setting("OPEN311_JURISDICTION", "")
    given = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) or _param(
        request, "jurisdiction_id"
    )
    if expected and given and given != expected:
        raise Open311Error(404, _("Không phục vụ jurisdiction_id này."))


# ---------------------------------------------------------------- discovery and services


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = f"{public_base_url()}/open311/v2"
    data = {
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": _setting("OPEN311_CONTACT", settings.DEFAULT_FROM_EMAIL),
        "key_service": _("Quản trị viên cấp khóa api_key (pakn open311key create)."),
        "endpoints": [
            {
                "specification": georeport.SPEC_URL,
                "url": base,
                "changeset": "2026-01-01T00:00:00+07:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            },
        ],
    }
    return render(data, fmt, root="discovery")


@open311_view("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render([georeport.service_item(s) for s in georeport.all_services()], fmt, root="services")


@open311_view("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    service = georeport.find_service(code)
    if service is None:
        raise Open311Error(404, _("Không có dịch vụ với service_code này."))
    return render(georeport.service_definition(service), fmt, root="service_definition")


# ---------------------------------------------------------------- reading requests


def _public_text(text: str) -> str:
    return mask(text)


def _items(cases: QuerySet[Case] | list[Case], *, by_code: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    return [georeport.request_item(c, public_text=_public_text, by_code=c.pk in by_code) for c in cases]


def _cases() -> QuerySet[Case]:
    return Case.objects.select_related("unit", "province", "commune", "topic")


def _moment(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        message = _("%(name)s phải theo định dạng W3C, ví dụ 2026-03-02T00:00:00Z.") % {"name": name}
        raise Open311Error(400, message) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def published_requests() -> QuerySet[Case]:
    """What anyone may list: reports, petitions and opinions their senders agreed to publish, and
    complaints and denunciations published only once answered (Law on Denunciations Art. 40)."""
    return (
        _cases()
        .filter(publish=True)
        .filter(Q(kind__in=FEEDBACK_KINDS) | Q(status__in=[s for s in georeport.CLOSED_STATUSES]))
        .exclude(status__in=["withdrawn", "merged", "refused"])
    )


def _lookup(ids: list[str]) -> tuple[list[Case], frozenset[int]]:
    """Cases named by tracking code (any case: the caller holds its key) or by public id (published
    cases only), in the order asked; and which of them were named by code."""
    wanted: list[tuple[str, str]] = []
    for text in ids[:MAX_IDS]:
        code = normalise_tracking_code(text)
        public_pk = None if code else georeport.case_pk_from_public_id(text)
        if code:
            wanted.append(("code", code))
        elif public_pk is not None:
            wanted.append(("pk", str(public_pk)))
    by_code = {c.tracking_code: c for c in _cases().filter(tracking_code__in=[v for k, v in wanted if k == "code"])}
    by_pk = {str(c.pk): c for c in published_requests().filter(pk__in=[int(v) for k, v in wanted if k == "pk"])}
    found = [by_code.get(v) if k == "code" else by_pk.get(v) for k, v in wanted]
    return [c for c in found if c is not None], frozenset(c.pk for c in by_code.values())


def _by_ids(text: str) -> tuple[list[Case], frozenset[int]]:
    return _lookup([c for c in text.split(",") if c.strip()])


@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    ids = _param(request, "service_request_id")
    if ids:  # "overrides all other arguments"
        cases, by_code = _by_ids(ids)
        return render(_items(cases, by_code=by_code), fmt, root="service_requests")
    queryset = published_requests()
    codes = [c.strip() for c in _param(request, "service_code").split(",") if c.strip()]
    if codes:
        condition = Q(pk__in=[])
        for code in codes:
            service = georeport.find_service(code)
            if service is None:
                raise Open311Error(400, _("Không có dịch vụ với service_code %(code)s.") % {"code": code[:80]})
            condition |= Q(kind=service.kind, topic=service.topic)
        queryset = queryset.filter(condition)
    wanted = [s.strip() for s in _param(request, "status").split(",") if s.strip()]
    if wanted:
        if any(s not in ("open", "closed") for s in wanted):
            raise Open311Error(400, _("status chỉ nhận open hoặc closed."))
        queryset = queryset.filter(status__in=[x for s in set(wanted) for x in georeport.statuses_for(s)])
    start_text, end_text = _param(request, "start_date"), _param(request, "end_date")
    start = _moment(start_text, "start_date") if start_text else None
    end = _moment(end_text, "end_date") if end_text else None
    if start is None:  # "when not specified, the range defaults to most recent 90 days"
        end = end or timezone.now()
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    if end < start:
        raise Open311Error(400, _("end_date phải sau start_date."))
    if end - start > MAX_RANGE:
        raise Open311Error(400, _("Khoảng thời gian tối đa là 90 ngày."))
    queryset = queryset.filter(created_at__gte=start, created_at__lte=end).order_by("-created_at", "-pk")
    return render(_items(queryset[:MAX_RESULTS]), fmt, root="service_requests")


@open311_view("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    cases, by_code = _lookup([request_id])
    if not cases:
        if normalise_tracking_code(request_id) is None and georeport.case_pk_from_public_id(request_id) is None:
            raise Open311Error(404, _("Mã tra cứu không đúng. Vui lòng kiểm tra lại (mã có ký tự kiểm tra)."))
        raise Open311Error(404, _("Không tìm thấy yêu cầu với mã này."))
    return render(_items(cases, by_code=by_code), fmt, root="service_requests")


@open311_view("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    record = Open311Request.objects.select_related("case").filter(token=token[:32]).first()
    if record is None:
        raise Open311Error(404, _("Không tìm thấy token này."))
    return render(
        [{"service_request_id": record.case.tracking_code, "token": record.token}], fmt, root="service_requests"
    )


@open311_view("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
    raise Open311Error(404, _("Không có địa chỉ này trong Open311 GeoReport v2."))


# ---------------------------------------------------------------- filing a request


def _post_params(request: HttpRequest) -> dict[str, str]:
    """Form-encoded as the spec says; a JSON object is read too. The query string fills in what the
    body does not have (some clients send ``api_key`` and ``jurisdiction_id`` there)."""
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items()}
    if (request.content_type or "").startswith("application/json"):
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise Open311Error(400, _("Nội dung gửi lên không phải JSON hợp lệ.")) from None
        if not isinstance(body, dict):
            raise Open311Error(400, _("Nội dung gửi lên không phải JSON hợp lệ."))
        params.update({str(k): "" if v is None else str(v) for k, v in body.items()})
    else:
        params.update({k: str(v) for k, v in request.POST.items()})
    return params


def _authenticate(key: str) -> ApiKey:
    if not key:
        raise Open311Error(403, _("Thiếu api_key."))
    record = ApiKey.objects.filter(key_hash=ApiKey.hash_key(key), revoked_at__isnull=True).first()
    if record is None:
        raise Open311Error(403, _("api_key không hợp lệ hoặc đã bị thu hồi."))
    limit = int(_setting("OPEN311_RATE_LIMIT", 60) or 0)
    if limit:
        window = f"open311:rate:{record.pk}:{int(timezone.now().timestamp() // 60)}"
        cache.add(window, 0, timeout=120)
        if cache.incr(window) > limit:
            error = Open311Error(429, _("Ứng dụng gửi quá nhiều yêu cầu. Vui lòng thử lại sau."))
            error.retry_after = throttle.window_left(60)
            raise error
    open311_services.note_key_use(record)
    return record


def _coordinate(value: str, name: str, limit: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, _("%(name)s phải là số thập phân (WGS84).") % {"name": name}) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise Open311Error(400, _("%(name)s nằm ngoài phạm vi hợp lệ.") % {"name": name})
    return number


def _title_from(description: str) -> str:
    first = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if len(first) <= 100:
        return first
    cut = first[:100].rsplit(" ", 1)[0] or first[:100]
    return cut.rstrip(" ,.;:") + "…"


def _flag(value: str) -> bool:
    text = value.strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("", "false", "0", "no", "off"):
        return False
    raise Open311Error(400, _("attribute[publish] chỉ nhận true hoặc false."))


def _place(params: dict[str, str]) -> tuple[str | None, str, float | None, float | None]:
    """(commune code, address text, lat, long) from lat/long, address_id or address_string."""
    address = params.get("address_string", "").strip()
    address_id = params.get("address_id", "").strip()
    lat_text, long_text = params.get("lat", "").strip(), params.get("long", "").strip()
    lat = lon = None
    commune: str | None = None
    if lat_text or long_text:
        if not (lat_text and long_text):
            raise Open311Error(400, _("Cần cả lat và long."))
        lat, lon = _coordinate(lat_text, "lat", 90), _coordinate(long_text, "long", 180)
        commune = georeport.nearest_commune(lat, lon)
        if commune is None and not (address or address_id):
            raise Open311Error(400, _("Vị trí lat/long nằm ngoài địa bàn phục vụ."))
    if commune is None and address_id:
        commune = address_id
    if commune is None and not address:
        raise Open311Error(400, _("Cần lat và long, address_string hoặc address_id."))
    return commune, address, lat, lon


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _post_params(request)
    api_key = _authenticate(params.get("api_key", "").strip())
    service_code = params.get("service_code", "").strip()
    if not service_code:
        raise Open311Error(400, _("Thiếu service_code."))
    service = georeport.find_service(service_code)
    if service is None:
        raise Open311Error(400, _("Không có dịch vụ với service_code này."))
    attributes: dict[str, str] = {}
    for name, value in params.items():
        match = ATTRIBUTE_RE.match(name)
        if match and match.group(1) in georeport.ATTRIBUTE_CODES:
            attributes[match.group(1)] = value
    notify_by = attributes.get("notify_by", "").strip()
    if notify_by not in ("", "email", "sms", "none"):
        raise Open311Error(400, _("attribute[notify_by] chỉ nhận email, sms hoặc none."))
    commune, address, lat, lon = _place(params)
    located = lat is not None and lon is not None and in_vietnam(lat, lon)
    description = params.get("description", "")
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, _("media_url không hợp lệ.")) from None
        if len(media_url) > 1000:
            raise Open311Error(400, _("media_url quá dài."))
    name = " ".join(p for p in (params.get("last_name", "").strip(), params.get("first_name", "").strip()) if p)
    reporter = {
        "name": name,
        "email": params.get("email", "").strip(),
        "phone": PHONE_NOISE.sub("", params.get("phone", "")),
        "notify_by": notify_by or None,
    }
    content = f"{description.strip()}\n\n{_('Ảnh, tệp kèm theo')}: {media_url}" if media_url else description
    token = secrets.token_urlsafe(16)
    try:
        with transaction.atomic():
            case = services.submit(
                actor=None,
                kind=service.kind,
                title=attributes.get("title", "").strip() or _title_from(description),
                content=content,
                province_code=None,
                commune_code=commune,
                address=address,
                subject=attributes.get("subject", ""),
                reporter=reporter if any(v for k, v in reporter.items() if k != "notify_by") else None,
                complaint_round=attributes.get("complaint_round") or None,
                publish=_flag(attributes.get("publish", "")),
                topic_code=service.topic.code if service.topic else None,
                channel="api",
                # The point itself is kept on the case when it lies in Vietnam (staff see it on the case's map);
                # one far away (an address said where) is only recorded with the request.
                latitude=lat if located else None,
                longitude=lon if located else None,
            )
            open311_services.record_request(
                case=case,
                token=token,
                api_key=api_key,
                service_code=service.code,
                lat=lat,
                long=lon,
                media_url=media_url,
                device_id=params.get("device_id", "")[:100],
                account_id=params.get("account_id", "")[:100],
            )
    except PaknError as error:
        fields = getattr(error, "fields", {}) or {}
        if not fields:
            raise
        descriptions = [
            f"{FIELD_NAMES.get(field, field)}: {message}"
            for field, messages in fields.items()
            for message in (messages if isinstance(messages, list | tuple) else [messages])
        ]
        raise Open311Error(400, *descriptions) from None
    due = case.due_on.strftime("%d/%m/%Y") if case.due_on else ""
    notice = _("%(unit)s đã tiếp nhận. Hạn xử lý: %(due)s. Tra cứu: %(url)s") % {
        "unit": case.unit.name,
        "due": due,
        "url": services.public_url(case),
    }
    data = [
        {
            "service_request_id": case.tracking_code,
            "token": token,
            "service_notice": notice,
            "account_id": params.get("account_id") or None,
        }
    ]
    return render(data, fmt, root="service_requests")
