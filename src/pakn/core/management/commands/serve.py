import io
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Chạy máy chủ thử nghiệm (demo), kèm tiến trình worker nếu có --worker. "
        "Production: xem docs/operations.md (gunicorn)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--worker",
            type=int,
            default=0,
            metavar="SECONDS",
            help="also run `pakn worker --loop SECONDS` beside the server (notifications, reminders); 0 = no",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # The banner names the page to open, not the bound address: server logs must not contain client
        # or server IP addresses (docs/protection.md); runserver's own banner goes nowhere.
        self.stdout.write(f"PAKN: http://localhost:{options['port']}/  (Ctrl+C để dừng / to stop)")
        worker = None
        if options["worker"]:
            # A process of its own, as in production: the worker's loop never blocks a page.
            command = [
                sys.executable,
                "-c",
                "from pakn.cli import main; main()",
                "worker",
                "--loop",
                str(options["worker"]),
            ]
            worker = subprocess.Popen(command)  # noqa: S603 - our own interpreter and command
            self.stdout.write(f"pakn worker: mỗi {options['worker']} giây / every {options['worker']} s")
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False, stdout=io.StringIO())
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
