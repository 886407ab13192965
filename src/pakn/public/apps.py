from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Transparency portal and statistics."""

    name = "pakn.public"
    label = "public"
    verbose_name = "Công khai, thống kê"

    def ready(self) -> None:
        from pakn.cases.signals import case_changed
        from pakn.public.facts import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="pakn.public.facts")
