"""Who may see and act on a dossier (ADR 0008 §8, ADR 0005).

Reception roles reach the dossiers their center received; agency roles those whose competent
agency or current step is theirs; a province-wide administrator reaches all. Every selector
and service goes through these functions, so a cross-scope request is refused in one place.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_for_user

from .errors import DossierPermissionDenied
from .models import Dossier

RECEPTION_ROLES = (Role.RECEPTION_OFFICER, Role.CENTER_LEADER, Role.ADMINISTRATOR)
AGENCY_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_LEADER, Role.ADMINISTRATOR)
AGENCY_LEADER_ROLES = (Role.AGENCY_LEADER, Role.ADMINISTRATOR)


def visible_q(user: Any) -> Q:
    """The dossiers `user` may see, as a filter (empty for a user without roles)."""
    scope = scope_for_user(user)
    if scope.province_wide:
        return Q()
    centers = scope.center_ids_for(*RECEPTION_ROLES)
    agencies = scope.agency_ids_for(*AGENCY_ROLES)
    return Q(receiving_center_id__in=centers) | Q(competent_agency_id__in=agencies) | Q(current_agency_id__in=agencies)


def can_see(user: Any, dossier: Dossier) -> bool:
    scope = scope_for_user(user)
    if scope.province_wide:
        return True
    agencies = scope.agency_ids_for(*AGENCY_ROLES)
    return (
        dossier.receiving_center_id in scope.center_ids_for(*RECEPTION_ROLES)
        or dossier.competent_agency_id in agencies
        or dossier.current_agency_id in agencies
    )


def can_receive_at(user: Any, center_id: int) -> bool:
    """Reception work (accept, refuse, supplement, return) at `center_id`."""
    scope = scope_for_user(user)
    return scope.province_wide or center_id in scope.center_ids_for(*RECEPTION_ROLES)


def can_work_at_agency(user: Any, agency_id: int | None, *, leader: bool = False) -> bool:
    scope = scope_for_user(user)
    if scope.province_wide:
        return True
    return agency_id is not None and agency_id in scope.agency_ids_for(*(AGENCY_LEADER_ROLES if leader else AGENCY_ROLES))


def _denied() -> DossierPermissionDenied:
    return DossierPermissionDenied("dossier.forbidden", _("Bạn không có quyền thực hiện việc này với hồ sơ này."))


def ensure_reception(user: Any, dossier: Dossier) -> None:
    if not can_receive_at(user, dossier.receiving_center_id):
        raise _denied()


def ensure_receive_at(user: Any, center_id: int) -> None:
    if not can_receive_at(user, center_id):
        raise _denied()


def ensure_agency(user: Any, dossier: Dossier, *, leader: bool = False) -> None:
    """An officer (or leader) of the agency now holding the dossier, or of the competent one."""
    if not (
        can_work_at_agency(user, dossier.current_agency_id, leader=leader)
        or can_work_at_agency(user, dossier.competent_agency_id, leader=leader)
    ):
        raise _denied()


def ensure_reception_or_agency(user: Any, dossier: Dossier) -> None:
    if not (can_receive_at(user, dossier.receiving_center_id) or can_see_as_agency(user, dossier)):
        raise _denied()


def can_see_as_agency(user: Any, dossier: Dossier) -> bool:
    return can_work_at_agency(user, dossier.current_agency_id) or can_work_at_agency(user, dossier.competent_agency_id)
