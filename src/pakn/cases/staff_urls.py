from django.contrib.auth import views as auth_views
from django.urls import path

from pakn.cases import map_views, views, worklist_views
from pakn.protection.logins import LoginView

urlpatterns = [
    path("", views.case_list, name="staff_home"),
    path("login/", LoginView.as_view(template_name="staff/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake, name="staff_intake"),
    path("map/", map_views.staff_map, name="staff_map"),
    path("cases/<int:case_id>/", views.case_detail, name="staff_case"),
    path("cases/<int:case_id>/subject", views.case_subject, name="staff_case_subject"),
    path("cases/<int:case_id>/assign", views.case_assign, name="staff_case_assign"),
    path("cases/<int:case_id>/notes", views.case_note, name="staff_case_note"),
    path("cases/bulk", worklist_views.bulk_action, name="staff_bulk_action"),
    path("cases/assign", worklist_views.bulk_action, name="staff_bulk_assign"),  # the first form's address
    path("cases/<int:case_id>/tags", worklist_views.case_tag, name="staff_case_tag"),
    path("searches/", worklist_views.save_search, name="staff_save_search"),
    path("searches/<int:search_id>/delete", worklist_views.delete_search, name="staff_delete_search"),
    path("cases/<int:case_id>/<str:action>", views.case_action, name="staff_case_action"),
]
