"""``pakn protection``: the escrow key and the vault's housekeeping, for the person who holds the escrow
key and the IT department. No subcommand prints an identity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nacl.utils
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pakn.core.errors import InvalidInput
from pakn.protection import crypto, keys, services, vault
from pakn.protection.models import KeyWrap, RecipientKey, VaultConfig, VaultItem


class Command(BaseCommand):
    help = "Khóa dự phòng và bảo trì kho danh tính (xem docs/protection.md)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Tình trạng kho: số mục, mục chờ niêm phong lại, khóa cán bộ, tệp khóa máy chủ.")
        keys_parser = sub.add_parser(
            "init-keys",
            help="Tạo tệp khóa máy chủ (server.key, notify.key) còn thiếu và ghi dấu vân tay vào cơ sở dữ liệu.",
        )
        keys_parser.add_argument(
            "--replace-lost",
            action="store_true",
            help="Khóa cũ đã mất hẳn (không có bản sao lưu): tạo khóa mới thay thế. Tệp sạch, liên hệ đã niêm phong "
            "và dấu băm che thông tin làm bằng khóa cũ sẽ không dùng được nữa.",
        )
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
        for state in keys.key_states():
            label = state.error or ("ok" if state.stored else "not recorded yet")
            self.stdout.write(f"{state.key.filename}: {label}" + (f" ({state.problem})" if state.problem else ""))

    def do_init_keys(self, options: dict[str, Any]) -> None:
        """Fresh install: create the missing key files and record every fingerprint. A database that already
        holds a fingerprint keeps it: only ``--replace-lost`` gives it new keys (the old ones are lost for good)."""
        states = keys.key_states()
        broken = [state for state in states if not state.ok]
        if broken and not options["replace_lost"]:
            raise CommandError(
                "; ".join(state.problem for state in broken)
                + ". Restore the key archive (pakn restore, docs/operations.md). Only if the keys are lost for good: "
                "--replace-lost."
            )
        with transaction.atomic():
            for state in states:
                path, replace = state.path, not state.ok
                if replace and path.exists():
                    aside = path.with_name(f"{path.name}.replaced-{timezone.now():%Y%m%dT%H%M%S}")
                    path.rename(aside)
                    self.stdout.write(f"{path.name}: moved aside to {aside.name}")
                if keys.write_key_file(path, nacl.utils.random(crypto.KEY_SIZE), state.key.comment):
                    self.stdout.write(f"{path.name}: created")
                keys.record_fingerprint(state.key, keys.read_key_file(path), replace=replace)
                self.stdout.write(f"{path.name}: " + ("replaced" if replace else "ok"))
        keys.forget()
        if broken:
            self.stderr.write(
                "New keys replace lost ones: clean copies and queued notifications made with the old keys cannot "
                "be opened, and later text on existing cases is redacted only by the generic patterns "
                "(names are no longer recognised). Restart the web processes and the worker."
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
                try:
                    moved = services.rotate_escrow_key(actor=None, old_private=old_private, new_public=public)
                except InvalidInput:
                    raise CommandError("--old-key is not the current escrow key") from None
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
