from django.urls import path

from pakn.protection import views

urlpatterns = [
    path("", views.home, name="protection_home"),
    path("key/", views.key_page, name="protection_key"),
    path("cases/<int:case_id>/", views.case_page, name="protection_case"),
    path("cases/<int:case_id>/reveal", views.reveal_request, name="protection_reveal_request"),
    path("people/<int:item_id>/", views.person_page, name="protection_person"),
    path("people/<int:item_id>/reveal", views.person_reveal_request, name="protection_person_reveal_request"),
    path("reveal/<int:request_id>/decide", views.reveal_decide, name="protection_reveal_decide"),
    path("reveal/<int:request_id>/open", views.reveal_open, name="protection_reveal_open"),
    path("reveal/<int:request_id>/original/<int:number>", views.original_file, name="protection_original"),
    path("files/<int:attachment_id>", views.clean_file, name="protection_file"),
    path("cases/<int:case_id>/copy", views.make_copy, name="protection_make_copy"),
    path("copies/<int:copy_id>", views.download_copy, name="protection_copy"),
    path("cases/<int:case_id>/ask", views.ask, name="protection_ask"),
    path("cases/<int:case_id>/protect", views.protect, name="protection_protect"),
    path("requests/<int:request_id>/decide", views.protection_decide, name="protection_decide"),
]
