from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "pakn.cases"
    label = "cases"
    verbose_name = "Hồ sơ, vụ việc"

    def ready(self) -> None:
        from pakn.cases import policy  # noqa: F401 - connects the cache-clearing signals
        from pakn.cases.defaults import seed_defaults

        post_migrate.connect(seed_defaults, sender=self, dispatch_uid="pakn-seed-defaults")

        from django.core import checks

        from pakn.cases.jobs import check_case_jobs, run_case_jobs, run_case_jobs_together
        from pakn.core.jobs import run_together

        checks.register(check_case_jobs)
        run_together(run_case_jobs.module_path, run_case_jobs_together)
