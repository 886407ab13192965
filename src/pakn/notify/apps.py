from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "pakn.notify"
    label = "notify"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from pakn.core import health
        from pakn.notify.services import worker_lag

        health.register("worker", worker_lag, required=False)
