"""The production profile of deploy/, run for real on this machine: a self-signed certificate, a fresh PostgreSQL
database, Redis, two gunicorn processes (deploy/gunicorn.conf.py, PAKN_ENV=production), the worker, and Debian's
nginx running deploy/nginx/pakn.conf (ports and paths replaced) in front, all on loopback addresses. Then, through
nginx over HTTPS:

(a) a person files a report in Chromium on /submit/, sees the tracking code and opens /track/<code>/;
(b) one app process is killed with SIGKILL while clients are POSTing /api/v1/submissions: every submission that
    was acknowledged (201 with a tracking code) is in the database afterwards; in-flight ones may get 502;
(c) the submission throttle (20 per client per hour) is shared by both processes through Redis: the 21st POST
    from one address is refused with 429, whichever process receives it;
(d) the access logs of nginx and gunicorn hold no client address, no user agent and no tracking code.

Skipped, with the reason printed, when nginx, gunicorn, openssl, Chromium, PostgreSQL or Redis is missing. Bounded:
every wait has a deadline, load is a bounded number of requests; every process started is stopped and the
database dropped, also on failure. Timings of each step are printed."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CHROMIUM = "/usr/bin/chromium"
HOST = "localhost"  # the site's name in this test: in the certificate, server_name and PAKN_ALLOWED_HOSTS
PG_ADMIN_URL = os.environ.get("PAKN_DEPLOY_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PAKN_DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/13")  # a db nothing else uses
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--ignore-certificate-errors",
]
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) PaknDeployBrowser/1.0"
LOAD_AGENT = "pakn-deploy-load/1.0"
THROTTLE_CLIENT = "127.0.9.9"  # the address whose 21st submission must be refused
LOAD_CLIENTS = 6  # concurrent clients during the kill
LOAD_MAX_REQUESTS = 150  # in all, bounded
LOAD_MAX_SECONDS = 25.0
BUDGET = 170.0  # seconds for the whole test (setup included); every wait checks it
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{3}\b")


# ------------------------------------------------------------------------------------------ what is needed


def _missing() -> str:
    """Why the test cannot run here ('' when it can)."""
    if sys.platform != "linux":
        return "needs Linux (the whole 127.0.0.0/8 loopback network)"
    if not os.path.exists(NGINX):
        return "needs nginx (apt-get install nginx)"
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "needs gunicorn (pip install gunicorn, a dependency in pyproject.toml)"
    if not shutil.which("openssl"):
        return "needs openssl (apt-get install openssl)"
    if not os.path.exists(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright package"
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception as exc:
        return f"needs PostgreSQL at {PG_ADMIN_URL}: {str(exc).strip().splitlines()[0] if str(exc) else exc!r}"
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=3)
        client.ping()
        foreign = [k for k in client.scan_iter(count=100) if not k.startswith(b":1:")]
        if foreign:
            return f"Redis database {REDIS_URL} holds keys that are not PAKN's cache: not flushing it"
    except Exception as exc:
        return f"needs Redis at {REDIS_URL}: {exc}"
    return ""


# -------------------------------------------------------------------------------------------------- helpers


class Clock:
    """Step timings, printed as they happen and as a table at the end."""

    def __init__(self, capsys: pytest.CaptureFixture[str]):
        self.capsys, self.started, self.steps = capsys, time.monotonic(), list[tuple[str, float]]()

    def left(self) -> float:
        return BUDGET - (time.monotonic() - self.started)

    def say(self, text: str) -> None:
        with self.capsys.disabled():
            print(f"[deploy {time.monotonic() - self.started:6.1f}s] {text}", flush=True)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        begun = time.monotonic()
        yield
        seconds = time.monotonic() - begun
        self.steps.append((name, seconds))
        self.say(f"{name}: {seconds:.1f} s")
        assert self.left() > 0, f"over the time budget of {BUDGET:.0f} s after {name}"

    def table(self) -> str:
        lines = [f"  {seconds:6.1f} s  {name}" for name, seconds in self.steps]
        return "\n".join([*lines, f"  {time.monotonic() - self.started:6.1f} s  in all"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Stack:
    """Every process the test starts, each in its own process group; stopped (then killed) at the end."""

    def __init__(self, folder: Path):
        self.folder, self.processes = folder, dict[str, subprocess.Popen[bytes]]()

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        out = (self.folder / "logs" / f"{name}.out").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own commands
            args, env=env, cwd=self.folder, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        self.processes[name] = process
        return process

    def kill9(self, name: str) -> None:
        """SIGKILL to the process and all its children (a gunicorn master and its workers): a crash."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is None:
                # gunicorn and nginx: SIGINT/SIGQUIT is a quick shutdown; the worker stops on SIGTERM.
                sig = signal.SIGTERM if name == "worker" else signal.SIGINT
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.processes.values():  # whatever is left, and orphaned children of the groups
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)


