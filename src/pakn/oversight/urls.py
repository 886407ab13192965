from django.urls import path

from pakn.oversight import views

urlpatterns = [
    path("", views.home, name="oversight_home"),
    path("cases/", views.cases, name="oversight_cases"),
    path("cases/<int:case_id>/", views.case_detail, name="oversight_case"),
    path("audit/", views.audit, name="oversight_audit"),
    path("recommendations/", views.recommendations, name="oversight_recommendations"),
    path("recommendations/new/", views.recommendation_new, name="oversight_recommendation_new"),
    path("recommendations/<int:rec_id>/", views.recommendation_detail, name="oversight_recommendation"),
    path("recommendations/<int:rec_id>/answer", views.recommendation_answer, name="oversight_recommendation_answer"),
    path("recommendations/<int:rec_id>/assess", views.recommendation_assess, name="oversight_recommendation_assess"),
    path(
        "recommendations/<int:rec_id>/withdraw", views.recommendation_withdraw, name="oversight_recommendation_withdraw"
    ),
    path("scorecards/", views.scorecards, name="oversight_scorecards"),
    path("scorecards/officials/", views.official_scorecards, name="oversight_officials"),
    path("scorecards/officials/<int:official_id>/", views.official_sheet, name="oversight_official_sheet"),
    path("reports/", views.report, name="oversight_report"),
    path("review/", views.review, name="oversight_review"),
    path("commendations/", views.commendations, name="oversight_commendations"),
    path("reports/download.<str:fmt>", views.report_download, name="oversight_report_download"),
    path("discipline/case/<int:case_id>/", views.discipline_new, name="oversight_discipline_new"),
    path("discipline/<int:result_id>/retract", views.discipline_retract, name="oversight_discipline_retract"),
]
