import io
import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ thử nghiệm (demo). Production: xem docs/operations.md (gunicorn)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # The banner names the page to open, not the bound address: server logs must not contain client
        # or server IP addresses (docs/protection.md); runserver's own banner goes nowhere.
        self.stdout.write(f"PAKN: http://localhost:{options['port']}/  (Ctrl+C để dừng / to stop)")
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False, stdout=io.StringIO())
