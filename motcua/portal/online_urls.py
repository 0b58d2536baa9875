"""URLs of issue 5 (identity and the citizen portal); included at the app's root."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
