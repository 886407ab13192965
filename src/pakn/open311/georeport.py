"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) for PAKN: the service list built from
the kinds of submission × the topics, the mapping of a case to a service request, places from
coordinates, and the JSON/XML renderings. No writes here: ``views.py`` files through
``cases.services.submit``.

A service code is ``<kind>`` (no topic) or ``<kind>-<topic code>``, e.g. ``report-environment``; a
``service_request_id`` is the case's tracking code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - only builds XML, never parses it
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pakn.cases.models import Case, Kind, Topic
from pakn.cases.workflow import OPEN, Status
from pakn.org.places import MAX_DISTANCE_KM as MAX_DISTANCE_KM  # re-exported: the views use them from here
from pakn.org.places import distance_km as distance_km
from pakn.org.places import nearest_commune as nearest_commune

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("json", "xml")
STATUTORY_KINDS = (Kind.COMPLAINT, Kind.DENUNCIATION)

# Open311's two statuses. "Closed" once the unit has answered (or refused, or the case ended).
CLOSED_STATUSES = frozenset(s.value for s in Status) - frozenset(s.value for s in OPEN)


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def statuses_for(open311: str) -> list[str]:
    return sorted(CLOSED_STATUSES) if open311 == "closed" else sorted(s.value for s in OPEN)


class Open311Error(Exception):
    """An error in the spec's shape: a list of ``{code, description}`` with the HTTP status as code."""

    def __init__(self, status: int, *descriptions: str):
        self.status = status
        self.retry_after = 0  # seconds, for a 429: the Retry-After header
        self.descriptions = list(descriptions) or [_("Yêu cầu không hợp lệ.")]
        super().__init__("; ".join(self.descriptions))

    def as_list(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": d} for d in self.descriptions]


# ---------------------------------------------------------------- services


@dataclass(frozen=True)
class Service:
    code: str
    kind: str
    topic: Topic | None


def _english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


def _topic_name(topic: Topic) -> str:
    return topic.name_en if _english() and topic.name_en else topic.name


KIND_DESCRIPTIONS: dict[str, Any] = {
    Kind.REPORT: _l("Phản ánh về vụ việc, hành vi hoặc vấn đề cần chính quyền xử lý."),
    Kind.PETITION: _l("Kiến nghị về chủ trương, chính sách, cách làm của cơ quan nhà nước."),
    Kind.COMPLAINT: _l(
        "Khiếu nại quyết định hoặc hành vi hành chính xâm phạm quyền, lợi ích của người gửi (Luật Khiếu nại 2011)."
    ),
    Kind.DENUNCIATION: _l(
        "Tố cáo hành vi vi phạm pháp luật của cán bộ, công chức hoặc tổ chức (Luật Tố cáo 2018); "
        "danh tính người tố cáo được giữ bí mật."
    ),
    Kind.OPINION: _l("Góp ý về dự thảo, chính sách hoặc hoạt động của chính quyền."),
}


def all_services() -> list[Service]:
    topics = list(Topic.objects.order_by("code"))
    result: list[Service] = []
    for kind in Kind.values:
        result.append(Service(code=kind, kind=kind, topic=None))
        result += [Service(code=f"{kind}-{t.code}", kind=kind, topic=t) for t in topics]
    return result


def find_service(code: str) -> Service | None:
    kind, _sep, topic_code = (code or "").partition("-")
    if kind not in Kind.values:
        return None
    if not topic_code:
        return Service(code=kind, kind=kind, topic=None)
    topic = Topic.objects.filter(code=topic_code).first()
    return Service(code=code, kind=kind, topic=topic) if topic else None


def service_item(service: Service) -> dict[str, Any]:
    kind_label = str(Kind(service.kind).label)
    name = f"{kind_label} – {_topic_name(service.topic)}" if service.topic else kind_label
    keywords = [kind_label.lower()]
    if service.topic:
        keywords += [k.strip() for k in service.topic.keywords.splitlines() if k.strip()]
    return {
        "service_code": service.code,
        "service_name": name,
        "description": str(KIND_DESCRIPTIONS[service.kind]),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": kind_label,
    }


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"key": key, "name": name} for key, name in pairs]


