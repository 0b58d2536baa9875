"""Dossier intake at a counter (issue 4): from the called ticket to accept / supplement / refuse."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
