"""Citizen accounts (issue 5, ADR 0009 §3); included at the site root inside the `portal` namespace."""

from django.urls import path

from . import account_views as views

urlpatterns = [
    path("tai-khoan/", views.account_home, name="account_home"),
    path("tai-khoan/dang-ky/", views.register, name="account_register"),
    path("tai-khoan/dang-nhap/", views.LoginView.as_view(), name="account_login"),
    path("tai-khoan/dang-xuat/", views.LogoutView.as_view(), name="account_logout"),
    path("tai-khoan/dieu-khoan/", views.terms, name="account_terms"),
    path("tai-khoan/quen-mat-khau/", views.PasswordResetView.as_view(), name="account_password_reset"),
    path("tai-khoan/quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="account_password_reset_done"),
    path(
        "tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="account_password_reset_confirm",
    ),
    path(
        "tai-khoan/dat-lai-mat-khau/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="account_password_reset_complete",
    ),
    # Reception staff register a citizen who is at the counter (assisted registration).
    path("tai-khoan/ho-tro-dang-ky/", views.assisted_register, name="account_assisted"),
    path("tai-khoan/ho-tro-dang-ky/xong/", views.assisted_done, name="account_assisted_done"),
]
