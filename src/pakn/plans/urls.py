from django.urls import path

from pakn.plans import views

urlpatterns = [
    path("", views.home, name="plans_home"),
    path("directives/new", views.directive_new, name="plans_directive_new"),
    path("directives/<int:directive_id>/", views.directive_detail, name="plans_directive"),
    path("directives/<int:directive_id>/plans/new", views.plan_new, name="plans_plan_new"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plans_plan"),
    path("plans/<int:plan_id>/tasks", views.plan_task, name="plans_plan_task"),
    path("tasks/<int:task_id>/", views.task_detail, name="plans_task"),
    path("tasks/<int:task_id>/report", views.task_report, name="plans_task_report"),
]
