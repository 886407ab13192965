"""``python -m accounts.oidc_provider.run PORT`` (with ``PYTHONPATH=tests``, ``IDP_CONFIG=…``): create the
database, the users and the portal's client registration, then serve on 127.0.0.1:PORT."""

from __future__ import annotations

import os
import sys


def main(port: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accounts.oidc_provider.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    config = settings.CONFIG
    for user in config["users"]:
        get_user_model().objects.create_user(username=user["username"], password=user["password"])
    Application.objects.create(
        name="PAKN",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1])
