from django.core.management.base import BaseCommand, CommandError

from pakn.cases.audit_check import verify_all


class Command(BaseCommand):
    help = "Kiểm tra chuỗi nhật ký (pakn audit verify) / verify the hash-chained audit log."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        count, problems = verify_all()
        for p in problems:
            self.stderr.write(f"{p.tracking_code} #{p.seq if p.seq is not None else '-'}: {p.message}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the audit log of {count} case(s).")
        self.stdout.write(f"OK: audit chains of {count} case(s) verified.")
