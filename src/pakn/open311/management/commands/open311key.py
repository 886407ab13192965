from django.core.management.base import BaseCommand, CommandError

from pakn.open311 import services
from pakn.open311.models import ApiKey


class Command(BaseCommand):
    help = (
        "Cấp hoặc thu hồi khóa api_key Open311: pakn open311key create NAME [--contact EMAIL] | "
        "pakn open311key revoke PREFIX | pakn open311key list"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("values", nargs="*", metavar="NAME|PREFIX")
        parser.add_argument("--contact", default="", help="who to call about this application")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action, rest = options["action"], options["values"]
        if action == "create":
            if len(rest) != 1 or not rest[0].strip():
                raise CommandError("usage: pakn open311key create NAME [--contact EMAIL]")
            _record, key = services.issue_api_key(actor=None, name=rest[0], contact=options["contact"])
            self.stdout.write(key)  # shown once: only its SHA-256 is stored
        elif action == "revoke":
            if len(rest) != 1:
                raise CommandError("usage: pakn open311key revoke PREFIX")
            count = services.revoke_api_keys(actor=None, keys=ApiKey.objects.filter(prefix=rest[0]))
            if not count:
                raise CommandError(f"no active key with prefix {rest[0]!r}")
            self.stdout.write(f"revoked {count}")
        else:
            for k in ApiKey.objects.all():
                state = "revoked" if k.revoked_at else "active"
                self.stdout.write(f"{k.prefix} {state} {k.name} {k.contact} last_used={k.last_used_at or '-'}")
