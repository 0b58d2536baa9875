"""Agencies' dossier work lists and the dossier page (issue 4). Issued slips print through the
intake's `console:dossier_slip_pdf`."""

from django.urls import URLPattern, path

from . import dossier_detail, dossier_work

urlpatterns: list[URLPattern] = [
    path("ho-so/xu-ly/", dossier_work.dossier_work, name="dossier_work"),
    path("ho-so/<int:pk>/", dossier_detail.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/phieu-kiem-soat.pdf", dossier_detail.dossier_control_sheet, name="dossier_control_sheet"),
    path("ho-so/<int:pk>/ket-qua.pdf", dossier_detail.dossier_result_file, name="dossier_result_file"),
    path("ho-so/<int:pk>/<slug:action>/", dossier_detail.dossier_act, name="dossier_action"),
]
