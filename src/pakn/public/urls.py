from django.urls import path

from pakn.public import views
from pakn.public.feeds import AnswersFeed

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("statistics/", views.statistics, name="portal_statistics"),
    path("answers/", views.answers, name="portal_answers"),
    path("answers/<int:case_id>/", views.answer_detail, name="portal_answer"),
    path("feeds/answers.atom", AnswersFeed(), name="portal_answers_feed"),
    path("discipline/", views.discipline, name="portal_discipline"),
    path("good-models/", views.good_models, name="portal_good_models"),
    path("data/", views.data, name="portal_data"),
    path("data/<str:dataset>.<str:fmt>", views.data_download, name="portal_data_download"),
]
