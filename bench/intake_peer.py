"""The peer of ``bench/intake.py --peer``: django-helpdesk, a plain Django ticketing system, on the same machine,
the same database server and the same gunicorn, filing tickets through its REST API.

The issue that asked for the intake bench said PAKN filed submissions "at a fraction of a plain ticketing system's
speed". This puts one beside it in the same run: django-helpdesk 2.6.1 (``POST /api/tickets/``, token
authentication, a queue, the ticket and its first follow-up written, the notification mails rendered and handed
to Django's dummy backend, so it pays no SMTP round trip), in a virtualenv of its own (``PAKN_BENCH_PEER_VENV``,
default /tmp/pakn-bench-peer-venv) made once from PyPI with the same Django, gunicorn and psycopg versions as
PAKN's. Its site is bench/intake_peer_site/. It runs after PAKN's job worker has emptied its queue, on a quiet
machine: a comparison that favours the peer.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SITE = HERE / "intake_peer_site"
NAME = "django-helpdesk 2.6.1"
VENV = Path(os.environ.get("PAKN_BENCH_PEER_VENV") or Path(tempfile.gettempdir()) / "pakn-bench-peer-venv")


def requirements() -> list[str]:
    """The peer pinned, and what PAKN and the peer share at PAKN's own versions."""
    shared = ("Django", "gunicorn", "psycopg", "psycopg-binary", "dj-database-url")
    return ["django-helpdesk[teams]==2.6.1", *(f"{name}=={version(name)}" for name in shared)]


def peer_python() -> Path:
    """The peer's interpreter; its virtualenv is made (from PyPI) the first time."""
    python = VENV / "bin" / "python"
    marker = VENV / ".pakn-requirements"
    wanted = "\n".join(requirements())
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    print(f"  making the peer's virtualenv in {VENV} ({NAME}, from PyPI)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 - pinned packages
        [str(python), "-m", "pip", "install", "--quiet", *requirements()], check=True
    )
    marker.write_text(wanted)
    return python


SETUP = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue
user = get_user_model().objects.create_superuser("bench", "bench@example.vn", None)
queue = Queue.objects.create(
    title="Phản ánh", slug="phan-anh", email_address="phananh@example.vn", new_ticket_cc="canbo@example.vn"
)
print("PEER", Token.objects.create(user=user).key, queue.pk)
"""


class Peer(contextlib.AbstractContextManager["Peer"]):
    """The peer migrated into ``database_url`` (a fresh database) and served by gunicorn with ``workers`` sync
    workers on ``port``; stopped on exit."""

    path = "/api/tickets/"

    def __init__(self, database_url: str, folder: Path, port: int, workers: int):
        self.folder, self.port, self.workers = folder, port, workers
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DATABASE_URL", "DJANGO_"))},
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "peersite.settings",
            "PYTHONPATH": str(SITE),
            "PEER_SECRET_KEY": secrets.token_urlsafe(50),
        }
        self.token, self.queue = "", 0
        self.process: subprocess.Popen[bytes] | None = None

    def _manage(self, python: Path, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own command
            [str(python), str(SITE / "manage.py"), *args], env=self.env, capture_output=True, text=True, timeout=600
        )
        if done.returncode:
            raise RuntimeError(f"peer {args[0]} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def __enter__(self) -> Peer:
        python = peer_python()
        self._manage(python, "migrate", "--verbosity", "0")
        line = next(x for x in self._manage(python, "shell", "-c", SETUP).splitlines() if x.startswith("PEER "))
        _peer, self.token, queue = line.split()
        self.queue = int(queue)
        command = [
            str(python), "-m", "gunicorn", "peersite.wsgi", "--workers", str(self.workers), "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}", "--access-logfile", str(self.folder / "peer-access.log"),
        ]  # fmt: skip
        with (self.folder / "peer-gunicorn.out").open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command, env=self.env, cwd=SITE, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.path, headers=self.headers())
                if conn.getresponse().status == 200:
                    return self
            time.sleep(0.3)
        raise RuntimeError("the peer did not answer within 60 s")

    def headers(self) -> dict[str, str]:
        token = f"Token {self.token}"
        return {"Content-Type": "application/json", "Accept": "application/json", "Authorization": token}

    def body(self, title: str, content: str, i: int) -> bytes:
        """The same report as PAKN's unnamed one, with an e-mail address (the peer needs a submitter)."""
        data: dict[str, Any] = {
            "queue": self.queue,
            "title": title,
            "description": content,
            "submitter_email": f"lan{i}@example.vn",
            "priority": 3,
        }
        return json.dumps(data, ensure_ascii=False).encode()

    def __exit__(self, *exc: object) -> None:
        stop_process_group(self.process)


def stop_process_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to the process group a bench started (``start_new_session``), SIGKILL after 30 s."""
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
