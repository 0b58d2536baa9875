"""Who may see what: the scope of an officer's roles, used by selectors and the admin.

`province_wide` means "no limit"; otherwise the sets hold primary keys. A scope is computed
once per user object and cached on it, so one request costs one query however many checks it
makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from .models import Role, RoleAssignment

# (role, center id, agency id): one RoleAssignment row as plain data.
Grant = tuple[str, int | None, int | None]

# Roles that work at a center's counters; a center-scoped manager may hand these out.
CENTER_ROLES = frozenset({Role.CENTER_LEADER, Role.RECEPTION_OFFICER})


@dataclass(frozen=True)
class Scope:
    province_wide: bool
    center_ids: frozenset[int]
    agency_ids: frozenset[int]
    roles: frozenset[str]
    grants: frozenset[Grant] = field(default=frozenset())

    def has_role(self, *roles: str) -> bool:
        return self.province_wide or bool(self.roles.intersection(roles))

    def center_ids_for(self, *roles: str) -> frozenset[int]:
        """Centers where the user holds one of `roles` (not every center of every role)."""
        return frozenset(c for r, c, _ in self.grants if r in roles and c is not None)

    def agency_ids_for(self, *roles: str) -> frozenset[int]:
        """Agencies where the user holds one of `roles`."""
        return frozenset(a for r, _, a in self.grants if r in roles and a is not None)


EMPTY_SCOPE = Scope(False, frozenset(), frozenset(), frozenset())


def scope_for_user(user: Any) -> Scope:
    """Collect the user's role assignments into one scope (cached on the user object)."""
    cached = getattr(user, "_motcua_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope = EMPTY_SCOPE
    else:
        rows: list[Grant] = list(
            RoleAssignment.objects.filter(user=user).values_list("role", "center_id", "agency_id")
        )
        province_wide = user.is_superuser or any(
            role == Role.ADMINISTRATOR and center is None and agency is None for role, center, agency in rows
        )
        scope = Scope(
            province_wide=province_wide,
            center_ids=frozenset(c for _, c, _ in rows if c is not None),
            agency_ids=frozenset(a for _, _, a in rows if a is not None),
            roles=frozenset(r for r, _, _ in rows),
            grants=frozenset(rows),
        )
    user._motcua_scope = scope
    return scope


def scope_forget(user: Any) -> None:
    """Drop the cached scope after the user's roles changed in this request."""
    user.__dict__.pop("_motcua_scope", None)


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


def works_at_center(user: Any, center_id: int) -> bool:
    """Whether `user` may sit at a counter of the center: its reception officers and leaders,
    and province-wide administrators."""
    scope = scope_for_user(user)
    return scope.province_wide or center_id in scope.center_ids_for(*CENTER_ROLES)


def managed_center_ids(user: Any) -> frozenset[int]:
    """Centers whose officers the user manages: where they lead or administer."""
    return scope_for_user(user).center_ids_for(Role.ADMINISTRATOR, Role.CENTER_LEADER)


def can_grant_role(user: Any, role: str, center_id: int | None, agency_id: int | None) -> bool:
    """May `user` hand out (or take back) this role at this scope?

    A province-wide administrator may grant anything. A center administrator may grant the
    center roles in their centers; a center leader only reception officers in theirs. Agency
    roles and administrator rights need a province-wide administrator.
    """
    scope = scope_for_user(user)
    if scope.province_wide:
        return True
    if agency_id is not None or center_id is None:
        return False
    if role == Role.RECEPTION_OFFICER and center_id in scope.center_ids_for(Role.CENTER_LEADER):
        return True
    return role in CENTER_ROLES and center_id in scope.center_ids_for(Role.ADMINISTRATOR)


def can_manage_officer(user: Any, officer: Any, grants: list[Grant] | None = None) -> bool:
    """May `user` edit `officer` (profile, password, roles)?

    Only if every role the officer holds is one the user could grant: a center leader must not
    be able to reset the password of an administrator who also happens to work at the center.
    """
    scope = scope_for_user(user)
    if scope.province_wide:
        return True
    if officer is None or officer.is_superuser or officer.pk == getattr(user, "pk", None):
        return False
    if grants is None:
        grants = list(RoleAssignment.objects.filter(user=officer).values_list("role", "center_id", "agency_id"))
    return bool(grants) and all(can_grant_role(user, *grant) for grant in grants)
