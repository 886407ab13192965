from datetime import date

from django.db import migrations

NOTE = (
    "Mặc định của PAKN, quản trị viên sửa được; không trích từ luật. Kiểm tra quy định hiện hành về giám sát "
    "của MTTQ và Ban Thanh tra nhân dân trước khi dùng làm căn cứ."
)


def add_default(apps, schema_editor):
    ResponsePeriod = apps.get_model("oversight", "ResponsePeriod")
    ResponsePeriod.objects.get_or_create(
        code="supervision_recommendation",
        effective_from=date(2015, 1, 1),
        defaults={"working_days": 15, "note": NOTE},
    )


def remove_default(apps, schema_editor):
    apps.get_model("oversight", "ResponsePeriod").objects.filter(
        code="supervision_recommendation", effective_from=date(2015, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(add_default, remove_default)]
