"""Open311 GeoReport v2 at /open311/v2/ (service discovery at /open311/discovery.{json,xml})."""

from django.urls import re_path

from pakn.open311 import views

FMT = r"\.(?P<fmt>json|xml)"

app_name = "open311"
urlpatterns = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^v2/services{FMT}$", views.service_list, name="services"),
    re_path(rf"^v2/services/(?P<code>[^/]+?){FMT}$", views.service_definition, name="service"),
    re_path(rf"^v2/requests{FMT}$", views.requests, name="requests"),
    re_path(rf"^v2/requests/(?P<request_id>[^/]+?){FMT}$", views.request_detail, name="request"),
    re_path(rf"^v2/tokens/(?P<token>[^/]+?){FMT}$", views.token_detail, name="token"),
    re_path(rf"^v2/.*?(?:{FMT})?$", views.unknown, name="unknown"),
]
