from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Reporter protection."""

    name = "pakn.protection"
    label = "protection"
    verbose_name = "Bảo vệ người tố cáo"
