from django.urls import path

from pakn.reception import clearance_views, views

urlpatterns = [
    # public: no login, no personal data
    path("", views.public_sessions, name="reception_public"),
    path("sessions/<int:session_id>/book", views.book, name="reception_book"),
    path("bookings/<str:code>/", views.booking_status, name="reception_booking"),
    path("bookings/<str:code>/cancel", views.booking_cancel, name="reception_booking_cancel"),
    # staff
    path("staff/", views.staff_home, name="reception_staff"),
    path("staff/sessions/new", views.session_new, name="reception_session_new"),
    path("staff/sessions/<int:session_id>/", views.session_detail, name="reception_session"),
    path("staff/sessions/<int:session_id>/<str:action>", views.session_action, name="reception_session_action"),
    path("staff/register/", views.register, name="reception_register"),
    path("staff/register/new", views.entry_new, name="reception_entry_new"),
    path("staff/refusals/", views.refusals, name="reception_refusals"),
    path("staff/refusals/new", views.refusal_new, name="reception_refusal_new"),
    path("staff/register/<int:entry_id>/", views.entry_detail, name="reception_entry"),
    path("staff/register/<int:entry_id>/<str:action>", views.entry_action, name="reception_entry_action"),
    path("staff/tasks/<int:task_id>/done", views.task_done, name="reception_task_done"),
    path("staff/tasks/<int:task_id>/reopen", views.task_reopen, name="reception_task_reopen"),
    path("follow-up/<str:token>/", views.citizen_review, name="reception_citizen_review"),
    path("rate/<str:token>/", views.citizen_rating, name="reception_citizen_rating"),
    path("front/follow-up/", views.front_follow_up, name="reception_front_follow_up"),
    path("front/follow-up/<int:task_id>/", views.front_review, name="reception_front_review"),
    path("staff/clearance/", clearance_views.projects, name="reception_clearance"),
    path("staff/clearance/new", clearance_views.project_new, name="reception_clearance_new"),
    path("staff/clearance/<int:project_id>/", clearance_views.project_detail, name="reception_clearance_project"),
    path(
        "staff/clearance/<int:project_id>/households/new",
        clearance_views.household_new,
        name="reception_clearance_household_new",
    ),
    path("staff/compliance/", views.compliance, name="reception_compliance"),
    path("staff/compliance/<int:unit_id>/", views.compliance_unit, name="reception_compliance_unit"),
]
