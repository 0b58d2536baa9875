"""Reads of the catalog. Public data: procedures are published to everyone (DOMAIN.md §1.2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from motcua.core.text import fold

from .models import Fee, Procedure


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
    """Placeholder search (substring on folded text); replaced by catalog.search."""
    qs = procedure_queryset()
    if agency:
        qs = qs.filter(agency__code=agency)
    if sector:
        qs = qs.filter(sector__code=sector)
    if center:
        qs = qs.filter(centers__code=center)
    for word in fold(query).split():
        qs = qs.filter(search_name__contains=word)
    return SearchResult(count=qs.count(), items=list(qs[offset : offset + limit]))
