"""Retention (docs/retention.md): the schedule as pure functions, the one write path that erases a settled case's
personal data (identity, files, contact) with one audit event and never a value, twice = once, what keeps a case
(open, merged into an open case, protection, hold, period not over), the reveal path after erasure, the command
with its dry run, the worker's daily duty, the seeded rules and the admin."""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from hypothesis import given
from hypothesis import strategies as st

from conftest import COMMUNE, PASSWORD, REPORTER, make_user
from pakn.cases import services
from pakn.cases.audit_check import verify_all
from pakn.cases.models import Answer, AuditEvent, Case, Reporter
from pakn.core.errors import InvalidTransition
from pakn.notify.models import Outbox
from pakn.protection import retention, vault
from pakn.protection import services as protection
from pakn.protection.models import (
    Attachment,
    Erasure,
    KeyWrap,
    ProtectionRequest,
    RetentionHold,
    RetentionRule,
    RetentionRun,
    VaultItem,
)
from pakn.protection.retention_rules import (
    DEFAULT_RULES,
    DUE,
    HOLD,
    NO_RULE,
    NOT_DUE,
    OPEN,
    PERMANENT,
    PROTECTION,
    Rule,
    decide,
    erasable_on,
    kept_until,
    outcome_of,
    pick_rule,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = f"UBND-{COMMUNE}"
SECRETS = [REPORTER["name"], REPORTER["phone"], REPORTER["email"], REPORTER["id_number"]]


def jpeg() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (20, 10), "blue")
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van An"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def rule(code: str, kind: str = "", outcome: str = "", years: int | None = 5) -> Rule:
    return Rule(code, kind, outcome, years, ("identity", "attachments", "contact"), "căn cứ", False)


# ---------------------------------------------------------------- pure


def test_the_most_specific_rule_wins() -> None:
    rules = [
        rule("any"),
        rule("answered", outcome="answered"),
        rule("complaint", kind="complaint"),
        rule("both", "complaint", "answered"),
    ]
    assert pick_rule(rules, kind="complaint", outcome="answered").code == "both"  # type: ignore[union-attr]
    assert pick_rule(rules, kind="complaint", outcome="refused").code == "complaint"  # type: ignore[union-attr]
    assert pick_rule(rules, kind="report", outcome="answered").code == "answered"  # type: ignore[union-attr]
    assert pick_rule(rules, kind="report", outcome="withdrawn").code == "any"  # type: ignore[union-attr]
    assert pick_rule(rules[1:3], kind="report", outcome="withdrawn") is None


def test_outcome_of_a_settled_case() -> None:
    assert outcome_of(status="closed", answer_kinds=["answer"], false_report_action=None) == "answered"
    assert outcome_of(status="closed", answer_kinds=["refusal"], false_report_action=None) == "refused"
    assert outcome_of(status="closed", answer_kinds=["termination"], false_report_action=None) == "withdrawn"
    assert outcome_of(status="refused", answer_kinds=[], false_report_action=None) == "refused"
    assert outcome_of(status="withdrawn", answer_kinds=[], false_report_action=None) == "withdrawn"
    assert outcome_of(status="resolved", answer_kinds=["conclusion"], false_report_action="none") == "answered"
    assert outcome_of(status="resolved", answer_kinds=["conclusion"], false_report_action="referred") == "false_report"


def test_the_period_runs_from_the_year_the_matter_ended() -> None:
    assert kept_until(date(2026, 3, 2), 5) == date(2031, 12, 31)
    assert erasable_on(date(2026, 12, 31), 5) == date(2032, 1, 1)


@given(
    ended=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    years=st.integers(min_value=0, max_value=50),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2150, 12, 31)),
)
def test_due_exactly_after_the_last_day_kept(ended: date, years: int, today: date) -> None:
    verdict = decide(
        rules=[rule("r", years=years)],
        kind="report",
        outcome="answered",
        settled=True,
        held=False,
        protected=False,
        ended_on=ended,
        erased=(),
        today=today,
    )
    assert (verdict.state == DUE) == (today > kept_until(ended, years))
    assert verdict.kept_until == kept_until(ended, years) >= ended


