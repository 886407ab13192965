from django.apps import AppConfig


class CeilingConfig(AppConfig):
    name = "intake_ceiling"
    label = "intake_ceiling"
    default_auto_field = "django.db.models.BigAutoField"
