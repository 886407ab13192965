from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pakn.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pakn.core.append_only import reinstall_after_migrate

        post_migrate.connect(reinstall_after_migrate, dispatch_uid="pakn.core.append_only")

        from pakn.core import health, jobs

        health.register("jobs", jobs.readiness, required=False)
