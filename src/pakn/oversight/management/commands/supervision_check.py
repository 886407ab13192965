"""``pakn supervision_check``: remind units of recommendations due soon and report overdue ones (idempotent;
run it daily from the same timer as ``pakn worker``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakn.oversight.services import check_recommendations


class Command(BaseCommand):
    help = "Nhắc hạn và báo quá hạn trả lời kiến nghị giám sát / Remind and report recommendation deadlines."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = check_recommendations()
        self.stdout.write(f"Đã nhắc {counts['reminded']}, báo quá hạn {counts['overdue']} kiến nghị.")
