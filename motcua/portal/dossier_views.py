"""Public dossier tracking (issue 4, rule 14): status by code, personal details only with the ID number."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def lookup(request: HttpRequest) -> HttpResponse:
    raise Http404


def track(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404
