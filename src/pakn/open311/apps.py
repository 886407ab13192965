from django.apps import AppConfig


class Open311Config(AppConfig):
    """Open311 GeoReport v2, its API keys, and outgoing webhooks."""

    name = "pakn.open311"
    label = "open311"
    verbose_name = "Open311 GeoReport v2"
    default_auto_field = "django.db.models.BigAutoField"
