"""The staff case page offers the verification copy (Luật Tố cáo 2018, Điều 56) and protection requests for
cases that report a person — denunciations and reports about an official — and not for a street light."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db
def test_protection_tools_only_where_a_person_is_reported(make_case: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    street_light = make_case(kind="report")
    denunciation = make_case(kind="denunciation")
    about_official = make_case(kind="report", subject="Ông Nguyễn Văn A, cán bộ địa chính UBND phường Ba Đình")
    for case, shown in ((street_light, False), (denunciation, True), (about_official, True)):
        assert case.unit.code == "UBND-00004"
        page = client.get(f"/staff/cases/{case.pk}/").content.decode()
        assert ('id="copy-h"' in page) is shown, case.kind
        assert ('id="prot-h"' in page) is shown, case.kind
