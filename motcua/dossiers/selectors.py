"""Reading dossiers, always through the caller's scope (access.visible_q), with personal-data reads audited."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Dossier

# Work list names (agency screens and API): unassigned, mine, due_soon, overdue, supplement, returned.
WORK_LISTS = ("unassigned", "mine", "due_soon", "overdue", "supplement", "returned")


def dossier_list_for_user(*, user: Any) -> QuerySet[Dossier]:
    """Every dossier the user may see."""
    raise NotImplementedError


def dossier_work_list(*, user: Any, name: str, now: Any = None) -> QuerySet[Dossier]:
    """One of WORK_LISTS for an agency officer or leader (their agencies only)."""
    raise NotImplementedError


def dossier_get_for_user(*, user: Any, code: str | None = None, pk: int | None = None, ip: str | None = None,
                         audit: bool = True) -> Dossier:  # fmt: skip
    """One dossier in the user's scope (DossierPermissionDenied otherwise, Dossier.DoesNotExist if
    absent); writes an AuditLog row `dossiers.dossier.personal_data_viewed` when `audit`."""
    raise NotImplementedError
