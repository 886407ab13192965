from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReceptionConfig(AppConfig):
    """Citizen reception and dialogues."""

    name = "pakn.reception"
    label = "reception"
    verbose_name = "Tiếp công dân, đối thoại"

    def ready(self) -> None:
        from pakn.core import activity
        from pakn.reception.defaults import seed_defaults
        from pakn.reception.services.common import write_activity

        activity.register(write_activity)  # the shared log's rows are ``reception.Activity``

        post_migrate.connect(seed_defaults, sender=self, dispatch_uid="pakn-reception-seed-defaults")
