"""URLs of online submission and 'Hồ sơ của tôi' (issue 5, app `motcua.online`); included at the
portal's root, so the names below are `portal:<name>`."""

from django.urls import path

from motcua.online import mine, views

urlpatterns = [
    path("nop-ho-so/", views.drafts, name="online_drafts"),
    path("nop-ho-so/ban-nhap/<int:pk>/nguoi-nop/", views.applicant, name="online_applicant"),
    path("nop-ho-so/ban-nhap/<int:pk>/giay-to/<int:number>/", views.document, name="online_document"),
    path("nop-ho-so/ban-nhap/<int:pk>/kiem-tra/", views.review, name="online_review"),
    path("nop-ho-so/da-gui/<int:pk>/", views.submitted, name="online_submitted"),
    path("nop-ho-so/tep/<int:pk>/", views.attachment_file, name="online_attachment"),
    path("nop-ho-so/<str:code>/", views.start, name="online_start"),
    path("tai-khoan/ho-so/", mine.my_dossiers, name="my_dossiers"),
    path("tai-khoan/ho-so/<int:pk>/", mine.my_dossier, name="my_dossier"),
    path("tai-khoan/ho-so/<int:pk>/ket-qua/", mine.my_dossier_result, name="my_dossier_result"),
    path("tai-khoan/ho-so/<int:pk>/giay-to/<int:document>/", mine.my_dossier_file, name="my_dossier_file"),
    path("tai-khoan/ho-so/<int:pk>/bo-sung/", mine.my_dossier_supplement, name="my_dossier_supplement"),
]
