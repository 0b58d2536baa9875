"""Exports that run in the background, with their progress (issue 6). Being built."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def export_status(request: HttpRequest, pk: str) -> HttpResponse:
    raise Http404


def export_download(request: HttpRequest, pk: str) -> HttpResponse:
    raise Http404
