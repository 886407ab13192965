from django.urls import path

from pakn.hotline import views

urlpatterns = [
    # public: the directory of leaders' hotlines
    path("", views.directory, name="hotline_directory"),
    # staff: the unit's entries, roster and call log
    path("staff/", views.staff_home, name="hotline_staff"),
    path("staff/new", views.hotline_new, name="hotline_new"),
    path("staff/<int:hotline_id>/", views.hotline_detail, name="hotline_detail"),
    path("staff/<int:hotline_id>/edit", views.hotline_edit, name="hotline_edit"),
    path("staff/<int:hotline_id>/shifts", views.shift_add, name="hotline_shift_add"),
    path("staff/<int:hotline_id>/calls/new", views.call_new, name="hotline_call_new"),
    path("staff/shifts/<int:shift_id>/remove", views.shift_remove, name="hotline_shift_remove"),
]
