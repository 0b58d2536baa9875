"""Role- and scope-based permissions for the Django admin.

The admin is where the province IT team and leaders edit reference data. Instead of Django's
per-model permission rows (which nobody keeps up to date), each ModelAdmin says which roles may
view and which may edit, and which field ties a row to a center or an agency; a user then sees
only rows inside their scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Role
from .scoping import filter_by_scope, scope_for_user

ALL_STAFF_ROLES = frozenset(Role.values)


class ScopedAdminMixin:
    """Mix into a ModelAdmin. Administrators (province-wide) may do everything."""

    view_roles: frozenset[str] = ALL_STAFF_ROLES
    edit_roles: frozenset[str] = frozenset({Role.ADMINISTRATOR})
    # Paths from this model to a center / an agency; None means the rows are province-wide data.
    scope_center_field: str | None = None
    scope_agency_field: str | None = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if not (self.scope_center_field or self.scope_agency_field):
            return queryset
        return filter_by_scope(
            queryset, request.user, center_field=self.scope_center_field, agency_field=self.scope_agency_field
        )

    def _has_role(self, request: HttpRequest, roles: frozenset[str]) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and scope_for_user(user).has_role(*roles))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._has_role(request, self.view_roles | self.edit_roles)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has_role(request, self.view_roles | self.edit_roles)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has_role(request, self.edit_roles)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._has_role(request, self.edit_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has_role(request, self.edit_roles)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    """An inline whose rows may be edited only where the parent row may be (`parent_editable`)."""

    def parent_editable(self, request: HttpRequest, parent: Any) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self.parent_editable(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:  # type: ignore[override]
        return super().has_add_permission(request, obj) and self.parent_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self.parent_editable(request, obj)


class ReadOnlyAdminMixin:
    """For rows that only their services write (tickets, dossiers and their history): the admin
    shows them, and nobody, not even a province administrator, adds, edits or deletes by hand."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
