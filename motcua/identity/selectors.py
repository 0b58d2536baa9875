"""Reads about citizen accounts: who is a citizen, who may register one, whom a login names."""

from __future__ import annotations

from typing import Any

from motcua.accounts.scoping import scope_for_user
from motcua.dossiers.access import RECEPTION_ROLES

from .models import CitizenProfile
from .services.accounts import CitizenAccountError, email_normalize, phone_normalize


def citizen_profile_of(user: Any) -> CitizenProfile | None:
    """The user's citizen profile, or None for staff and anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.citizen
    except CitizenProfile.DoesNotExist:
        return None


def is_citizen(user: Any) -> bool:
    return citizen_profile_of(user) is not None


def may_assist_registration(user: Any) -> bool:
    """Reception staff (and their leaders and administrators) register citizens at the counter."""
    if not getattr(user, "is_authenticated", False) or is_citizen(user):
        return False
    scope = scope_for_user(user)
    return scope.province_wide or bool(scope.center_ids_for(*RECEPTION_ROLES))


def login_identifier_normalize(typed: str) -> str:
    """What a citizen typed to sign in, in the form it is stored (phone digits, e-mail lower case)."""
    typed = (typed or "").strip()
    try:
        return email_normalize(typed) if "@" in typed else phone_normalize(typed)
    except CitizenAccountError:
        return typed


def citizen_username_for_login(typed: str) -> str | None:
    """The generated username of the citizen whose phone or e-mail this is (staff never match)."""
    key = login_identifier_normalize(typed)
    if not key:
        return None
    field = "email__iexact" if "@" in key else "phone"
    users = list(CitizenProfile.objects.filter(**{field: key}).values_list("user__username", flat=True)[:2])
    return users[0] if len(users) == 1 else None
