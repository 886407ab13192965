"""The claims of the test provider's users, as a national e-ID provider might send them: a stable opaque
``sub``, the name in parts, an e-mail address, and a national ID number (``so_dinh_danh``) that the portal
must neither store nor log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

NATIONAL_ID_CLAIM = "so_dinh_danh"


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, NATIONAL_ID_CLAIM: "profile"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        users = {user["username"]: user for user in settings.CONFIG["users"]}
        return dict(users[request.user.get_username()]["claims"])
