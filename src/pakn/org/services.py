"""The only place that writes API tokens and role grants: issue and revoke tokens, grant, change and revoke
roles, each one logged (``pakn.org``).

A token's scope is "write" only for someone who can act on cases (clerk, head or unit admin of some unit, or
a superuser); anyone else (supervisors, protection officers, people without a role) gets a read token. Even a
write token never goes beyond its owner's own rights: the services check those on every act."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.core.errors import InvalidInput
from pakn.core.keys import new_key
from pakn.org.access import HANDLER_ROLES
from pakn.org.models import ApiToken, Membership, Role, TokenScope, Unit

logger = logging.getLogger("pakn.org")

MAX_NAME = 100


def has_handling_role(user: Any) -> bool:
    """Clerk, head or unit admin somewhere (or a superuser): someone a write token is any use to."""
    if not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or Membership.objects.filter(user=user, role__in=HANDLER_ROLES).exists())


def default_scope(user: Any) -> str:
    return TokenScope.WRITE if has_handling_role(user) else TokenScope.READ


def _label(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "cli"


def create_api_token(*, actor: Any, user: Any, name: str, scope: str | None = None) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; answers the stored row and the token itself (shown once, never stored).

    ``scope`` None chooses ``default_scope(user)``; "write" for a user without a handling role is refused.
    ``actor`` is the administrator issuing it (None from the command line)."""
    errors: dict[str, list[Any]] = {}
    label = (name or "").strip()
    if not label:
        errors["name"] = [_("Trường này là bắt buộc.")]
    elif len(label) > MAX_NAME:
        errors["name"] = [_("Tối đa %(count)d ký tự.") % {"count": MAX_NAME}]
    if not getattr(user, "is_active", False):
        errors["user"] = [_("Tài khoản không tồn tại hoặc đã bị khóa.")]
    chosen = default_scope(user) if scope is None else scope
    if chosen not in TokenScope.values:
        errors["scope"] = [_("Phạm vi phải là read hoặc write.")]
    elif chosen == TokenScope.WRITE and not has_handling_role(user):
        errors["scope"] = [_("Người dùng này không có vai trò xử lý đơn, chỉ được cấp mã chỉ đọc.")]
    if errors:
        raise InvalidInput(fields=errors)
    key = new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=label, scope=chosen, key_hash=ApiToken.hash_key(key), prefix=key[:8]
        )
        logger.info("api token issued: prefix=%s user=%s scope=%s by=%s", token.prefix, user.pk, chosen, _label(actor))
    return token, key


def revoke_api_token(*, actor: Any, token: ApiToken) -> bool:
    """Revoke ``token``; False if it was already revoked. The row stays: the record of who had access."""
    with transaction.atomic():
        done = bool(ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))
        if done:
            logger.info("api token revoked: prefix=%s user=%s by=%s", token.prefix, token.user_id, _label(actor))
    token.refresh_from_db(fields=["revoked_at"])
    return done


def note_token_use(token: ApiToken) -> None:
    """Bookkeeping, not an act: when the token was last used."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def grant_role(*, actor: Any, user: Any, unit: Unit, role: str, include_subunits: bool = False) -> Membership:
    """Give ``user`` a role at ``unit`` (what they may see and do follows from it: org.access)."""
    if role not in Role.values:
        raise InvalidInput(fields={"role": [_("Vai trò không hợp lệ.")]})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, unit=unit, role=role, defaults={"include_subunits": include_subunits}
        )
        if not created and membership.include_subunits != include_subunits:
            membership.include_subunits = include_subunits
            membership.save(update_fields=["include_subunits"])
        logger.info(
            "role granted: user=%s unit=%s role=%s subunits=%s by=%s",
            user.pk,
            unit.code,
            role,
            include_subunits,
            _label(actor),
        )
    return membership


def change_membership(*, actor: Any, membership: Membership, **changes: Any) -> Membership:
    """Change a membership's unit, role or reach (the admin's form)."""
    allowed = {"user", "unit", "role", "include_subunits"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(fields={name: [_("Không sửa được trường này.")] for name in unknown})
    with transaction.atomic():
        for name, value in changes.items():
            setattr(membership, name, value)
        membership.save()
        logger.info(
            "membership changed: id=%s user=%s unit=%s role=%s subunits=%s by=%s",
            membership.pk,
            membership.user_id,
            membership.unit_id,
            membership.role,
            membership.include_subunits,
            _label(actor),
        )
    return membership


def revoke_role(*, actor: Any, membership: Membership) -> None:
    with transaction.atomic():
        logger.info(
            "role revoked: user=%s unit=%s role=%s by=%s",
            membership.user_id,
            membership.unit_id,
            membership.role,
            _label(actor),
        )
        membership.delete()
