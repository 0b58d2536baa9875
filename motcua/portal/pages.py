"""What the kiosk and the public web both show: search results and a procedure's page.

These functions only parse, call catalog selectors and the working calendar, and shape the
template context; the rules themselves live in `motcua.catalog` and `motcua.core.calendar`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import QueryDict

from motcua.catalog.models import Fee, Procedure
from motcua.catalog.selectors import SearchResult, procedure_search
from motcua.core.calendar import calendar_for_center, procedure_due_at
from motcua.core.models import Center
from motcua.core.selectors import center_list_active

from .forms import PER_PAGE, Pager, ProcedureSearchForm, page_number

CITY_CENTER_CODE = "cantho"


@dataclass
class SearchPage:
    form: ProcedureSearchForm
    result: SearchResult
    pager: Pager
    criteria: dict[str, str]
    base_query: str

    @property
    def filtered(self) -> bool:
        return any(self.criteria.values())


def _search(criteria: dict[str, str], center: Center | None, pager: Pager) -> SearchResult:
    return procedure_search(
        **criteria, center=center.code if center else None, limit=pager.per_page, offset=pager.offset
    )


def search_page(params: QueryDict, *, center: Center | None = None) -> SearchPage:
    form = ProcedureSearchForm(params, center=center)
    criteria = form.criteria()
    pager = Pager(number=page_number(params.get("page")), count=0, per_page=PER_PAGE)
    result = _search(criteria, center, pager)
    pager.count = result.count
    if pager.number > pager.pages:
        # A page past the end (an old link, a typed URL) shows the last page instead.
        pager.number = pager.pages
        result = _search(criteria, center, pager)
    # Cards show a fee summary; fetch fees for the whole page at once.
    prefetch_related_objects(result.items, Prefetch("fees", queryset=Fee.objects.prefetch_related("tiers")))
    query = params.copy()
    query.pop("page", None)
    return SearchPage(form=form, result=result, pager=pager, criteria=criteria, base_query=query.urlencode())


def reception_open(center: Center, now: datetime) -> bool:
    return calendar_for_center(center).is_reception_open(now)


def receiving_centers(procedure: Procedure) -> list[Center]:
    return [c for c in procedure.centers.all() if c.is_active]


def default_center(choices: list[Center], wanted: str | None) -> Center | None:
    """The center whose calendar estimates the appointment: the one asked for, else the city's."""
    by_code = {c.code: c for c in choices}
    return by_code.get(wanted or "") or by_code.get(CITY_CENTER_CODE) or (choices[0] if choices else None)


def procedure_context(procedure: Procedure, *, center: Center | None, now: datetime) -> dict[str, Any]:
    """Context for a detail page or a printout of one procedure."""
    centers = receiving_centers(procedure)
    due_at = procedure_due_at(procedure=procedure, center=center, accepted_at=now)
    return {
        "procedure": procedure,
        "documents": list(procedure.documents.all()),
        "fees": list(procedure.fees.all()),
        "steps": list(procedure.steps.all()),
        "receiving_centers": centers,
        "received_here": center is None or not centers or center in centers,
        "estimate_center": center,
        "due_at": due_at,
        "now": now,
    }


def center_choices(procedure: Procedure) -> list[Center]:
    """Centers a citizen can pick on the public page: those receiving it, else all of them."""
    return receiving_centers(procedure) or list(center_list_active())
