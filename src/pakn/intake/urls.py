from django.urls import path

from pakn.intake import views

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_case, name="track_case"),
    path("track/<str:code>/info", views.add_information, name="add_information"),
    path("track/<str:code>/withdraw", views.withdraw, name="withdraw"),
    path("track/<str:code>/rate", views.rate, name="rate"),
    path("track/<str:code>/escalate", views.escalate, name="escalate"),
    path("deadlines/", views.deadline_calculator, name="deadlines"),
]
