"""``pakn token create USER NAME [--read-only]`` | ``pakn token revoke PREFIX`` | ``pakn token list``.

Writes go through ``org.services`` (the token is printed once; only its SHA-256 is stored)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakn.core.errors import InvalidInput
from pakn.org import services
from pakn.org.models import ApiToken, TokenScope


class Command(BaseCommand):
    help = (
        "Cấp hoặc thu hồi mã truy cập API: pakn token create USER NAME [--read-only] | pakn token revoke PREFIX "
        "| pakn token list. Người không có vai trò xử lý đơn chỉ được cấp mã chỉ đọc."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke", "list"])
        # Not "args": Django's command runner pops an option of that name before ``handle`` sees it.
        parser.add_argument("values", nargs="*", metavar="USER NAME | PREFIX")
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="chỉ đọc (mặc định cho người không có vai trò xử lý đơn) / read-only token",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, rest = options["action"], list(options["values"])
        if action == "create":
            self._create(rest, read_only=options["read_only"])
        elif action == "revoke":
            self._revoke(rest)
        else:
            for t in ApiToken.objects.select_related("user").order_by("created_at", "pk"):
                state = "revoked" if t.revoked_at else "active"
                self.stdout.write(f"{t.prefix} {t.user} {t.name} {t.scope} {state}")

    def _create(self, rest: list[str], *, read_only: bool) -> None:
        if len(rest) != 2:
            raise CommandError("usage: pakn token create USER NAME [--read-only]")
        user = get_user_model().objects.filter(username=rest[0]).first()
        if user is None:
            raise CommandError(f"no user {rest[0]!r}")
        try:
            token, key = services.create_api_token(
                actor=None, user=user, name=rest[1], scope=TokenScope.READ if read_only else None
            )
        except InvalidInput as error:
            raise CommandError(_describe(error)) from None
        if token.scope == TokenScope.READ and not read_only:
            self.stderr.write(f"{user.get_username()} has no handling role: the token is read-only")
        self.stdout.write(key)

    def _revoke(self, rest: list[str]) -> None:
        if len(rest) != 1:
            raise CommandError("usage: pakn token revoke PREFIX")
        count = sum(
            services.revoke_api_token(actor=None, token=token)
            for token in ApiToken.objects.filter(prefix=rest[0], revoked_at__isnull=True)
        )
        self.stdout.write(f"revoked {count}")


def _describe(error: InvalidInput) -> str:
    details = "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in error.fields.items())
    return details or str(error.message)
