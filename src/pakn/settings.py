"""Settings: every value comes from an environment variable with a default that gives a working
SQLite instance. Each variable is declared once in ``SETTINGS_DOC`` (documented in docs/operations.md,
checked by a test)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pakn.core.cache_url import cache_from_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PAKN_DATA_DIR", Path.cwd() / "var")).resolve()

SETTINGS_DOC: dict[str, str] = {
    "PAKN_ENV": "'development' (default) or 'production'; production refuses a missing, short or default secret "
    "key and turns on HTTPS-only cookies, HSTS and the redirect to HTTPS.",
    "PAKN_SECRET_KEY": "Django secret key; required in production: at least 50 characters, at least 5 different, "
    'e.g. the output of python -c "import secrets; print(secrets.token_urlsafe(50))".',
    "PAKN_DEBUG": "1 to show debug pages (never in production).",
    "PAKN_DATA_DIR": "Folder for the SQLite database and uploaded files (default ./var).",
    "DATABASE_URL": "Database URL, e.g. postgres://user@host:5432/pakn (default SQLite in PAKN_DATA_DIR).",
    "PAKN_REPLICA_DATABASE_URL": "URL of a PostgreSQL streaming replica of DATABASE_URL; when set, the public "
    "portal, statistics, open data and search read from it (figures may be seconds old), everything else and every "
    "write use the primary (default none: all on the primary).",
    "PAKN_CACHE_URL": "Cache shared by all processes, for throttling and rate limits: redis://host:6379/0 or "
    "db://pakn_cache (default: each process's own memory, fine for one process).",
    "PAKN_ALLOWED_HOSTS": "Comma-separated host names served (default localhost,127.0.0.1).",
    "PAKN_CSRF_TRUSTED_ORIGINS": "Comma-separated origins, e.g. https://pakn.example.gov.vn.",
    "PAKN_PROXY_SSL_HEADER": "Header by which the proxy that ends TLS says the request came over HTTPS, e.g. "
    "X-Forwarded-Proto (value https) or X-Forwarded-Ssl=on; the proxy must set or remove it on every request. "
    "Default none: only the socket's own TLS counts.",
    "PAKN_SSL_REDIRECT": "1 redirects every plain-HTTP request to HTTPS except /healthz and /readyz (default 1 in "
    "production, 0 otherwise). Behind a proxy that ends TLS, set PAKN_PROXY_SSL_HEADER, or pages redirect to "
    "themselves.",
    "PAKN_HSTS_SECONDS": "Strict-Transport-Security max-age sent over HTTPS (default 31536000, one year, in "
    "production; 0 otherwise; 0 = no header).",
    "PAKN_HSTS_INCLUDE_SUBDOMAINS": "1 (default in production) extends HSTS to every subdomain of the site's host.",
    "PAKN_HSTS_PRELOAD": "1 asks browsers to preload HSTS (default 0: only once the host is submitted to the "
    "preload list, which is hard to undo).",
    "PAKN_EMAIL_URL": "smtp://user:pass@host:587 to send e-mail; default writes e-mail to the console log.",
    "PAKN_DEFAULT_FROM_EMAIL": "Sender address of notifications.",
    "PAKN_SMS_BACKEND": "Dotted path of the SMS backend (default the log backend).",
    "PAKN_PUBLIC_URL": (
        "Public base URL used in e-mail links and Open311 discovery (default: the host of the request being "
        "served; the worker, outside any request, uses http://127.0.0.1:8000 unless this is set)."
    ),
    "PAKN_SMS_URL": "HTTP SMS gateway for pakn.notify.channels.HttpSmsBackend: POST JSON {to, text, sender}.",
    "PAKN_SMS_TOKEN": "Bearer token sent to the SMS gateway.",
    "PAKN_SMS_SENDER": "Sender name or number passed to the SMS gateway (optional).",
    "PAKN_SMS_RETRIES": "Immediate retries of an SMS on network error, 408, 429 or 5xx (default 2).",
    "PAKN_SMS_TIMEOUT": "Seconds to wait for the SMS gateway (default 10).",
    "PAKN_API_RATE_LIMIT": "Requests per token or client address on /api/v1/, e.g. 120/m (default: no limit).",
    "PAKN_OPEN311_RATE_LIMIT": "Open311 requests filed per API key per minute (default 60; 0 = no limit).",
    "PAKN_OPEN311_JURISDICTION": "Open311 jurisdiction_id; when set, another value answers 404 (default: any).",
    "PAKN_OPEN311_CONTACT": "Contact shown in Open311 service discovery (default PAKN_DEFAULT_FROM_EMAIL).",
    "PAKN_PUBLIC_CACHE_SECONDS": "How long a rendered public portal page (home, statistics, open data) is kept in "
    "the cache before being rendered again from the stored figures (default 300; 0 = no cache and no stored "
    "figures: every request computes, for tests and debugging; the page says when its figures were computed).",
    "PAKN_PORTAL_REFRESH_SECONDS": "The worker computes a public statistics page's stored figures again at most "
    "this often after the cases they count change (default 60); visitors read the previous figures meanwhile.",
    "PAKN_DUE_SOON_WORKING_DAYS": "How many working days before a deadline a case counts as due soon (default 3).",
    "PAKN_NOTIFY_KEY_FILE": "Private key that opens reporters' sealed notification contacts (created on first use, "
    "mode 0600; default PAKN_DATA_DIR/keys/notify.key). Keep it out of database backups.",
    "PAKN_SERVER_KEY_FILE": "Key of the clean attachment copies and of the redaction hashes (created on first use, "
    "mode 0600; default PAKN_DATA_DIR/keys/server.key). Back it up apart from the database.",
    "PAKN_ESCROW_KEY_FILE": "Where the escrow private key is written if the deployment creates it itself (demo; "
    "default PAKN_DATA_DIR/keys/escrow.key). In production use `pakn protection init-escrow` and keep it offline.",
    "PAKN_ARGON2_PROFILE": "Argon2id cost of officer keys and drop-box receipts: interactive (default), moderate or "
    "sensitive.",
    "PAKN_POW_BITS": "Proof of work on the public forms: 0 (default) is off; e.g. 16 makes the browser compute "
    "about 65,000 hashes (needs JavaScript while on).",
    "PAKN_THROTTLE_RATES": "Per-client limits, e.g. submit=20/3600,receipt=10/900,citizen=30/3600,unlock=10/900.",
    "PAKN_CLIENT_IP_HEADER": "Header carrying the client address behind your proxy, e.g. X-Forwarded-For (last hop "
    "is used); default the socket address. Used only, hashed, for throttling.",
    "PAKN_UPLOAD_MAX_MB": "Largest attachment in MB (default 10); at most 5 files per submission.",
    "PAKN_OTP_REQUIRED_ROLES": "Comma-separated roles that must log in with a second factor (an authenticator "
    "app, TOTP) and set one up before any page opens: clerk, head, supervisor, admin (also every superuser), "
    "protection_officer (default protection_officer,admin). Empty: voluntary for everyone. Others may turn it on "
    "from their account page. API tokens are not affected.",
    "PAKN_OTP_ISSUER": "Name the authenticator app shows next to the account (default PAKN); also the name a "
    "security key or passkey is registered with.",
    "PAKN_WEBAUTHN_RP_ID": "The domain security keys and passkeys are bound to, e.g. pakn.hanoi.gov.vn (default: "
    "the host each request came to). Keys registered under one domain do not work under another: set it before "
    "staff register keys, and never change it.",
    "PAKN_WEBAUTHN_ORIGINS": "Comma-separated origins a key may be used from, e.g. https://pakn.hanoi.gov.vn "
    "(default: the origin each request came to).",
    "PAKN_JOBS_BACKEND": "Where the jobs that follow a case change wait for the worker: database (default; the job "
    "is written in the change's transaction) or immediate (run at once, inside it: scripts and tests only).",
    "PAKN_JOB_ATTEMPTS": "How many times a failing job is tried before it is marked failed (default 5; back-off "
    "30 s, 1, 2, 4 min).",
    "PAKN_WORKER_NICE": "How much lower the looping worker's CPU priority is than the web server's (added to "
    "its nice value; default 10, 0 keeps it equal): on a small machine citizens' requests come first and the "
    "jobs catch up in the quiet seconds after.",
    "PAKN_JOB_LEASE_SECONDS": "A job claimed this long ago by a worker that never finished it is run again "
    "(default 900; a dead worker on the same machine is noticed at once).",
    "PAKN_MAP_TILE_URL": "The deployment's map tile server for the staff maps, e.g. "
    "https://tiles.example.vn/{z}/{x}/{y}.png; its origin is added to the CSP's img-src. Default none: the small "
    "tile set shipped in the package (zoom 5-8) and the server-drawn outline; nothing loads from other hosts.",
    "PAKN_MAP_TILE_ATTRIBUTION": "Attribution shown on the map for PAKN_MAP_TILE_URL's tiles, e.g. "
    "'© OpenStreetMap contributors' (default none).",
    "PAKN_MAP_TILE_MAX_ZOOM": "Highest zoom PAKN_MAP_TILE_URL serves (default 18).",
}

ENV = os.environ.get("PAKN_ENV", "development")
if ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"PAKN_ENV must be development or production, not {ENV!r}.")
PRODUCTION = ENV == "production"
DEFAULT_SECRET = "pakn-development-secret-not-for-production"  # noqa: S105 - refused in production below
SECRET_KEY = os.environ.get("PAKN_SECRET_KEY", DEFAULT_SECRET)
# Django's own rule (check security.W009): an empty key fails every page, a short one can be guessed.
if PRODUCTION and (SECRET_KEY == DEFAULT_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "PAKN_SECRET_KEY must be set in production: at least 50 characters, at least 5 of them different, not "
        'the development default. Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
DEBUG = os.environ.get("PAKN_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("PAKN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PAKN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]


def _flag(value: str | None, default: bool) -> bool:
    return default if value is None or not value.strip() else value.strip().lower() in ("1", "true", "yes", "on")


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` → ``("HTTP_X_FORWARDED_PROTO", "https")``; ``X-Forwarded-Ssl=on`` names the value."""
    header, _sep, expected = value.strip().partition("=")
    if not header.strip():
        return None
    return "HTTP_" + header.strip().upper().replace("-", "_"), expected.strip() or "https"


