"""Idempotent loading of the demo organisation (centers, agencies, officers)."""

from __future__ import annotations

from typing import cast

from django.db import transaction

from motcua.accounts.models import RoleAssignment, User
from motcua.catalog.models import Agency
from motcua.core.models import Center, Floor

from .organisation import AGENCIES, AGENCY_ALIASES, CENTERS, DEMO_PASSWORD, USERS


def load_centers() -> None:
    for spec in CENTERS:
        values = {k: v for k, v in spec.items() if k not in {"code", "floors"}}
        center, _ = Center.objects.update_or_create(code=spec["code"], defaults=values)
        floors = cast(list[tuple[str, str]], spec["floors"])
        for order, (code, name) in enumerate(floors):
            Floor.objects.update_or_create(center=center, code=code, defaults={"name": name, "ordering": order})


def load_agencies() -> None:
    for code, name, short, kind, valid_from, valid_to, _ in AGENCIES:
        Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "short_name": short, "kind": kind, "valid_from": valid_from, "valid_to": valid_to,
                "aliases": "; ".join(AGENCY_ALIASES.get(code, [])),
            },
        )  # fmt: skip
    for code, *_, successor in AGENCIES:
        if successor:
            Agency.objects.filter(code=code).update(successor=Agency.objects.get(code=successor))


def ensure_officer(username: str, full_name: str, role: str, center: str | None, agency: str | None) -> User:
    """Create a demo officer once (an existing account keeps its password) and make sure of the role."""
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = True
        user.is_superuser = role == "administrator"
        user.save()
    RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        center=Center.objects.filter(code=center).first() if center else None,
        agency=Agency.objects.filter(code=agency).first() if agency else None,
    )
    return user


def load_users() -> None:
    for spec in USERS:
        ensure_officer(*spec)


@transaction.atomic
def load_organisation() -> None:
    load_centers()
    load_agencies()
    load_users()
