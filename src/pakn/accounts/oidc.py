"""Citizen login with OpenID Connect: VNeID or any other issuer a province configures (docs/citizen-login.md).

The relying party is Authlib's Django client: discovery (``<issuer>/.well-known/openid-configuration``), the
authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the citizen's session, the ID token's
signature checked against the provider's published keys, its issuer, audience, expiry and nonce checked.

What is read of the provider's answer: ``sub`` (with the issuer, the stable key of the citizen, kept in
``CitizenIdentity``), the name (``name``, or ``family_name middle_name given_name`` in Vietnamese order) and a
verified e-mail address. Nothing else is read, stored or logged: a national ID number in a claim is left where
it is.

Citizens only: an OpenID Connect login never opens an account that has a staff role, a second factor, or the
staff or administrator flag; such an identity is refused (staff log in at /staff/login/ with their password
and their second factor). A provider's e-mail address never links to an existing account: a new identity
always gets a new citizen account of its own."""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakn.core.errors import Forbidden

logger = logging.getLogger("pakn.security")

DEFAULT_SCOPES = "openid profile email"
DEFAULT_NAME = "VNeID"
TIMEOUT = 10  # seconds to wait for the provider (discovery, keys, token)
METADATA_SECONDS = 3600  # the discovery document and keys are read again after an hour (key rotation)
CLIENT_NAME = "citizen"
NAME_LENGTH = 150  # Django's first_name
PENDING_LOGINS = 5  # logins started and not finished kept per session (one per tab)


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    name: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def config() -> Config | None:
    """The provider from ``PAKN_OIDC_*``; None when no issuer or client id is set (no button, routes 404)."""
    issuer = normalise_issuer(getattr(settings, "OIDC_ISSUER", ""))
    client_id = (getattr(settings, "OIDC_CLIENT_ID", "") or "").strip()
    if not issuer or not client_id:
        return None
    scopes = " ".join((getattr(settings, "OIDC_SCOPES", "") or DEFAULT_SCOPES).split())
    if "openid" not in scopes.split():
        scopes = f"openid {scopes}"
    return Config(
        issuer=issuer,
        client_id=client_id,
        client_secret=getattr(settings, "OIDC_CLIENT_SECRET", "") or "",
        scopes=scopes,
        name=(getattr(settings, "OIDC_NAME", "") or DEFAULT_NAME).strip() or DEFAULT_NAME,
    )


def normalise_issuer(value: str | None) -> str:
    return (value or "").strip().rstrip("/")


# ---------------------------------------------------------------- what can go wrong


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered nonsense (its discovery document names another issuer)."""


class LoginFailed(Exception):
    """The answer that came back cannot be trusted: unknown or expired ``state``, a code refused by the
    provider, an ID token whose signature, issuer, audience, expiry or nonce is wrong, no ``sub``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # a short code for the log: never a claim, a code or a token


class LoginCancelled(LoginFailed):
    """The citizen said no at the provider (``error=access_denied``), or the provider refused the request."""


class StaffIdentity(Forbidden):
    code = "forbidden"
    default_message = _(
        "Tài khoản gắn với danh tính này là tài khoản cán bộ. Cán bộ đăng nhập tại trang dành cho cán bộ, "
        "bằng mật khẩu và mã xác thực."
    )


# ---------------------------------------------------------------- the relying party (Authlib)

_clients: dict[Config, tuple[Any, float]] = {}
_clients_lock = threading.Lock()


def _client(cfg: Config) -> Any:
    """Authlib's client for ``cfg``, made again after ``METADATA_SECONDS`` so a changed discovery document or
    key set is read again."""
    from authlib.integrations.django_client import OAuth

    now = time.monotonic()
    with _clients_lock:
        cached = _clients.get(cfg)
        if cached and now - cached[1] < METADATA_SECONDS:
            return cached[0]
        client_kwargs: dict[str, Any] = {
            "scope": cfg.scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
            # A public client (no secret) proves itself with PKCE alone.
            "token_endpoint_auth_method": "client_secret_basic" if cfg.client_secret else "none",
        }
        client = OAuth().register(
            name=CLIENT_NAME,
            client_id=cfg.client_id,
            client_secret=cfg.client_secret or None,
            server_metadata_url=cfg.discovery_url,
            client_kwargs=client_kwargs,
        )
        _clients.clear()
        _clients[cfg] = (client, now)
        return client


def _metadata(client: Any, cfg: Config) -> dict[str, Any]:
    """The discovery document, checked: it must name the configured issuer (OpenID Connect Discovery 4.3)."""
    import requests

    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(type(error).__name__) from error
    if normalise_issuer(metadata.get("issuer")) != cfg.issuer or not metadata.get("authorization_endpoint"):
        with _clients_lock:
            _clients.pop(cfg, None)
        raise ProviderUnavailable("discovery document names another issuer or no authorization endpoint")
    return dict(metadata)