# HTTPS (docs/operations.md, "HTTPS behind a proxy"): secure cookies, HSTS and the redirect are on in production.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("PAKN_PROXY_SSL_HEADER", ""))
SECURE_SSL_REDIRECT = _flag(os.environ.get("PAKN_SSL_REDIRECT"), PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes of the load balancer may come over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("PAKN_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag(os.environ.get("PAKN_HSTS_INCLUDE_SUBDOMAINS"), PRODUCTION)
SECURE_HSTS_PRELOAD = _flag(os.environ.get("PAKN_HSTS_PRELOAD"), False)
PUBLIC_URL = os.environ.get("PAKN_PUBLIC_URL", "")
DUE_SOON_WORKING_DAYS = int(os.environ.get("PAKN_DUE_SOON_WORKING_DAYS", "3"))
PUBLIC_CACHE_SECONDS = int(os.environ.get("PAKN_PUBLIC_CACHE_SECONDS", "300"))
PORTAL_REFRESH_SECONDS = int(os.environ.get("PAKN_PORTAL_REFRESH_SECONDS", "60"))

# Reporter protection (docs/protection.md). Key files live outside the database and the settings.
NOTIFY_KEY_FILE = os.environ.get("PAKN_NOTIFY_KEY_FILE", "")
SERVER_KEY_FILE = os.environ.get("PAKN_SERVER_KEY_FILE", "")
ESCROW_KEY_FILE = os.environ.get("PAKN_ESCROW_KEY_FILE", "")
ARGON2_PROFILE = os.environ.get("PAKN_ARGON2_PROFILE", "interactive")
_TEST_ONLY_PROFILE = ARGON2_PROFILE == "min" and ENV != "production"
if ARGON2_PROFILE not in ("interactive", "moderate", "sensitive") and not _TEST_ONLY_PROFILE:
    raise ImproperlyConfigured("PAKN_ARGON2_PROFILE must be interactive, moderate or sensitive.")
POW_BITS = int(os.environ.get("PAKN_POW_BITS", "0"))
THROTTLE_RATES = os.environ.get("PAKN_THROTTLE_RATES", "")
CLIENT_IP_HEADER = os.environ.get("PAKN_CLIENT_IP_HEADER", "")
UPLOAD_MAX_MB = int(os.environ.get("PAKN_UPLOAD_MAX_MB", "10"))

# Two-factor login (pakn.accounts, docs/protection.md "Two-factor login").
OTP_REQUIRED_ROLES = os.environ.get("PAKN_OTP_REQUIRED_ROLES", "protection_officer,admin")
OTP_TOTP_ISSUER = os.environ.get("PAKN_OTP_ISSUER", "PAKN")
# Wrong codes are counted by the login throttle (pakn.protection.logins), per account and client, with
# Retry-After; django-otp's own per-device delay is off so a right code after a wrong one is never refused.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Security keys and passkeys (django-otp-webauthn, pakn.accounts.security_keys): a second factor only.
WEBAUTHN_RP_ID = os.environ.get("PAKN_WEBAUTHN_RP_ID", "")
OTP_WEBAUTHN_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("PAKN_WEBAUTHN_ORIGINS", "").split(",") if o.strip()]
OTP_WEBAUTHN_HELPER_CLASS = "pakn.accounts.security_keys.Helper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "pakn.accounts.security_keys.relying_party_id"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Unpinned, the origin is the one each request came to (security_keys.Helper), which the library's check
# cannot see.
SILENCED_SYSTEM_CHECKS = [] if OTP_WEBAUTHN_ALLOWED_ORIGINS else ["otp_webauthn.E030"]

# Citizen login with OpenID Connect, VNeID or another issuer (pakn.accounts.oidc, docs/citizen-login.md).
# Citizens only: staff keep their password and second factor. Off (no button, the routes answer 404) until
# PAKN_OIDC_ISSUER and PAKN_OIDC_CLIENT_ID are set.
SETTINGS_DOC.update(
    {
        "PAKN_OIDC_ISSUER": "Issuer URL of the citizens' OpenID Connect provider (VNeID or another), e.g. "
        "https://sso.example.gov.vn/realms/citizens; its /.well-known/openid-configuration is read. Empty "
        "(default): no citizen login through a provider. Must be https in production.",
        "PAKN_OIDC_CLIENT_ID": "Client id this portal was registered with at the provider (redirect URI: "
        "PAKN_PUBLIC_URL + /account/oidc/callback/).",
        "PAKN_OIDC_CLIENT_SECRET": "Client secret given by the provider (empty: a public client, PKCE only).",
        "PAKN_OIDC_SCOPES": "Scopes asked of the provider (default 'openid profile email').",
        "PAKN_OIDC_NAME": "Name of the provider on the citizen login button (default VNeID).",
    }
)
OIDC_ISSUER = os.environ.get("PAKN_OIDC_ISSUER", "").strip()
OIDC_CLIENT_ID = os.environ.get("PAKN_OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = os.environ.get("PAKN_OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("PAKN_OIDC_SCOPES", "openid profile email")
OIDC_NAME = os.environ.get("PAKN_OIDC_NAME", "VNeID")
if PRODUCTION and OIDC_ISSUER and not OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("PAKN_OIDC_ISSUER must be an https:// URL in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",  # serves Swagger UI's files from the package (no CDN)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks",
    "django_tasks_db",
    "pakn.core",
    "pakn.org",
    "pakn.accounts",
    "pakn.cases",
    "pakn.notify",
    "pakn.language",
    "pakn.reception",
    "pakn.plans",
    "pakn.oversight",
    "pakn.public",
    "pakn.open311",
    "pakn.protection",
    "pakn.hotline",
    "pakn.frontdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pakn.core.middleware.LanguageMiddleware",
    "pakn.core.site.PublicBaseMiddleware",
    "pakn.core.dbrouting.ReplicaReadsMiddleware",  # the read-only pages may read from PAKN_REPLICA_DATABASE_URL
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # user.is_verified(): the session passed the second step
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pakn.core.middleware.SecurityHeadersMiddleware",
    "pakn.core.middleware.PrivatePagesMiddleware",
    "pakn.accounts.middleware.SecondFactorMiddleware",  # after the headers, so its redirects carry them too
    "pakn.core.middleware.PaknErrorMiddleware",
]

ROOT_URLCONF = "pakn.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pakn.navigation.context",
                "pakn.core.context.return_path",
            ],
        },
    },
]
WSGI_APPLICATION = "pakn.wsgi.application"

DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{DATA_DIR / 'pakn.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A submission acknowledged to a citizen must survive a crash: WAL with full fsync, and
    # IMMEDIATE transactions so concurrent writers queue instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django's backend with a write lock whose waiters wake when it is freed (SQLite's own sleeps between tries).
    DATABASES["default"]["ENGINE"] = "pakn.core.sqlite_backend"
    # Tests: in memory, said outright (pytest-django recognises Django's own engine name only, and would give each
    # xdist worker a file named after the live database instead).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: deleted rows are overwritten with zeros, not left in free pages of the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        "PRAGMA secure_delete=ON;",
    }
# Reads off the primary (pakn.core.dbrouting, docs/operations.md "Read replicas"); tests mirror the primary.
if os.environ.get("PAKN_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["PAKN_REPLICA_DATABASE_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        # A replica that does not answer is given up on quickly (pakn.core.dbrouting reads from the primary).
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 3
DATABASE_ROUTERS = ["pakn.core.dbrouting.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": cache_from_url(os.environ.get("PAKN_CACHE_URL", ""))}

# Jobs (docs/architecture.md, "Jobs"): what follows a change runs after its commit, on the worker. The database
# backend writes a job in the transaction of the change, so the change and its jobs commit together; a crash
# after the commit leaves the job for the next worker (PostgreSQL: many workers, SKIP LOCKED). "immediate" runs
# each job where it is enqueued, inside the transaction (the test suite, a one-off script).
_JOB_BACKENDS = {
    "database": "pakn.core.tasks_backend.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _JOB_BACKENDS[os.environ.get("PAKN_JOBS_BACKEND", "database")]}}
# After every audited case change, in this order (each a function ``(case, event)``, idempotent, run in its own
# savepoint, retried alone when it fails): cases.jobs.run_case_jobs.
CASE_JOBS = [
    "pakn.cases.services.intake.acknowledge",  # new cases: the reporter's acknowledgement, the clerks' notice
    "pakn.language.jobs.index_case",  # staff search
    "pakn.public.jobs.refresh_statistics",  # the public statistics of the unit and month
    "pakn.language.jobs.suggest_routing",  # new cases: topic and competent unit, for the clerk
    "pakn.language.jobs.flag_duplicates",  # new cases: open cases that look like the same matter
    "pakn.protection.jobs.mark_for_reseal",  # forwarded cases: sealed identities for the new unit's officers
    "pakn.frontdesk.jobs.tell_front",  # answers to opinions the Front forwarded
    "pakn.public.alerts.tell_followers",  # e-mail alerts: followers of a published case or area
    "pakn.notify.webhooks.queue_event",  # Open311 / webhook subscribers
]
JOB_ATTEMPTS = int(os.environ.get("PAKN_JOB_ATTEMPTS", "5"))
# A job claimed this long ago by a worker that never finished it (killed, machine lost) is run again.
JOB_LEASE_SECONDS = int(os.environ.get("PAKN_JOB_LEASE_SECONDS", "900"))
WORKER_NICE = int(os.environ.get("PAKN_WORKER_NICE", "10"))

# Every password check goes through the login throttle (pakn.protection.logins); Django's ModelBackend stays
# listed only so that sessions opened before it keep working.
AUTHENTICATION_BACKENDS = [
    "pakn.protection.logins.ThrottledModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
FORM_RENDERER = "pakn.core.forms.PaknFormRenderer"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Text fields of one request (files excluded). Large enough that a text pasted far over the content limit
# still reaches the form, which refuses it with the limit stated and gives the text back; beyond it, the
# 413 page states the limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# A person who selects a whole folder of photos gets the form back with "at most 5 files" and their text, not a
# bare 400: files past the 5th of a field are counted, not kept (pakn.core.uploads). This ceiling is only for
# requests no person sends; past it the 400 page states the limit.
DATA_UPLOAD_MAX_NUMBER_FILES = 10_000
CSRF_FAILURE_VIEW = "pakn.core.views.csrf_failure"
# Uploads stay in memory (never a plaintext temporary file on disk) up to the size of one whole request; a
# bigger request keeps only the files' sizes, so they are refused with a message instead of dropped.
FILE_UPLOAD_HANDLERS = [
    "pakn.core.uploads.FileCountUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "pakn.protection.files.OversizeUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = (5 * UPLOAD_MAX_MB + 2) * 1024 * 1024
DEFAULT_EXCEPTION_REPORTER_FILTER = "pakn.protection.logs.PaknExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "pakn.protection.logs.PaknExceptionReporter"

_email_url = os.environ.get("PAKN_EMAIL_URL", "")
if _email_url.startswith("smtp"):
    from urllib.parse import unquote, urlparse

    _u = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _u.hostname or "localhost"
    EMAIL_PORT = _u.port or 25
    EMAIL_HOST_USER = unquote(_u.username or "")
    EMAIL_HOST_PASSWORD = unquote(_u.password or "")
    EMAIL_USE_TLS = EMAIL_PORT == 587
    EMAIL_USE_SSL = EMAIL_PORT == 465
else:
    EMAIL_BACKEND = "pakn.protection.logs.MaskingConsoleEmailBackend"  # recipients masked in the log
DEFAULT_FROM_EMAIL = os.environ.get("PAKN_DEFAULT_FROM_EMAIL", "pakn@localhost")
SMS_BACKEND = os.environ.get("PAKN_SMS_BACKEND", "pakn.notify.channels.LogSmsBackend")
SMS_URL = os.environ.get("PAKN_SMS_URL", "")
SMS_TOKEN = os.environ.get("PAKN_SMS_TOKEN", "")
SMS_SENDER = os.environ.get("PAKN_SMS_SENDER", "")
SMS_RETRIES = int(os.environ.get("PAKN_SMS_RETRIES", "2"))
SMS_TIMEOUT = float(os.environ.get("PAKN_SMS_TIMEOUT", "10"))
API_RATE_LIMIT = os.environ.get("PAKN_API_RATE_LIMIT", "")
OPEN311_RATE_LIMIT = int(os.environ.get("PAKN_OPEN311_RATE_LIMIT", "60"))
OPEN311_JURISDICTION = os.environ.get("PAKN_OPEN311_JURISDICTION", "")
OPEN311_CONTACT = os.environ.get("PAKN_OPEN311_CONTACT", DEFAULT_FROM_EMAIL)

# Maps (docs/location.md): the deployment's tile server, or the packaged tiles when none is named.
MAP_TILE_URL = os.environ.get("PAKN_MAP_TILE_URL", "").strip()
if MAP_TILE_URL and (
    not MAP_TILE_URL.startswith(("https://", "http://")) or any(p not in MAP_TILE_URL for p in ("{z}", "{x}", "{y}"))
):
    raise ImproperlyConfigured(
        "PAKN_MAP_TILE_URL must be an http(s) URL with {z}, {x} and {y}, e.g. https://tiles.example.vn/{z}/{x}/{y}.png"
    )
MAP_TILE_ATTRIBUTION = os.environ.get("PAKN_MAP_TILE_ATTRIBUTION", "")
MAP_TILE_MAX_ZOOM = int(os.environ.get("PAKN_MAP_TILE_MAX_ZOOM", "18"))

# No log line holds a client address or user agent: every handler strips them (pakn.protection.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_address": {"()": "pakn.protection.logs.ClientAddressFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_client_address"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Replace Django's own handlers (console, mail_admins, django.server), which print request objects.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Pillow logs every EXIF tag it reads at DEBUG (names in Artist fields, GPS positions).
        "PIL": {"level": "INFO"},
        # The job queue logs every job started and finished, and every poll of the worker: failures only
        # (``pakn jobs`` shows the queue).
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
