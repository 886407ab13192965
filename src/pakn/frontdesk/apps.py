from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    """Opinions the Fatherland Front (MTTQ) and its member organisations gather from the people and forward
    to the party committees and governments (Decision 99-QĐ/TW, Conclusion 54-KL/TW)."""

    name = "pakn.frontdesk"
    label = "frontdesk"
    verbose_name = "Ý kiến do MTTQ, đoàn thể chuyển đến"
