"""Open311 GeoReport v2 driven by real clients from PyPI over HTTP against a live server:

- ``georeport`` 0.3.1 (2025, ``requests`` + ``xmltodict``): service list, service definition, requests with
  the spec's filters, one request, in JSON and XML. It has no POST and no tokens.
- ``open311`` 1.1 (Code for America, 2011, urllib + its own xml2dict): service list, POST a request,
  read it back, look up its token. It is Python 2 code; ``load_open311`` below runs its own files
  unchanged and patches only what Python 3 removed (see there).
"""

from __future__ import annotations

import importlib.util
import sys
import urllib.request
import xml.etree.ElementTree as ET  # noqa: S405 - our own server's XML
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from georeport import GeoReport

from conftest import COMMUNE, REPORTER
from pakn.open311.georeport import public_request_id as pid


def load_open311() -> type:
    """The ``Open311`` class of the ``open311`` 1.1 package, made to run on Python 3.

    The package cannot be imported on Python 3: it uses implicit relative imports (``from api import
    API``, ``from object_dict import object_dict``), ``Element.getchildren()`` (removed in Python 3.9)
    and passes a ``str`` POST body to ``urlopen`` (bytes since Python 3). We execute its own files, in
    their order, under the module names its imports expect, then patch exactly those three things:
    the ElementTree it parses with gains ``getchildren``, and ``urlopen`` encodes a str body as UTF-8.
    The temporary module names are removed from ``sys.modules`` afterwards."""
    spec = importlib.util.find_spec("open311")
    assert spec is not None and spec.submodule_search_locations, "pip install open311==1.1"
    base = Path(next(iter(spec.submodule_search_locations)))
    names = ("object_dict", "xml2dict", "xml2dict.xml2dict", "api", "api.api")
    saved = {n: sys.modules.get(n) for n in names}

    def load(name: str, path: Path, package: Path | None = None) -> ModuleType:
        module_spec = importlib.util.spec_from_file_location(
            name, path, submodule_search_locations=[str(package)] if package else None
        )
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        return module

    class Node:
        """An Element with the Python 2 ``getchildren()`` the package calls."""

        def __init__(self, element: ET.Element):
            self.tag, self.text, self.attrib = element.tag, element.text, dict(element.attrib)
            self._children = list(element)

        def getchildren(self) -> list[Node]:
            return [Node(c) for c in self._children]

    class ElementTreeWithGetchildren:
        @staticmethod
        def fromstring(data: Any) -> Node:
            return Node(ET.fromstring(data))  # noqa: S314 - our own server's XML

    def urlopen(url: str, data: Any = None) -> Any:
        if isinstance(data, str):
            data = data.encode()
        return urllib.request.urlopen(url, data)  # noqa: S310 - the live test server

    try:
        load("object_dict", base / "api" / "xml2dict" / "object_dict.py")
        load("xml2dict", base / "api" / "xml2dict" / "__init__.py", base / "api" / "xml2dict")
        sys.modules["xml2dict.xml2dict"].ET = ElementTreeWithGetchildren  # type: ignore[attr-defined]
        api = load("api", base / "api" / "api.py")
        sys.modules["api.api"] = api
        api.urlopen = urlopen  # type: ignore[attr-defined]
        client = load("open311_py3", base / "open311.py")
        client.urlopen = urlopen  # type: ignore[attr-defined]
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:  # pragma: no cover
                sys.modules[name] = module
    return client.Open311  # type: ignore[no-any-return]


@pytest.fixture
def api_key(transactional_db: Any) -> str:
    from pakn.open311.models import ApiKey

    return ApiKey.issue(name="Ứng dụng thử nghiệm")[1]


