from django.urls import include, path

from intake_ceiling.views import ceiling

urlpatterns = [path("ceiling/", ceiling), path("", include("pakn.urls"))]

handler404 = "pakn.core.views.not_found"
handler500 = "pakn.core.views.server_error"
handler400 = "pakn.core.views.bad_request"
handler403 = "pakn.core.views.forbidden"
