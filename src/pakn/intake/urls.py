from django.urls import path

from pakn.intake import accounts, views
from pakn.protection import dropbox
from pakn.protection.logins import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_case, name="track_case"),
    path("track/<str:code>/info", views.add_information, name="add_information"),
    path("track/<str:code>/withdraw", views.withdraw, name="withdraw"),
    path("track/<str:code>/rate", views.rate, name="rate"),
    path("track/<str:code>/escalate", views.escalate, name="escalate"),
    path("track/<str:code>/protect", views.protect, name="request_protection"),
    path("dropbox/", dropbox.dropbox, name="dropbox"),
    path("dropbox/open/", dropbox.dropbox_open, name="dropbox_open"),
    path("dropbox/case/", dropbox.dropbox_case, name="dropbox_case"),
    path("dropbox/case/reply", dropbox.dropbox_reply, name="dropbox_reply"),
    path("dropbox/case/protect", dropbox.dropbox_protect, name="dropbox_protect"),
    path("dropbox/leave", dropbox.dropbox_leave, name="dropbox_leave"),
    path("deadlines/", views.deadline_calculator, name="deadlines"),
    path("account/", accounts.my_cases, name="my_cases"),
    path("account/signup/", accounts.signup, name="signup"),
    path(
        "account/login/",
        LoginView.as_view(template_name="public/login.html", next_page="/account/"),
        name="citizen_login",
    ),
]