def authorize_redirect(request: HttpRequest, cfg: Config, *, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider's login page; ``state``, ``nonce`` and the PKCE verifier wait in the
    session."""
    client = _client(cfg)
    _metadata(client, cfg)
    _forget_old_logins(request)
    return client.authorize_redirect(request, redirect_uri)  # type: ignore[no-any-return]


def _forget_old_logins(request: HttpRequest) -> None:
    """Keep the newest few logins started in this session (tabs opened one after another), so following the
    link again and again does not grow the session."""
    prefix = f"_state_{CLIENT_NAME}_"
    started = [(value.get("exp", 0), key) for key, value in request.session.items() if key.startswith(prefix)]
    for _exp, key in sorted(started)[: max(0, len(started) - PENDING_LOGINS + 1)]:
        del request.session[key]


def finish(request: HttpRequest, cfg: Config) -> dict[str, Any]:
    """The provider sent the citizen back: check ``state``, exchange the code (with the PKCE verifier), verify
    the ID token; the claims of the ID token, completed from the userinfo endpoint when the ID token carries
    no name (the same ``sub`` required)."""
    import requests
    from authlib.common.errors import AuthlibBaseError
    from authlib.integrations.base_client import MismatchingStateError, OAuthError
    from joserfc.errors import JoseError

    client = _client(cfg)
    metadata = _metadata(client, cfg)
    error = request.GET.get("error", "")
    if error:
        raise LoginCancelled(_code(error))
    try:
        token = client.authorize_access_token(request)
    except requests.RequestException as exc:
        raise ProviderUnavailable(type(exc).__name__) from exc
    except MismatchingStateError as exc:
        raise LoginFailed("state") from exc
    except OAuthError as exc:
        raise LoginFailed(f"token: {_code(str(getattr(exc, 'error', '') or 'refused'))}") from exc
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError) as exc:
        raise LoginFailed(f"id_token: {type(exc).__name__}") from exc
    claims = dict(token.get("userinfo") or {})
    if not claims:
        raise LoginFailed("no id_token")
    if not display_name(claims) and metadata.get("userinfo_endpoint"):
        try:
            extra = dict(client.userinfo(token=token))
        except (requests.RequestException, AuthlibBaseError, ValueError):
            extra = {}
        if str(extra.get("sub", "")) == str(claims.get("sub", "")):
            claims = {**extra, **claims}
    return claims


def _code(value: str) -> str:
    """An OAuth error code as it may be logged: letters and underscores only (it comes from a query string)."""
    return re.sub(r"[^a-z_]", "", value.lower())[:40] or "unknown"


# ---------------------------------------------------------------- claims (pure)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


def display_name(claims: Mapping[str, Any]) -> str:
    """``name`` when given; else family name, middle name, given name, in Vietnamese order (Nguyễn Văn An)."""
    name = _text(claims.get("name"))
    if not name:
        parts = (_text(claims.get(key)) for key in ("family_name", "middle_name", "given_name"))
        name = " ".join(part for part in parts if part)
    return name[:NAME_LENGTH]


def verified_email(claims: Mapping[str, Any]) -> str:
    """The e-mail address when the provider says it verified it; else empty."""
    verified = claims.get("email_verified")
    if verified is not True and str(verified).lower() != "true":
        return ""
    email = _text(claims.get("email")).lower()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def subject_of(claims: Mapping[str, Any]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
        raise LoginFailed("sub")
    return subject


# ---------------------------------------------------------------- the write


def is_staff_account(user: Any) -> bool:
    """An account a password and a second factor protect: a role, a second factor, staff or administrator."""
    from pakn.accounts import policy
    from pakn.org.models import Membership

    return bool(
        user.is_staff
        or user.is_superuser
        or Membership.objects.filter(user_id=user.pk).exists()
        or policy.has_second_factor(user)
    )


def _new_username() -> str:
    users = get_user_model()._default_manager
    while True:
        username = f"citizen-{secrets.token_hex(5)}"
        if not users.filter(username=username).exists():
            return username


def _new_citizen(*, name: str, email: str) -> Any:
    users = get_user_model()._default_manager
    if email and users.filter(email__iexact=email).exists():
        email = ""  # never two accounts with one address, and never a link to the other one
    user = get_user_model()(username=_new_username(), email=email, first_name=name)
    user.set_unusable_password()  # this account opens only through the provider
    user.save()
    return user


@transaction.atomic
def sign_in(*, issuer: str, claims: Mapping[str, Any]) -> Any:
    """The citizen account of ``(issuer, sub)``, made on the first login. Refused (``Forbidden``) when that
    account was deactivated, or has since become a staff account (``StaffIdentity``)."""
    from pakn.accounts.models import CitizenIdentity
    from pakn.core.activity import log_activity

    subject = subject_of(claims)
    name = display_name(claims)
    now = timezone.now()
    identity = (
        CitizenIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = _new_citizen(name=name, email=verified_email(claims))
        try:
            with transaction.atomic():
                CitizenIdentity.objects.create(
                    user=user, issuer=issuer, subject=subject, created_at=now, last_login_at=now
                )
        except IntegrityError:  # the same person's first login twice at once: the other request won
            user.delete()
            identity = CitizenIdentity.objects.select_related("user").get(issuer=issuer, subject=subject)
        else:
            log_activity("accounts", "citizen_registered", user, actor=user, unit=None, data={"via": "openid"})
            logger.info("citizen account created by OpenID Connect login: user %s", user.pk)
            return user
    user = identity.user
    if not user.is_active:
        logger.warning("OpenID Connect login refused for user %s: account deactivated", user.pk)
        raise Forbidden(_("Tài khoản gắn với danh tính này đã bị khóa. Vui lòng liên hệ cơ quan quản lý cổng."))
    if is_staff_account(user):
        logger.warning("OpenID Connect login refused for user %s: a staff account", user.pk)
        raise StaffIdentity()
    identity.last_login_at = now
    identity.save(update_fields=["last_login_at"])
    if name and user.first_name != name:  # the provider keeps the name up to date
        user.first_name = name
        user.save(update_fields=["first_name"])
    logger.info("citizen login by OpenID Connect: user %s", user.pk)
    return user
