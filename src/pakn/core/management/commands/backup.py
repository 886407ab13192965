"""``pakn backup [--out DIR] [--keys-out DIR]``: the data archive and, apart, the key archive
(docs/operations.md, "Backups")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakn.core import backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu, kho tệp mã hóa (vault/, files/) vào một tệp nén có ngày giờ, và các tệp khóa "
        "vào một tệp nén riêng (cất ở nơi khác)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, help="Thư mục ghi tệp sao lưu dữ liệu (mặc định PAKN_DATA_DIR/backups)."
        )
        parser.add_argument(
            "--keys-out",
            type=Path,
            help="Thư mục ghi tệp khóa, nên ở thiết bị khác (mặc định cùng thư mục với --out).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = options["out"] or Path(settings.DATA_DIR) / "backups"
        try:
            result = backup.backup(out=out, keys_out=options["keys_out"])
        except backup.BackupError as exc:
            raise CommandError(f"not backed up: {exc}") from None
        self.stdout.write(f"data: {result.data} ({result.members} members)")
        self.stdout.write(f"keys: {result.keys} ({', '.join(result.keys_included) or 'none'}; mode 0600)")
        for name, value in result.fingerprints.items():
            self.stdout.write(f"  {name}: {value}")
        for name in result.skipped_keys:
            self.stderr.write(f"{name}.key on this server is not the current one: left out of the key archive")
        self.stdout.write("Store the key archive apart from the data archive (docs/operations.md, 'Backups').")