def test_what_keeps_a_case_comes_before_the_rule() -> None:
    base: dict[str, Any] = {
        "rules": [rule("r")],
        "kind": "report",
        "outcome": "answered",
        "settled": True,
        "held": False,
        "protected": False,
        "ended_on": date(2020, 1, 1),
        "erased": (),
        "today": date(2040, 1, 1),
    }
    assert decide(**base).state == DUE
    assert decide(**{**base, "settled": False}).state == OPEN
    assert decide(**{**base, "held": True, "protected": True}).state == HOLD
    assert decide(**{**base, "protected": True}).state == PROTECTION
    assert decide(**{**base, "rules": []}).state == NO_RULE
    assert decide(**{**base, "rules": [rule("r", years=None)]}).state == PERMANENT
    assert decide(**{**base, "today": date(2025, 12, 31)}).state == NOT_DUE
    assert decide(**{**base, "erased": ("identity", "attachments")}).parts == ("contact",)
    assert decide(**{**base, "erased": ("identity", "attachments", "contact")}).state == "done"


# ---------------------------------------------------------------- the write path


@pytest.fixture(autouse=True)
def _schedule(request: pytest.FixtureRequest) -> None:
    """The seeded schedule (migration 0007), also after a live-server test of the same session flushed the tables."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from django.apps import apps

    importlib.import_module("pakn.protection.migrations.0007_default_retention_rules").seed(apps, None)


AFTER = date(2032, 1, 2)  # a report answered in 2026 is kept 5 years: until 31/12/2031


@pytest.fixture(autouse=True)
def _this_year() -> Iterator[None]:
    """The cases of these tests end in 2026 (the seeded rules keep a report answered in 2026 until 31/12/2031)."""
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=TZ), tick=True):
        yield


@pytest.fixture
def officer(db: Any) -> Any:
    user = make_user("baove1", unit_code=UNIT, role="protection_officer")
    protection.setup_key(user=user, password=PASSWORD)
    return user


@pytest.fixture
def officer2(db: Any) -> Any:
    user = make_user("baove2", unit_code=UNIT, role="protection_officer")
    protection.setup_key(user=user, password=PASSWORD)
    return user


@pytest.fixture
def settled(make_case: Callable[..., Case], clerk: Any, officer: Any) -> Callable[..., Case]:
    """A report with the reporter's identity, a photo and an e-mail contact, accepted and answered."""

    def _make(**overrides: Any) -> Case:
        case = make_case(attachments=[("anh.jpg", jpeg())], **overrides)
        services.accept_case(actor=clerk, case=case)
        services.resolve_case(
            actor=clerk, case=case, body=f"Kính gửi ông {REPORTER['name']}: đèn đường đã được thay ngày 10/3."
        )
        return Case.objects.get(pk=case.pk)

    return _make


def blobs_of(case: Case) -> list[Path]:
    data = Path(settings.DATA_DIR)
    files = [data / vault.FILES_DIR / a.clean_blob for a in Attachment.objects.filter(case=case) if a.clean_blob]
    items = VaultItem.objects.filter(case=case).exclude(blob="")
    return files + [data / vault.VAULT_DIR / i.blob for i in items]


