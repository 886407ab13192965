from django.apps import AppConfig


class Open311Config(AppConfig):
    """Open311 GeoReport v2, its API keys, and outgoing webhooks."""

    name = "pakn.open311"
    label = "open311"
    verbose_name = "Open311 GeoReport v2"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pakn.cases.signals import case_changed
        from pakn.notify.webhooks import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="pakn-webhooks")
