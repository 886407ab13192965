import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pakn.org.models import ApiToken


class Command(BaseCommand):
    help = "Cấp hoặc thu hồi mã truy cập API: pakn token create USER NAME | pakn token revoke PREFIX"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("args", nargs="*")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action, rest = options["action"], options["args"]
        if action == "create":
            if len(rest) != 2:
                raise CommandError("usage: pakn token create USERNAME NAME")
            user = get_user_model().objects.filter(username=rest[0]).first()
            if user is None:
                raise CommandError(f"no user {rest[0]!r}")
            key = secrets.token_urlsafe(32)
            ApiToken.objects.create(user=user, name=rest[1], key_hash=ApiToken.hash_key(key), prefix=key[:8])
            self.stdout.write(key)
        elif action == "revoke":
            if len(rest) != 1:
                raise CommandError("usage: pakn token revoke PREFIX")
            count = ApiToken.objects.filter(prefix=rest[0], revoked_at__isnull=True).update(revoked_at=timezone.now())
            self.stdout.write(f"revoked {count}")
        else:
            for t in ApiToken.objects.select_related("user"):
                self.stdout.write(f"{t.prefix} {t.user} {t.name} {'revoked' if t.revoked_at else 'active'}")
