from django.urls import include, path

from . import assessment_views, dossier_views, queue_online, ticket_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # Citizen accounts (/tai-khoan/…) and online submission (issue 5).
    path("", include("motcua.portal.account_urls")),
    path("", include("motcua.portal.online_urls")),
    path("thu-tuc/", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.detail, name="detail"),
    path("thu-tuc/<str:code>/in/", views.print_view, name="print"),
    # Today's queue number from the phone (issue 5), followed on the ticket page below.
    path("lay-so-truc-tuyen/", queue_online.queue_online, name="queue_online"),
    path("lay-so-truc-tuyen/<slug:center_code>/", queue_online.queue_online, name="queue_online_center"),
    # The slip's QR code: a citizen follows their queue ticket on the phone.
    path("so/<str:token>/", ticket_views.ticket_page, name="ticket"),
    # The dossier slip's QR code and the kiosk's "Tra cứu hồ sơ": public status of a dossier.
    path("tra-cuu/", dossier_views.lookup, name="dossier_lookup"),
    path("tra-cuu/<str:code>/", dossier_views.track, name="dossier_track"),
    path("tra-cuu/<str:code>/ket-qua/", dossier_views.result_download, name="dossier_result_download"),
    path("so/<str:token>/trang-thai.json", ticket_views.ticket_status, name="ticket_status"),
    # Citizens rate the service (issue 6): the ticket from the phone, a returned dossier.
    path("so/<str:token>/danh-gia/", assessment_views.ticket_rating, name="ticket_rating"),
    path("tai-khoan/ho-so/<int:pk>/danh-gia/", assessment_views.my_assessment, name="my_assessment"),
    path("danh-gia/<str:code>/", assessment_views.public_assessment, name="assessment_public"),
]
