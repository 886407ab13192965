"""``pakn loadunits [--province 01 --province 79]``: load provinces, communes and their standing bodies."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pakn.org.loader import load_units
from pakn.org.models import Commune, Province, Unit


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố, 3.321 xã, phường, đặc khu và các đơn vị (UBND, cấp ủy, MTTQ) của từng cấp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="MÃ",
            help="Chỉ nạp tỉnh/thành phố có mã này (có thể lặp lại), ví dụ --province 01 --province 79.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_units(provinces=options["provinces"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        def n(value: int) -> str:
            return number_format(value, force_grouping=True)

        self.stdout.write(
            _("Đã nạp đơn vị hành chính trong %(seconds)s giây.") % {"seconds": number_format(report.seconds, 1)}
        )
        for key, model in (("province", Province), ("commune", Commune), ("unit", Unit)):
            label = str(model._meta.verbose_name_plural)
            self.stdout.write(
                _("  %(label)s: tạo mới %(created)s, cập nhật %(updated)s")
                % {
                    "label": label[:1].upper() + label[1:],
                    "created": n(report.created[key]),
                    "updated": n(report.updated[key]),
                }
            )
        if not report.changed:
            self.stdout.write(self.style.SUCCESS(_("Dữ liệu đã đầy đủ, không có gì thay đổi.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Hoàn tất.")))
