from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Supervision and scorecards."""

    name = "pakn.oversight"
    label = "oversight"
    verbose_name = "Giám sát, xếp hạng"
