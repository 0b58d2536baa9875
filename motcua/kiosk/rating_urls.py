"""Đánh giá mức độ hài lòng at the kiosk and on the counter tablet (issue 6); included by `kiosk/urls.py`."""

from django.urls import path

from . import rating_views as views

urlpatterns = [
    path("<slug:center_code>/danh-gia/", views.rating_home, name="rating_home"),
    path("<slug:center_code>/danh-gia/so/", views.rating_ticket_find, name="rating_ticket_find"),
    path("<slug:center_code>/danh-gia/so/<str:code>/", views.rating_ticket, name="rating_ticket"),
    path("<slug:center_code>/danh-gia/quay/<int:number>/", views.rating_tablet, name="rating_tablet"),
    path(
        "<slug:center_code>/danh-gia/quay/<int:number>/trang-thai.json",
        views.rating_tablet_state,
        name="rating_tablet_state",
    ),
    path("<slug:center_code>/danh-gia/ho-so/", views.rating_dossier_find, name="rating_dossier_find"),
    path("<slug:center_code>/danh-gia/ho-so/<str:code>/", views.rating_dossier, name="rating_dossier"),
]
