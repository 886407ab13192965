from django.apps import AppConfig


class HotlineConfig(AppConfig):
    """Leaders' hotlines (Decision 99-QĐ/TW): the public directory, the duty roster and the call log."""

    name = "pakn.hotline"
    label = "hotline"
    verbose_name = "Đường dây nóng"
