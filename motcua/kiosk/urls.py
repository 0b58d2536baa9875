from django.urls import include, path

from . import dossier_views, queue_views, views

app_name = "kiosk"
urlpatterns = [
    path("<slug:center_code>/", views.home, name="home"),
    path("<slug:center_code>/thu-tuc/", views.search, name="search"),
    path("<slug:center_code>/thu-tuc/<str:code>/", views.detail, name="detail"),
    path("<slug:center_code>/sap-co/<slug:feature>/", views.coming_soon, name="coming_soon"),
    # Tra cứu hồ sơ: a dossier's status by its code, the details after the applicant's ID number.
    path("<slug:center_code>/tra-cuu-ho-so/", dossier_views.dossier_lookup, name="dossier_lookup"),
    path("<slug:center_code>/tra-cuu-ho-so/<str:code>/", dossier_views.dossier_status, name="dossier_status"),
    path("<slug:center_code>/tra-cuu-ho-so/<str:code>/xac-minh/", dossier_views.dossier_verify, name="dossier_verify"),
    # Identity: consent, the card reader and the face check (issue 5).
    path("", include("motcua.kiosk.identity_urls")),
    path("", include("motcua.kiosk.rating_urls")),  # Đánh giá mức độ hài lòng (issue 6)
    # Taking a queue number.
    path("<slug:center_code>/lay-so/", queue_views.queue_start, name="queue_start"),
    path("<slug:center_code>/lay-so/thu-tuc/", queue_views.queue_search, name="queue_search"),
    path("<slug:center_code>/lay-so/thu-tuc/<str:code>/", queue_views.queue_for_procedure_view, name="queue_procedure"),
    path("<slug:center_code>/lay-so/hang/<slug:queue_code>/", queue_views.queue_priority, name="queue_priority"),
    path("<slug:center_code>/lay-so/hang/<slug:queue_code>/xac-nhan/", queue_views.queue_confirm, name="queue_confirm"),
    path("<slug:center_code>/lay-so/phieu/<str:token>.pdf", queue_views.slip_pdf_view, name="slip_pdf"),
    path("<slug:center_code>/lay-so/phieu/<str:token>/", queue_views.slip, name="slip"),
    path("<slug:center_code>/lay-so/phieu/<str:token>/in/", queue_views.slip_print, name="slip_print"),
]
