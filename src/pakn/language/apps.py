from django.apps import AppConfig


class LanguageConfig(AppConfig):
    """Vietnamese language: search, classifier, duplicates."""

    name = "pakn.language"
    label = "language"
    verbose_name = "Ngôn ngữ, tìm kiếm, phân loại"
