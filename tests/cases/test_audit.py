"""The hash-chained audit log: ``pakn audit verify`` passes on a clean log and reports every event that
was changed or removed behind the application's back (raw UPDATE / DELETE)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pakn.cases import services
from pakn.cases.audit_check import verify_all
from pakn.cases.models import AuditEvent, Case
from pakn.core import append_only


def verify() -> tuple[str, str]:
    """Run ``pakn audit verify``; (stdout, stderr). Raises CommandError when it finds problems."""
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails() -> str:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify", stdout=out, stderr=err)
    return f"{info.value}\n{err.getvalue()}"


def raw(sql: str, *params: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(AuditEvent._meta.db_table)), params)
        return cursor.rowcount


@pytest.fixture
def history(make_case: Callable[..., Case], clerk: Any) -> list[Case]:
    """Three cases with some history: 2, 5 and 1 events. The database's append-only trigger is dropped
    first (inside the test's transaction): these tests play an attacker with schema rights, to show that
    ``pakn audit verify`` still catches what they do."""
    append_only.uninstall(connection)
    first = services.resolve_case(actor=clerk, case=make_case(), body="Đã thay bóng đèn.")
    second = make_case(kind="complaint")
    second = services.accept_case(actor=clerk, case=second)
    second = services.start_case(actor=clerk, case=second)
    services.add_information(case=second, body="Bổ sung chứng cứ")
    second = services.suspend_case(actor=clerk, case=second, reason="Chờ giám định")
    third = make_case(kind="opinion")
    cases = [Case.objects.get(pk=c.pk) for c in (first, second, third)]
    assert [c.audit_count for c in cases] == [2, 5, 1]
    return cases


def events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case=case).order_by("seq"))


@pytest.mark.django_db
def test_clean_log_verifies(history: list[Case]) -> None:
    out, err = verify()
    assert "OK" in out and "3 case" in out
    assert err == ""
    # The chain really is a chain.
    chain = events(history[1])
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == "0" * 64
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(chain, chain[1:], strict=False))
    assert Case.objects.get(pk=history[1].pk).audit_head == chain[-1].hash


@pytest.mark.django_db
def test_empty_log_verifies(db: Any) -> None:
    out, _ = verify()
    assert "OK" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"data": {"reason": "Lý do đã bị sửa"}},
        {"action": "closed"},
        {"actor_label": "staff:999"},
        {"public": False},
        {"unit_id": None},
    ],
    ids=["data", "action", "actor", "public", "unit"],
)
def test_changed_event_is_reported(change: dict[str, Any], history: list[Case]) -> None:
    case = history[1]
    target = events(case)[3]  # seq 4 of 5 ("information_added"): a middle event
    assert AuditEvent.objects.filter(pk=target.pk).update(**change) == 1  # QuerySet.update bypasses save()
    report = verify_fails()
    assert f"{case.tracking_code} #4" in report
    assert "changed" in report
    for other in (history[0], history[2]):
        assert other.tracking_code not in report
    assert [p.seq for p in verify_all()[1]] == [4]


@pytest.mark.django_db
def test_changed_timestamp_is_reported(history: list[Case]) -> None:
    from datetime import timedelta

    target = events(history[0])[0]
    AuditEvent.objects.filter(pk=target.pk).update(created_at=target.created_at - timedelta(days=3))
    assert f"{history[0].tracking_code} #1" in verify_fails()


@pytest.mark.django_db
def test_rewritten_hash_breaks_the_next_link(history: list[Case]) -> None:
    """Changing an event and recomputing its own hash still breaks the link from the next event."""
    from pakn.cases.services import event_payload
    from pakn.core.audit import chain_hash

    case = history[1]
    target = events(case)[1]
    target.data = {**target.data, "complexity": "especially_complex"}
    new_hash = chain_hash(target.prev_hash, event_payload(target, case.tracking_code))
    AuditEvent.objects.filter(pk=target.pk).update(data=target.data, hash=new_hash)
    report = verify_fails()
    assert f"{case.tracking_code} #3" in report
    assert "link" in report


@pytest.mark.django_db
def test_deleted_middle_event_is_reported(history: list[Case]) -> None:
    case = history[1]
    target = events(case)[2]
    assert raw("DELETE FROM {table} WHERE id = %s", target.pk) == 1
    report = verify_fails()
    assert case.tracking_code in report
    assert "missing" in report or "removed" in report


@pytest.mark.django_db
@pytest.mark.parametrize("index", [0, 1])
def test_deleted_last_event_is_reported(index: int, history: list[Case]) -> None:
    case = history[index]
    last = events(case)[-1]
    assert raw("DELETE FROM {table} WHERE id = %s", last.pk) == 1
    report = verify_fails()
    assert case.tracking_code in report
    assert f"records {case.audit_count} events" in report


@pytest.mark.django_db
def test_deleted_only_event_is_reported(history: list[Case]) -> None:
    case = history[2]
    assert raw("DELETE FROM {table} WHERE case_id = %s", case.pk) == 1
    assert case.tracking_code in verify_fails()


@pytest.mark.django_db
def test_deleted_last_event_with_a_forged_count_is_reported(history: list[Case]) -> None:
    """Removing the last event and lowering the case's counter still leaves the recorded head behind."""
    case = history[1]
    last = events(case)[-1]
    raw("DELETE FROM {table} WHERE id = %s", last.pk)
    Case.objects.filter(pk=case.pk).update(audit_count=case.audit_count - 1)
    assert case.tracking_code in verify_fails()


@pytest.mark.django_db
def test_queryset_delete_is_reported(history: list[Case]) -> None:
    """QuerySet.delete() bypasses AuditEvent.delete(); the chain still shows the gap."""
    case = history[0]
    AuditEvent.objects.filter(case=case, seq=2).delete()
    assert case.tracking_code in verify_fails()


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_model(history: list[Case]) -> None:
    event = events(history[0])[0]
    event.data = {"forged": True}
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.data != {"forged": True}
    verify()


@pytest.mark.django_db
def test_log_stays_valid_through_a_whole_lifecycle(
    make_case: Callable[..., Case], clerk: Any, province_head: Any
) -> None:
    case = make_case(kind="complaint")
    case = services.accept_case(actor=clerk, case=case)
    case = services.resolve_case(actor=clerk, case=case, body="Kết luận", kind="conclusion")
    services.rate_case(case=case, level=1, comment="Không đồng ý")
    case = services.escalate_case(case=case, reason="Đề nghị cấp trên")
    case = services.accept_case(actor=province_head, case=case)
    other = make_case(kind="complaint")
    services.merge_case(actor=province_head, case=case, into=other)
    verify()
    assert list(AuditEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "submitted",
        "accepted",
        "resolved",
        "rated",
        "escalated",
        "accepted",
        "merged",
    ]
    assert Case.objects.get(pk=other.pk).audit_count == 2


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_remove_events(make_case: Callable[..., Case], clerk: Any) -> None:
    from django.db import DatabaseError, transaction

    case = services.resolve_case(actor=clerk, case=make_case(), body="Đã thay bóng đèn.")
    first = events(case)[0]
    statements = ["UPDATE {table} SET data = '{}' WHERE id = %s"]
    if connection.vendor == "postgresql":  # SQLite keeps DELETE for its test flush (see append_only)
        statements.append("DELETE FROM {table} WHERE id = %s")
    for sql in statements:
        with pytest.raises(DatabaseError) as refused, transaction.atomic():
            raw(sql, first.pk)
        assert "append-only" in str(refused.value)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=first.pk).update(data={"forged": True})
    assert AuditEvent.objects.get(pk=first.pk).data == first.data
    verify()


@pytest.mark.django_db
def test_the_guard_comes_back_after_migrate_even_if_a_migration_dropped_it() -> None:
    from django.db.models.signals import post_migrate

    from pakn.core.append_only import reinstall_after_migrate

    append_only.uninstall(connection)
    reinstall_after_migrate(sender=None, using="default")  # what every `pakn migrate` ends with
    assert post_migrate.has_listeners()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'pakn_append_only_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname = 'pakn_append_only'")
        assert len(cursor.fetchall()) == len(append_only.TABLES)
