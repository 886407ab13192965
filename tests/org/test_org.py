"""Organisation: loading the official units, resolving a citizen's place, the admin."""

from __future__ import annotations

import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pakn.core.errors import InvalidInput
from pakn.org import places
from pakn.org.loader import LoadReport, dataset_path, load_units
from pakn.org.models import ApiToken, Commune, Province, Unit, UnitKind, UnitLevel
from pakn.org.places import Place, communes_of, resolve_place

pytestmark = pytest.mark.django_db

KINDS = {UnitKind.PEOPLES_COMMITTEE: "UBND", UnitKind.PARTY_COMMITTEE: "DU", UnitKind.FRONT_COMMITTEE: "MTTQ"}


def dataset_count(sql: str, *params: str) -> int:
    conn = sqlite3.connect(dataset_path().resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def hanoi_hcmc(django_db_setup, django_db_blocker):
    """Hà Nội and Hồ Chí Minh City, loaded once for the module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_units(provinces=["01", "79"])
        yield
        transaction.set_rollback(True)


# Loading ------------------------------------------------------------------------------------------


def test_full_load_counts_links_and_idempotence():
    before = {
        "province": Province.objects.count(),
        "commune": Commune.objects.count(),
        "unit": Unit.objects.count(),
    }

    first = load_units()

    assert isinstance(first, LoadReport)
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Unit.objects.count() == 4 * (34 + 3321) == 13420
    assert first.created == {k: n - before[k] for k, n in {"province": 34, "commune": 3321, "unit": 13420}.items()}
    assert first.seconds < 30
    assert set(Commune.objects.values_list("kind", flat=True).distinct()) == {"Xã", "Phường", "Đặc khu"}
    assert Commune.objects.filter(kind="Xã").count() == 2621
    assert Commune.objects.filter(kind="Phường").count() == 687
    assert Commune.objects.filter(kind="Đặc khu").count() == 13

    # Every province has its three bodies, without parent; every commune its three, under them. Each party
    # committee has its inspection commission under it.
    commissions = Unit.objects.filter(kind=UnitKind.INSPECTION_COMMISSION)
    assert commissions.count() == 34 + 3321
    assert (
        commissions.filter(
            code__startswith="UBKT-",
            parent__kind=UnitKind.PARTY_COMMITTEE,
            parent__level=F("level"),
            parent__province=F("province"),
        ).count()
        == 34 + 3321
    )
    assert not commissions.exclude(commune=F("parent__commune")).filter(commune__isnull=False).exists()
    province_units = Unit.objects.filter(level=UnitLevel.PROVINCE).exclude(kind=UnitKind.INSPECTION_COMMISSION)
    assert province_units.count() == 102
    assert not province_units.filter(parent__isnull=False).exists()
    assert not province_units.filter(commune__isnull=False).exists()
    commune_units = Unit.objects.filter(level=UnitLevel.COMMUNE).exclude(kind=UnitKind.INSPECTION_COMMISSION)
    assert commune_units.count() == 3 * 3321
    assert (
        commune_units.filter(
            parent__level=UnitLevel.PROVINCE,
            parent__kind=F("kind"),
            parent__province=F("province"),
            commune__province=F("province"),
        ).count()
        == 3 * 3321
    )
    for kind, prefix in KINDS.items():
        assert Unit.objects.filter(kind=kind).count() == 34 + 3321
        assert Unit.objects.filter(kind=kind, code__startswith=f"{prefix}-").count() == 34 + 3321
    assert sorted(Unit.objects.filter(name__startswith="Thành ủy").values_list("name", flat=True)) == [
        "Thành ủy Cần Thơ",
        "Thành ủy Huế",
        "Thành ủy Hà Nội",
        "Thành ủy Hải Phòng",
        "Thành ủy Thành phố Hồ Chí Minh",
        "Thành ủy Đà Nẵng",
    ]
    assert Unit.objects.filter(name__startswith="Tỉnh ủy ").count() == 28

    second = load_units()
    assert second.created == {"province": 0, "commune": 0, "unit": 0}
    assert second.updated == {"province": 0, "commune": 0, "unit": 0}
    assert not second.changed
    assert Unit.objects.count() == 13420


def test_restricted_load(hanoi_hcmc):
    report = load_units(provinces=["04"])  # Cao Bằng
    n = dataset_count("SELECT count(*) FROM admin_units WHERE provinceCode = ?", "04")
    assert n > 0
    assert report.created == {"province": 1, "commune": n, "unit": 4 * (1 + n)}
    assert Commune.objects.filter(province_id="04").count() == n
    assert Unit.objects.get(code="UBND-04").name == "Ủy ban nhân dân Tỉnh Cao Bằng"
    assert Unit.objects.get(code="DU-04").name == "Tỉnh ủy Cao Bằng"
    assert Unit.objects.get(code="MTTQ-04").name == "Ủy ban Mặt trận Tổ quốc Việt Nam Tỉnh Cao Bằng"
    assert Unit.objects.get(code="UBKT-04").name == "Ủy ban Kiểm tra Tỉnh ủy Cao Bằng"
    assert Unit.objects.get(code="UBKT-04").parent.code == "DU-04"
    assert not Province.objects.filter(code="08").exists()
    assert load_units(provinces=["4"]).changed is False  # "4" means "04"


def test_unknown_province_is_refused():
    with pytest.raises(ValueError, match="99"):
        load_units(provinces=["01", "99"])
    assert not Province.objects.exists() or not Province.objects.filter(code="99").exists()


def test_second_load_repairs_names_and_keeps_local_settings(hanoi_hcmc):
    Unit.objects.filter(code="UBND-00004").update(
        name="Tên cũ", answer_working_days=5, remote_area=True, email="ubnd@badinh.example"
    )
    Unit.objects.filter(code="DU-00004").update(parent=Unit.objects.get(code="DU-79"))
    Commune.objects.filter(code="00004").update(name="Phường Cũ")

    report = load_units(provinces=["01"])

    assert report.created == {"province": 0, "commune": 0, "unit": 0}
    assert report.updated == {"province": 0, "commune": 1, "unit": 2}
    unit = Unit.objects.get(code="UBND-00004")
    assert unit.name == "Ủy ban nhân dân Phường Ba Đình"
    assert (unit.answer_working_days, unit.remote_area, unit.email) == (5, True, "ubnd@badinh.example")
    assert Unit.objects.filter(code="DU-00004", parent__code="DU-01").exists()
    assert Commune.objects.get(code="00004").name == "Phường Ba Đình"


def test_hierarchy_of_phuong_ba_dinh(hanoi_hcmc):
    commune = Commune.objects.select_related("province").get(code="00004")
    assert (commune.name, commune.short_name, commune.kind) == ("Phường Ba Đình", "Ba Đình", "Phường")
    assert (commune.province.code, commune.province.name, commune.province.short_name) == (
        "01",
        "Thành phố Hà Nội",
        "Hà Nội",
    )
    assert commune.latitude == pytest.approx(21.04, abs=0.05)
    assert commune.longitude == pytest.approx(105.84, abs=0.05)

    expected = {
        "UBND": ("Ủy ban nhân dân Phường Ba Đình", "Ủy ban nhân dân Thành phố Hà Nội"),
        "DU": ("Đảng ủy Phường Ba Đình", "Thành ủy Hà Nội"),
        "MTTQ": ("Ủy ban MTTQ Việt Nam Phường Ba Đình", "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hà Nội"),
    }
    for kind, prefix in KINDS.items():
        unit = Unit.objects.select_related("parent").get(code=f"{prefix}-00004")
        assert unit.name == expected[prefix][0]
        assert (unit.kind, unit.level, unit.province_id, unit.commune_id) == (
            kind,
            UnitLevel.COMMUNE,
            "01",
            "00004",
        )
        parent = unit.parent
        assert parent is not None
        assert parent.code == f"{prefix}-01"
        assert parent.name == expected[prefix][1]
        assert (parent.kind, parent.level, parent.province_id, parent.commune_id, parent.parent_id) == (
            kind,
            UnitLevel.PROVINCE,
            "01",
            None,
            None,
        )
        # The party committee also has its own inspection commission under it.
        assert parent.children.count() == Commune.objects.filter(province_id="01").count() + (prefix == "DU")
    assert Unit.objects.get(code="DU-79").name == "Thành ủy Thành phố Hồ Chí Minh"
    city, ward = Unit.objects.get(code="UBKT-01"), Unit.objects.get(code="UBKT-00004")
    assert (city.name, city.kind, city.level, city.parent.code) == (
        "Ủy ban Kiểm tra Thành ủy Hà Nội",
        UnitKind.INSPECTION_COMMISSION,
        UnitLevel.PROVINCE,
        "DU-01",
    )
    assert (ward.name, ward.level, ward.commune_id, ward.parent.code) == (
        "Ủy ban Kiểm tra Đảng ủy Phường Ba Đình",
        UnitLevel.COMMUNE,
        "00004",
        "DU-00004",
    )


def test_loadunits_command(hanoi_hcmc):
    out = StringIO()
    call_command("loadunits", "--province", "04", "--province", "01", stdout=out)
    text = out.getvalue()
    assert "Tỉnh, thành phố: tạo mới 1, cập nhật 0" in text
    assert "Đơn vị: tạo mới" in text

    out = StringIO()
    call_command("loadunits", "--province", "04", stdout=out)
    assert "không có gì thay đổi" in out.getvalue()

    with pytest.raises(CommandError, match="99"):
        call_command("loadunits", "--province", "99", stdout=StringIO())


# Places -------------------------------------------------------------------------------------------


def invalid_fields(**kwargs) -> dict[str, list[str]]:
    kwargs.setdefault("province_code", None)
    kwargs.setdefault("commune_code", None)
    with pytest.raises(InvalidInput) as exc:
        resolve_place(**kwargs)
    return {k: [str(m) for m in v] for k, v in exc.value.fields.items()}


def test_chosen_commune(hanoi_hcmc):
    assert resolve_place(province_code="01", commune_code="00004") == Place("01", "00004", None, None)
    assert resolve_place(province_code=None, commune_code="00004", address="12 Phố Bất Kỳ") == Place("01", "00004")
    assert resolve_place(province_code=" 01 ", commune_code="00004 ").commune_code == "00004"


def test_chosen_commune_must_be_in_chosen_province(hanoi_hcmc):
    assert invalid_fields(province_code="79", commune_code="00004") == {
        "commune_code": ["Xã/phường không thuộc tỉnh/thành phố đã chọn."]
    }


@pytest.mark.parametrize("code", ["99999", "0004", "abcde", "０００04", "00004\x00", 4])
def test_unknown_commune(hanoi_hcmc, code):
    assert invalid_fields(province_code="01", commune_code=code) == {
        "commune_code": ["Không tìm thấy xã/phường đã chọn."]
    }


@pytest.mark.parametrize("code", ["99", "1", "xx", "01\x00", "０1"])
def test_unknown_province(hanoi_hcmc, code):
    assert invalid_fields(province_code=code, commune_code="00004") == {
        "province_code": ["Không tìm thấy tỉnh/thành phố đã chọn."]
    }


@pytest.mark.parametrize(
    ("province", "address", "expected"),
    [
        # Pre-2025 addresses (with a district) are converted; Phúc Xá is now part of Phường Hồng Hà.
        (None, "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội", Place("01", "00097", "§", None)),
        ("01", "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội", Place("01", "00097", "§", None)),
        ("01", "Phường Phúc Xá, Quận Ba Đình", Place("01", "00097", "§", None)),
        (None, "phuong phuc xa quan ba dinh ha noi", Place("01", "00097", "§", None)),
        (None, "Phúc Xá, Ba Đình, Hà Nội", Place("01", "00097", "§", None)),
        (
            None,
            "59 nguyen trai, phuong 2, quan 5, tp ho chi minh",
            Place("79", "27301", "§", "59 Nguyen Trai"),
        ),
        (
            "79",
            "59 nguyen trai, phuong 2, quan 5, tp ho chi minh",
            Place("79", "27301", "§", "59 Nguyen Trai"),
        ),
        (None, "Phường Bến Nghé, Quận 1, TP.HCM", Place("79", "26740", "§", None)),  # now Phường Sài Gòn
        # Current addresses are read as they are.
        (None, "Số 5 ngõ 10, Phường Ba Đình, Thành phố Hà Nội", Place("01", "00004", None, "Số 5 Ngõ 10")),
        (None, "Phường Ba Đình, Hà Nội, Việt Nam", Place("01", "00004", None, None)),
        (None, "12 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh", Place("79", "26743", None, "12 Lê Lợi")),
        ("01", "Phường Ba Đình", Place("01", "00004", None, None)),
        # An address in another province than the one chosen is not used.
        ("01", "59 nguyen trai, phuong 2, quan 5, tp ho chi minh", Place("01", None, None, None)),
        ("79", "Phường Ba Đình, Thành phố Hà Nội", Place("79", None, None, None)),
        # Nothing to read: the chosen province alone.
        ("01", "", Place("01", None, None, None)),
        ("01", "asdf qwer", Place("01", None, None, None)),
        ("01", "Phường 1, Quận 1, Hồ Chí Minh", Place("01", None, None, None)),  # Quận 1 had no Phường 1
    ],
)
def test_address(hanoi_hcmc, province, address, expected):
    place = resolve_place(province_code=province, commune_code=None, address=address)
    if expected.converted_from == "§":
        expected = Place(expected.province_code, expected.commune_code, address, expected.street)
    assert place == expected


def test_split_ward_is_converted_offline(hanoi_hcmc, monkeypatch):
    """Old Phường Hàng Bông went to two new wards; the library would geocode the street online."""
    from vietnamadminunits.parser import utils

    def no_network(*args, **kwargs):
        raise AssertionError("the address must not be sent to a geocoding service")

    monkeypatch.setattr(utils.geolocator, "geocode", no_network)
    address = "Số 1 Hàng Bông, Phường Hàng Bông, Quận Hoàn Kiếm, Hà Nội"
    place = resolve_place(province_code=None, commune_code=None, address=address)
    assert place == Place("01", "00070", address, "Số 1 Hàng Bông")  # the default successor, Phường Hoàn Kiếm


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "asdf qwer",
        ",,,",
        "Hà Nội",
        "Quận Ba Đình, Hà Nội",
        "\x00" * 50,
        "a, " * 500,
        "ð" * 5000,
        None,
        123,
    ],
)
def test_garbage_without_province(hanoi_hcmc, address):
    assert invalid_fields(address=address) == {"province_code": ["Vui lòng chọn tỉnh/thành phố."]}


@pytest.mark.parametrize("address", ["", "asdf", "\x00\ud800", "Quận Quận Quận, , ,", "x" * 10000])
def test_garbage_with_province(hanoi_hcmc, address):
    assert resolve_place(province_code="79", commune_code=None, address=address) == Place("79")


def test_converter_errors_become_no_result(hanoi_hcmc, monkeypatch):
    lib = places._library()

    def boom(address):
        raise TypeError("library bug")

    monkeypatch.setattr(lib, "convert_address", boom)
    monkeypatch.setattr(lib, "parse_address", boom)
    assert resolve_place(province_code="01", commune_code=None, address="Phường Ba Đình, Hà Nội") == Place("01")
    assert invalid_fields(address="Phường Ba Đình, Hà Nội") == {"province_code": ["Vui lòng chọn tỉnh/thành phố."]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    province=st.sampled_from([None, "", "01", "79", "99", "1"]),
    commune=st.sampled_from([None, "", "00004", "27301", "99999"]),
    address=st.text(max_size=120) | st.sampled_from(["Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"]),
)
def test_only_invalid_input_is_raised(hanoi_hcmc, province, commune, address):
    try:
        place = resolve_place(province_code=province, commune_code=commune, address=address)
    except InvalidInput as exc:
        assert set(exc.fields) <= {"province_code", "commune_code"}
    else:
        assert Province.objects.filter(code=place.province_code).exists()
        if place.commune_code:
            assert Commune.objects.filter(code=place.commune_code, province_id=place.province_code).exists()


def test_communes_of(hanoi_hcmc):
    hanoi = communes_of("01")
    assert len(hanoi) == Commune.objects.filter(province_id="01").count() > 100
    assert ("00004", "Phường Ba Đình") in hanoi
    assert ("00097", "Phường Hồng Hà") in hanoi
    names = [name for _, name in hanoi]
    assert names.index("Phường Ba Đình") < names.index("Phường Hồng Hà")
    assert names.index("Xã Đa Phúc") > names.index("Xã Dương Hòa")  # đ after d
    assert communes_of("99") == []
    assert communes_of("") == []
    assert communes_of(None) == []


# Admin --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/org/province/",
        "/admin/org/commune/?q=Ba+%C4%90%C3%ACnh&province__code__exact=01",
        "/admin/org/unit/?q=00004&kind__exact=party_committee&level__exact=commune",
        "/admin/org/unit/?province__code__exact=79",
        "/admin/org/membership/",
        "/admin/org/apitoken/",
    ],
)
def test_admin_lists(hanoi_hcmc, admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200


def test_admin_places_are_read_only_and_units_editable(hanoi_hcmc, admin_client, admin_user, rf):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = admin_user
    for model in (Province, Commune):
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    token_admin = admin.site._registry[ApiToken]
    assert not token_admin.has_add_permission(request)
    assert not token_admin.has_delete_permission(request)
    assert "revoke" in token_admin.get_actions(request)

    unit = Unit.objects.get(code="UBND-00004")
    assert admin_client.get(f"/admin/org/unit/{unit.pk}/change/").status_code == 200
    response = admin_client.post(
        "/admin/org/unit/?province__code__exact=01&level__exact=province",
        {
            # The province's four bodies: People's Committee, party committee, its inspection commission, Front.
            "form-TOTAL_FORMS": "4",
            "form-INITIAL_FORMS": "4",
            **{
                f"form-{i}-{field}": value
                for i, u in enumerate(Unit.objects.filter(province_id="01", level="province").order_by("name"))
                for field, value in {
                    "id": u.pk,
                    "answer_working_days": "7" if u.code == "UBND-01" else "",
                    "remote_area": "",
                }.items()
            },
            "_save": "Lưu",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(code="UBND-01").answer_working_days == 7


def test_admin_revokes_tokens(hanoi_hcmc, admin_client, admin_user):
    live = ApiToken.objects.create(user=admin_user, name="Tích hợp", key_hash=ApiToken.hash_key("a"), prefix="aaaa")
    other = ApiToken.objects.create(user=admin_user, name="Khác", key_hash=ApiToken.hash_key("b"), prefix="bbbb")
    response = admin_client.post(
        "/admin/org/apitoken/", {"action": "revoke", "_selected_action": [live.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Đã thu hồi 1 mã truy cập." in response.content.decode()
    live.refresh_from_db()
    other.refresh_from_db()
    assert live.revoked_at is not None
    assert other.revoked_at is None
