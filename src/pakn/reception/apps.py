from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    """Citizen reception and dialogues."""

    name = "pakn.reception"
    label = "reception"
    verbose_name = "Tiếp công dân, đối thoại"
