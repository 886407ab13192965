import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from pakn.cases.services import check_deadlines
from pakn.core import jobs
from pakn.notify.services import deliver_pending
from pakn.notify.webhooks import deliver_webhooks
from pakn.oversight.services import check_recommendations
from pakn.protection.keys import KeysUnavailable, require_server_keys
from pakn.protection.retention import daily_run as retention_daily_run
from pakn.public.snapshots import refresh_portal
from pakn.reception.services import check_reception_deadlines


class Command(BaseCommand):
    help = (
        "Chạy các việc sau mỗi thay đổi hồ sơ (chỉ mục tìm kiếm, thống kê, gợi ý…) ngay khi có; nhắc hạn, báo quá "
        "hạn và gửi thông báo (chạy một lần, hoặc --loop giây)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--loop", type=int, default=0, help="reminders, deliveries, portal: every N seconds (0 = run once)"
        )
        parser.add_argument("--poll", type=float, default=1.0, help="in a loop, look for new jobs every N seconds")
        parser.add_argument(
            "--batch", type=int, default=500, help="at most N jobs between two looks at the duties (a busy queue "
            "must not hold back reminders and notifications)"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        me = jobs.worker_id()
        if options["loop"] and settings.WORKER_NICE > 0:
            os.nice(settings.WORKER_NICE)  # requests first; the jobs catch up between peaks
        next_duties = next_prune = 0.0
        while True:
            try:
                # Reminders and escalations queue sealed notifications and sending opens them: with a key file
                # missing or another instance's (a database restored without its keys) nothing runs and every
                # notification stays queued, instead of each one failing its attempts.
                require_server_keys()
            except KeysUnavailable as exc:
                message = f"keys not usable, nothing done, notifications stay queued: {exc.problem}"
                if not options["loop"]:
                    raise CommandError(message) from None
                self.stderr.write(message)
                time.sleep(options["loop"])
                continue
            if not connection.in_atomic_block:  # (a test calls the command inside its transaction)
                close_old_connections()  # between looks, as Django does between requests
            counts = {"jobs_requeued": jobs.requeue_stale(), "jobs": jobs.drain(worker=me, max_jobs=options["batch"])}
            if time.monotonic() >= next_duties:
                started = time.monotonic()
                done = self.duties()
                elapsed = time.monotonic() - started
                counts |= done
                if any(done.values()) or elapsed >= 1:  # the log shows what a round of duties took
                    counts["duties_ms"] = round(elapsed * 1000)
                next_duties = time.monotonic() + options["loop"]
            if time.monotonic() >= next_prune:  # finished jobs older than a week: the queue table stays small
                counts["jobs_pruned"] = jobs.prune()
                next_prune = time.monotonic() + 3600
            # A single run always reports; a loop reports the runs that did something (not a line every tick).
            if not options["loop"] or any(counts.values()):
                self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
            if not options["loop"]:
                if counts["jobs"] >= options["batch"]:
                    continue  # a single run finishes the queue (the duties ran once)
                return
            if counts["jobs"] < options["batch"]:
                time.sleep(options["poll"])

    def duties(self) -> dict[str, int]:
        deadlines = check_deadlines()
        recommendations = check_recommendations()
        reception = check_reception_deadlines()
        delivered = deliver_pending()
        hooks = deliver_webhooks()
        refreshed = refresh_portal()  # after the deliveries: it may take seconds (a time budget per run)
        erased = retention_daily_run()  # personal data past its retention period: at most one run a day
        return {
            "reminded": deadlines["reminded"],
            "escalated": deadlines["escalated"],
            "recommendations_reminded": recommendations["reminded"],
            "recommendations_overdue": recommendations["overdue"],
            "reception_reminded": reception["reminded"],
            "reception_overdue": reception["overdue"],
            "sent": delivered["sent"],
            "failed": delivered["failed"],
            "held": delivered["held"],
            "webhooks_sent": hooks["sent"],
            "webhooks_failed": hooks["failed"],
            "portal_refreshed": refreshed,
            "retention_erased": erased,
        }
