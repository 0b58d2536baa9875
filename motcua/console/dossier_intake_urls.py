"""Dossier intake at a counter (issue 4): from the called ticket to accept / supplement / refuse."""

from django.urls import URLPattern, path

from . import dossier_intake, dossier_intake_desk

urlpatterns: list[URLPattern] = [
    path("ho-so/tiep-nhan/quay/<int:pk>/", dossier_intake.intake, name="dossier_intake"),
    path("ho-so/tiep-nhan/quay/<int:pk>/khong-so/", dossier_intake.walk_in, name="dossier_intake_walk_in"),
    path("ho-so/tiep-nhan/ket-qua/<int:pk>/", dossier_intake.intake_result, name="dossier_intake_result"),
    path("ho-so/phieu/<int:pk>.pdf", dossier_intake.slip_pdf_view, name="dossier_slip_pdf"),
    path("ho-so/trung-tam/", dossier_intake_desk.reception_desk, name="reception_desk"),
    path("ho-so/trung-tam/<int:pk>/<slug:action>/", dossier_intake_desk.online_decide, name="reception_decide"),
]
