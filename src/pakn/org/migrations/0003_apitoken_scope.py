"""API tokens get a scope, "read" or "write". Existing tokens stay "write" only if their owner has a
handling role (clerk, head, unit admin) or is a superuser; every other token becomes read-only."""

from typing import Any

from django.db import migrations, models

HANDLER_ROLES = ("clerk", "head", "admin")  # org.access.HANDLER_ROLES, frozen at this migration


def downgrade_non_handlers(apps: Any, schema_editor: Any) -> None:
    ApiToken = apps.get_model("org", "ApiToken")
    Membership = apps.get_model("org", "Membership")
    handlers = Membership.objects.filter(role__in=HANDLER_ROLES).values("user_id")
    ApiToken.objects.exclude(user__is_superuser=True).exclude(user_id__in=handlers).update(scope="read")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_protection_officer_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Chỉ đọc"), ("write", "Đọc và ghi")],
                default="write",
                max_length=5,
                verbose_name="phạm vi",
            ),
        ),
        migrations.RunPython(downgrade_non_handlers, migrations.RunPython.noop, elidable=False),
    ]
