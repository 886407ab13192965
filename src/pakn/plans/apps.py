from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Directives, plans, tasks."""

    name = "pakn.plans"
    label = "plans"
    verbose_name = "Chỉ thị, kế hoạch, nhiệm vụ"
