"""Production settings: a real secret key or no start at all; HTTPS-only with HSTS and the proxy's HTTPS header;
``pakn check --deploy`` reports nothing that a setting could fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

GOOD_KEY = "k3Jx9_vQ2mW8rT5yB1nC7hL4pZ0sD6fG-aE9uI2oK5jH8gF3dS7aQ1wE4rT6yU0iO"


def run(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PAKN_", "DJANGO_"))}
    environment.update({"PAKN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "pakn.settings", **env})
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False, cwd=tmp_path
    )


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "missing"),
        ("", "empty"),
        ("short-but-set-2026", "short"),
        ("pakn-development-secret-not-for-production", "the default"),
        ("ab" * 30, "two characters only"),
    ],
)
def test_production_refuses_a_weak_secret_key_at_start(tmp_path: Path, key: str | None, why: str) -> None:
    env = {"PAKN_ENV": "production"}
    if key is not None:
        env["PAKN_SECRET_KEY"] = key
    result = run(tmp_path, "from pakn.cli import main; main(['check'])", **env)
    assert result.returncode != 0, why
    assert "PAKN_SECRET_KEY" in result.stderr and "at least 50 characters" in result.stderr
    assert "Traceback" not in result.stderr  # one clear line from `pakn`


def test_production_starts_with_a_good_key(tmp_path: Path) -> None:
    result = run(
        tmp_path, "from pakn.cli import main; main(['check'])", PAKN_ENV="production", PAKN_SECRET_KEY=GOOD_KEY
    )
    assert result.returncode == 0, result.stderr


def test_an_unknown_environment_name_is_refused(tmp_path: Path) -> None:
    result = run(tmp_path, "import pakn.settings", PAKN_ENV="prod", PAKN_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0 and "PAKN_ENV" in result.stderr


def test_check_deploy_has_no_warning_a_setting_could_fix(tmp_path: Path) -> None:
    code = "from pakn.cli import main; main(['check', '--deploy', '--fail-level', 'CRITICAL'])"
    result = run(
        tmp_path,
        code,
        PAKN_ENV="production",
        PAKN_SECRET_KEY=GOOD_KEY,
        PAKN_PROXY_SSL_HEADER="X-Forwarded-Proto",
        PAKN_ALLOWED_HOSTS="pakn.example.gov.vn",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security.W004" not in output and "security.W008" not in output
    found = {line.split(")")[0].split("(")[-1] for line in output.splitlines() if "(security." in line}
    # W021 only: HSTS preload stays off until the operator submits the domain to the browsers' preload list.
    assert found <= {"security.W021"}, output


def test_production_settings_values(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    production = run(
        tmp_path, code, PAKN_ENV="production", PAKN_SECRET_KEY=GOOD_KEY, PAKN_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    assert production.stdout.split() == [
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "31536000",
        "True",
        "False",
        "True",
        "True",
    ], production.stderr
    other = run(tmp_path, code, PAKN_PROXY_SSL_HEADER="X-Forwarded-Ssl=on", PAKN_HSTS_SECONDS="300")
    assert other.stdout.split() == [
        "('HTTP_X_FORWARDED_SSL',",
        "'on')",
        "False",
        "300",
        "False",
        "False",
        "False",
        "False",
    ]


@pytest.mark.django_db
def test_behind_the_proxy_https_gets_hsts_and_http_is_redirected(settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()
    plain = client.get("/deadlines/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200  # the load balancer's probe over plain HTTP
    secure = client.get("/deadlines/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
