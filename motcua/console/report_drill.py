"""Drill-down: the dossiers behind a figure of the dossier dashboard (issue 6). Being built."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from .dashboards import dashboard
from .report_period import ChosenPeriod


@dashboard("drill")
def drill(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    raise Http404
