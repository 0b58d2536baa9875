"""Reads of the catalog. Public data: procedures are published to everyone (DOMAIN.md §1.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from .models import Agency, Fee, Procedure, Sector
from .search import search_index


@dataclass
class SearchResult:
    count: int
    items: list[Procedure]


def procedure_queryset() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True).select_related("sector", "agency")


def procedure_get(*, code: str) -> Procedure | None:
    """One active procedure with everything a detail page shows, or None."""
    return (
        procedure_queryset()
        .prefetch_related(
            "documents", "steps__agency", "centers", Prefetch("fees", queryset=Fee.objects.prefetch_related("tiers"))
        )
        .filter(code=code)
        .first()
    )


def procedure_search(
    *, query: str = "", agency: str | None = None, sector: str | None = None, center: str | None = None,
    limit: int = 20, offset: int = 0,
) -> SearchResult:
    """Active procedures matching the query and filters, best first (docs/adr/0002-search.md).

    An empty query lists everything that passes the filters, ordered by code. Items come with
    sector and agency loaded.
    """
    ranking = search_index().search(query, agency=agency, sector=sector, center=center, limit=limit, offset=offset)
    found = procedure_queryset().in_bulk(ranking.pks)
    # A row deactivated since the index was read is simply left out of this page.
    return SearchResult(count=ranking.count, items=[found[pk] for pk in ranking.pks if pk in found])


def procedure_search_summaries(
    *, query: str = "", agency: str | None = None, sector: str | None = None, center: str | None = None,
    limit: int = 20, offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """`procedure_search` for result lists: the match count and the page's result cards.

    The cards come from the index (read in bulk when it was built, texts in the active
    language), so a page costs one query, the index's freshness check. Each card is the dict
    `motcua.api.schemas.procedure_summary` makes; they are shared, so do not modify them.
    """
    index = search_index()
    ranking = index.search(query, agency=agency, sector=sector, center=center, limit=limit, offset=offset)
    return ranking.count, index.summaries(ranking.numbers)


def _received_at(center: Any) -> Q:
    """Procedures received at `center`: listed there, or location-independent (phi địa giới)."""
    return Q(procedures__centers=center) | Q(procedures__location_independent=True)


def agency_list_with_procedures(*, center: Any = None) -> QuerySet[Agency]:
    """Agencies that have active procedures (received at `center`, when given), for filters."""
    queryset = Agency.objects.filter(procedures__is_active=True)
    if center is not None:
        queryset = queryset.filter(_received_at(center))
    return queryset.distinct()


def sector_list_with_procedures(*, center: Any = None) -> QuerySet[Sector]:
    """Sectors that have active procedures (received at `center`, when given), for filters."""
    queryset = Sector.objects.filter(procedures__is_active=True)
    if center is not None:
        queryset = queryset.filter(_received_at(center))
    return queryset.distinct()
