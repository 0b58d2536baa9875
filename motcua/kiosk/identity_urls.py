"""URLs of issue 5 (identity and the citizen portal); included at the app's root."""

from django.urls import URLPattern, path

from . import identity_views as views

urlpatterns: list[URLPattern] = [
    # Xác thực bằng khuôn mặt: consent → ID card → camera → outcome (identity_views).
    path("<slug:center_code>/xac-thuc/", views.identity_consent, name="identity_consent"),
    path("<slug:center_code>/xac-thuc/the/", views.identity_card, name="identity_card"),
    path("<slug:center_code>/xac-thuc/the/nhan/", views.identity_card_claim, name="identity_card_claim"),
    path("<slug:center_code>/xac-thuc/khuon-mat/", views.identity_camera, name="identity_camera"),
    path("<slug:center_code>/xac-thuc/ket-qua/", views.identity_outcome, name="identity_outcome"),
    path("<slug:center_code>/xac-thuc/huy/", views.identity_cancel, name="identity_cancel"),
    path("<slug:center_code>/xac-thuc/demo/", views.identity_demo, name="identity_demo"),
]
