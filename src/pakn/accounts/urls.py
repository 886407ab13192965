from django.urls import path

from pakn.accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/enrol/", views.enrol, name="otp_enrol"),
    path("two-factor/verify/", views.verify, name="otp_verify"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="otp_recovery_codes"),
    path("two-factor/reset/", views.reset, name="otp_reset"),
]
