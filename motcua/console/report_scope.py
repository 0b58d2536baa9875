"""Whose figures the dashboards show a user, and how the page names that scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.models import Center
from motcua.reports._scope import ReportScope, report_scope


def scope_or_none(user: Any) -> ReportScope | None:
    """The user's reporting scope, or None when they answer for no figures (not a leader)."""
    scope = report_scope(user)
    return scope if scope.everything or scope.center_ids or scope.agency_ids else None


def scope_text(scope: ReportScope) -> str:
    if scope.everything:
        return _("Toàn tỉnh")
    names = [c.display_name for c in Center.objects.filter(pk__in=scope.center_ids).order_by("ordering", "name")]
    names += [str(a) for a in Agency.objects.filter(pk__in=scope.agency_ids).order_by("name")]
    return ", ".join(names)
