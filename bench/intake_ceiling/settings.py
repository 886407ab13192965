"""pakn.settings (read from the same environment: PAKN_ENV=production, DATABASE_URL, PAKN_CACHE_URL, …) plus
the ceiling app and its URL. Nothing else changes: same middleware, same database options (SQLite WAL +
synchronous=FULL + IMMEDIATE transactions, PostgreSQL conn_max_age=60)."""

from pakn.settings import *  # noqa: F403
from pakn.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "intake_ceiling"]
ROOT_URLCONF = "intake_ceiling.urls"
