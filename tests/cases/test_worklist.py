"""The case list's tools: labels (one audit event per case, the unit's own), saved searches (private, only
filters), bulk forward and label (each case on its own; a refusal as a whole keeps what was ticked and typed) and
columns sorted by a click."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import COMMUNE, OTHER_COMMUNE
from pakn.cases import services
from pakn.cases.models import AuditEvent, SavedSearch, Tag
from pakn.core.errors import Forbidden, InvalidInput


@pytest.mark.django_db
def test_a_label_belongs_to_the_case_unit_and_is_audited(make_case: Any, clerk: Any, other_clerk: Any) -> None:
    case = make_case()
    services.tag_case(actor=clerk, case=case, name="  Cần   xác minh thực địa ")
    services.tag_case(actor=clerk, case=case, name="cần xác minh thực địa")  # the same label: nothing new
    tag = Tag.objects.get()
    assert (tag.name, tag.unit_id) == ("Cần xác minh thực địa", case.unit_id)
    assert list(case.tags.all()) == [tag]
    services.untag_case(actor=clerk, case=case, tag_id=tag.pk)
    assert not case.tags.exists()
    events = AuditEvent.objects.filter(case=case, action__in=["tagged", "untagged"]).order_by("seq")
    assert [(e.action, e.public, e.data["tag"]) for e in events] == [
        ("tagged", False, "Cần xác minh thực địa"),
        ("untagged", False, "Cần xác minh thực địa"),
    ]
    with pytest.raises(InvalidInput):
        services.tag_case(actor=clerk, case=case, name="   ")
    with pytest.raises(InvalidInput):
        services.tag_case(actor=clerk, case=case, name="x" * 41)
    with pytest.raises(Forbidden):
        services.tag_case(actor=other_clerk, case=case, name="Không được")


@pytest.mark.django_db
def test_the_citizen_never_sees_a_label(make_case: Any, clerk: Any, client: Any) -> None:
    case = make_case()
    services.tag_case(actor=clerk, case=case, name="Nghi trùng đơn")
    page = client.get(f"/track/{case.tracking_code}/").content.decode()
    assert "Nghi trùng đơn" not in page and "Gắn nhãn" not in page


@pytest.mark.django_db
def test_bulk_label_and_filter_by_label(make_case: Any, clerk: Any, login: Any) -> None:
    cases = [make_case(title=f"Rác thải ùn ứ điểm {i}") for i in range(4)]
    other = make_case(title="Đèn đường hỏng")
    staff = login(clerk)
    response = staff.post(
        reverse("staff_bulk_action"),
        {"case": [c.pk for c in cases], "action": "tag", "label": "Môi trường", "next": "/staff/"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="tagged", case__in=cases).count() == 4
    tag = Tag.objects.get(name="Môi trường")
    listed = staff.get("/staff/", {"status": "open", "tag": str(tag.pk)}).content.decode()
    assert all(c.title in listed for c in cases) and other.title not in listed
    assert '<span class="tag">Môi trường</span>' in listed


@pytest.mark.django_db
def test_bulk_forward_checks_each_case_and_a_refusal_keeps_the_text(
    make_case: Any, clerk: Any, login: Any, other_clerk: Any
) -> None:
    from pakn.org.models import Unit

    mine = [make_case(title=f"Lấn chiếm vỉa hè số {i}") for i in range(3)]
    staff = login(clerk)
    # No unit chosen: nothing done, the ticks and the reason kept for the list.
    response = staff.post(
        reverse("staff_bulk_action"),
        {"case": [c.pk for c in mine], "action": "forward", "reason": "Thuộc thẩm quyền phường bên", "next": "/staff/"},
    )
    assert response.status_code == 302
    page = staff.get("/staff/").content.decode()
    assert "Chọn đơn vị nhận." in page
    assert "Thuộc thẩm quyền phường bên" in page
    assert all(f'value="{c.pk}" id="pick-{c.pk}" checked' in page for c in mine)
    assert not AuditEvent.objects.filter(action="forwarded").exists()

    target = Unit.objects.get(code=f"UBND-{OTHER_COMMUNE}")
    response = staff.post(
        reverse("staff_bulk_action"),
        {
            "case": [c.pk for c in mine],
            "action": "forward",
            "to_unit": target.code,
            "reason": "Địa điểm thuộc phường Ngọc Hà",
            "next": "/staff/",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="forwarded", case__in=mine).count() == 3
    for case in mine:
        case.refresh_from_db()
        assert case.unit == target
    # A clerk of another unit cannot act on a case they do not handle: not found, nothing done.
    kept = make_case(title="Vẫn của phường Ba Đình")
    outsider = login(other_clerk)
    outsider.post(reverse("staff_bulk_action"), {"case": [kept.pk], "action": "tag", "label": "Lạ", "next": "/staff/"})
    assert not kept.tags.exists() and not Tag.objects.filter(name="Lạ").exists()
    assert "Chọn ít nhất một hồ sơ." in outsider.get("/staff/").content.decode()


@pytest.mark.django_db
def test_the_no_script_unit_search_keeps_the_ticks(make_case: Any, clerk: Any, login: Any) -> None:
    case = make_case()
    staff = login(clerk)
    response = staff.post(
        reverse("staff_bulk_action"),
        {"case": [case.pk], "action": "forward", "unit_search": "ngoc ha", "find_unit": "1", "next": "/staff/"},
    )
    assert response["Location"] == "/staff/#bulk-forward"
    page = staff.get("/staff/").content.decode()
    assert f'id="pick-{case.pk}" checked' in page
    assert "Phường Ngọc Hà" in page  # the search's matches in the unit list


@pytest.mark.django_db
def test_a_saved_search_is_private_and_keeps_only_filters(clerk: Any, head: Any, login: Any) -> None:
    staff = login(clerk)
    response = staff.post(
        reverse("staff_save_search"),
        {"name": "Quá hạn của phường", "query": "status=open&due=overdue&page=3&case=7&evil=1"},
    )
    saved = SavedSearch.objects.get(user=clerk)
    assert saved.query == "due=overdue&status=open"
    assert response["Location"] == "/staff/?due=overdue&status=open"
    assert "Quá hạn của phường" in staff.get("/staff/").content.decode()
    assert "Quá hạn của phường" not in login(head).get("/staff/").content.decode()
    login(head).post(reverse("staff_delete_search", args=[saved.pk]))  # not theirs: nothing happens
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    staff.post(reverse("staff_delete_search", args=[saved.pk]))
    assert not SavedSearch.objects.exists()
    staff.post(reverse("staff_save_search"), {"name": "", "query": "status=open"})
    staff.post(reverse("staff_save_search"), {"name": "Không lọc gì", "query": "page=2"})
    too_long = staff.post(reverse("staff_save_search"), {"name": "Dài", "query": "q=" + "đèn " * 400})
    assert too_long.status_code == 302 and not SavedSearch.objects.exists()
    assert "Điều kiện lọc quá dài để lưu." in staff.get("/staff/").content.decode()


@pytest.mark.django_db
def test_every_column_sorts_both_ways(make_case: Any, clerk: Any, login: Any) -> None:
    make_case(title="A đầu tiên")
    make_case(title="Z cuối cùng")
    staff = login(clerk)
    for key in ("code", "title", "kind", "status", "unit", "due", "assignee", "received"):
        for sort in (key, f"-{key}"):
            assert staff.get("/staff/", {"status": "open", "sort": sort}).status_code == 200
    ascending = staff.get("/staff/", {"status": "open", "sort": "title"}).content.decode()
    descending = staff.get("/staff/", {"status": "open", "sort": "-title"}).content.decode()
    assert ascending.index("A đầu tiên") < ascending.index("Z cuối cùng")
    assert descending.index("Z cuối cùng") < descending.index("A đầu tiên")
    assert 'aria-sort="descending"><a href="?status=open&amp;sort=title">Tiêu đề' in descending
    assert COMMUNE  # the cases are the ward's


@pytest.mark.django_db
def test_labels_through_the_api(make_case: Any, clerk: Any, client: Any) -> None:
    import secrets

    from pakn.org.models import ApiToken, TokenScope

    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=clerk, name="t", key_hash=ApiToken.hash_key(raw), prefix=raw[:8], scope=TokenScope.WRITE
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    case, other = make_case(), make_case(title="Khác")
    added = client.post(
        f"/api/v1/cases/{case.pk}/tags", {"name": "Cần  xác minh"}, content_type="application/json", **headers
    )
    assert added.status_code == 201 and [t["name"] for t in added.json()] == ["Cần xác minh"]
    listed = client.get("/api/v1/cases", {"tag": "cần xác minh"}, **headers).json()
    assert [c["tracking_code"] for c in listed["items"]] == [case.tracking_code]
    assert other.tracking_code not in str(listed)
    tag_id = added.json()[0]["id"]
    assert client.delete(f"/api/v1/cases/{case.pk}/tags/{tag_id}", **headers).status_code == 204
    assert client.get(f"/api/v1/cases/{case.pk}/tags", **headers).json() == []
