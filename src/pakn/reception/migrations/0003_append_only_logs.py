"""Database triggers that keep the audit trail and the activity log append-only (pakn.core.append_only)."""

from django.db import migrations


def install(apps, schema_editor):
    from pakn.core import append_only

    append_only.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from pakn.core import append_only

    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_forward_escalation_flag"),
        ("reception", "0002_seal_register_identities"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
