"""Gunicorn configuration of a PAKN web process (``gunicorn -c deploy/gunicorn.conf.py pakn.wsgi``).

Behind nginx (deploy/nginx/pakn.conf), which ends TLS, buffers slow clients and spreads requests over two or
more such processes. Every value can be changed from the environment, so the same file serves the systemd
units (deploy/systemd/), the container (deploy/Containerfile) and the deployment test
(tests/deploy/test_deployment.py):

======================  =================================================================================
``PAKN_BIND``           address to listen on (default ``127.0.0.1:8001``; ``0.0.0.0:8000`` in a container,
                        ``unix:/run/pakn/web.sock`` works too). Never a public address: nginx is in front.
``PAKN_WEB_WORKERS``    worker processes (default ``2 × CPU cores + 1``, at most 12).
``PAKN_WEB_TIMEOUT``    seconds a request may take before its worker is killed and replaced (default 60: a
                        submission with five 10 MB photos is decoded, cleaned of its metadata and encrypted).
``PAKN_WEB_ACCESS_LOG`` where the access log goes: ``-`` (standard output, the journal; default), a file, or
                        ``off``.
``PAKN_WEB_ERROR_LOG``  where gunicorn's own log goes (default ``-``, standard error).
``PAKN_FORWARDED_ALLOW_IPS``  the proxy's addresses whose X-Forwarded-Proto gunicorn trusts (default the
                        loopback; ``*`` in compose, where only nginx reaches the web containers).
``PAKN_PROC_NAME``      the process title (default ``pakn-web``).
======================  =================================================================================

Privacy (docs/protection.md): the access log holds no client address, no user agent, no referrer, no query
string, and tracking codes, booking codes and API tokens in paths are masked; the error log goes through the
same address scrubbing as PAKN's own logging.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re

from gunicorn.glogging import Logger

# ----------------------------------------------------------------------------------------------- processes

bind = [os.environ.get("PAKN_BIND", "127.0.0.1:8001")]
workers = int(os.environ.get("PAKN_WEB_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 12))
# Synchronous workers: nginx buffers whole requests and answers (proxy_request_buffering on), so a worker is
# never held by a slow phone connection; each request has its own database connection and transaction.
worker_class = "sync"
wsgi_app = "pakn.wsgi:application"

# A worker whose request runs longer than this is killed (SIGABRT, its traceback in the error log) and a new
# one started; nginx's proxy_read_timeout is a little longer so that nginx sees the worker's death, not its own
# timeout.
timeout = int(os.environ.get("PAKN_WEB_TIMEOUT", "60"))
# Graceful restart (SIGHUP from `systemctl reload pakn-web`, SIGTERM on stop): workers finish the requests they
# are serving, for at most this long, before they are stopped. A submission being saved is finished and
# acknowledged, never cut in the middle.
graceful_timeout = 30
# Sync workers close the connection after each answer; nginx opens a new one per request on the loopback.
keepalive = 2

# Each worker is replaced after 2,000 to 3,000 requests (a slow memory growth cannot build up). A new worker takes
# about two seconds to start (import, then the warm-up below) and serves nothing meanwhile: the wide jitter keeps
# the workers from restarting together (with 1,000 + 100 both workers of the intake bench restarted within a
# second of each other and every client waited up to 2–5 s).
max_requests = 2000
max_requests_jitter = 1000

# Without preload_app each worker imports the application itself: `systemctl reload pakn-web` (SIGHUP) then
# starts workers on the newly installed code while the old ones finish their requests.
preload_app = False


def post_worker_init(worker: object) -> None:
    """Before a new worker (a start, a reload, a replacement after ``max_requests``) takes its first request:
    the URLconf, the reference tables and the catalogues are loaded (``pakn.core.warmup``), so that request
    does not wait seconds for them."""
    from pakn.core.warmup import warm

    warm()


# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108 - tmpfs, ours
# Gunicorn 25+ opens a control socket in $XDG_RUNTIME_DIR or ~/.gunicorn: two instances of the same user would
# fight over it. Signals (systemctl reload/stop) are enough here.
control_socket_disable = True
proc_name = os.environ.get("PAKN_PROC_NAME", "pakn-web")

# Requests bigger than this are refused by nginx first (client_max_body_size); these protect the process
# against a misconfigured proxy.
limit_request_line = 8190
limit_request_fields = 100

# X-Forwarded-Proto from nginx: Django reads it through PAKN_PROXY_SSL_HEADER; gunicorn itself only trusts it
# from these addresses (the loopback, where nginx runs on the same host; in compose the network's proxy).
forwarded_allow_ips = os.environ.get("PAKN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# ----------------------------------------------------------------------------------------------------- logs

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?![\w:])")
# Codes that act as keys in a path: whoever reads them can follow, complete or withdraw a case.
_SECRET_PATHS = re.compile(r"^(/track/|/reception/bookings/|/api/v1/submissions/|/open311/v2/tokens/)[^/.]+")


def scrub(text: str) -> str:
    """Addresses out of a log line (the same rule as pakn.protection.logs.scrub, kept here so that the master
    process need not import Django)."""
    text = _IPV4.sub("[ip]", text)
    return _IPV6.sub(lambda m: "[ip]" if "::" in m.group(0) or m.group(0).count(":") >= 5 else m.group(0), text)


def mask_path(path: str) -> str:
    return _SECRET_PATHS.sub(r"\1[code]", path or "")


class _Scrub(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        return True


class PaknLogger(Logger):
    """Only these atoms exist for the access log: no ``h`` (address), ``a`` (user agent), ``f`` (referrer),
    ``q`` (query string), ``r``/``U`` unmasked, request or response headers, or environment variables — a
    changed ``access_log_format`` cannot bring them back (a missing atom prints ``-``)."""

    SAFE = ("t", "m", "H", "s", "b", "B", "T", "D", "M", "L", "p")

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        every = super().atoms(resp, req, environ, request_time)
        safe = {key: every[key] for key in self.SAFE if key in every}
        safe["U"] = mask_path(str(environ.get("PATH_INFO", "")))
        safe["r"] = f"{safe.get('m')} {safe['U']} {safe.get('H')}"
        return safe

    def setup(self, cfg):  # type: ignore[no-untyped-def]
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(_Scrub())


logger_class = PaknLogger
_access = os.environ.get("PAKN_WEB_ACCESS_LOG", "-")
accesslog = None if _access == "off" else _access
errorlog = os.environ.get("PAKN_WEB_ERROR_LOG", "-")
loglevel = "info"
# time, request (method, masked path, protocol), status, bytes, milliseconds, worker pid.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %(p)s'
