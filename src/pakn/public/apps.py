from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Transparency portal and statistics."""

    name = "pakn.public"
    label = "public"
    verbose_name = "Công khai, thống kê"
