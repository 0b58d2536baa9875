"""Public web: landing page, procedure search, procedure page and printouts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_get, procedure_search
from motcua.core.selectors import center_list_active

from . import pages
from .forms import ProcedureSearchForm


def _procedure_or_404(code: str) -> Procedure:
    procedure = procedure_get(code=code)
    if procedure is None:
        raise Http404(code)
    return procedure


# Search terms people type most at the counters; shown as one-tap suggestions on the home page.
SUGGESTIONS = ["Chứng thực", "Khai sinh", "Kết hôn", "Lý lịch tư pháp", "Giấy phép xây dựng", "Hộ kinh doanh"]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {
        "nav": "home",
        "suggestions": SUGGESTIONS,
        "sectors": ProcedureSearchForm(None).fields["sector"].queryset,  # type: ignore[attr-defined]
        "procedure_count": procedure_search(limit=0).count,
        "centers": list(center_list_active()),
    })  # fmt: skip


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/search.html", {"nav": "procedures", "page": pages.search_page(request.GET)})


def _procedure_page_context(request: HttpRequest, code: str) -> dict:
    procedure = _procedure_or_404(code)
    choices = pages.center_choices(procedure)
    center = pages.default_center(choices, request.GET.get("trung_tam"))
    context = pages.procedure_context(procedure, center=center, now=timezone.now())
    return context | {"center_choices": choices, "nav": "procedures"}


@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "portal/detail.html", _procedure_page_context(request, code))


@require_safe
@xframe_options_sameorigin  # the kiosk prints the slip from a hidden frame on its own page
def print_view(request: HttpRequest, code: str) -> HttpResponse:
    context = _procedure_page_context(request, code)
    receipt = request.GET.get("kho") == "80"
    context["autoprint"] = request.GET.get("tu_dong") == "1"
    return render(request, "portal/print_80.html" if receipt else "portal/print_a4.html", context)