def test_open311_client_round_trip(live_server: Any, api_key: str) -> None:
    """List services, post a request, read it back, look up its token — with the ``open311`` client."""
    from pakn.cases.models import Case
    from pakn.org.models import Commune

    Open311 = load_open311()
    client = Open311(endpoint=f"{live_server.url}/open311/v2", api_key=api_key)  # format defaults to XML

    services = client.service_list()
    codes = {s["service_code"] for s in services}
    assert {"report", "report-environment", "complaint-land", "denunciation", "opinion"} <= codes
    assert all(s["metadata"] == "true" and s["type"] == "realtime" for s in services)

    commune = Commune.objects.get(code=COMMUNE)
    posted = client.post_service_request(
        service_code="report-environment",
        lat=str(commune.latitude + 0.002),
        long=str(commune.longitude),
        description="Rác thải đổ trộm bên hồ, bốc mùi cả tuần nay.",
        first_name="Văn An",
        last_name="Nguyễn",
        email=REPORTER["email"],
        phone="091-234-5678",
        **{"attribute[publish]": "true"},
    )
    created = posted["service_requests"]["request"]
    request_id, token = created["service_request_id"], created["token"]
    assert created["service_notice"]

    case = Case.objects.get(tracking_code=request_id)
    assert (case.kind, case.topic.code, case.commune_id, case.channel) == ("report", "environment", COMMUNE, "api")
    assert case.reporter.notify_by == "email"  # the identity itself is in the protection vault

    back = client.get_service_request(request_id)["service_requests"]["request"]
    assert back["service_request_id"] == request_id
    assert back["status"] == "open" and back["service_code"] == "report-environment"
    assert back["address_id"] == COMMUNE and back["agency_responsible"] == case.unit.name
    assert back["description"].startswith("Rác thải đổ trộm")

    assert client.request_id_from_token(token) == {"service_request_id": request_id, "token": token}

    listed = client.service_requests(status="open")  # published: the sender agreed
    listed = listed if isinstance(listed, list) else [listed]
    assert pid(Case.objects.get(tracking_code=request_id)) in {r["service_request_id"] for r in listed}

    raw = urllib.request.urlopen(f"{live_server.url}/open311/v2/requests/{request_id}.xml").read().decode()  # noqa: S310
    for secret in ("Văn An", REPORTER["email"], "0912345678", "091-234-5678"):
        assert secret not in raw


def test_open311_client_is_refused_without_a_valid_key(live_server: Any, api_key: str) -> None:
    import urllib.error

    Open311 = load_open311()
    client = Open311(endpoint=f"{live_server.url}/open311/v2", api_key="not-a-key")
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.post_service_request(
            service_code="report", address_string="Phường Ba Đình, Hà Nội", description="Đèn đường hỏng"
        )
    assert caught.value.code == 403
    body = ET.fromstring(caught.value.read())  # noqa: S314
    assert body.tag == "errors" and body.find("error/code").text == "403"  # type: ignore[union-attr]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_client(live_server: Any, api_key: str, output_format: str) -> None:
    """Read everything with ``georeport``: services, a definition, filtered requests, one request."""
    from pakn.cases import services
    from pakn.cases.models import Case

    clerk_case = services.submit(
        actor=None,
        kind="complaint",
        title="Khiếu nại quyết định thu hồi đất",
        content="Nội dung khiếu nại.",
        province_code="01",
        commune_code=COMMUNE,
        reporter=dict(REPORTER),
        publish=True,
        topic_code="land",
    )
    published = services.submit(
        actor=None,
        kind="report",
        title="Ổ gà trên đường",
        content="Ổ gà lớn trước số 5.",
        province_code="01",
        commune_code=COMMUNE,
        publish=True,
        topic_code="traffic_urban",
    )
    private = services.submit(
        actor=None,
        kind="report",
        title="Tiếng ồn quán karaoke",
        content="Ồn sau 23 giờ.",
        province_code="01",
        commune_code=COMMUNE,
        publish=False,
    )
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=output_format)

    service_list = client.get_service_list()
    assert {"complaint-land", "report-traffic_urban"} <= {s["service_code"] for s in service_list}

    definition = client.get_service_definition("complaint-land")
    assert definition["service_code"] == "complaint-land"
    attributes = definition["attributes"]
    attributes = attributes["attribute"] if output_format == "xml" else attributes
    assert {"title", "complaint_round", "subject", "publish", "notify_by"} == {a["code"] for a in attributes}

    def ids(**filters: str) -> set[str]:
        try:
            result = client.get_service_requests(**filters)
        except TypeError:
            # georeport's XML path reads data["service_requests"]["request"], but xmltodict turns an empty
            # <service_requests/> into None: the client cannot read an empty XML list. The JSON path can.
            assert output_format == "xml"
            return set()
        if output_format == "xml" and not isinstance(result, list):  # xmltodict: one request is a dict
            result = [result]
        return {r["service_request_id"] for r in result}

    # Only what the sender agreed to publish, and complaints only once answered.
    assert ids() == {pid(published)}
    assert ids(service_code="report-traffic_urban,report") == {pid(published)}
    assert ids(service_code="complaint-land") == set()
    assert ids(status="closed") == set()
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == set()
    # By id: any case whose tracking code the caller has (the code is the citizen's key).
    wanted = f"{private.tracking_code},{clerk_case.tracking_code}"
    assert ids(service_request_id=wanted) == {private.tracking_code, clerk_case.tracking_code}

    one = client.get_service_request(published.tracking_code)
    assert one["service_request_id"] == published.tracking_code
    assert one["status"] == "open" and one["service_name"]
    assert Case.objects.count() == 3
