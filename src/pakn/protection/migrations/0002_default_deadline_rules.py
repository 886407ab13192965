"""The default deadlines for deciding on a protection request, as data (editable in the admin)."""

import datetime

from django.db import migrations


def seed(apps, schema_editor):
    from pakn.protection.defaults import DEFAULT_DEADLINE_RULES

    Rule = apps.get_model("protection", "ProtectionDeadlineRule")
    for rule in DEFAULT_DEADLINE_RULES:
        Rule.objects.get_or_create(code=rule["code"], defaults={**rule, "effective_from": datetime.date(2019, 1, 1)})


def unseed(apps, schema_editor):
    from pakn.protection.defaults import DEFAULT_DEADLINE_RULES

    apps.get_model("protection", "ProtectionDeadlineRule").objects.filter(
        code__in=[r["code"] for r in DEFAULT_DEADLINE_RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
