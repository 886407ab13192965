"""``pakn retention``: the retention schedule of personal data (docs/retention.md). ``run`` erases what is due
(``--dry-run``: only counts), ``rules`` prints the schedule. Nothing printed identifies anybody: rule codes and
counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pakn.protection import retention
from pakn.protection.retention_rules import PARTS


class Command(BaseCommand):
    help = "Xóa dữ liệu cá nhân của hồ sơ đã hết thời hạn lưu trữ theo quy định (xem docs/retention.md)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser(
            "run", help="Xóa dữ liệu đến hạn (mỗi hồ sơ một sự kiện nhật ký), in số hồ sơ theo quy định."
        )
        run.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không xóa gì.")
        run.add_argument("--limit", type=int, default=None, help="Xóa tối đa N hồ sơ trong lần chạy này.")
        sub.add_parser("rules", help="In các quy định thời hạn lưu trữ đang áp dụng.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(options)

    def do_rules(self, options: dict[str, Any]) -> None:
        for rule in retention.active_rules():
            years = rule.years if rule.years is not None else "-"
            self.stdout.write(
                f"rule={rule.code} kind={rule.kind or '*'} outcome={rule.outcome or '*'} years={years} "
                f"erases={','.join(rule.parts) or '-'} confirmed={'yes' if rule.confirmed else 'no'}"
            )
            self.stdout.write(f"  {rule.citation}")

    def do_run(self, options: dict[str, Any]) -> None:
        limit = options["limit"]
        if limit is not None and limit < 0:
            raise CommandError("--limit must be 0 or more")
        dry = options["dry_run"]
        report = retention.run(dry_run=dry, limit=limit)
        self.stdout.write(f"retention {report.today:%Y-%m-%d}: {'dry run, nothing erased' if dry else 'erasing'}")
        verb = "would_erase" if dry else "erased"
        for code, line in report.rules.items():
            parts = " ".join(f"{part}={line.parts.get(part, 0)}" for part in PARTS)
            self.stdout.write(
                f"rule={code} confirmed={'yes' if line.rule.confirmed else 'no'} due={line.due} {verb}={line.erased} "
                f"{parts}"
            )
            if line.due and not line.rule.confirmed:
                self.stderr.write(
                    f"warning: rule {code} is not confirmed against the official text (docs/retention.md)"
                )
        kept = " ".join(f"{state}={count}" for state, count in sorted(report.kept.items())) or "-"
        self.stdout.write(f"kept: {kept}")
        due = sum(line.due for line in report.rules.values())
        self.stdout.write(
            f"total: due={due} {verb}={sum(line.erased for line in report.rules.values())} failed={report.failed}"
        )
        if report.failed:
            raise CommandError(f"{report.failed} case(s) could not be erased: see the log (pakn.protection)")
