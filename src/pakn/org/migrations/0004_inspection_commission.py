"""The party committees' inspection commissions (Ủy ban kiểm tra, ``UBKT-{code}``), where denunciations and
conduct reports about party members land (cases.competence). A new unit kind, and one commission under each
party committee already loaded, named as ``org.loader`` names them (the loader keeps them in step from then
on). Backwards: the commissions nothing refers to are removed (one that holds cases or memberships stays,
and the kind is then left without its label)."""

from django.db import migrations, models, transaction
from django.db.models import ProtectedError


def add_commissions(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    existing = set(Unit.objects.filter(code__startswith="UBKT-").values_list("code", flat=True))
    new = [
        Unit(
            code=f"UBKT-{party.code.removeprefix('DU-')}",
            name=f"Ủy ban Kiểm tra {party.name}",
            kind="inspection_commission",
            level=party.level,
            province_id=party.province_id,
            commune_id=party.commune_id,
            parent_id=party.pk,
        )
        for party in Unit.objects.filter(kind="party_committee", code__startswith="DU-").order_by("pk")
        if f"UBKT-{party.code.removeprefix('DU-')}" not in existing
    ]
    Unit.objects.bulk_create(new, batch_size=1000)


def remove_commissions(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    for unit in Unit.objects.filter(kind="inspection_commission", code__startswith="UBKT-"):
        try:
            with transaction.atomic():
                unit.delete()
        except ProtectedError:
            continue


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_apitoken_scope"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unit",
            name="kind",
            field=models.CharField(
                choices=[
                    ("peoples_committee", "Ủy ban nhân dân"),
                    ("party_committee", "Cấp ủy Đảng"),
                    ("front_committee", "Ủy ban Mặt trận Tổ quốc"),
                    ("inspection_board", "Ban Thanh tra nhân dân"),
                    ("inspection_commission", "Ủy ban kiểm tra của cấp ủy"),
                    ("department", "Sở, ban, ngành"),
                    ("agency", "Cơ quan, đơn vị"),
                ],
                max_length=30,
                verbose_name="loại",
            ),
        ),
        migrations.RunPython(add_commissions, remove_commissions),
    ]
