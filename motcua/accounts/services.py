"""The one write path for officers and their roles.

Every function checks that the actor may do what is asked (`actor=None` means the system:
management commands, demo loading), validates the role's scope, and appends an audit row in
the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.models import Center
from motcua.core.services import audit_log_write

from .models import Role, RoleAssignment, User
from .scoping import can_grant_role, can_manage_officer, scope_for_user, scope_forget

RoleSpec = tuple[str, Center | None, Agency | None]

# Which scope each role needs: (center, agency), each "required", "optional" or "forbidden".
# A center role with an agency (or the reverse) would widen what the officer sees, because
# filter_by_scope lets either one grant access.
ROLE_SCOPE_RULES: dict[str, tuple[str, str]] = {
    Role.ADMINISTRATOR: ("optional", "forbidden"),
    Role.CENTER_LEADER: ("required", "forbidden"),
    Role.RECEPTION_OFFICER: ("required", "forbidden"),
    Role.AGENCY_OFFICER: ("forbidden", "required"),
    Role.AGENCY_LEADER: ("forbidden", "required"),
}
# Fields of the officer an administrator may change, and the subset only they may change.
OFFICER_FIELDS = frozenset({"full_name", "phone", "email", "is_active", "is_staff", "is_superuser"})
ADMINISTRATOR_ONLY_FIELDS = frozenset({"is_active", "is_staff", "is_superuser"})


def role_scope_validate(*, role: str, center: Center | None, agency: Agency | None) -> None:
    """Raise a ValidationError (keyed by field) unless the scope fits the role."""
    if role not in ROLE_SCOPE_RULES:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    label = Role(role).label
    center_rule, agency_rule = ROLE_SCOPE_RULES[role]
    errors: dict[str, str] = {}
    if center_rule == "required" and center is None:
        errors["center"] = _("Vai trò “%(role)s” cần chọn trung tâm.") % {"role": label}
    if center_rule == "forbidden" and center is not None:
        errors["center"] = _("Vai trò “%(role)s” không gắn với trung tâm.") % {"role": label}
    if agency_rule == "required" and agency is None:
        errors["agency"] = _("Vai trò “%(role)s” cần chọn cơ quan.") % {"role": label}
    if agency_rule == "forbidden" and agency is not None:
        errors["agency"] = _("Vai trò “%(role)s” không gắn với cơ quan.") % {"role": label}
    if errors:
        raise ValidationError(errors)


def role_grant_check(*, actor: Any, role: str, center: Center | None, agency: Agency | None) -> None:
    """Raise PermissionDenied unless the actor may grant or revoke this role at this scope."""
    if actor is None:
        return
    if not can_grant_role(actor, role, getattr(center, "pk", None), getattr(agency, "pk", None)):
        if scope_for_user(actor).has_role(Role.CENTER_LEADER):
            raise PermissionDenied(_("Lãnh đạo trung tâm chỉ được cấp vai trò Cán bộ tiếp nhận tại trung tâm của mình."))
        raise PermissionDenied(_("Bạn không có quyền cấp vai trò này ở phạm vi đã chọn."))


def _role_data(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "username": assignment.user.username,
        "role": assignment.role,
        "center": assignment.center.code if assignment.center else None,
        "agency": assignment.agency.code if assignment.agency else None,
    }


def _lock_officer(officer: User) -> User:
    # Grants and revokes for one officer queue on the officer's row: the unique constraint
    # cannot catch duplicates whose center or agency is NULL (NULLs are distinct).
    return User.objects.select_for_update().get(pk=officer.pk)


@transaction.atomic
def officer_grant_role(
    *, officer: User, role: str, center: Center | None = None, agency: Agency | None = None,
    actor: Any, now: datetime | None = None,
) -> RoleAssignment:
    """Give `officer` one role at one scope."""
    role_scope_validate(role=role, center=center, agency=agency)
    role_grant_check(actor=actor, role=role, center=center, agency=agency)
    _lock_officer(officer)
    if RoleAssignment.objects.filter(user=officer, role=role, center=center, agency=agency).exists():
        raise ValidationError(_("Cán bộ đã có vai trò này ở phạm vi này."))
    assignment = RoleAssignment.objects.create(user=officer, role=role, center=center, agency=agency)
    audit_log_write(
        actor=actor, action="accounts.role.granted", obj=officer, center=center,
        data=_role_data(assignment), now=now,
    )  # fmt: skip
    scope_forget(officer)
    return assignment


@transaction.atomic
def officer_revoke_role(*, assignment: RoleAssignment, actor: Any, now: datetime | None = None) -> None:
    """Take one role away (the row is deleted; the audit row keeps what it was)."""
    role_grant_check(actor=actor, role=assignment.role, center=assignment.center, agency=assignment.agency)
    officer = _lock_officer(assignment.user)
    data = _role_data(assignment)
    RoleAssignment.objects.filter(pk=assignment.pk).delete()
    audit_log_write(
        actor=actor, action="accounts.role.revoked", obj=officer, center=assignment.center, data=data, now=now
    )
    scope_forget(assignment.user)


def _check_may_create(actor: Any) -> None:
    if actor is not None and not scope_for_user(actor).has_role(Role.ADMINISTRATOR, Role.CENTER_LEADER):
        raise PermissionDenied(_("Bạn không có quyền tạo tài khoản cán bộ."))


@transaction.atomic
def officer_create(
    *, username: str, full_name: str, password: str, roles: Iterable[RoleSpec], actor: Any,
    now: datetime | None = None,
) -> User:
    """Create a staff account with its roles.

    Usernames are stored lower-case and must differ from every existing one ignoring case,
    so the login throttle (which folds case) never mixes two people.
    """
    _check_may_create(actor)
    username = username.strip().lower()
    officer = User(username=username, full_name=full_name.strip(), is_staff=True)
    _validate_new_officer(officer, password)
    officer.set_password(password)
    officer.save()
    audit_log_write(actor=actor, action="accounts.officer.created", obj=officer, data={"username": username}, now=now)
    for role, center, agency in roles:
        officer_grant_role(officer=officer, role=role, center=center, agency=agency, actor=actor, now=now)
    return officer


def _validate_new_officer(officer: User, password: str) -> None:
    errors: dict[str, list[Any]] = {}
    try:
        officer.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if User.objects.filter(username__iexact=officer.username).exists():
        errors.setdefault("username", []).append(_("Tên đăng nhập này đã được dùng."))
    if not officer.full_name:
        errors.setdefault("full_name", []).append(_("Cần nhập họ và tên."))
    try:
        validate_password(password, officer)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def officer_update(
    *, officer: User, values: dict[str, Any], actor: Any, now: datetime | None = None
) -> User:
    """Change profile fields or account flags; locking an account is `is_active=False`.

    Only a province-wide administrator may touch the flags (active, staff, superuser).
    """
    unknown = set(values) - OFFICER_FIELDS
    if unknown:
        raise ValueError(f"officer_update cannot change {sorted(unknown)}")
    _check_may_update(actor, officer, set(values))
    locked = _lock_officer(officer)
    changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
    for name in changed:
        setattr(locked, name, values[name])
        setattr(officer, name, values[name])
    if not changed:
        return officer
    locked.save(update_fields=changed)
    audit_log_write(
        actor=actor, action=_update_action(values, changed), obj=officer,
        data={"username": officer.username, "fields": changed}, now=now,
    )  # fmt: skip
    return officer


def _check_may_update(actor: Any, officer: User, fields: set[str]) -> None:
    if actor is None:
        return
    if fields & ADMINISTRATOR_ONLY_FIELDS and not scope_for_user(actor).province_wide:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được khóa, mở khóa hoặc cấp quyền quản trị cho tài khoản."))
    if not can_manage_officer(actor, officer):
        raise PermissionDenied(_("Bạn không có quyền sửa tài khoản này."))


def _update_action(values: dict[str, Any], changed: list[str]) -> str:
    if "is_active" in changed:
        return "accounts.officer.reactivated" if values["is_active"] else "accounts.officer.deactivated"
    return "accounts.officer.updated"


def officer_deactivate(*, officer: User, actor: Any, now: datetime | None = None) -> User:
    """Lock an account instead of deleting it: the audit trail keeps pointing at the officer."""
    return officer_update(officer=officer, values={"is_active": False}, actor=actor, now=now)
