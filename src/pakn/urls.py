from django.contrib import admin
from django.urls import include, path

from pakn.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("staff/", include("pakn.cases.staff_urls")),
    path("", include("pakn.intake.urls")),
]

handler404 = "pakn.core.views.not_found"
handler500 = "pakn.core.views.server_error"
handler400 = "pakn.core.views.bad_request"
handler403 = "pakn.core.views.forbidden"
