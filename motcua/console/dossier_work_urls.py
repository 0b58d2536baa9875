"""Agencies' dossier work lists and the dossier page (issue 4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
