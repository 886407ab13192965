import pytest

from pakn.cases import services
from pakn.cases.models import Case


@pytest.mark.django_db
def test_report_lifecycle(make_case, clerk):
    case = make_case()
    assert case.status == "received"
    assert case.unit.code == "UBND-00004"
    assert case.track == "feedback"
    case = services.accept_case(actor=clerk, case=case)
    case = services.resolve_case(actor=clerk, case=case, body="Đã thay bóng đèn.")
    assert Case.objects.get(pk=case.pk).status == "resolved"
