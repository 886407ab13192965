"""``pakn protection``: the escrow key and the vault's housekeeping, for the person who holds the escrow
key and the IT department. No subcommand prints an identity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q

from pakn.protection import crypto, keys, vault
from pakn.protection.models import KeyWrap, RecipientKey, VaultConfig, VaultItem


class Command(BaseCommand):
    help = "Khóa dự phòng và bảo trì kho danh tính (xem docs/protection.md)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Tình trạng kho: số mục, mục chờ niêm phong lại, khóa cán bộ.")
        init = sub.add_parser("init-escrow", help="Tạo khóa dự phòng; ghi khóa bí mật ra tệp để cất ngoài máy chủ.")
        init.add_argument("--out", required=True, help="Tệp mới để ghi khóa bí mật (không được tồn tại).")
        init.add_argument("--old-key", help="Khóa dự phòng cũ, khi thay khóa: mọi mục được niêm phong lại.")
        reseal = sub.add_parser("reseal", help="Niêm phong lại bằng khóa dự phòng (khi không còn cán bộ nào mở khóa).")
        reseal.add_argument("--escrow-key", required=True)
        reseal.add_argument("--all", action="store_true", help="Mọi mục, không chỉ mục đang chờ.")
        sub.add_parser("scrub", help="Ghi đè vùng trống của cơ sở dữ liệu (sau khi nâng cấp từ bản lưu rõ).")
        sub.add_parser("sweep", help="Xóa tệp mã hóa không còn bản ghi nào trỏ tới.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    def do_status(self, options: dict[str, Any]) -> None:
        config = keys.vault_config()
        officers = RecipientKey.objects.filter(kind=RecipientKey.Kind.OFFICER, retired_at__isnull=True).count()
        pending = VaultItem.objects.filter(Q(needs_reseal=True) | Q(needs_rekey=True)).count()
        self.stdout.write(
            f"items={VaultItem.objects.count()} pending_reseal={pending} officer_keys={officers} "
            f"escrow={crypto.fingerprint(crypto.b64d(config.escrow.public_key))} "
            f"escrow_private_key_on_server={keys.key_path('ESCROW_KEY_FILE', 'escrow.key').exists()}"
        )

    def _read(self, path: str) -> bytes:
        try:
            return keys.read_key_file(Path(path))
        except (OSError, ValueError, StopIteration) as exc:
            raise CommandError(f"cannot read key file {path}: {exc}") from None

    def do_init_escrow(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} exists; choose a new file")
        public, private = crypto.new_keypair()
        existing = VaultConfig.objects.select_related("escrow").filter(pk=1).first()
        with transaction.atomic():
            if existing is None:
                keys.install_config(escrow_public=public)
            else:
                if not options.get("old_key"):
                    raise CommandError("an escrow key exists: pass --old-key to replace it (every item is re-sealed)")
                old_private = self._read(options["old_key"])
                if crypto.public_of(old_private) != crypto.b64d(existing.escrow.public_key):
                    raise CommandError("--old-key is not the current escrow key")
                new = RecipientKey.objects.create(kind=RecipientKey.Kind.ESCROW, public_key=crypto.b64e(public))
                moved = vault.move_wraps(old=existing.escrow, old_private=old_private, new=new)
                old = existing.escrow
                existing.escrow = new
                existing.save(update_fields=["escrow"])
                RecipientKey.objects.filter(pk=old.pk).update(retired_at=new.created_at)
                self.stdout.write(f"re-sealed {moved} items to the new escrow key")
            if not keys.write_key_file(out, private, "PAKN escrow private key: keep offline (docs/protection.md)."):
                raise CommandError(f"{out} exists")
        self.stdout.write(f"escrow key {crypto.fingerprint(public)} written to {out}: move it offline now.")

    def do_reseal(self, options: dict[str, Any]) -> None:
        private = self._read(options["escrow_key"])
        escrow = keys.escrow_key()
        if crypto.public_of(private) != crypto.b64d(escrow.public_key):
            raise CommandError("this is not the current escrow key")
        items = VaultItem.objects.filter(wraps__recipient=escrow) if options["all"] else vault.pending_for(escrow)
        counts = vault.reseal(key=escrow, private=private, items=items.distinct())
        self.stdout.write(f"resealed={counts['resealed']} rekeyed={counts['rekeyed']}")

    def do_scrub(self, options: dict[str, Any]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA secure_delete=ON")
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                for table in (
                    "cases_reporter",
                    "cases_case",
                    "cases_message",
                    "notify_outbox",
                    "reception_entry",
                    "reception_booking",
                ):
                    cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
        self.stdout.write("done")

    def do_sweep(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"removed={vault.remove_orphans()} wraps={KeyWrap.objects.count()}")
