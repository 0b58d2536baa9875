"""Whose figures a user may see (ADR 0010 §6, ADR 0005): a center leader their centers, an
agency leader their agencies, province-wide roles everything. Officers without a leading or
administrating role see nothing: dashboards are for those who answer for the figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_for_user


@dataclass(frozen=True)
class ReportScope:
    everything: bool
    center_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()

    def q(self, *, center: bool = True, agency: bool = True) -> Q:
        """Fact rows inside the scope: their center or their agency is one of ours."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if center:
            condition |= Q(center_id__in=self.center_ids)
        if agency:
            condition |= Q(agency_id__in=self.agency_ids)
        return condition

    def allows(self, row: dict[str, Any], *, center: bool = True, agency: bool = True) -> bool:
        """The same test on a live row (a dict named like the fact columns)."""
        if self.everything:
            return True
        return (center and row.get("center_id") in self.center_ids) or (
            agency and row.get("agency_id") in self.agency_ids
        )


EVERYTHING = ReportScope(everything=True)


def report_scope(scope: Any) -> ReportScope:
    """A user's reporting scope (a `ReportScope` is returned as it is)."""
    if isinstance(scope, ReportScope):
        return scope
    granted = scope_for_user(scope)
    if granted.province_wide:
        return EVERYTHING
    return ReportScope(
        everything=False,
        center_ids=granted.center_ids_for(Role.CENTER_LEADER, Role.ADMINISTRATOR),
        agency_ids=granted.agency_ids_for(Role.AGENCY_LEADER, Role.ADMINISTRATOR),
    )
