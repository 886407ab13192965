"""django-otp's and django-otp-webauthn's own admin pages are removed: devices change only through
``pakn.accounts.services`` (audited), and no page shows another user's secret. An administrator resets a user at
/staff/account/two-factor/reset/."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
