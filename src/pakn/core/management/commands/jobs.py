import json

from django.core.management.base import BaseCommand

from pakn.core import jobs


class Command(BaseCommand):
    help = (
        "Hàng đợi việc nền: xem (mặc định), chạy ngay (run), chạy lại việc lỗi (retry), xóa việc đã xong (prune). "
        "/ The job queue: status (default), run, retry, prune."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", nargs="?", default="status", choices=["status", "run", "retry", "prune"])
        parser.add_argument("--days", type=int, default=7, help="prune: jobs that succeeded more than N days ago")
        parser.add_argument("--json", action="store_true", help="status as JSON")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action = options["action"]
        if action == "run":
            requeued = jobs.requeue_stale()
            self.stdout.write(f"requeued={requeued} ran={jobs.drain()}")
        elif action == "retry":
            self.stdout.write(f"requeued={jobs.retry_failed()}")
        elif action == "prune":
            from datetime import timedelta

            self.stdout.write(f"deleted={jobs.prune(older_than=timedelta(days=options['days']))}")
        else:
            state = jobs.status()
            if options["json"]:
                self.stdout.write(json.dumps(state, ensure_ascii=False, indent=2))
                return
            self.stdout.write(
                f"backend={state['backend']} ready={state['ready']} waiting={state.get('waiting', 0)} "
                f"running={state['running']} failed={state['failed']} "
                f"oldest_ready_seconds={state['oldest_ready_seconds']}"
            )
            for failure in state.get("recent_failures", []):
                self.stdout.write(
                    f"  failed {failure['finished_at']} {failure['task']} {json.dumps(failure['args'])} "
                    f"{failure['error']} (id {failure['id']})"
                )
