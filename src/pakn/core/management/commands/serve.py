import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ thử nghiệm (demo). Production: xem docs/operations.md (gunicorn)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        self.stdout.write(f"PAKN: http://{options['host']}:{options['port']}/  (Ctrl+C để dừng / to stop)")
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
