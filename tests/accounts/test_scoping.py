import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.scoping import can_grant_role, can_manage_officer, filter_by_scope, scope_for_user
from motcua.catalog.models import Agency
from motcua.core.models import Center

pytestmark = pytest.mark.django_db


def test_administrator_is_province_wide(admin_user):
    scope = scope_for_user(admin_user)
    assert scope.province_wide
    assert scope.has_role(Role.RECEPTION_OFFICER)


def test_center_leader_is_scoped_to_their_center(leader, center):
    scope = scope_for_user(leader)
    assert not scope.province_wide
    assert scope.center_ids == {center.pk}
    assert scope.agency_ids == set()
    assert scope.roles == {Role.CENTER_LEADER}
    assert scope.center_ids_for(Role.CENTER_LEADER) == {center.pk}
    assert scope.center_ids_for(Role.RECEPTION_OFFICER) == set()


def test_reception_officer_is_scoped_to_their_center(reception_officer, center):
    scope = scope_for_user(reception_officer)
    assert (scope.province_wide, scope.center_ids, scope.roles) == (False, {center.pk}, {Role.RECEPTION_OFFICER})
    assert not scope.has_role(Role.CENTER_LEADER, Role.ADMINISTRATOR)


def test_agency_officer_is_scoped_to_their_agency(agency_officer, tuphap):
    scope = scope_for_user(agency_officer)
    assert (scope.province_wide, scope.center_ids, scope.agency_ids) == (False, set(), {tuphap.pk})
    assert scope.roles == {Role.AGENCY_OFFICER}
    assert scope.agency_ids_for(Role.AGENCY_OFFICER) == {tuphap.pk}
    assert scope.agency_ids_for(Role.AGENCY_LEADER) == set()


def test_anonymous_and_inactive_users_have_an_empty_scope(reception_officer):
    assert not scope_for_user(AnonymousUser()).has_role(*Role.values)
    reception_officer.is_active = False
    reception_officer.__dict__.pop("_motcua_scope", None)
    assert scope_for_user(reception_officer).center_ids == set()


def test_administrator_with_a_center_is_not_province_wide(organisation, ninhkieu):
    user = User.objects.create(username="qt.ninhkieu", is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR, center=ninhkieu)
    scope = scope_for_user(user)
    assert not scope.province_wide
    assert scope.center_ids_for(Role.ADMINISTRATOR) == {ninhkieu.pk}


def test_scope_is_computed_once_per_user_object(leader, django_assert_num_queries):
    scope_for_user(leader)
    with django_assert_num_queries(0):
        scope_for_user(leader)


def test_filter_by_scope_keeps_rows_of_the_users_centers(leader, center):
    centers = filter_by_scope(Center.objects.all(), leader, center_field="pk")
    assert list(centers) == [center]


def test_filter_by_scope_keeps_rows_of_the_users_agencies(agency_officer, tuphap):
    agencies = filter_by_scope(Agency.objects.all(), agency_officer, agency_field="pk")
    assert list(agencies) == [tuphap]


def test_filter_by_scope_either_center_or_agency_grants_access(leader, agency_officer, center, tuphap):
    rows = RoleAssignment.objects.all()
    for_leader = filter_by_scope(rows, leader, center_field="center", agency_field="agency")
    assert {r.center_id for r in for_leader} == {center.pk}
    for_agency = filter_by_scope(rows, agency_officer, center_field="center", agency_field="agency")
    assert {r.agency_id for r in for_agency} == {tuphap.pk}


def test_filter_by_scope_gives_administrators_everything(admin_user):
    assert filter_by_scope(Center.objects.all(), admin_user, center_field="pk").count() == 3


def test_filter_by_scope_without_fields_gives_non_administrators_nothing(leader):
    assert not filter_by_scope(Center.objects.all(), leader).exists()


def test_center_leader_may_grant_only_reception_in_their_center(leader, center, ninhkieu, tuphap):
    assert can_grant_role(leader, Role.RECEPTION_OFFICER, center.pk, None)
    assert not can_grant_role(leader, Role.RECEPTION_OFFICER, ninhkieu.pk, None)
    assert not can_grant_role(leader, Role.CENTER_LEADER, center.pk, None)
    assert not can_grant_role(leader, Role.AGENCY_OFFICER, None, tuphap.pk)
    assert not can_grant_role(leader, Role.ADMINISTRATOR, None, None)


def test_center_leader_manages_only_officers_whose_roles_they_could_grant(leader, reception_officer, admin_user):
    assert can_manage_officer(leader, reception_officer)
    assert not can_manage_officer(leader, admin_user)
    assert not can_manage_officer(leader, leader)
    center_admin = User.objects.create(username="qt.cantho", is_staff=True)
    RoleAssignment.objects.create(user=center_admin, role=Role.ADMINISTRATOR, center=reception_officer.roles.get().center)
    assert not can_manage_officer(leader, center_admin)
