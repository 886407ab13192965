from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    """Opinions the Fatherland Front (MTTQ) and its member organisations gather from the people and forward
    to the party committees and governments (Decision 99-QĐ/TW, Conclusion 54-KL/TW)."""

    name = "pakn.frontdesk"
    label = "frontdesk"
    verbose_name = "Ý kiến do MTTQ, đoàn thể chuyển đến"

    def ready(self) -> None:
        from pakn.cases.signals import case_changed
        from pakn.frontdesk.services import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="pakn.frontdesk.answers")
