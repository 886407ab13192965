from django.contrib import admin
from django.urls import include, path

from pakn.api import api
from pakn.core.health import healthz, readyz
from pakn.core.views import error_page, switch_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("lang/", switch_language, name="switch_language"),
    path("errors/<int:status>/", error_page, name="error_page"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("staff/account/", include("pakn.accounts.urls")),
    path("staff/", include("pakn.cases.staff_urls")),
    path("open311/", include("pakn.open311.urls")),
    path("reception/", include("pakn.reception.urls")),
    path("plans/", include("pakn.plans.urls")),
    path("oversight/", include("pakn.oversight.urls")),
    path("protection/", include("pakn.protection.urls")),
    path("public/", include("pakn.public.urls")),
    path("language/", include("pakn.language.urls")),
    path("hotlines/", include("pakn.hotline.urls")),
    path("front/", include("pakn.frontdesk.urls")),
    path("account/oidc/", include("pakn.accounts.oidc_urls")),  # citizen login with VNeID / OpenID Connect
    path("", include("pakn.intake.urls")),
]

handler404 = "pakn.core.views.not_found"
handler500 = "pakn.core.views.server_error"
handler400 = "pakn.core.views.bad_request"
handler403 = "pakn.core.views.forbidden"
