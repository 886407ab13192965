"""Mounted at /account/oidc/ (``pakn.urls``): the citizen side, next to the citizen login page."""

from django.urls import path

from pakn.accounts import oidc_views

urlpatterns = [
    path("login/", oidc_views.start, name="oidc_login"),
    path("callback/", oidc_views.callback, name="oidc_callback"),
]
