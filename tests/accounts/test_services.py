from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.services import (
    officer_create,
    officer_deactivate,
    officer_grant_role,
    officer_revoke_role,
    officer_update,
    role_scope_validate,
)
from motcua.catalog.models import Agency
from motcua.core.models import AuditLog, Center

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PASSWORD = "Cantho-mua-nuoc-2026"
# Scope validation only looks at which of the two is given; unsaved rows keep those tests off the database.
CENTER, AGENCY = Center(code="cantho"), Agency(code="so-tu-phap")


def _create(actor, roles, username="tiepnhan2"):
    return officer_create(
        username=username, full_name="Ngô Thị Mai", password=PASSWORD, roles=roles, actor=actor, now=NOW
    )


def test_officer_create_makes_a_staff_account_with_roles_and_audit_rows(admin_user, center):
    officer = _create(admin_user, [(Role.RECEPTION_OFFICER, center, None)], username="  TiepNhan2 ")
    assert (officer.username, officer.is_staff, officer.is_superuser) == ("tiepnhan2", True, False)
    assert officer.check_password(PASSWORD)
    assert list(officer.roles.values_list("role", "center")) == [(Role.RECEPTION_OFFICER, center.pk)]
    rows = AuditLog.objects.filter(object_id=str(officer.pk)).order_by("id")
    assert [r.action for r in rows] == ["accounts.officer.created", "accounts.role.granted"]
    granted = rows[1]
    assert (granted.actor, granted.at, granted.center) == (admin_user, NOW, center)
    assert granted.data == {"username": "tiepnhan2", "role": "reception_officer", "center": "cantho", "agency": None}


def test_officer_create_rejects_a_username_that_differs_only_in_case(admin_user):
    with pytest.raises(ValidationError) as error:
        _create(admin_user, [], username="TiepNhan")
    assert error.value.message_dict["username"] == ["Tên đăng nhập này đã được dùng."]


def test_officer_create_requires_full_name_and_a_strong_password(admin_user):
    with pytest.raises(ValidationError) as error:
        officer_create(username="moi", full_name=" ", password="123", roles=[], actor=admin_user)
    assert set(error.value.message_dict) == {"full_name", "password"}
    assert not User.objects.filter(username="moi").exists()


def test_officer_create_is_all_or_nothing_when_a_role_is_invalid(admin_user, center):
    with pytest.raises(ValidationError):
        _create(admin_user, [(Role.RECEPTION_OFFICER, center, None), (Role.AGENCY_OFFICER, None, None)])
    assert not User.objects.filter(username="tiepnhan2").exists()
    assert not AuditLog.objects.filter(action="accounts.officer.created").exists()


def test_only_administrators_and_center_leaders_create_officers(reception_officer):
    with pytest.raises(PermissionDenied):
        _create(reception_officer, [])


@pytest.mark.parametrize(
    ("role", "with_center", "with_agency", "field", "message"),
    [
        (Role.RECEPTION_OFFICER, False, False, "center", "Vai trò “Cán bộ tiếp nhận” cần chọn trung tâm."),
        (Role.CENTER_LEADER, False, False, "center", "Vai trò “Lãnh đạo trung tâm” cần chọn trung tâm."),
        (Role.RECEPTION_OFFICER, True, True, "agency", "Vai trò “Cán bộ tiếp nhận” không gắn với cơ quan."),
        (Role.AGENCY_OFFICER, False, False, "agency", "Vai trò “Chuyên viên cơ quan” cần chọn cơ quan."),
        (Role.AGENCY_LEADER, True, True, "center", "Vai trò “Lãnh đạo cơ quan” không gắn với trung tâm."),
        (Role.ADMINISTRATOR, False, True, "agency", "Vai trò “Quản trị hệ thống” không gắn với cơ quan."),
    ],
)
def test_role_scope_must_fit_the_role(role, with_center, with_agency, field, message):
    with pytest.raises(ValidationError) as error:
        role_scope_validate(role=role, center=CENTER if with_center else None, agency=AGENCY if with_agency else None)
    assert error.value.message_dict[field] == [message]


