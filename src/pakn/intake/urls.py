from django.urls import path

from pakn.intake import accounts, my_data, views
from pakn.protection import answer_files, dropbox
from pakn.protection.logins import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/place", views.place_at, name="submit_place"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_case, name="track_case"),
    path("track/<str:code>/info", views.add_information, name="add_information"),
    path("track/<str:code>/withdraw", views.withdraw, name="withdraw"),
    path("track/<str:code>/rate", views.rate, name="rate"),
    path("track/<str:code>/escalate", views.escalate, name="escalate"),
    path("track/<str:code>/protect", views.protect, name="request_protection"),
    path("track/<str:code>/files/<int:number>", answer_files.tracked_answer_file, name="track_answer_file"),
    path("track/<str:code>/data", my_data.case_data, name="case_data"),
    path("track/<str:code>/data/download", my_data.case_download, name="case_data_download"),
    path("track/<str:code>/data/erase", my_data.case_erase, name="case_data_erase"),
    path("dropbox/", dropbox.dropbox, name="dropbox"),
    path("dropbox/open/", dropbox.dropbox_open, name="dropbox_open"),
    path("dropbox/case/", dropbox.dropbox_case, name="dropbox_case"),
    path("dropbox/case/reply", dropbox.dropbox_reply, name="dropbox_reply"),
    path("dropbox/case/protect", dropbox.dropbox_protect, name="dropbox_protect"),
    path("dropbox/leave", dropbox.dropbox_leave, name="dropbox_leave"),
    path("deadlines/", views.deadline_calculator, name="deadlines"),
    path("account/", accounts.my_cases, name="my_cases"),
    path("account/signup/", accounts.signup, name="signup"),
    path("account/data/", my_data.account_data, name="my_data"),
    path("account/data/download", my_data.account_download, name="my_data_download"),
    path("account/data/close", my_data.account_close, name="my_data_close"),
    path(
        "account/login/",
        LoginView.as_view(template_name="public/login.html", next_page="/account/"),
        name="citizen_login",
    ),
]
