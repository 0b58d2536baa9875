from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.detail, name="detail"),
    path("thu-tuc/<str:code>/in/", views.print_view, name="print"),
]