def service_definition(service: Service) -> dict[str, Any]:
    """The attributes PAKN takes beside the standard fields (all optional)."""
    attributes: list[dict[str, Any]] = [
        {
            "code": "title",
            "datatype": "string",
            "description": _("Tiêu đề ngắn (mặc định: phần đầu của nội dung)."),
        },
    ]
    if service.kind == Kind.COMPLAINT:
        attributes.append(
            {
                "code": "complaint_round",
                "datatype": "singlevaluelist",
                "description": _("Khiếu nại lần đầu hay lần hai."),
                "values": _choices([("1", _("Lần đầu")), ("2", _("Lần hai"))]),
            }
        )
    if service.kind in STATUTORY_KINDS:
        attributes.append(
            {
                "code": "subject",
                "datatype": "string",
                "description": _("Người hoặc cơ quan bị khiếu nại, tố cáo."),
            }
        )
    attributes += [
        {
            "code": "publish",
            "datatype": "singlevaluelist",
            "description": _("Đồng ý công khai nội dung và kết quả trả lời (không bao giờ công khai danh tính)."),
            "values": _choices([("false", _("Không")), ("true", _("Có"))]),
        },
        {
            "code": "notify_by",
            "datatype": "singlevaluelist",
            "description": _("Người gửi nhận thông báo qua kênh nào (cần email hoặc số điện thoại tương ứng)."),
            "values": _choices(
                [("email", _("Thư điện tử")), ("sms", _("Tin nhắn SMS")), ("none", _("Không nhận thông báo"))]
            ),
        },
    ]
    for order, attribute in enumerate(attributes, start=1):
        attribute.update({"variable": True, "required": False, "datatype_description": None, "order": order})
        attribute.setdefault("values", [])
    ordered = [
        {
            k: a[k]
            for k in (
                "variable",
                "code",
                "datatype",
                "required",
                "datatype_description",
                "order",
                "description",
                "values",
            )
        }
        for a in attributes
    ]
    return {"service_code": service.code, "attributes": ordered}


ATTRIBUTE_CODES = frozenset({"title", "complaint_round", "subject", "publish", "notify_by"})


# ---------------------------------------------------------------- places


# ``distance_km`` and ``nearest_commune`` live in ``org.places`` (the submission form uses them too).


# ---------------------------------------------------------------- service requests


def _w3c(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service_code_of(case: Case) -> str:
    return f"{case.kind}-{case.topic.code}" if case.topic_id and case.topic else case.kind


PUBLIC_ID_PREFIX = "P"


def public_request_id(case: Case) -> str:
    """The id a public listing shows. Not the tracking code: that code is the reporter's key (it lets its
    holder read the conversation, add information, withdraw), so it is only ever echoed back to a caller
    who already sent it."""
    return f"{PUBLIC_ID_PREFIX}{case.pk}"


def case_pk_from_public_id(text: str) -> int | None:
    text = text.strip().upper()
    digits = text[len(PUBLIC_ID_PREFIX) :]
    if text.startswith(PUBLIC_ID_PREFIX) and digits.isascii() and digits.isdigit() and len(digits) < 19:
        return int(digits)
    return None


def request_item(case: Case, *, public_text: Any, by_code: bool = False) -> dict[str, Any]:
    """A case as a service request. Never the reporter's identity, nor the text they wrote beyond the
    title (masked as on the public portal); the place is the commune's centre, not the exact point.
    ``by_code``: the caller named the case by its tracking code, so the code may be echoed back."""
    commune = case.commune
    place = ", ".join(p for p in (commune.name if commune else "", case.province.name) if p)
    service = find_service(service_code_of(case)) or Service(code=case.kind, kind=case.kind, topic=None)
    answer = case.answers.order_by("-created_at", "-id").first() if case.status in CLOSED_STATUSES else None
    notes = case.status_label
    if answer is not None:
        notes = f"{notes}: {public_text(answer.body)}"
    expected = timezone.make_aware(datetime.combine(case.due_on, time(23, 59, 59))) if case.due_on else None
    return {
        "service_request_id": case.tracking_code if by_code else public_request_id(case),
        "status": open311_status(case.status),
        "status_notes": notes,
        "service_name": service_item(service)["service_name"],
        "service_code": service.code,
        "description": public_text(case.title),
        "agency_responsible": case.unit.name,
        "service_notice": "",
        "requested_datetime": _w3c(case.created_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": _w3c(expected),
        "address": place,
        "address_id": case.commune_id or "",
        "zipcode": "",
        "lat": commune.latitude if commune else None,
        "long": commune.longitude if commune else None,
        "media_url": "",
    }


# ---------------------------------------------------------------- rendering

XML_ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_tag = XML_ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_tag), child)
    else:
        element.text = _xml_text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return bytes(ET.tostring(element, encoding="utf-8", xml_declaration=True))


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """JSON as the spec shows it (lists for lists); XML with ``root`` around it."""
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), status=status, content_type="text/xml; charset=utf-8")
    import json

    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def render_error(error: Open311Error, fmt: str) -> HttpResponse:
    return render(error.as_list(), fmt if fmt in FORMATS else "json", root="errors", status=error.status)