def _run(args: list[str], env: dict[str, str], timeout: float, log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(  # noqa: S603 - our own commands
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False
        )
    assert result.returncode == 0, f"{' '.join(args[2:])} failed:\n{log.read_text('utf-8', 'replace')[-3000:]}"


class _Https(http.client.HTTPSConnection):
    """TLS to 127.0.0.1 with the host name ``localhost`` (SNI): nginx refuses a handshake without a known name,
    as a client that connects by IP address sends none."""

    def __init__(self, port: int, **kwargs: Any):
        super().__init__(HOST, port, **kwargs)

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)  # type: ignore[attr-defined]
        self.sock = self._context.wrap_socket(sock, server_hostname=HOST)  # type: ignore[attr-defined]


def _request(
    port: int,
    method: str,
    path: str,
    *,
    tls: ssl.SSLContext | None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
    timeout: float = 20,
) -> tuple[int, dict[str, str], bytes]:
    connection: http.client.HTTPConnection
    if tls is not None:
        connection = _Https(port, context=tls, timeout=timeout, source_address=(source, 0))
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _wait_http(port: int, path: str, clock: Clock, *, tls: ssl.SSLContext | None = None, limit: float = 40) -> None:
    deadline = time.monotonic() + min(limit, clock.left())
    problem = ""
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = _request(port, "GET", path, tls=tls, timeout=5)
            if status == 200:
                return
            problem = f"status {status}"
        except OSError as exc:
            problem = str(exc)
        time.sleep(0.2)
    raise AssertionError(f"127.0.0.1:{port}{path} did not answer 200 in time: {problem}")


def _submission(n: int, who: str) -> bytes:
    return json.dumps(
        {
            "kind": "report",
            "title": f"Đèn đường hỏng số {n}",
            "content": f"Đèn đường trước nhà số {n} phố Đội Cấn hỏng đã một tuần ({who}).",
            "province_code": "01",
            "commune_code": "00004",
            "reporter": {"name": "Nguyễn Văn Thử", "phone": "0912000111"},
        }
    ).encode()


def _post_submission(port: int, tls: ssl.SSLContext, n: int, source: str, who: str) -> tuple[int, str, dict[str, str]]:
    status, headers, body = _request(
        port,
        "POST",
        "/api/v1/submissions",
        tls=tls,
        body=_submission(n, who),
        headers={"Content-Type": "application/json", "Accept": "application/json", "User-Agent": LOAD_AGENT},
        source=source,
        timeout=30,
    )
    code = ""
    if status == 201:
        code = json.loads(body)["tracking_code"]
    return status, code, headers


