from django.urls import path

from pakn.language import views
from pakn.language.api import build_api

api = build_api()

urlpatterns = [
    path("api/", api.urls),
    path("search/", views.search_page, name="language_search"),
    path("similar/", views.similar_page, name="language_similar"),
    path("similar.js", views.similar_script, name="language_similar_js"),
    path("cases/<int:case_id>/panel/", views.panel, name="language_panel"),
    path("cases/<int:case_id>/suggestion/", views.review, name="language_review"),
    path("duplicates/<int:flag_id>/<str:decision>/", views.decide_duplicate, name="language_duplicate"),
]
