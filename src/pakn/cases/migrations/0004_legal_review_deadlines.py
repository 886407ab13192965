"""Legal review of the deadline rules (docs/deadlines.md):

* ``DeadlineRule.confirmed``: a citation that could not be checked against the official text is shown as
  "chưa xác nhận căn cứ pháp lý" (``complaint.accept.2026``, from an unconfirmed copy of "Nghị định
  155/2026/NĐ-CP");
* ``complaint.accept.2012`` is **10 days** (Luật Khiếu nại 2011, Điều 27, Điều 36: "10 ngày"), not 10 working
  days: every open obligation counted with it is recomputed from its start (Civil Code 2015 Art. 147–148),
  and each changed case gets a ``deadline_recomputed`` event in its audit chain with the old and the new
  date (appended with the same canonical hash as ``services.record_event``; the append-only trigger only
  refuses UPDATE and DELETE);
* new rule rows: denunciation acceptance extended to 10 working days (Luật Tố cáo 2018, Điều 24 khoản 1),
  notice of acceptance (Điều 29 khoản 3), publication of the conclusion (Điều 40), escalation periods
  (Luật Khiếu nại 2011, Điều 33, and product defaults for reports, petitions and opinions);
* the answer period's citation no longer names a non-existent "Quy chế mẫu PAKN".

Backwards: the rules go back to what they were and every obligation this migration moved (and nobody moved
since) gets its old date back, with another ``deadline_recomputed`` event. The rule data is frozen here, not
imported, so that later edits of ``DEFAULT_RULES`` do not change history. After migrating, run
``pakn stats_rebuild`` so the public statistics see the new due dates."""

from datetime import date

from django.db import migrations, models
from django.utils import timezone

MIGRATION = "cases.0004"
ACCEPT_CODE = "complaint.accept.2012"
UNCONFIRMED_CODE = "complaint.accept.2026"
OLD_ANSWER_CITATION = (
    "Quy chế mẫu PAKN (mặc định, đơn vị có thể thay đổi); chuyển đơn phản ánh, kiến nghị về quy định "
    "hành chính đến cơ quan có thẩm quyền: Nghị định 20/2008/NĐ-CP, Điều 9"
)
NEW_ANSWER_CITATION = (
    "Thời hạn mặc định của hệ thống, không phải thời hạn luật định (đơn vị có thể thay đổi); chuyển phản ánh, "
    "kiến nghị về quy định hành chính đến cơ quan có thẩm quyền: Nghị định 20/2008/NĐ-CP, Điều 9"
)
PRODUCT_DEFAULT = "Thời hạn mặc định của hệ thống, không phải thời hạn luật định (đơn vị có thể thay đổi)"
REASON = "Luật Khiếu nại 2011, Điều 27, Điều 36: thời hạn thụ lý là 10 ngày (không phải 10 ngày làm việc)"

# code, case_kind, item, amount, unit, effective_from, citation, remote
NEW_RULES = [
    (
        "denunciation.accept_extension.2018",
        "denunciation",
        "accept_extension",
        10,
        "working_days",
        date(2019, 1, 1),
        "Luật Tố cáo 2018, Điều 24 khoản 1 (kiểm tra, xác minh ở nhiều địa điểm)",
        None,
    ),
    (
        "denunciation.notify_acceptance.2018",
        "denunciation",
        "notify_acceptance",
        5,
        "working_days",
        date(2019, 1, 1),
        "Luật Tố cáo 2018, Điều 29 khoản 3",
        None,
    ),
    (
        "denunciation.publish_conclusion.2018",
        "denunciation",
        "publish_conclusion",
        7,
        "working_days",
        date(2019, 1, 1),
        "Luật Tố cáo 2018, Điều 40",
        None,
    ),
    (
        "complaint.escalate.2012",
        "complaint",
        "escalate",
        30,
        "days",
        date(2012, 7, 1),
        "Luật Khiếu nại 2011, Điều 33",
        False,
    ),
    (
        "complaint.escalate.remote.2012",
        "complaint",
        "escalate",
        45,
        "days",
        date(2012, 7, 1),
        "Luật Khiếu nại 2011, Điều 33",
        True,
    ),
    *(
        (f"{kind}.escalate.default", kind, "escalate", 30, "days", date(2000, 1, 1), PRODUCT_DEFAULT, None)
        for kind in ("report", "petition", "opinion")
    ),
]


def _calendar(apps):
    from pakn.core.calendar import vietnam_calendar

    overrides = list(apps.get_model("cases", "CalendarOverride").objects.all())
    return vietnam_calendar(
        range(2012, timezone.localdate().year + 3),
        extra_days_off=[o.date for o in overrides if not o.is_working_day],
        extra_working_days=[o.date for o in overrides if o.is_working_day],
    )


def _append_event(apps, case, action, data):
    """``services.record_event`` for a historical model: same payload, same hash, same head update."""
    from pakn.core.audit import GENESIS, chain_hash

    AuditEvent = apps.get_model("cases", "AuditEvent")
    Case = apps.get_model("cases", "Case")
    now = timezone.now()
    seq = case.audit_count + 1
    prev = case.audit_head or GENESIS
    payload = {
        "case": case.tracking_code,
        "seq": seq,
        "action": action,
        "actor": "system",
        "unit": case.unit_id,
        "public": True,
        "data": data,
        "created_at": now.isoformat(),
    }
    event = AuditEvent.objects.create(
        case_id=case.pk,
        seq=seq,
        action=action,
        actor=None,
        actor_label="system",
        unit_id=case.unit_id,
        public=True,
        data=data,
        created_at=now,
        prev_hash=prev,
        hash=chain_hash(prev, payload),
    )
    Case.objects.filter(pk=case.pk).update(audit_head=event.hash, audit_count=seq)
    case.audit_head, case.audit_count = event.hash, seq