def _nginx_conf(folder: Path, *, http_port: int, https_port: int, upstreams: tuple[int, int], data_dir: Path) -> Path:
    """deploy/nginx/pakn.conf with this test's ports and paths, inside a main configuration of its own."""
    site = (DEPLOY / "nginx" / "pakn.conf").read_text("utf-8")
    logs = folder / "logs"
    replacements = [
        ("    listen [::]:80;\n", ""),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("    listen [::]:80 default_server;\n", ""),
        ("    listen [::]:443 ssl default_server;\n", ""),
        ("    listen 80;", f"    listen 127.0.0.1:{http_port};"),
        ("    listen 443 ssl http2;", f"    listen 127.0.0.1:{https_port} ssl http2;"),
        ("    listen 80 default_server;", f"    listen 127.0.0.1:{http_port} default_server;"),
        ("    listen 443 ssl default_server;", f"    listen 127.0.0.1:{https_port} ssl default_server;"),
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{upstreams[0]} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{upstreams[1]} "),
        ("server_name pakn.example.gov.vn;", "server_name 127.0.0.1 localhost;"),
        ("/etc/ssl/pakn/fullchain.pem", str(folder / "tls" / "cert.pem")),
        ("/etc/ssl/pakn/privkey.pem", str(folder / "tls" / "key.pem")),
        ("/var/log/nginx/", f"{logs}/"),
        ("root /var/lib/pakn;", f"root {data_dir};"),
        ("/var/lib/pakn-acme", str(folder / "acme")),
    ]
    for old, new in replacements:
        assert old in site, f"deploy/nginx/pakn.conf no longer has {old!r}: update the deployment test"
        site = site.replace(old, new)
    (folder / "nginx-site.conf").write_text(site, "utf-8")
    temp = folder / "nginx-temp"
    temp.mkdir()
    main = f"""
daemon off;
master_process on;
worker_processes 2;
pid {folder}/nginx.pid;
error_log {logs}/nginx-main-error.log crit;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/nginx-site.conf;
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main, "utf-8")
    return path


# ------------------------------------------------------------------------------------------------------ test


def test_production_profile_behind_nginx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reason = _missing()
    if reason:
        with capsys.disabled():
            print(f"\n[deploy] SKIPPED: {reason}", flush=True)
        pytest.skip(reason)

    import psycopg
    import redis

    clock = Clock(capsys)
    folder = tmp_path
    for name in ("logs", "tls", "data", "acme"):
        (folder / name).mkdir()
    logs = folder / "logs"
    data_dir = folder / "data"
    database = f"pakn_deploy_{secrets.token_hex(4)}"
    assert re.fullmatch(r"pakn_deploy_[0-9a-f]{8}", database)  # never `test` or `test_*`
    admin = urlsplit(PG_ADMIN_URL)
    database_url = f"{admin.scheme}://{admin.netloc}/{database}"
    cache = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    stack = Stack(folder)
    created = False
    ports = {name: _free_port() for name in ("web_a", "web_b", "http", "https")}

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "pakn.settings",
            "PAKN_ENV": "production",
            "PAKN_SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters
            "PAKN_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "PAKN_CACHE_URL": REDIS_URL,
            "PAKN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PAKN_CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{ports['https']}",
            "PAKN_PUBLIC_URL": f"https://{HOST}:{ports['https']}",
            "PAKN_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "PAKN_CLIENT_IP_HEADER": "X-Forwarded-For",
            "PAKN_THROTTLE_RATES": "submit=20/3600",  # the default, stated: (c) depends on it
            "PAKN_WEB_WORKERS": "2",
            "PYTHONUNBUFFERED": "1",
        }
    )
    try:
        # ------------------------------------------------------------------------------------- setting up
        with clock.step("self-signed certificate (openssl)"):
            _run(
                [
                    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(folder / "tls" / "key.pem"), "-out", str(folder / "tls" / "cert.pem"),
                ],
                env,
                30,
                logs / "openssl.log",
            )
            tls = ssl.create_default_context(cafile=str(folder / "tls" / "cert.pem"))  # verified, not ignored

        with clock.step(f"fresh PostgreSQL database {database}, Redis db {urlsplit(REDIS_URL).path[1:]} flushed"):
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as pg:
                pg.execute(f'CREATE DATABASE "{database}"')
                created = True
                # Only while migrating (dozens of small transactions); set back before anything is served.
                pg.execute(f'ALTER DATABASE "{database}" SET synchronous_commit = off')
            cache.flushdb()

        pakn = [sys.executable, "-m", "pakn.cli"]
        with clock.step("pakn migrate"):
            _run([*pakn, "migrate", "--noinput"], env, min(120, clock.left()), logs / "migrate.log")
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as pg:
            pg.execute(f'ALTER DATABASE "{database}" RESET synchronous_commit')

        with clock.step("pakn loadunits --province 01 and pakn collectstatic, side by side"):
            loader = stack.start("loadunits", [*pakn, "loadunits", "--province", "01"], env)
            _run([*pakn, "collectstatic", "--noinput"], env, min(60, clock.left()), logs / "collectstatic.log")
            assert loader.wait(timeout=min(60, clock.left())) == 0, (logs / "loadunits.out").read_text()

        with clock.step("two gunicorn processes, the worker and nginx started and answering"):
            gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")]
            for name in ("web_a", "web_b"):
                stack.start(
                    name,
                    gunicorn,
                    {
                        **env,
                        "PAKN_BIND": f"127.0.0.1:{ports[name]}",
                        "PAKN_PROC_NAME": f"pakn-{name}",
                        "PAKN_WEB_ACCESS_LOG": str(logs / f"gunicorn-{name}-access.log"),
                    },
                )
            stack.start("worker", [*pakn, "worker", "--loop", "30"], env)
            conf = _nginx_conf(
                folder, http_port=ports["http"], https_port=ports["https"],
                upstreams=(ports["web_a"], ports["web_b"]), data_dir=data_dir,
            )
            _run([NGINX, "-t", "-q", "-p", str(folder), "-c", str(conf), "-e", str(logs / "nginx-startup.log")],
                 env, 20, logs / "nginx-t.log")
            stack.start("nginx", [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(logs / "nginx-startup.log")],
                        env)
            for name in ("web_a", "web_b"):
                _wait_http(ports[name], "/healthz", clock)
            _wait_http(ports["https"], "/readyz", clock, tls=tls)

        with clock.step("HTTP → HTTPS redirect, HSTS, static files by nginx, 413 page, /readyz through nginx"):
            status, headers, _ = _request(ports["http"], "GET", "/submit/?x=1", tls=None)
            assert status == 301 and headers["location"] == f"https://{HOST}/submit/?x=1", (status, headers)
            status, _headers, _ = _request(ports["http"], "GET", "/healthz", tls=None)
            assert status == 200  # probes may come over plain HTTP
            # Another host name, or TLS without the site's name (a scanner on the bare address): no answer.
            with pytest.raises(http.client.RemoteDisconnected):
                _request(ports["http"], "GET", "/", tls=None, headers={"Host": "scanner.example"})
            anything = ssl.create_default_context()
            anything.check_hostname, anything.verify_mode = False, ssl.CERT_NONE
            with pytest.raises(ssl.SSLError), socket.create_connection(("127.0.0.1", ports["https"]), 5) as raw:
                anything.wrap_socket(raw).close()  # no SNI: the handshake is refused
            status, headers, body = _request(ports["https"], "GET", "/", tls=tls)
            assert status == 200, body[:500]
            assert headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains", headers
            assert "content-security-policy" in headers  # the app's own headers pass through
            status, headers, body = _request(ports["https"], "GET", "/static/pakn/pakn.css", tls=tls)
            assert status == 200 and "expires" in headers, headers  # nginx's `expires`, not WhiteNoise
            assert headers.get("strict-transport-security"), headers
            # A body over client_max_body_size is refused from its Content-Length, with the app's 413 page.
            status, _headers, body = _request(
                ports["https"], "POST", "/submit/", tls=tls, headers={"Content-Length": str(80 * 1024 * 1024)}
            )
            assert status == 413 and "quá lớn" in body.decode(), body[:500]
            status, _headers, body = _request(ports["https"], "GET", "/readyz", tls=tls)
            ready = json.loads(body)
            assert status == 200 and ready["status"] == "ready", ready
            assert ready["checks"]["database"]["vendor"] == "postgresql", ready
            assert ready["checks"]["cache"]["backend"] == "RedisCache", ready

        # --------------------------------------------------------------------------- (a) a person, in Chromium
        with clock.step("(a) Chromium over HTTPS through nginx: /submit/, tracking code, /track/<code>/"):
            code = _browser_submission(ports["https"])
            clock.say(f"    tracking code shown: {code}")

        # ----------------------------------------------------------------- (c) throttle shared across processes
        with clock.step("(c) throttle shared by both processes: the 21st submission from one address is 429"):
            # The limit counts in fixed windows of an hour: not across the turn of one.
            to_the_hour = 3600 - time.time() % 3600
            if to_the_hour < 40:
                time.sleep(to_the_hour + 1)
            sizes = {name: _size(logs / f"gunicorn-{name}-access.log") for name in ("web_a", "web_b")}
            statuses = []
            for n in range(21):
                status, _code, headers = _post_submission(ports["https"], tls, n, THROTTLE_CLIENT, "throttle")
                statuses.append(status)
            assert statuses == [201] * 20 + [429], statuses
            assert int(headers.get("retry-after", "0")) > 0, headers
            served = {
                name: _read_from(logs / f"gunicorn-{name}-access.log", sizes[name]).count("POST /api/v1/submissions")
                for name in ("web_a", "web_b")
            }
            clock.say(f"    POSTs served per process: {served}")
            assert served["web_a"] > 0 and served["web_b"] > 0, served  # both counted into one limit

        # ------------------------------------------------------------------- (b) kill -9 of one app process
        with clock.step("(b) kill -9 of one gunicorn process (master and workers) under load"):
            outcome = _load_with_a_crash(ports["https"], tls, stack, clock)
            clock.say(
                "    "
                + ", ".join(f"{k}={v}" for k, v in outcome.items() if k != "codes")
                + f"; acknowledged before/after the kill: {outcome['before_kill']}/{outcome['after_kill']}"
            )
            codes = [c.replace("-", "") for c in outcome["codes"]]
            with psycopg.connect(database_url) as pg:
                stored = {row[0] for row in pg.execute("SELECT tracking_code FROM cases_case")}
            lost = [c for c in codes if c not in stored]
            assert not lost, f"acknowledged submissions missing from the database: {lost}"
            assert outcome["after_kill"] >= 5, outcome  # the other process carried on
            unexpected = {k: v for k, v in outcome["statuses"].items() if k not in ("201", "502", "error")}
            assert not unexpected, outcome["statuses"]
            clock.say(f"    all {len(codes)} acknowledged codes are in the database ({len(stored)} cases in all)")

        with clock.step("worker ran (its log), readyz still ready through nginx with one process down"):
            assert stack.processes["worker"].poll() is None, (logs / "worker.out").read_text()
            deadline = time.monotonic() + min(20, clock.left())
            while "reminded=" not in (logs / "worker.out").read_text() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert "reminded=" in (logs / "worker.out").read_text(), (logs / "worker.out").read_text()
            status, _headers, body = _request(ports["https"], "GET", "/readyz", tls=tls)
            assert status == 200, body

        # ------------------------------------------------------------------------------ (d) the logs
        with clock.step("(d) no client address, user agent or tracking code in the access logs"):
            stack.stop_all()  # flushes every log
            access = {
                name: (logs / name).read_text("utf-8", "replace")
                for name in ("pakn-access.log", "gunicorn-web_a-access.log", "gunicorn-web_b-access.log")
            }
            for name, text in access.items():
                assert text.strip(), f"{name} is empty"
                assert not IPV4.search(text), f"{name} holds an address: {IPV4.search(text)}"
                assert "127.0.0.1" not in text and THROTTLE_CLIENT not in text
                for agent in (BROWSER_AGENT, LOAD_AGENT, "PaknDeployBrowser", "HeadlessChrome", "Mozilla"):
                    assert agent not in text, f"{name} holds the user agent {agent!r}"
                assert not CODE.search(text), f"{name} holds a tracking code: {CODE.search(text)}"
            nginx_log = access["pakn-access.log"]
            assert '"GET /track/[code]/ HTTP/2.0" 200' in nginx_log, nginx_log[-2000:]
            assert '"POST /api/v1/submissions HTTP/1.1" 201' in nginx_log and '"GET /submit/ HTTP/1.1" 301' in nginx_log
            assert "?x=1" not in nginx_log  # no query string
            # Requests that ended on an error page are logged as sent, not as the internal /errors/ redirect.
            assert "/errors/" not in nginx_log, [line for line in nginx_log.splitlines() if "/errors/" in line][:3]
            # The other logs (nginx's error log at "crit", gunicorn's and the worker's output) hold no client's
            # address either: the clients came from 127.0.0.1, 127.0.9.9 and 127.0.2x.y.
            for path in logs.iterdir():
                text = path.read_text("utf-8", "replace")
                for client in re.findall(r"127\.0\.(?:9\.9|2\d\.\d+)\b", text):
                    raise AssertionError(f"{path.name} holds the client address {client}")
                assert BROWSER_AGENT not in text and LOAD_AGENT not in text, path.name
            clock.say("    access log line: " + access["pakn-access.log"].strip().splitlines()[-1])
    finally:
        stack.stop_all()
        with contextlib.suppress(Exception):
            cache.flushdb()
        if created:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        clock.say("timings:\n" + clock.table())


# ------------------------------------------------------------------------------------------- the three parts


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _read_from(path: Path, offset: int) -> str:
    deadline = time.monotonic() + 5  # gunicorn writes its access line after the answer is sent
    while time.monotonic() < deadline:
        with path.open("rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", "replace")
        if text.count("\n") and text.endswith("\n"):
            return text
        time.sleep(0.1)
    return text


def _browser_submission(https_port: int) -> str:
    from playwright.sync_api import expect, sync_playwright

    base = f"https://{HOST}:{https_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(
                base_url=base, locale="vi-VN", user_agent=BROWSER_AGENT, viewport={"width": 360, "height": 740},
                ignore_https_errors=True,
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            response = page.goto("/submit/")
            assert response is not None and response.status == 200
            hsts = [h["value"] for h in response.headers_array() if h["name"].lower() == "strict-transport-security"]
            assert hsts == ["max-age=31536000; includeSubDomains"], response.headers_array()  # exactly one
            page.get_by_label("Phản ánh", exact=True).check()
            page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
            commune = page.get_by_label("Xã/phường/đặc khu")
            expect(commune.locator("option", has_text="Phường Ba Đình")).to_have_count(1)  # loaded by pakn.js
            commune.select_option(label="Phường Ba Đình")
            page.get_by_label("Tiêu đề").fill("Đèn đường hỏng trên phố Đội Cấn")
            page.get_by_role("textbox", name="Nội dung", exact=True).fill("Đèn trước số 12 phố Đội Cấn hỏng hai tuần.")
            # By exact name: "Họ và tên người bị tố cáo" is another field of the form.
            page.get_by_role("textbox", name="Họ và tên", exact=True).fill("Nguyễn Văn An")
            page.get_by_role("textbox", name="Số điện thoại", exact=True).fill("0912345678")
            page.get_by_role("button", name="Gửi đơn", exact=True).click()
            expect(page.get_by_role("heading", name="Đã gửi đơn thành công")).to_be_visible()
            code = page.locator("#tracking-code").inner_text().strip()
            assert CODE.fullmatch(code), code
            assert page.url.startswith("https://"), page.url
            page.goto(f"/track/{code}/")
            expect(page.locator("#status")).to_have_text("Đã tiếp nhận")
            expect(page.locator(".facts")).to_contain_text("Ủy ban nhân dân Phường Ba Đình")
            assert "Nguyễn Văn An" not in page.content()
            return code
        finally:
            browser.close()


def _load_with_a_crash(port: int, tls: ssl.SSLContext, stack: Stack, clock: Clock) -> dict[str, Any]:
    """LOAD_CLIENTS clients POST submissions through nginx, each request from a new loopback address (so the
    throttle does not stop the load); web_a is killed with SIGKILL once some have been acknowledged."""
    lock = threading.Lock()
    codes: list[str] = []
    statuses: dict[str, int] = {}
    sent = [0]
    killed_at: list[float] = []
    acknowledged_at: list[float] = []
    stop = time.monotonic() + min(LOAD_MAX_SECONDS, clock.left() - 30)

    def client(i: int) -> None:
        k = 0
        while time.monotonic() < stop:
            with lock:
                if sent[0] >= LOAD_MAX_REQUESTS:
                    return
                sent[0] += 1
                n = sent[0]
            k += 1
            source = f"127.0.{20 + i}.{k % 250 + 1}"
            try:
                status, code, _headers = _post_submission(port, tls, 1000 + n, source, f"load {i}")
                key = str(status)
            except (OSError, http.client.HTTPException, ValueError):
                status, code, key = 0, "", "error"
            with lock:
                statuses[key] = statuses.get(key, 0) + 1
                if status == 201:
                    codes.append(code)
                    acknowledged_at.append(time.monotonic())

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(LOAD_CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 15
    while len(acknowledged_at) < 15 and time.monotonic() < deadline:
        time.sleep(0.05)
    killed_at.append(time.monotonic())
    stack.kill9("web_a")
    clock.say(f"    SIGKILL to web_a's process group after {len(acknowledged_at)} acknowledged submissions")
    for thread in threads:
        thread.join(timeout=max(1.0, stop - time.monotonic() + 35))
    assert not any(t.is_alive() for t in threads), "load clients did not finish in time"
    return {
        "requests": sent[0],
        "per_second": round(len(codes) / max(0.1, time.monotonic() - started), 1),
        "acknowledged": len(codes),
        "statuses": dict(statuses),
        "before_kill": sum(1 for t in acknowledged_at if t < killed_at[0]),
        "after_kill": sum(1 for t in acknowledged_at if t >= killed_at[0]),
        "codes": codes,
    }
