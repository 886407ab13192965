"""Location of field reports, as people use it (docs/location.md): a citizen on her phone shares her position, the
commune fills itself, she files; without JavaScript the form is as before. The clerk sees the point on the case's
map and on the unit's map. Anyone sees the published field report on the public map, never a denunciation, and
the page stays under 50 KB with everything it loads. At 360 and 1366 px, with JavaScript on and off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journeys.conftest import (
    COMMUNE,
    DESKTOP,
    PHONE,
    REPORTER,
    choose_place_without_js,
    content_box,
    expect,
    make_user,
    staff_login,
    submit_button,
    submit_case,
    tracking_code_on,
)

BUTTON = "Dùng vị trí hiện tại của tôi"


def ba_dinh() -> tuple[float, float]:
    from pakn.org.models import Commune

    commune = Commune.objects.get(code=COMMUNE)
    assert commune.latitude is not None and commune.longitude is not None
    return commune.latitude + 0.0003, commune.longitude - 0.0002


@pytest.mark.parametrize(
    ("citizen", "clerk"),
    [((True, PHONE), (True, DESKTOP)), ((True, DESKTOP), (False, PHONE))],
    ids=["phone-then-clerk-js-desktop", "desktop-then-clerk-no-js-phone"],
)
def test_a_citizen_shares_her_position_and_the_clerk_sees_it(
    new_page: Callable[..., Any], citizen: tuple[bool, Any], clerk: tuple[bool, Any]
) -> None:
    from pakn.cases.models import Case

    lat, lon = ba_dinh()
    page = new_page(js=citizen[0], viewport=citizen[1], geolocation={"latitude": lat, "longitude": lon, "accuracy": 15})
    page.goto("/submit/")
    page.get_by_role("button", name=BUTTON).click()
    status = page.locator("#locate-status")
    expect(status).to_contain_text("Đã ghi vị trí hiện tại của bạn (sai số khoảng 15 m).")
    expect(status).to_contain_text("Đã chọn xã/phường theo vị trí: Phường Ba Đình")
    expect(page.get_by_label("Tỉnh/thành phố")).to_have_value("01")
    expect(page.get_by_label("Xã/phường/đặc khu")).to_have_value(COMMUNE)
    page.get_by_label("Tiêu đề").fill("Cây đổ chắn ngang phố Đội Cấn")
    content_box(page).fill("Cây xà cừ đổ chắn ngang phố sau cơn mưa, xe máy không đi qua được.")
    page.get_by_role("textbox", name="Họ và tên", exact=True).fill(REPORTER["name"])
    page.get_by_label("Thư điện tử").fill(REPORTER["email"])
    submit_button(page).click()
    tracking_code_on(page)
    case = Case.objects.get()
    assert case.commune_id == COMMUNE and case.location_accuracy_m == 15
    assert abs(case.latitude - lat) < 1e-5 and abs(case.longitude - lon) < 1e-5

    make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    desk = new_page(js=clerk[0], viewport=clerk[1])
    staff_login(desk, "canbo")
    desk.goto(f"/staff/cases/{case.pk}/")
    section = desk.locator("#location")
    expect(section.get_by_role("heading", name="Vị trí")).to_be_visible()
    expect(section.locator("#location-coordinates")).to_have_text(f"{case.latitude:.6f}, {case.longitude:.6f}")
    expect(section.get_by_role("link", name="Mở trong ứng dụng bản đồ")).to_have_attribute(
        "href", f"geo:{case.latitude:.6f},{case.longitude:.6f};u=15"
    )
    if clerk[0]:
        # Leaflet over the packaged tiles (no tile server is set): the point is drawn, the tiles are ours.
        expect(section.locator(".leaflet-container")).to_be_visible()
        expect(section.locator("path.leaflet-interactive")).to_have_count(1)
        expect(section.locator("img.leaflet-tile-loaded").first).to_be_visible()
        expect(section.locator("svg.map-svg")).to_be_hidden()  # the tile map replaces the drawing
    else:
        expect(section.locator("svg.map-svg circle.pt")).to_have_count(1)
        expect(section.locator("svg.map-svg")).to_be_visible()

    desk.get_by_role("link", name="Bản đồ hồ sơ đang xử lý").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Bản đồ hồ sơ đang xử lý")
    expect(desk.locator("#map-cases")).to_contain_text("Cây đổ chắn ngang phố Đội Cấn")
    if clerk[0]:
        expect(desk.locator("#staff-map path.leaflet-interactive")).to_have_count(1)
    else:
        expect(desk.locator("#staff-map circle.pt")).to_have_count(1)


def test_without_javascript_the_form_is_unchanged(new_page: Callable[..., Any]) -> None:
    from pakn.cases.models import Case

    page = new_page(js=False, viewport=PHONE)
    page.goto("/submit/")
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)  # hidden: nothing to press without a script
    choose_place_without_js(page)
    page.get_by_label("Tiêu đề").fill("Đèn đường hỏng trên phố Đội Cấn")
    content_box(page).fill("Đèn đường trước số 12 phố Đội Cấn hỏng đã hai tuần, rất nguy hiểm.")
    submit_button(page).click()
    tracking_code_on(page)
    case = Case.objects.get()
    assert case.commune_id == COMMUNE and case.latitude is None


def test_a_refused_permission_leaves_the_form_usable(new_page: Callable[..., Any], browser: Any) -> None:
    page = new_page(js=True, viewport=PHONE)  # no permission granted: the browser refuses
    page.goto("/submit/")
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#locate-status")).to_contain_text("Bạn vẫn gửi đơn được")
    expect(page.locator("#id_latitude")).to_have_value("")


@pytest.mark.parametrize(
    ("js", "viewport"),
    [(False, PHONE), (True, PHONE), (False, DESKTOP), (True, DESKTOP)],
    ids=["no-js-phone", "js-phone", "no-js-desktop", "js-desktop"],
)
def test_the_public_map_shows_the_published_report_and_not_a_denunciation(
    new_page: Callable[..., Any], js: bool, viewport: Any
) -> None:
    from pakn.cases import services

    clerk = make_user("canbo", unit_code=f"UBND-{COMMUNE}")
    lat, lon = ba_dinh()
    report = submit_case(publish=True, title="Nắp cống vỡ trên phố Đội Cấn", latitude=lat, longitude=lon)
    services.resolve_case(actor=clerk, case=report, body="Đã thay nắp cống mới.")
    denunciation = submit_case(
        kind="denunciation", publish=True, title="Tố cáo cán bộ thu tiền vỉa hè", latitude=lat, longitude=lon
    )
    services.accept_case(actor=clerk, case=denunciation)
    services.resolve_case(actor=clerk, case=denunciation, kind="conclusion", finding="true", body="Kết luận: đúng.")

    page = new_page(js=js, viewport=viewport)
    responses: list[Any] = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto("/public/map/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ phản ánh, kiến nghị")
    weight = sum(r.sizes()["responseBodySize"] for r in responses)
    assert weight < 50_000, f"{weight} bytes for {[r.url for r in responses]}"
    assert not any(r.url.endswith(".js") for r in responses)  # no script, no tiles: an SVG map

    table = page.locator("#map-items")
    expect(table).to_contain_text(f"P{report.pk}")
    expect(table).to_contain_text("Nắp cống vỡ trên phố Đội Cấn")
    expect(table).to_contain_text(f"{round(lat, 3):.3f}, {round(lon, 3):.3f}")
    expect(page.locator("main")).not_to_contain_text("Tố cáo cán bộ thu tiền vỉa hè")
    expect(page.locator("#public-map a")).to_have_count(1)
    expect(page.locator("#public-map")).to_contain_text("Quần đảo Hoàng Sa")

    # The published denunciation is on the answers page (Art. 40), just never on a map.
    page.goto("/public/answers/")
    expect(page.locator("main")).to_contain_text("Tố cáo cán bộ thu tiền vỉa hè")

    page.goto("/public/map/")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_role("button", name="Xem").click()
    page.get_by_label("Xã, phường").select_option(label="Phường Ba Đình")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#map-items")).to_contain_text("Nắp cống vỡ trên phố Đội Cấn")
    page.locator("#public-map a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nắp cống vỡ trên phố Đội Cấn")
