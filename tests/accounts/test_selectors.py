import pytest

from motcua.accounts.models import User
from motcua.accounts.selectors import officer_list_for_user

pytestmark = pytest.mark.django_db


def _names(user):
    return set(officer_list_for_user(user=user).values_list("username", flat=True))


def test_administrator_sees_every_officer(admin_user):
    assert _names(admin_user) == set(User.objects.values_list("username", flat=True))


def test_center_leader_sees_the_officers_of_their_center(leader):
    assert _names(leader) == {"lanhdao", "tiepnhan"}


@pytest.mark.parametrize("username", ["tiepnhan", "chuyenvien.tuphap", "lanhdao.tuphap"])
def test_other_officers_see_only_themselves(organisation, username):
    assert _names(User.objects.get(username=username)) == {username}


def test_officer_list_fetches_roles_in_a_fixed_number_of_queries(admin_user, django_assert_num_queries):
    officer_list_for_user(user=admin_user)  # scope computed and cached
    with django_assert_num_queries(2):
        officers = list(officer_list_for_user(user=admin_user))
        assert all(str(role) for officer in officers for role in officer.roles.all())
