"""Discipline results record whose discipline they are (the state's for a cadre or a civil servant, the
Party's for a party member) and the legal basis of the measure on the decision date (pakn.public.discipline;
Nghị định 172/2025/NĐ-CP from 01/07/2025, Quy định 296-QĐ/TW for the Party). Existing rows get the regime
only where their measure tells it (expulsion → Party; salary downgrade, demotion → civil servant); the others
stay unclassified and are shown as such."""

from django.db import migrations, models

INFERRED = {"party_expulsion": "party", "salary_downgrade": "civil_servant", "demotion": "civil_servant"}


def infer_regime(apps, schema_editor):
    DisciplineResult = apps.get_model("public", "DisciplineResult")
    for measure, regime in INFERRED.items():
        DisciplineResult.objects.filter(measure=measure, regime="").update(regime=regime)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_fact_open_day_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="disciplineresult",
            name="legal_basis",
            field=models.CharField(blank=True, max_length=300, verbose_name="căn cứ"),
        ),
        migrations.AddField(
            model_name="disciplineresult",
            name="regime",
            field=models.CharField(
                blank=True,
                choices=[
                    ("cadre", "Cán bộ – kỷ luật hành chính"),
                    ("civil_servant", "Công chức – kỷ luật hành chính"),
                    ("party", "Đảng viên – kỷ luật đảng"),
                ],
                max_length=20,
                verbose_name="hệ thống kỷ luật",
            ),
        ),
        migrations.AlterField(
            model_name="disciplineresult",
            name="measure",
            field=models.CharField(
                choices=[
                    ("reprimand", "Khiển trách"),
                    ("warning", "Cảnh cáo"),
                    ("salary_downgrade", "Hạ bậc lương"),
                    ("demotion", "Giáng chức"),
                    ("dismissal", "Cách chức"),
                    ("removal", "Bãi nhiệm"),
                    ("forced_resignation", "Buộc thôi việc"),
                    ("party_expulsion", "Khai trừ khỏi Đảng"),
                    ("other", "Hình thức khác (ghi rõ)"),
                ],
                max_length=30,
                verbose_name="hình thức kỷ luật",
            ),
        ),
        migrations.RunPython(infer_regime, migrations.RunPython.noop),
    ]
