"""Data migration cases.0004: the complaint acceptance period becomes 10 days (Luật Khiếu nại 2011, Điều 27,
36) and the open cases counted with the old 10 working days are recomputed, the old date kept in the audit
chain; backwards restores the rules and the dates, again through the chain.

The migration's functions are run against the current models (``django.apps.apps``): the fields they touch
are the same in the historical state of 0004. The database is first put back in the state 0003 left: the
rule as shipped then (10 working days), the new rule rows absent, the 2026 rule not flagged."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from pakn.cases import policy
from pakn.cases.audit_check import verify_all
from pakn.cases.models import AuditEvent, Case, DeadlineRule, Obligation

migration = importlib.import_module("pakn.cases.migrations.0004_legal_review_deadlines")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_CODES = [r[0] for r in migration.NEW_RULES]


@pytest.fixture
def state_of_0003(db: Any) -> Iterator[None]:
    DeadlineRule.objects.filter(code="complaint.accept.2012").update(unit="working_days")
    DeadlineRule.objects.filter(code="complaint.accept.2026").update(confirmed=True)
    DeadlineRule.objects.filter(code__in=NEW_CODES).delete()
    DeadlineRule.objects.filter(citation=migration.NEW_ANSWER_CITATION).update(citation=migration.OLD_ANSWER_CITATION)
    policy.clear_caches()
    yield
    policy.clear_caches()


def run(function: Callable[..., None]) -> None:
    function(apps, None)  # the data functions do not use the schema editor
    policy.clear_caches()


@pytest.mark.django_db
def test_forwards_recomputes_open_complaints_and_backwards_restores_them(
    state_of_0003: None, make_case: Callable[..., Case], clerk: Any
) -> None:
    from pakn.cases import services

    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False):
        # Received Mon Mar 2, 2026. Old rule, 10 working days: Mar 3(1) 4 5 6(4) 9(5) 10 11 12 13(9) 16(10)
        # → Mon Mar 16. New rule, 10 days: Mar 2 + 10 = Thu Mar 12, a working day.
        waiting = make_case(kind="complaint")
        accepted = services.accept_case(actor=clerk, case=make_case(kind="complaint"))  # no open accept
        report = make_case(kind="report")
    [accept] = Obligation.objects.filter(case=waiting, met_on__isnull=True)
    assert (accept.rule_code, accept.due_on) == ("complaint.accept.2012", date(2026, 3, 16))
    untouched = {c.pk: (Case.objects.get(pk=c.pk).audit_count, c.due_on) for c in (accepted, report)}

    run(migration.forwards)

    accept.refresh_from_db()
    waiting = Case.objects.get(pk=waiting.pk)
    assert accept.due_on == waiting.due_on == date(2026, 3, 12)
    event = AuditEvent.objects.filter(case=waiting).order_by("-seq").first()
    assert event is not None and event.action == "deadline_recomputed" and event.actor_label == "system"
    assert event.data["previous_due_on"] == "2026-03-16" and event.data["due_on"] == "2026-03-12"
    assert event.data["rule"] == "complaint.accept.2012" and event.public
    for pk, (count, due) in untouched.items():
        case = Case.objects.get(pk=pk)
        assert (case.audit_count, case.due_on) == (count, due)
    rule = DeadlineRule.objects.get(code="complaint.accept.2012")
    assert (rule.amount, rule.unit) == (10, "days")
    assert not DeadlineRule.objects.get(code="complaint.accept.2026").confirmed
    assert set(NEW_CODES) <= set(DeadlineRule.objects.values_list("code", flat=True))
    assert not DeadlineRule.objects.filter(citation=migration.OLD_ANSWER_CITATION).exists()
    assert verify_all()[1] == []

    run(migration.forwards)  # idempotent: nothing left to move
    assert AuditEvent.objects.filter(case=waiting, action="deadline_recomputed").count() == 1

    run(migration.backwards)

    accept.refresh_from_db()
    assert accept.due_on == Case.objects.get(pk=waiting.pk).due_on == date(2026, 3, 16)
    back = AuditEvent.objects.filter(case=waiting).order_by("-seq").first()
    assert back is not None and back.data["previous_due_on"] == "2026-03-12" and back.data["due_on"] == "2026-03-16"
    assert DeadlineRule.objects.get(code="complaint.accept.2012").unit == "working_days"
    assert not DeadlineRule.objects.filter(code__in=NEW_CODES).exists()
    assert verify_all()[1] == []


@pytest.mark.django_db
def test_forwards_leaves_an_administrators_own_rule_alone(state_of_0003: None, make_case: Callable[..., Case]) -> None:
    DeadlineRule.objects.filter(code="complaint.accept.2012").update(amount=12)
    policy.clear_caches()
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False):
        case = make_case(kind="complaint")
    due = Case.objects.get(pk=case.pk).due_on
    run(migration.forwards)
    assert Case.objects.get(pk=case.pk).due_on == due
    assert not AuditEvent.objects.filter(case=case, action="deadline_recomputed").exists()


def test_migration_is_the_leaf_after_0003() -> None:
    assert ("cases", "0003_forward_escalation_flag") in migration.Migration.dependencies