@pytest.mark.parametrize(
    ("role", "with_center", "with_agency"),
    [
        (Role.ADMINISTRATOR, False, False),
        (Role.ADMINISTRATOR, True, False),
        (Role.CENTER_LEADER, True, False),
        (Role.RECEPTION_OFFICER, True, False),
        (Role.AGENCY_OFFICER, False, True),
        (Role.AGENCY_LEADER, False, True),
    ],
)
def test_role_scopes_that_fit(role, with_center, with_agency):
    role_scope_validate(role=role, center=CENTER if with_center else None, agency=AGENCY if with_agency else None)


def test_grant_refuses_a_duplicate_even_with_empty_scope(admin_user, agency_officer):
    officer_grant_role(officer=agency_officer, role=Role.ADMINISTRATOR, actor=admin_user)
    with pytest.raises(ValidationError):
        officer_grant_role(officer=agency_officer, role=Role.ADMINISTRATOR, actor=admin_user)
    assert agency_officer.roles.filter(role=Role.ADMINISTRATOR).count() == 1


def test_center_leader_grants_reception_in_their_own_center_only(leader, agency_officer, center, ninhkieu):
    officer_grant_role(officer=agency_officer, role=Role.RECEPTION_OFFICER, center=center, actor=leader)
    with pytest.raises(PermissionDenied, match="Cán bộ tiếp nhận tại trung tâm của mình"):
        officer_grant_role(officer=agency_officer, role=Role.RECEPTION_OFFICER, center=ninhkieu, actor=leader)
    with pytest.raises(PermissionDenied):
        officer_grant_role(officer=agency_officer, role=Role.CENTER_LEADER, center=center, actor=leader)


def test_revoke_deletes_the_role_and_keeps_an_audit_row(leader, reception_officer, center):
    assignment = reception_officer.roles.get()
    officer_revoke_role(assignment=assignment, actor=leader, now=NOW)
    assert not reception_officer.roles.exists()
    row = AuditLog.objects.get(action="accounts.role.revoked")
    assert (row.actor, row.object_id, row.center, row.data["role"]) == (
        leader, str(reception_officer.pk), center, "reception_officer"
    )


def test_center_leader_cannot_revoke_a_role_outside_their_power(leader, admin_user):
    with pytest.raises(PermissionDenied):
        officer_revoke_role(assignment=admin_user.roles.get(), actor=leader)
    assert admin_user.roles.exists()


def test_system_actor_may_do_anything(organisation, center):
    officer = _create(None, [(Role.CENTER_LEADER, center, None)])
    assert AuditLog.objects.filter(object_id=str(officer.pk), actor=None).count() == 2


def test_deactivate_locks_the_account_and_is_audited(admin_user, reception_officer):
    officer_deactivate(officer=reception_officer, actor=admin_user, now=NOW)
    reception_officer.refresh_from_db()
    assert not reception_officer.is_active
    row = AuditLog.objects.get(action="accounts.officer.deactivated")
    assert (row.actor, row.data["fields"]) == (admin_user, ["is_active"])


def test_only_province_administrators_change_account_flags(leader, reception_officer):
    with pytest.raises(PermissionDenied):
        officer_deactivate(officer=reception_officer, actor=leader)
    with pytest.raises(PermissionDenied):
        officer_update(officer=reception_officer, values={"is_superuser": True}, actor=leader)


def test_center_leader_edits_the_profile_of_their_reception_officer(leader, reception_officer, ninhkieu_officer):
    officer_update(officer=reception_officer, values={"full_name": "Trần Thị Hoa B"}, actor=leader)
    assert User.objects.get(pk=reception_officer.pk).full_name == "Trần Thị Hoa B"
    assert AuditLog.objects.get(action="accounts.officer.updated").data["fields"] == ["full_name"]
    with pytest.raises(PermissionDenied):
        officer_update(officer=ninhkieu_officer, values={"full_name": "X"}, actor=leader)


def test_update_without_changes_writes_nothing(admin_user, reception_officer):
    officer_update(officer=reception_officer, values={"full_name": reception_officer.full_name}, actor=admin_user)
    assert not AuditLog.objects.filter(action__startswith="accounts.officer").exists()


def test_roles_granted_are_visible_to_the_officers_next_scope(admin_user, agency_officer, center):
    from motcua.accounts.scoping import scope_for_user

    assert center.pk not in scope_for_user(agency_officer).center_ids
    officer_grant_role(officer=agency_officer, role=Role.RECEPTION_OFFICER, center=center, actor=admin_user)
    assert center.pk in scope_for_user(agency_officer).center_ids
    assert RoleAssignment.objects.filter(user=agency_officer).count() == 2
