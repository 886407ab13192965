"""The default retention schedule, as data (editable in the admin; docs/retention.md)."""

from django.db import migrations


def seed(apps, schema_editor):
    from pakn.protection.retention_rules import DEFAULT_RULES

    Rule = apps.get_model("protection", "RetentionRule")
    for rule in DEFAULT_RULES:
        Rule.objects.get_or_create(code=rule["code"], defaults={**rule, "confirmed": False})


def unseed(apps, schema_editor):
    from pakn.protection.retention_rules import DEFAULT_RULES

    apps.get_model("protection", "RetentionRule").objects.filter(code__in=[r["code"] for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0006_retention"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
