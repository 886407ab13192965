"""``pakn searchindex rebuild``: (re)build the search index of every case (after a restore, or an
upgrade of the normaliser)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Xây dựng lại chỉ mục tìm kiếm / rebuild the case search index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        from pakn.language.services import rebuild_index

        count = rebuild_index(progress=lambda n: self.stdout.write(f"{n} …") if n % 50_000 == 0 else None)
        self.stdout.write(f"OK: {count} case(s) indexed.")
