from django.urls import include, path

from pakn.protection.answer_files import published_answer_file
from pakn.public import alert_views, views
from pakn.public.feeds import AnswersFeed
from pakn.public.map import public_map

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("statistics/", views.statistics, name="portal_statistics"),
    path("answers/", views.answers, name="portal_answers"),
    path("answers/<int:case_id>/", views.answer_detail, name="portal_answer"),
    path("answers/<int:case_id>/files/<int:number>", published_answer_file, name="portal_answer_file"),
    path("map/", public_map, name="portal_map"),
    path("feeds/answers.atom", AnswersFeed(), name="portal_answers_feed"),
    path("alerts/", include(alert_views.urlpatterns)),
    path("discipline/", views.discipline, name="portal_discipline"),
    path("good-models/", views.good_models, name="portal_good_models"),
    path("data/", views.data, name="portal_data"),
    path("data/<str:dataset>.<str:fmt>", views.data_download, name="portal_data_download"),
]
