"""``pakn stats_rebuild``: recompute the statistics tables from the cases (after a bulk import, on an
installation that had cases before the statistics existed, or to check the incremental path), then the public
portal's snapshots (``public.snapshots``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakn.public import snapshots
from pakn.public.facts import rebuild


class Command(BaseCommand):
    help = "Tính lại bảng thống kê từ hồ sơ / Rebuild the statistics tables from the cases."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total}")

        result = rebuild(progress=progress)
        self.stdout.write(
            f"Đã tính lại: {result['cases']} hồ sơ, {result['facts']} lượt xử lý, {result['buckets']} ô tháng."
        )
        if snapshots.enabled():
            self.stdout.write(f"Số liệu cổng công khai: {snapshots.rebuild()} trang.")
