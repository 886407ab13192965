from django.urls import path

from pakn.accounts import security_keys, views

urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/enrol/", views.enrol, name="otp_enrol"),
    path("two-factor/verify/", views.verify, name="otp_verify"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="otp_recovery_codes"),
    path("two-factor/reset/", views.reset, name="otp_reset"),
    # Security keys and passkeys (WebAuthn): the browser's JSON ceremonies, and removing a key.
    path("two-factor/key/add/begin/", security_keys.BeginRegistration.as_view(), name="key_add_begin"),
    path("two-factor/key/add/complete/", security_keys.CompleteRegistration.as_view(), name="key_add_complete"),
    path("two-factor/key/verify/begin/", security_keys.BeginVerification.as_view(), name="key_verify_begin"),
    path("two-factor/key/verify/complete/", security_keys.CompleteVerification.as_view(), name="key_verify_complete"),
    path("two-factor/key/<int:key_id>/remove/", views.remove_key, name="key_remove"),
]
