from django.apps import AppConfig


class LanguageConfig(AppConfig):
    """Vietnamese language: search, classifier, duplicates."""

    name = "pakn.language"
    label = "language"
    verbose_name = "Ngôn ngữ, tìm kiếm, phân loại"

    def ready(self) -> None:
        from pakn.cases.signals import case_changed
        from pakn.language.services import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="pakn-language-case-changed")