@pytest.mark.django_db
def test_erasing_a_settled_case(settled: Callable[..., Case], django_capture_on_commit_callbacks: Any) -> None:
    case = settled()
    files = blobs_of(case)
    assert len(files) == 2 and all(f.exists() for f in files)  # the clean copy and the sealed original
    identity = VaultItem.objects.get(case=case, kind="identity")
    assert Reporter.objects.get(case=case).notify_sealed and Outbox.objects.filter(case=case).exclude(
        sealed_recipient=""
    )
    events_before = case.audit_count

    preview = retention.run(dry_run=True, today=AFTER)
    line = preview.rules["da-tra-loi"]
    assert (line.due, line.erased, dict(line.parts)) == (1, 1, {"identity": 1, "attachments": 1, "contact": 1})
    assert (
        VaultItem.objects.filter(pk=identity.pk).exists() and Case.objects.get(pk=case.pk).audit_count == events_before
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = retention.run(dry_run=False, today=AFTER)

    assert report.erased == 1 and report.rules["da-tra-loi"].parts == {"identity": 1, "attachments": 1, "contact": 1}
    assert not VaultItem.objects.filter(case=case).exists()
    assert not KeyWrap.objects.filter(item_id=identity.pk).exists()
    assert not Attachment.objects.filter(case=case).exists()
    assert not any(f.exists() for f in files)
    reporter = Reporter.objects.get(case=case)
    assert (reporter.notify_sealed, reporter.notify_by, reporter.redaction_terms) == ("", "none", [])
    assert not Outbox.objects.filter(case=case).exclude(sealed_recipient="").exists()
    # The case record stays: status, title, content, answer (redacted now), statistics.
    case.refresh_from_db()
    assert case.status == "resolved" and case.title
    answer = Answer.objects.get(case=case).body
    assert REPORTER["name"] not in answer and "[đã che]" in answer and "đèn đường đã được thay" in answer
    # One event, public, naming the rule and what was erased; no value anywhere in it.
    [event] = AuditEvent.objects.filter(case=case, action="personal_data_erased")
    assert event.seq == events_before + 1 == case.audit_count
    assert event.public and event.actor_label == "retention"
    assert event.data["rule"] == "da-tra-loi" and event.data["erased"] == ["identity", "attachments", "contact"]
    dumped = json.dumps(event.data, ensure_ascii=False)
    assert not any(secret in dumped for secret in SECRETS)
    erasure = Erasure.objects.get(case=case)
    assert erasure.parts == ["identity", "attachments", "contact"] and erasure.rule_code == "da-tra-loi"
    assert verify_all()[1] == []

    # Twice = once.
    again = retention.run(dry_run=False, today=AFTER)
    assert again.erased == 0 and again.rules["da-tra-loi"].due == 0
    assert AuditEvent.objects.filter(case=case, action="personal_data_erased").count() == 1
    assert retention.erase_case(case=case, rule=report.rules["da-tra-loi"].rule) is None


@pytest.mark.django_db
def test_a_rule_that_later_erases_more_adds_only_the_rest(settled: Callable[..., Case]) -> None:
    case = settled()
    RetentionRule.objects.filter(code="da-tra-loi").update(erase_identity=False, erase_attachments=False)
    assert retention.run(dry_run=False, today=AFTER).erased == 1
    assert VaultItem.objects.filter(case=case, kind="identity").exists()
    RetentionRule.objects.filter(code="da-tra-loi").update(erase_identity=True)
    assert retention.run(dry_run=False, today=AFTER).rules["da-tra-loi"].parts == {"identity": 1}
    erased = AuditEvent.objects.filter(case=case, action="personal_data_erased").order_by("seq")
    assert [e.data["erased"] for e in erased] == [["contact"], ["identity"]]
    assert Erasure.objects.get(case=case).parts == ["identity", "contact"]


@pytest.mark.django_db
def test_kept_until_the_period_is_over(settled: Callable[..., Case]) -> None:
    case = settled()
    verdict = retention.verdict_for(case, today=date(2031, 12, 31))
    assert (verdict.state, verdict.kept_until) == (NOT_DUE, date(2031, 12, 31))
    assert retention.run(dry_run=False, today=date(2031, 12, 31)).erased == 0
    assert retention.verdict_for(case, today=AFTER).state == DUE


@pytest.mark.django_db
def test_a_later_event_starts_the_period_again(settled: Callable[..., Case]) -> None:
    case = settled()
    with time_machine.travel(datetime(2027, 6, 1, 9, tzinfo=TZ)):
        services.rate_case(case=case, level=2, comment="Chưa hài lòng")
    assert retention.verdict_for(case, today=AFTER).kept_until == date(2032, 12, 31)


@pytest.mark.django_db
def test_open_held_protected_and_merged_into_open_cases_are_kept(
    settled: Callable[..., Case], make_case: Callable[..., Case], clerk: Any, admin_user: Any
) -> None:
    open_case = make_case()
    assert retention.verdict_for(open_case, today=AFTER).state == OPEN

    protected = settled(kind="denunciation")
    protection.request_protection(case=protected, persons=["self"], measures=["secrecy"])
    assert retention.verdict_for(protected, today=AFTER).state == PROTECTION
    request = ProtectionRequest.objects.get(case=protected)
    protection.decide_protection(actor=clerk_head(), request=request, status="refused", decision="Không có căn cứ")
    assert retention.verdict_for(protected, today=AFTER).state != PROTECTION

    held = settled()
    hold = retention.place_hold(actor=admin_user, case=held, reason="Tòa án yêu cầu hồ sơ (văn bản số 12)")
    assert retention.verdict_for(held, today=AFTER).state == HOLD
    assert retention.run(dry_run=False, today=AFTER).kept[HOLD] == 1
    assert VaultItem.objects.filter(case=held, kind="identity").exists()
    retention.release_hold(actor=admin_user, hold=hold)
    assert retention.verdict_for(held, today=AFTER).state == DUE
    assert [e.action for e in AuditEvent.objects.filter(case=held, public=False).order_by("seq")][-2:] == [
        "retention_hold_placed",
        "retention_hold_released",
    ]

    target = make_case(title="Đèn đường hỏng nhiều ngày")
    merged = make_case()
    services.merge_case(actor=clerk, case=merged, into=target)
    assert retention.verdict_for(Case.objects.get(pk=merged.pk), today=AFTER).state == OPEN
    services.accept_case(actor=clerk, case=target)
    services.resolve_case(actor=clerk, case=target, body="Đã sửa đèn đường.")
    assert retention.verdict_for(Case.objects.get(pk=merged.pk), today=AFTER).state == DUE


@pytest.mark.django_db
def test_a_hold_placed_after_the_schedule_was_read_wins(settled: Callable[..., Case], admin_user: Any) -> None:
    case = settled()
    verdict = retention.verdict_for(case, today=AFTER)
    assert verdict.state == DUE and verdict.rule is not None
    retention.place_hold(actor=admin_user, case=case, reason="Cơ quan điều tra yêu cầu giữ hồ sơ")
    with pytest.raises(InvalidTransition):
        retention.erase_case(case=case, rule=verdict.rule)
    assert VaultItem.objects.filter(case=case, kind="identity").exists()
    assert not AuditEvent.objects.filter(case=case, action="personal_data_erased").exists()


def clerk_head() -> Any:
    return make_user("head_of_unit", unit_code=UNIT, role="head")


@pytest.mark.django_db
def test_the_reveal_path_says_the_identity_was_erased(
    settled: Callable[..., Case], officer: Any, officer2: Any
) -> None:
    case = settled(kind="denunciation")
    asked = protection.request_reveal(
        actor=officer, case=case, legal_basis="verification", reason="Cần làm việc trực tiếp để xác minh."
    )
    protection.decide_reveal(actor=officer2, request=asked, approve=True)
    retention.run(dry_run=False, today=date(2042, 1, 2))  # a denunciation answered in 2026: kept until 2041
    assert not VaultItem.objects.filter(case=case, kind="identity").exists()
    for attempt in (
        lambda: protection.request_reveal(
            actor=officer, case=case, legal_basis="verification", reason="Cần làm việc trực tiếp để xác minh."
        ),
        lambda: protection.reveal_identity(actor=officer, request=asked, password=PASSWORD),
    ):
        with pytest.raises(InvalidTransition) as refused:
            attempt()
        message = str(refused.value.message)
        assert "to-cao-da-giai-quyet" in message and "đã được xóa" in message
        assert date.today().strftime("%d/%m/%Y") in message


# ---------------------------------------------------------------- the command and the worker


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("retention", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_dry_run_then_run(settled: Callable[..., Case]) -> None:
    first, second = settled(), settled()
    with time_machine.travel(datetime(2032, 1, 2, 9, tzinfo=TZ)):
        out, err = command("run", "--dry-run")
        assert "dry run, nothing erased" in out
        assert "rule=da-tra-loi confirmed=no due=2 would_erase=2 identity=2 attachments=2 contact=2" in out
        assert "warning: rule da-tra-loi is not confirmed" in err
        assert VaultItem.objects.filter(case__in=[first, second], kind="identity").count() == 2
        out, _err = command("run", "--limit", "1")
        assert "rule=da-tra-loi confirmed=no due=2 erased=1" in out and "total: due=2 erased=1 failed=0" in out
        out, _err = command("run")
        assert "due=1 erased=1" in out
        out, _err = command("run")
        assert "total: due=0 erased=0" in out
    assert not VaultItem.objects.filter(case__in=[first, second]).exists()
    assert RetentionRun.objects.filter(dry_run=True).count() == 1 and RetentionRun.objects.count() == 4
    assert not any(secret in out for secret in SECRETS)


@pytest.mark.django_db
def test_the_command_lists_the_rules() -> None:
    out, _err = command("rules")
    for default in DEFAULT_RULES:
        assert f"rule={default['code']} " in out
    assert "confirmed=no" in out and "Thông tư 10/2022/TT-BNV" in out


@pytest.mark.django_db
def test_the_worker_runs_it_once_a_day(settled: Callable[..., Case]) -> None:
    case = settled()

    def worker() -> str:
        out = io.StringIO()
        call_command("worker", stdout=out)
        return out.getvalue()

    with time_machine.travel(datetime(2032, 1, 2, 9, tzinfo=TZ)):
        assert "retention_erased=1" in worker()
        assert not VaultItem.objects.filter(case=case).exists()
        assert "retention_erased=0" in worker()
        assert RetentionRun.objects.filter(scheduled=True, day=date(2032, 1, 2)).count() == 1
        assert retention.daily_run() == 0
    with time_machine.travel(datetime(2032, 1, 3, 9, tzinfo=TZ)):
        assert "retention_erased=0" in worker()
    assert list(RetentionRun.objects.filter(scheduled=True).values_list("day", flat=True).order_by("day")) == [
        date(2032, 1, 2),
        date(2032, 1, 3),
    ]


# ---------------------------------------------------------------- the seeded rules and the admin

seeding = importlib.import_module("pakn.protection.migrations.0007_default_retention_rules")


@pytest.mark.django_db
def test_the_schedule_is_seeded_and_unseeded() -> None:
    apps = MigrationLoader(connection).project_state(("protection", "0007_default_retention_rules"), at_end=True).apps
    assert set(RetentionRule.objects.values_list("code", flat=True)) >= {r["code"] for r in DEFAULT_RULES}
    assert not RetentionRule.objects.filter(confirmed=True).exists()  # nobody has checked the years yet
    RetentionRule.objects.filter(code="da-tra-loi").update(years=10)
    local = RetentionRule.objects.create(code="tinh-01", kind="opinion", years=2, citation="Quy chế tỉnh")
    seeding.unseed(apps, None)
    assert list(RetentionRule.objects.values_list("code", flat=True)) == [local.code]
    seeding.seed(apps, None)
    seeding.seed(apps, None)  # idempotent
    assert RetentionRule.objects.count() == len(DEFAULT_RULES) + 1
    for default in DEFAULT_RULES:
        row = RetentionRule.objects.get(code=default["code"])
        assert (row.kind, row.outcome, row.years, row.citation) == (
            default["kind"],
            default["outcome"],
            default["years"],
            default["citation"],
        )
        assert len(row.citation) <= 400
    [operation] = seeding.Migration.operations
    assert operation.reversible and operation.reverse_code is seeding.unseed


@pytest.mark.django_db
def test_the_admin_shows_the_schedule_and_places_holds(
    login: Callable[[Any], Any], admin_user: Any, settled: Callable[..., Case]
) -> None:
    case = settled()
    retention.run(dry_run=True, today=AFTER)
    client = login(admin_user)
    page = client.get("/admin/protection/retentionrule/").content.decode()
    assert "khieu-nai-da-giai-quyet" in page and "Các lần chạy gần nhất" in page and "da-tra-loi: 1" in page
    response = client.post(
        "/admin/protection/retentionhold/add/", {"case": case.pk, "reason": "Thanh tra tỉnh yêu cầu"}
    )
    assert response.status_code == 302
    hold = RetentionHold.objects.get(case=case)
    assert AuditEvent.objects.filter(case=case, action="retention_hold_placed").exists()
    client.post("/admin/protection/retentionhold/", {"action": "release", "_selected_action": [hold.pk]})
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == admin_user
    for path in ("/admin/protection/erasure/", "/admin/protection/retentionrun/", "/admin/protection/datarequest/"):
        assert client.get(path).status_code == 200