def _move(apps, obligation, new_due, data):
    """Give one open obligation a new date, keep the forward's reply date and the case's due date in step,
    and record the change (old and new date) in the case's audit chain."""
    Case = apps.get_model("cases", "Case")
    Forward = apps.get_model("cases", "Forward")
    Obligation = apps.get_model("cases", "Obligation")
    old_due = obligation.due_on
    Obligation.objects.filter(pk=obligation.pk).update(due_on=new_due)
    if obligation.kind == "forward_response":
        forward = Forward.objects.filter(case_id=obligation.case_id, respond_by=old_due).order_by("-pk").first()
        if forward is not None:
            Forward.objects.filter(pk=forward.pk).update(respond_by=new_due)
    case = Case.objects.get(pk=obligation.case_id)
    first = Obligation.objects.filter(case_id=case.pk, met_on__isnull=True, cancelled=False).order_by("due_on").first()
    Case.objects.filter(pk=case.pk).update(due_on=first.due_on if first else None)
    _append_event(
        apps,
        case,
        "deadline_recomputed",
        {
            **data,
            "obligation": obligation.kind,
            "obligation_id": obligation.pk,
            "previous_due_on": old_due.isoformat(),
            "due_on": new_due.isoformat(),
            "migration": MIGRATION,
        },
    )


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    Obligation = apps.get_model("cases", "Obligation")
    DeadlineRule.objects.filter(code=ACCEPT_CODE, amount=10, unit="working_days").update(unit="days")
    DeadlineRule.objects.filter(code=UNCONFIRMED_CODE, citation__contains="155/2026").update(confirmed=False)
    DeadlineRule.objects.filter(citation=OLD_ANSWER_CITATION).update(citation=NEW_ANSWER_CITATION)
    if DeadlineRule.objects.exists():  # an empty table is seeded from DEFAULT_RULES after migrate
        existing = set(DeadlineRule.objects.values_list("code", flat=True))
        DeadlineRule.objects.bulk_create(
            DeadlineRule(
                code=code,
                case_kind=kind,
                item=item,
                amount=amount,
                unit=unit,
                effective_from=start,
                effective_to=None,
                citation=citation,
                remote=remote,
            )
            for code, kind, item, amount, unit, start, citation, remote in NEW_RULES
            if code not in existing
        )
    rule = DeadlineRule.objects.filter(code=ACCEPT_CODE).first()
    if rule is None or rule.unit != "days":
        return  # an administrator changed the rule: leave their data alone
    from pakn.cases.deadlines import apply_period

    calendar = _calendar(apps)
    open_obligations = Obligation.objects.filter(rule_code=ACCEPT_CODE, met_on__isnull=True, cancelled=False)
    for obligation in open_obligations.order_by("case_id", "pk"):
        new_due = apply_period(calendar, obligation.opened_on, rule.amount, rule.unit)
        if new_due != obligation.due_on:
            _move(apps, obligation, new_due, {"rule": ACCEPT_CODE, "reason": REASON})


def backwards(apps, schema_editor):
    AuditEvent = apps.get_model("cases", "AuditEvent")
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    Obligation = apps.get_model("cases", "Obligation")
    DeadlineRule.objects.filter(code__in=[r[0] for r in NEW_RULES]).delete()
    DeadlineRule.objects.filter(citation=NEW_ANSWER_CITATION).update(citation=OLD_ANSWER_CITATION)
    DeadlineRule.objects.filter(code=ACCEPT_CODE, amount=10, unit="days").update(unit="working_days")
    events = AuditEvent.objects.filter(action="deadline_recomputed", data__migration=MIGRATION).order_by("-pk")
    done = set()
    for event in events:
        obligation_id = event.data.get("obligation_id")
        if obligation_id in done:
            continue
        done.add(obligation_id)
        obligation = Obligation.objects.filter(
            pk=obligation_id, met_on__isnull=True, cancelled=False, due_on=date.fromisoformat(event.data["due_on"])
        ).first()
        if obligation is not None:
            _move(
                apps,
                obligation,
                date.fromisoformat(event.data["previous_due_on"]),
                {"rule": ACCEPT_CODE, "reason": "Hoàn tác di chuyển dữ liệu cases.0004"},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_forward_escalation_flag"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlinerule",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="Bỏ chọn khi chưa đối chiếu được căn cứ với văn bản chính thức: trang và API ghi rõ chưa "
                "xác nhận.",
                verbose_name="căn cứ đã xác nhận",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="kind",
            field=models.CharField(
                choices=[
                    ("answer", "Văn bản trả lời"),
                    ("conclusion", "Kết luận / quyết định giải quyết"),
                    ("refusal", "Thông báo không thụ lý"),
                    ("termination", "Quyết định đình chỉ giải quyết khiếu nại"),
                ],
                max_length=20,
                verbose_name="loại văn bản",
            ),
        ),
        migrations.AlterField(
            model_name="obligation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("accept", "Thụ lý hoặc trả lời không thụ lý"),
                    ("resolve", "Giải quyết"),
                    ("answer", "Trả lời"),
                    ("triage", "Xem xét, kiểm tra tin nặc danh"),
                    ("forward_response", "Xử lý đơn được chuyển đến"),
                    ("notify_acceptance", "Thông báo việc thụ lý cho người tố cáo"),
                    ("publish_conclusion", "Công khai kết luận nội dung tố cáo"),
                ],
                max_length=20,
                verbose_name="nghĩa vụ",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
