from django.urls import path

from pakn.frontdesk import views

urlpatterns = [
    path("", views.home, name="frontdesk_home"),
    path("new", views.batch_new, name="frontdesk_new"),
    path("<int:batch_id>/", views.batch_detail, name="frontdesk_batch"),
]
