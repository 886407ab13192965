"""Start the test OpenID provider as a separate process, and walk its login with ``requests`` (for the tests
that drive the portal with Django's test client; the browser journeys log in on its page instead).

``start_provider`` skips the calling test, with the reason and the end of the provider's log, when the process
cannot start on this machine."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

TESTS_DIR = Path(__file__).resolve().parents[2]
START_SECONDS = 60
PASSWORD = "mat-khau-dinh-danh-2026"
NATIONAL_ID = "001090012345"  # a claim the portal must never store nor log

# The provider's users: an opaque stable ``sub``, the name in parts (Vietnamese order: family, middle, given).
CITIZEN = {
    "username": "cong.dan",
    "password": PASSWORD,
    "claims": {
        "sub": "vneid-7f3a9c2e51",
        "family_name": "Nguyễn",
        "middle_name": "Thị",
        "given_name": "Hoa",
        "email": "hoa.nguyen@example.org",
        "email_verified": True,
        "so_dinh_danh": NATIONAL_ID,
    },
}
SECOND_CITIZEN = {
    "username": "cong.dan.2",
    "password": PASSWORD,
    "claims": {"sub": "vneid-0b55d1e9a4", "name": "Trần Văn Bình", "so_dinh_danh": "079088000111"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rsa_private_key_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen[bytes]
    log: Path
    users: list[dict[str, Any]] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return self.issuer.rsplit("/o", 1)[0]

    def settings(self) -> dict[str, str]:
        """The portal's settings for this provider (``settings.OIDC_*``)."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_SCOPES": "openid profile email",
            "OIDC_NAME": "VNeID",
        }

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """What a person does at the provider: open the authorization URL the portal redirected to, log in;
        the URL the provider sends the browser back to (the portal's callback, with ``code`` and ``state``)."""
        import requests

        with requests.Session() as browser:
            page = browser.get(authorize_url, timeout=10)  # → the provider's login page
            page.raise_for_status()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            following = re.search(r'name="next" value="([^"]*)"', page.text)
            assert token and following, page.text[:500]
            answer = browser.post(
                page.url,
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "username": username,
                    "password": password,
                    "next": following.group(1).replace("&amp;", "&"),
                },
                headers={"Referer": page.url},
                allow_redirects=False,
                timeout=10,
            )
            assert answer.status_code == 302, answer.text[:500]
            authorize = browser.get(urljoin(page.url, answer.headers["Location"]), allow_redirects=False, timeout=10)
            assert authorize.status_code == 302, authorize.text[:500]
            return str(authorize.headers["Location"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_provider(folder: Path, *, redirect_uris: list[str], users: list[dict[str, Any]] | None = None) -> Provider:
    """Generate the provider's RSA key, write its configuration, start it on a free port of 127.0.0.1 and wait
    for its discovery document. Skips (``pytest.skip``) when it does not come up."""
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    users = users if users is not None else [CITIZEN, SECOND_CITIZEN]
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    key_file = folder / "idp-key.pem"
    key_file.write_bytes(rsa_private_key_pem())
    key_file.chmod(0o600)
    config = {
        "issuer": issuer,
        "secret_key": secrets.token_urlsafe(50),
        "database": str(folder / "idp.sqlite3"),
        "private_key": str(key_file),
        "client_id": "pakn-portal",
        "client_secret": secrets.token_urlsafe(32),
        "redirect_uris": redirect_uris,
        "users": users,
    }
    config_file = folder / "idp.json"
    config_file.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PAKN_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "PYTHONPATH": str(TESTS_DIR),
            "DJANGO_SETTINGS_MODULE": "accounts.oidc_provider.settings",
            "IDP_CONFIG": str(config_file),
        }
    )
    log = folder / "idp.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, a module of the test suite
            [sys.executable, "-m", "accounts.oidc_provider.run", str(port)],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    provider = Provider(issuer, config["client_id"], config["client_secret"], process, log, users)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                return provider
        except requests.RequestException:
            pass
        time.sleep(0.2)
    provider.stop()
    pytest.skip(f"the test OpenID provider (django-oauth-toolkit) did not start:\n{provider.log_tail()}")
