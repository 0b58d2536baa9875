"""Reads of officers, always through the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import RoleAssignment, User
from .scoping import managed_center_ids, scope_for_user


def _with_roles(queryset: QuerySet[User]) -> QuerySet[User]:
    roles = RoleAssignment.objects.select_related("center", "agency").order_by("role", "id")
    return queryset.prefetch_related(Prefetch("roles", queryset=roles))


def officer_list_for_user(*, user: Any) -> QuerySet[User]:
    """Officers `user` may see.

    Province-wide administrators see everyone; center leaders (and center administrators)
    see the officers holding any role in their centers; everybody else sees only themselves.
    """
    # Citizen accounts (identity.CitizenProfile) are users too, but not officers.
    officers = _with_roles(User.objects.filter(citizen__isnull=True).order_by("username"))
    if scope_for_user(user).province_wide:
        return officers
    centers = managed_center_ids(user)
    if not centers:
        return officers.filter(pk__in=[user.pk] if getattr(user, "pk", None) else [])
    in_centers = RoleAssignment.objects.filter(center_id__in=centers).values("user_id")
    return officers.filter(pk__in=in_centers)


def officer_get_for_user(*, user: Any, pk: Any) -> User | None:
    return officer_list_for_user(user=user).filter(pk=pk).first()
