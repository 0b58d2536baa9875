"""The periodic report a center sends upward, and the apology-letter register (issue 6). Being built."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from .dashboards import dashboard
from .report_period import ChosenPeriod


@dashboard("upward")
def upward(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    raise Http404


@dashboard("apologies")
def apologies(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    raise Http404
