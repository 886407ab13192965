from django.contrib.auth import views as auth_views
from django.urls import path

from pakn.cases import views
from pakn.protection.logins import LoginView

urlpatterns = [
    path("", views.case_list, name="staff_home"),
    path("login/", LoginView.as_view(template_name="staff/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake, name="staff_intake"),
    path("cases/<int:case_id>/", views.case_detail, name="staff_case"),
    path("cases/<int:case_id>/subject", views.case_subject, name="staff_case_subject"),
    path("cases/<int:case_id>/assign", views.case_assign, name="staff_case_assign"),
    path("cases/<int:case_id>/notes", views.case_note, name="staff_case_note"),
    path("cases/assign", views.bulk_assign, name="staff_bulk_assign"),
    path("cases/<int:case_id>/<str:action>", views.case_action, name="staff_case_action"),
]
