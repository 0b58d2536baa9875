from django.urls import path

from . import views

app_name = "kiosk"
urlpatterns = [
    path("<slug:center_code>/", views.home, name="home"),
    path("<slug:center_code>/thu-tuc/", views.search, name="search"),
    path("<slug:center_code>/thu-tuc/<str:code>/", views.detail, name="detail"),
    path("<slug:center_code>/sap-co/<slug:feature>/", views.coming_soon, name="coming_soon"),
]
