"""The register of refused receptions (Luật Tiếp công dân 2013, Điều 9): only the grounds of the law, ground 3 names
the settled matter, the person's details sealed, each unit's staff and the Front of the area read their units'."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from tests.reception.test_reception import unit

from conftest import COMMUNE, OTHER_COMMUNE, identity_of, make_user
from pakn.core.errors import Forbidden, InvalidInput
from pakn.reception import refusals
from pakn.reception.models import Activity, RefusedVisit

WARD = f"UBND-{COMMUNE}"


def refuse(actor: Any, **extra: Any) -> RefusedVisit:
    data: dict[str, Any] = {
        "actor": actor,
        "unit": unit(WARD),
        "refused_on": date(2026, 4, 21),
        "ground": "threatening",
        "explanation": "Ông Lê Văn Tám to tiếng, đập bàn, không dừng khi được nhắc; đã lập biên bản.",
        "refused_by": "Nguyễn Văn Hải, công chức tiếp công dân",
        "name": "Lê Văn Tám",
        "id_number": "001085077777",
    }
    data.update(extra)
    return refusals.record_refusal(**data)


def test_a_refusal_rests_on_a_ground_of_article_9(clerk: Any, travel: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        refuse(clerk, ground="busy", explanation="", refused_by="")
    assert {"ground", "explanation", "refused_by"} <= set(caught.value.fields)
    with pytest.raises(InvalidInput) as caught:
        refuse(clerk, ground="settled")
    assert "khoản 3" in str(caught.value.fields["earlier_matter"][0])
    with pytest.raises(InvalidInput):
        refuse(clerk, refused_on=date(2026, 4, 22))  # tomorrow
    settled = refuse(clerk, ground="settled", earlier_matter="Quyết định 45/QĐ-UBND ngày 02/3/2025; Thông báo 12/TB")
    assert settled.get_ground_display().endswith("(khoản 3)")
    assert Activity.objects.filter(action="refused", object_id=settled.pk).exists()


def test_the_person_is_sealed_and_named_by_a_pseudonym(clerk: Any, travel: Any) -> None:
    refusal = refuse(clerk)
    assert "Lê Văn Tám" not in refusal.explanation and "[" in refusal.explanation  # their name removed
    assert refusal.identity is not None and str(refusal.pseudonym).startswith("Người bị từ chối #")
    unknown = refuse(clerk, name="", id_number="", explanation="Một người say rượu, không rõ danh tính.")
    assert unknown.identity is None and str(unknown.pseudonym) == "Không rõ danh tính"
    assert identity_of(refusal) == {}  # not a case's item: only the protection officers' reveal opens it


def test_who_writes_and_who_reads(clerk: Any, other_clerk: Any, supervisor: Any, travel: Any) -> None:
    with pytest.raises(Forbidden):
        refuse(other_clerk)
    with pytest.raises(Forbidden):
        refuse(supervisor)  # the Front reads, never writes
    refusal = refuse(clerk)
    assert list(refusals.readable_refusals(clerk)) == [refusal]
    assert list(refusals.readable_refusals(supervisor)) == [refusal]
    assert not refusals.readable_refusals(other_clerk).exists()
    far = make_user("far_front", unit_code=f"MTTQ-{OTHER_COMMUNE}", role="supervisor")
    assert not refusals.readable_refusals(far).exists()


def test_pages_and_api(clerk: Any, login: Any, travel: Any, supervisor: Any) -> None:
    staff = login(clerk)
    form = staff.get(reverse("reception_refusal_new"))
    assert form.status_code == 200 and "Điều 9" in form.content.decode()
    typed = {"unit": unit(WARD).pk, "ground": "settled", "refused_on": "21/04/2026",
             "explanation": "Đến lần thứ 12.", "refused_by": "Hải"}  # fmt: skip
    bad = staff.post(reverse("reception_refusal_new"), typed)
    assert bad.status_code == 400 and "khoản 3" in bad.content.decode()
    assert "Đến lần thứ 12." in bad.content.decode()  # what was typed is kept
    done = staff.post(reverse("reception_refusal_new"), {**typed, "earlier_matter": "QĐ 45/QĐ-UBND"})
    assert done.status_code == 302
    listing = login(supervisor).get(reverse("reception_refusals")).content.decode()
    assert "QĐ 45/QĐ-UBND" in listing and "(khoản 3)" in listing
    api = staff.post(
        "/api/v1/reception/refusals",
        {"unit_code": WARD, "refused_on": "2026-04-21", "ground": "incapacitated", "explanation": "Say rượu.",
         "refused_by": "Hải"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 201 and api.json()["person"] == "Không rõ danh tính"
    read = login(supervisor).get("/api/v1/reception/refusals").json()
    assert [r["ground"] for r in read] == ["incapacitated", "settled"]  # newest first
