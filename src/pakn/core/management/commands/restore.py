"""``pakn restore DATA_ARCHIVE KEYS_ARCHIVE [--force]``: into an empty data folder and an empty database,
after checking that the two archives belong together and are intact (docs/operations.md, "Backups")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakn.core import backup


class Command(BaseCommand):
    help = (
        "Khôi phục từ tệp sao lưu dữ liệu và tệp khóa của cùng hệ thống vào thư mục dữ liệu và cơ sở dữ liệu "
        "trống; kiểm tra trước khi ghi."
    )
    # Nothing may touch the database before the archives are checked (the checks would open it).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data_archive", type=Path, help="pakn-data-….tar.gz")
        parser.add_argument("keys_archive", type=Path, help="pakn-keys-….tar.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè lên cơ sở dữ liệu, thư mục dữ liệu và tệp khóa đang có.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.restore(
                data_archive=options["data_archive"], keys_archive=options["keys_archive"], force=options["force"]
            )
        except backup.BackupError as exc:
            raise CommandError(f"not restored: {exc}") from None
        self.stdout.write(f"restored: database, {result.files} files, keys {', '.join(result.keys)}")
        for name, value in result.fingerprints.items():
            self.stdout.write(f"  {name}: {value}")
        if result.pending_migrations:
            self.stdout.write(f"{result.pending_migrations} migrations to apply: run `pakn migrate`.")
        self.stdout.write("Next: `pakn audit verify`, then restart the web processes and the worker.")
