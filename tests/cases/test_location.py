"""Location of field reports (docs/location.md): the position a citizen may share from the phone, checked and
stored through the one write path (the form, the service, Open311), the commune resolved from it, the staff's maps
within the case list's scope, and the public map that shows only published field reports, rounded."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import COMMUNE, OTHER_COMMUNE, REPORTER, make_user
from pakn.cases import services
from pakn.cases.models import Case, Topic
from pakn.core import maps
from pakn.core.errors import InvalidInput
from pakn.open311.models import ApiKey
from pakn.org.models import Commune
from pakn.org.places import Position, clean_position, in_vietnam
from pakn.public.map import mapped_cases

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "pakn" / "static"


def centre(code: str) -> tuple[float, float]:
    commune = Commune.objects.get(code=code)
    assert commune.latitude is not None and commune.longitude is not None
    return commune.latitude, commune.longitude


def newest() -> Case:
    return Case.objects.order_by("-pk").first()  # type: ignore[return-value]


FORM = {
    "kind": "report",
    "title": "Cây đổ chắn ngang đường",
    "content": "Cây xà cừ đổ chắn ngang đường sau cơn mưa, xe máy không đi qua được.",
    "reporter_notify_by": "none",
}


def post_form(client: Client, **data: Any) -> Any:
    return client.post("/submit/", {**FORM, **data})


# ---------------------------------------------------------------- the rule for a position (pure)


@pytest.mark.parametrize(
    ("lat", "lon", "accuracy", "expected"),
    [
        (None, None, None, None),
        ("", "", "", None),
        ("21.0345678912", "105.8123456789", "12.6", Position(21.034568, 105.812346, 13)),
        ("21,03", "105,81", None, Position(21.03, 105.81, None)),  # a comma as decimal mark (Vietnamese keyboards)
        (21.03, 105.81, 0, Position(21.03, 105.81, 0)),
        ("8.64", "111.92", "50", Position(8.64, 111.92, 50)),  # Trường Sa is Vietnam
        ("16.83", "112.34", "", Position(16.83, 112.34, None)),  # Hoàng Sa too
    ],
)
def test_a_position_is_checked_and_rounded(lat: Any, lon: Any, accuracy: Any, expected: Any) -> None:
    assert clean_position(lat, lon, accuracy) == expected


@pytest.mark.parametrize(
    ("lat", "lon", "accuracy", "words"),
    [
        ("21.03", "", None, "cần cả vĩ độ và kinh độ"),
        ("", "105.8", None, "cần cả vĩ độ và kinh độ"),
        ("bắc", "105.8", None, "phải là số"),
        ("nan", "105.8", None, "phải là số"),
        ("inf", "105.8", None, "phải là số"),
        ("91", "105.8", None, "phải là số"),
        ("48.8566", "2.3522", None, "ngoài lãnh thổ Việt Nam"),  # Paris
        ("-21.03", "105.8", None, "ngoài lãnh thổ Việt Nam"),  # the sign flipped
        ("21.03", "105.8", "-5", "không âm"),
        ("21.03", "105.8", "rộng", "không âm"),
    ],
)
def test_a_bad_position_says_what_to_do(lat: Any, lon: Any, accuracy: Any, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_position(lat, lon, accuracy)
    assert list(caught.value.fields) == ["location"]
    assert words in str(caught.value.fields["location"][0])


def test_the_bounds_are_vietnam_with_its_islands() -> None:
    assert in_vietnam(21.03, 105.85) and in_vietnam(10.77, 106.70)  # Hà Nội, TP Hồ Chí Minh
    assert in_vietnam(10.2, 103.96) and in_vietnam(8.68, 106.6)  # Phú Quốc, Côn Đảo
    assert not in_vietnam(13.75, 100.5) and not in_vietnam(39.9, 116.4)  # Bangkok, Beijing


# ---------------------------------------------------------------- the citizen's form


@pytest.mark.django_db
def test_the_position_is_never_required(client: Client) -> None:
    response = post_form(client, province_code="01", commune_code=COMMUNE)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = newest()
    assert (case.latitude, case.longitude, case.location_accuracy_m) == (None, None, None)


@pytest.mark.django_db
def test_the_form_resolves_the_commune_from_the_position(client: Client) -> None:
    lat, lon = centre(OTHER_COMMUNE)
    shared = {"latitude": f"{lat + 0.0004:.6f}", "longitude": f"{lon - 0.0003:.6f}", "location_accuracy_m": "9"}
    response = post_form(client, **shared)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = newest()
    assert (case.province_id, case.commune_id) == ("01", OTHER_COMMUNE)
    assert math.isclose(case.latitude, lat + 0.0004, abs_tol=1e-6) and case.location_accuracy_m == 9
    assert case.unit.code == f"UBND-{OTHER_COMMUNE}"


@pytest.mark.django_db
def test_the_citizens_choice_of_place_wins(client: Client) -> None:
    lat, lon = centre(OTHER_COMMUNE)
    post_form(client, province_code="01", commune_code=COMMUNE, latitude=str(lat), longitude=str(lon))
    assert newest().commune_id == COMMUNE  # she stands elsewhere; the matter is where she said
    post_form(client, province_code="79", latitude=str(lat), longitude=str(lon))
    case = newest()
    assert (case.province_id, case.commune_id) == ("79", None) and case.latitude == round(lat, 6)


@pytest.mark.django_db
def test_a_coarse_position_does_not_choose_the_commune(client: Client) -> None:
    lat, lon = centre(OTHER_COMMUNE)
    response = post_form(client, latitude=str(lat), longitude=str(lon), location_accuracy_m="5000")
    assert response.status_code == 400
    assert "Vui lòng chọn tỉnh/thành phố." in response.content.decode()
    post_form(client, province_code="01", latitude=str(lat), longitude=str(lon), location_accuracy_m="5000")
    assert newest().commune_id is None and newest().location_accuracy_m == 5000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lon", "words"),
    [("abc", "105.8", "Không đọc được vị trí"), ("48.85", "2.35", "ngoài lãnh thổ Việt Nam"), ("21.03", "", "cần cả")],
)
def test_a_bad_position_is_a_clear_error_keeping_what_was_typed(client: Client, lat: str, lon: str, words: str) -> None:
    before = Case.objects.count()
    response = post_form(client, province_code="01", commune_code=COMMUNE, latitude=lat, longitude=lon)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert FORM["title"] in html and FORM["content"] in html  # nothing typed is lost
    assert re.search(r'<input type="hidden" name="latitude" id="id_latitude"\s*>', html)  # the bad position is dropped
    assert Case.objects.count() == before
    assert post_form(client, province_code="01", commune_code=COMMUNE).status_code == 302  # sent again, it goes


@pytest.mark.django_db
def test_without_javascript_the_form_has_no_visible_location_control(client: Client) -> None:
    html = client.get("/submit/").content.decode()
    locate = re.search(r'<div class="locate" id="locate" hidden[^>]*>', html)
    assert locate, "the location box is hidden until locate.js shows it"
    for name in ("latitude", "longitude", "location_accuracy_m"):
        assert re.search(rf'<input type="hidden" name="{name}"[^>]*>', html)
    assert "pakn/locate.js" in html


@pytest.mark.django_db
def test_the_place_endpoint_names_the_commune(client: Client) -> None:
    lat, lon = centre(COMMUNE)
    answer = client.get("/submit/place", {"lat": lat + 0.0002, "lon": lon, "accuracy": 20})
    assert answer.status_code == 200 and answer["Cache-Control"].startswith("no-store")
    body = answer.json()
    assert (body["province_code"], body["commune_code"]) == ("01", COMMUNE)
    assert {"code": COMMUNE, "name": "Phường Ba Đình"} in body["communes"]
    # At sea in Vietnam's waters, far from any commune: no commune, no error.
    assert client.get("/submit/place", {"lat": "12.5", "lon": "111.5"}).json()["commune_code"] == ""
    bad = client.get("/submit/place", {"lat": "48.85", "lon": "2.35"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    assert "ngoài lãnh thổ" in bad.json()["error"]["fields"]["location"][0]


def test_only_the_submission_form_may_ask_for_the_position(client: Client, settings: Any, db: Any) -> None:
    assert "geolocation=(self)" in client.get("/submit/")["Permissions-Policy"]
    assert "geolocation=()" in client.get("/")["Permissions-Policy"]
    assert "geolocation=()" in client.get("/public/map/")["Permissions-Policy"]


# ---------------------------------------------------------------- the service and Open311


@pytest.mark.django_db
def test_the_service_stores_the_position_and_reports_every_error_at_once(make_case: Any) -> None:
    case = make_case(latitude="21.0366", longitude="105.8344", location_accuracy_m="7.4")
    case.refresh_from_db()
    assert (case.latitude, case.longitude, case.location_accuracy_m) == (21.0366, 105.8344, 7)
    with pytest.raises(InvalidInput) as caught:
        make_case(title="", latitude="200", longitude="105")
    assert {"location", "title"} <= set(caught.value.fields)


@pytest.mark.django_db
def test_the_service_resolves_the_commune_when_none_is_given(make_case: Any) -> None:
    lat, lon = centre(OTHER_COMMUNE)
    case = make_case(province_code=None, commune_code=None, latitude=lat, longitude=lon)
    assert case.commune_id == OTHER_COMMUNE


@pytest.mark.django_db
def test_open311_stores_the_position(client: Client) -> None:
    key = ApiKey.issue(name="Ứng dụng thử")[1]
    lat, lon = centre(COMMUNE)
    data = {"api_key": key, "service_code": "report", "description": "Nắp cống vỡ giữa đường."}
    body = client.post("/open311/v2/requests.json", {**data, "lat": lat + 0.001, "long": lon}).json()
    case = Case.objects.get(tracking_code=body[0]["service_request_id"])
    assert case.commune_id == COMMUNE and math.isclose(case.latitude, lat + 0.001, abs_tol=1e-6)
    assert case.longitude == round(lon, 6) and case.location_accuracy_m is None
    # Far away, an address says where: the case is filed, without the point.
    body = client.post("/open311/v2/requests.json", {**data, "lat": "10", "long": "150", "address_id": COMMUNE}).json()
    assert Case.objects.get(tracking_code=body[0]["service_request_id"]).latitude is None


# ---------------------------------------------------------------- the staff's maps


@pytest.mark.django_db
def test_the_case_page_shows_the_position_to_those_who_may_see_it(
    make_case: Any, clerk: Any, other_clerk: Any, login: Any
) -> None:
    case = make_case(kind="denunciation", latitude="21.036612", longitude="105.834421", location_accuracy_m="11")
    html = login(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'id="case-map"' in html and "21.036612, 105.834421" in html
    assert 'href="geo:21.036612,105.834421;u=11"' in html
    assert "không bao giờ công khai" in html  # a denunciation's position is personal data
    assert login(other_clerk).get(f"/staff/cases/{case.pk}/").status_code == 404
    plain = make_case()
    assert 'id="case-map"' not in login(clerk).get(f"/staff/cases/{plain.pk}/").content.decode()


@pytest.mark.django_db
def test_the_staff_map_has_the_case_lists_scope(make_case: Any, clerk: Any, other_clerk: Any, login: Any) -> None:
    mine = make_case(title="Hố ga mất nắp", latitude="21.0371", longitude="105.8310")
    denunciation = make_case(kind="denunciation", title="Tố cáo thu tiền", latitude="21.0362", longitude="105.8301")
    theirs = make_case(title="Cây đổ", commune_code=OTHER_COMMUNE, latitude="21.0412", longitude="105.8201")
    unplaced = make_case(title="Không có vị trí")
    done = make_case(title="Đã xong", latitude="21.0333", longitude="105.8333")
    services.resolve_case(actor=clerk, case=done, body="Đã xử lý.")
    services.close_case(actor=clerk, case=done)

    html = login(clerk).get("/staff/map/").content.decode()
    for case in (mine, denunciation):
        assert f'href="/staff/cases/{case.pk}/"' in html and 'data-lat="21.03' in html
    for case in (theirs, unplaced, done):
        assert f'href="/staff/cases/{case.pk}/"' not in html
    other = login(other_clerk).get("/staff/map/").content.decode()
    assert f'href="/staff/cases/{theirs.pk}/"' in other
    assert f'href="/staff/cases/{denunciation.pk}/"' not in other and "Tố cáo thu tiền" not in other
    assert Client().get("/staff/map/").status_code == 302  # to the login page


# ---------------------------------------------------------------- the public map


@pytest.fixture
def answered(make_case: Any, clerk: Any, other_clerk: Any) -> Any:
    def _make(**overrides: Any) -> Case:
        case = make_case(**{"publish": True, "latitude": "21.0361234", "longitude": "105.8345678", **overrides})
        actor = other_clerk if case.unit.code == f"UBND-{OTHER_COMMUNE}" else clerk
        if case.kind in ("complaint", "denunciation"):
            services.accept_case(actor=actor, case=case)
        kind = "conclusion" if case.kind == "denunciation" else "answer"
        finding = "true" if kind == "conclusion" else ""
        services.resolve_case(actor=actor, case=case, kind=kind, finding=finding, body="Đã xử lý.")
        case.refresh_from_db()
        return case

    return _make


@pytest.mark.django_db
def test_the_public_map_shows_only_published_field_reports(answered: Any, make_case: Any) -> None:
    report = answered(title="Đèn đường hỏng ở ngõ 5")
    petition = answered(kind="petition", title="Đề nghị lắp đèn tín hiệu", latitude="21.04", longitude="105.82")
    denunciation = answered(kind="denunciation", title="Tố cáo cán bộ thu tiền")  # published by Art. 40
    complaint = answered(kind="complaint", title="Khiếu nại quyết định xử phạt")
    conduct = answered(title="Phản ánh cán bộ phường gây khó dễ", subject="Cán bộ địa chính phường")
    unpublished = answered(title="Không đồng ý công khai", publish=False)
    unanswered = make_case(title="Chưa trả lời", publish=True, latitude="21.03", longitude="105.83")
    unplaced = answered(title="Không có vị trí", latitude=None, longitude=None)

    shown = set(mapped_cases().values_list("pk", flat=True))
    assert shown == {report.pk, petition.pk}, (conduct.pk, shown)
    html = Client().get("/public/map/").content.decode()
    assert f"P{report.pk}" in html and "Đèn đường hỏng ở ngõ 5" in html and f"P{petition.pk}" in html
    for hidden in (denunciation, complaint, conduct, unpublished, unanswered, unplaced):
        assert hidden.title not in html, hidden.title
        assert f'href="/public/answers/{hidden.pk}/"' not in html
    assert report.status_label in html


@pytest.mark.django_db
def test_the_public_map_rounds_positions(answered: Any) -> None:
    answered(title="Ống nước vỡ")
    html = Client().get("/public/map/").content.decode()
    assert "21.036, 105.835" in html
    assert "21.0361" not in html and "105.8345" not in html and "105.83457" not in html
    assert "data-lat" not in html  # no exact point for a script either


@pytest.mark.django_db
def test_the_public_map_filters_by_province_commune_and_topic(answered: Any) -> None:
    topic = Topic.objects.order_by("code").first()
    assert topic is not None
    here = answered(title="Vỉa hè bị lấn chiếm", topic_code=topic.code)
    there = answered(title="Nước ngập sau mưa", commune_code=OTHER_COMMUNE, latitude="21.04", longitude="105.82")
    client = Client()

    def titles(query: dict[str, str]) -> set[str]:
        html = client.get("/public/map/", query).content.decode()
        return {t for t in (here.title, there.title) if t in html}

    assert titles({}) == {here.title, there.title}
    assert titles({"province": "01", "commune": COMMUNE}) == {here.title}
    assert titles({"province": "01", "commune": OTHER_COMMUNE}) == {there.title}
    assert titles({"province": "79"}) == set()
    assert titles({"topic": topic.code}) == {here.title}
    # A commune of another province (the province changed without JavaScript) is ignored, not an error.
    response = client.get("/public/map/", {"province": "79", "commune": COMMUNE})
    assert response.status_code == 200 and 'class="errorlist' not in response.content.decode()
    zoomed = client.get("/public/map/", {"province": "01", "commune": COMMUNE}).content.decode()
    assert f'viewBox="0 0 {maps.WIDTH:.1f} {maps.height():.1f}"' not in zoomed  # the map fills the commune


@pytest.mark.django_db
def test_the_public_map_is_light_script_free_and_names_the_archipelagos(answered: Any) -> None:
    for n in range(30):
        answered(title=f"Phản ánh số {n} về đèn đường hỏng ở ngõ nhỏ", latitude=f"21.03{n:02d}")
    html = Client().get("/public/map/").content.decode()
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert "<script" not in html and "https://" not in html
    assert main
    assert "Quần đảo Hoàng Sa" in html and "Quần đảo Trường Sa" in html
    assert html.count('<circle class="pt') == 20  # one page of points
    # Everything the page loads (its styles and the outline), uncompressed, with a full page of points.
    loaded = set(re.findall(r'(?:href|src)="/static/([^"]+)"', html))
    assert "pakn/map/vietnam.svg" in loaded and not any(name.endswith(".js") for name in loaded)
    weight = len(html.encode()) + sum((STATIC / name).stat().st_size for name in loaded)
    assert weight < 50_000, (weight, loaded)


# ---------------------------------------------------------------- maps without other hosts


def test_the_csp_names_the_tile_server_only_when_one_is_set(client: Client, settings: Any, db: Any) -> None:
    settings.MAP_TILE_URL = ""
    csp = client.get("/public/map/")["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp
    settings.MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    csp = client.get("/public/map/")["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.vn;" in csp
    assert maps.tile_layer()["url"] == settings.MAP_TILE_URL and maps.tile_layer()["max_zoom"] == 18


def test_the_packaged_tiles_cover_the_map_and_stay_small() -> None:
    layer = maps.tile_layer()
    assert layer["packaged"] and layer["url"] == "/static/pakn/map/tiles/{z}/{x}/{y}.png"
    tiles = sorted((STATIC / "pakn" / "map" / "tiles").rglob("*.png"))
    zooms = {int(p.relative_to(STATIC / "pakn" / "map" / "tiles").parts[0]) for p in tiles}
    assert zooms == set(range(maps.PACKAGED_MIN_ZOOM, maps.PACKAGED_MAX_ZOOM + 1))
    assert sum(p.stat().st_size for p in tiles) < 300_000
    # Hà Nội at zoom 8 is x=203, y=113 (slippy-map numbering).
    assert (STATIC / "pakn" / "map" / "tiles" / "8" / "203" / "113.png").exists()
    assert (STATIC / "vendor" / "leaflet" / "LICENSE").exists()


def test_a_bad_tile_url_stops_the_start(tmp_path: Path) -> None:
    env = {"PAKN_MAP_TILE_URL": "tiles.example.vn/tile.png", "PAKN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import pakn.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "PAKN_MAP_TILE_URL" in result.stderr


def test_the_projection_and_views() -> None:
    west, south, east, north = maps.EXTENT
    assert maps.project(north, west) == (0.0, 0.0)
    assert maps.project(south, east) == (maps.WIDTH, maps.height())
    x1, y1 = maps.project(21.03, 105.85)
    x2, y2 = maps.project(10.77, 106.70)
    assert x2 > x1 and y2 > y1  # Sài Gòn is south-east of Hà Nội
    view = maps.view_around([(21.03, 105.85)])
    assert 0 < view.width < 20 and view.width == view.height
    assert maps.view_around([]) == maps.whole_view()
    assert maps.view_around([(21.0, 103.0), (9.0, 116.0)]).width <= maps.WIDTH
    assert maps.geo_uri(21.0366, 105.8344, 12) == "geo:21.036600,105.834400;u=12"
    assert maps.public_round(21.0366789) == 21.037 and maps.public_round(None) is None
    assert [p.point.label for p in maps.place([maps.Point(48.8, 2.3, "Paris"), maps.Point(21, 105.8, "HN")])] == ["HN"]


@pytest.mark.django_db
def test_the_demo_puts_cases_on_the_maps() -> None:
    from django.core.management import call_command

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    located = Case.objects.filter(latitude__isnull=False)
    assert located.count() >= 4
    assert mapped_cases().exists()
    assert located.filter(kind="denunciation").exists() and not mapped_cases().filter(kind="denunciation").exists()
    make_user("map_viewer", unit_code=f"UBND-{COMMUNE}")
    assert REPORTER["name"] not in Client().get("/public/map/").content.decode()


@pytest.mark.django_db
def test_the_json_api_takes_and_shows_a_position(client: Client, clerk: Any) -> None:
    import json
    import secrets

    from pakn.org.models import ApiToken, TokenScope

    lat, lon = centre(OTHER_COMMUNE)
    body = {
        "kind": "report",
        "title": "Cây đổ chắn đường",
        "content": "Cây đổ chắn ngang đường sau cơn mưa chiều nay, xe máy không đi qua được.",
        "province_code": "01",
        "commune_code": OTHER_COMMUNE,
        "latitude": lat,
        "longitude": lon,
        "location_accuracy_m": 12,
    }
    created = client.post("/api/v1/submissions", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    case = newest()
    assert (round(case.latitude, 4), round(case.longitude, 4), case.location_accuracy_m) == (
        round(lat, 4),
        round(lon, 4),
        12,
    )
    outside = client.post(
        "/api/v1/submissions",
        json.dumps({**body, "latitude": 48.85, "longitude": 2.35}),
        content_type="application/json",
    )
    assert outside.status_code == 400
    assert "ngoài lãnh thổ Việt Nam" in outside.json()["error"]["fields"]["location"][0]
    raw = secrets.token_urlsafe(32)
    member = make_user("canbo_ngocha", unit_code=f"UBND-{OTHER_COMMUNE}")
    ApiToken.objects.create(
        user=member, name="t", key_hash=ApiToken.hash_key(raw), prefix=raw[:8], scope=TokenScope.READ
    )
    detail = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert detail["location_accuracy_m"] == 12 and round(detail["latitude"], 4) == round(lat, 4)
