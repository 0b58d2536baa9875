"""Who may see what: the scope of an officer's roles, used by selectors and the admin.

`None` means "no limit" (a province-wide administrator); otherwise a set of primary keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .models import Role, RoleAssignment


@dataclass(frozen=True)
class Scope:
    province_wide: bool
    center_ids: frozenset[int]
    agency_ids: frozenset[int]
    roles: frozenset[str]

    def has_role(self, *roles: str) -> bool:
        return self.province_wide or bool(self.roles.intersection(roles))


def scope_for_user(user: Any) -> Scope:
    """Collect the user's role assignments into one scope (cached on the user object)."""
    cached = getattr(user, "_motcua_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope = Scope(False, frozenset(), frozenset(), frozenset())
    else:
        rows = list(RoleAssignment.objects.filter(user=user).values_list("role", "center_id", "agency_id"))
        province_wide = user.is_superuser or any(
            role == Role.ADMINISTRATOR and center is None and agency is None for role, center, agency in rows
        )
        scope = Scope(
            province_wide=province_wide,
            center_ids=frozenset(c for _, c, _ in rows if c is not None),
            agency_ids=frozenset(a for _, _, a in rows if a is not None),
            roles=frozenset(r for r, _, _ in rows),
        )
    user._motcua_scope = scope
    return scope


def filter_by_scope(
    queryset: QuerySet, user: Any, *, center_field: str | None = None, agency_field: str | None = None
) -> QuerySet:
    """Keep the rows within the user's centers or agencies (either grants access)."""
    scope = scope_for_user(user)
    if scope.province_wide:
        return queryset
    condition = Q(pk__in=[])
    if center_field:
        condition |= Q(**{f"{center_field}__in": scope.center_ids})
    if agency_field:
        condition |= Q(**{f"{agency_field}__in": scope.agency_ids})
    return queryset.filter(condition).distinct()
