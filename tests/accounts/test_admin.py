import pytest

from motcua.accounts.models import Role, User
from motcua.core.models import AuditLog

pytestmark = pytest.mark.django_db
LIST = "/admin/accounts/user/"
ADD = "/admin/accounts/user/add/"
PASSWORD = "Cantho-mua-nuoc-2026"


def _change(user):
    return f"/admin/accounts/user/{user.pk}/change/"


def _inline(rows, initial=0):
    data = {
        "roles-TOTAL_FORMS": str(len(rows)), "roles-INITIAL_FORMS": str(initial),
        "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, row in enumerate(rows):
        data |= {f"roles-{i}-{key}": value for key, value in row.items()}
    return data


def _add_post(client, center_pk, role=Role.RECEPTION_OFFICER, agency=""):
    form = {"username": "TiepNhan3", "full_name": "Huỳnh Văn Tài", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(ADD, form | _inline([{"role": role, "center": center_pk or "", "agency": agency}]))


def test_user_admin_is_in_vietnamese_and_lists_roles(client, admin_user):
    client.force_login(admin_user)
    page = client.get(LIST).content.decode()
    assert "Cán bộ tiếp nhận (Trung tâm Phục vụ hành chính công thành phố Cần Thơ)" in page
    assert "họ và tên".capitalize() in page


def test_groups_admin_is_hidden(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/auth/group/").status_code == 404
    assert "/admin/auth/" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("persona", ["reception_officer", "agency_officer"])
def test_other_roles_get_403_on_the_user_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403


def test_center_leader_sees_only_officers_of_their_center(client, leader, ninhkieu_officer, reception_officer):
    client.force_login(leader)
    page = client.get(LIST).content.decode()
    assert reception_officer.full_name in page
    assert ninhkieu_officer.full_name not in page
    assert client.get(_change(ninhkieu_officer)).status_code == 302  # "does not exist", back to the list


def test_center_leader_cannot_edit_an_administrator_or_themselves(client, leader, center, admin_user):
    client.force_login(leader)
    assert client.get(_change(leader)).status_code == 200  # view only
    response = client.post(_change(leader), {"full_name": "X"} | _inline([]))
    assert response.status_code == 403
    assert client.get(f"/admin/accounts/user/{leader.pk}/password/").status_code == 403


def test_center_leader_change_form_has_no_account_flags(client, leader, reception_officer):
    client.force_login(leader)
    page = client.get(_change(reception_officer)).content.decode()
    assert 'name="full_name"' in page
    assert 'name="is_superuser"' not in page
    assert 'name="is_active"' not in page


def test_center_leader_adds_a_reception_officer_in_their_center(client, leader, center):
    client.force_login(leader)
    response = _add_post(client, center.pk)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    officer = User.objects.get(username="tiepnhan3")
    assert officer.check_password(PASSWORD)
    assert list(officer.roles.values_list("role", "center")) == [(Role.RECEPTION_OFFICER, center.pk)]
    actions = set(AuditLog.objects.filter(object_id=str(officer.pk)).values_list("action", flat=True))
    assert actions == {"accounts.officer.created", "accounts.role.granted"}


@pytest.mark.parametrize(("role", "center_code"), [(Role.RECEPTION_OFFICER, "ninhkieu"), (Role.CENTER_LEADER, "cantho")])
def test_center_leader_cannot_grant_other_roles_or_centers(client, leader, organisation, role, center_code):
    from motcua.core.models import Center

    client.force_login(leader)
    response = _add_post(client, Center.objects.get(code=center_code).pk, role=role)
    assert response.status_code == 200
    assert not User.objects.filter(username="tiepnhan3").exists()


def test_scope_errors_show_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    response = _add_post(client, None)
    assert "Vai trò “Cán bộ tiếp nhận” cần chọn trung tâm." in response.content.decode()


def test_center_leader_must_leave_a_role(client, leader, reception_officer):
    client.force_login(leader)
    assignment = reception_officer.roles.get()
    row = {"id": assignment.pk, "user": reception_officer.pk, "role": assignment.role,
           "center": assignment.center_id, "agency": "", "DELETE": "on"}  # fmt: skip
    response = client.post(_change(reception_officer), {"full_name": reception_officer.full_name} | _inline([row], 1))
    assert response.status_code == 200
    assert "Cán bộ cần có ít nhất một vai trò." in response.content.decode()
    assert reception_officer.roles.exists()


def test_administrator_moves_a_role_to_another_center_through_the_services(client, admin_user, reception_officer, ninhkieu):
    client.force_login(admin_user)
    assignment = reception_officer.roles.get()
    row = {"id": assignment.pk, "user": reception_officer.pk, "role": assignment.role, "center": ninhkieu.pk, "agency": ""}
    form = {"full_name": reception_officer.full_name, "is_active": "on", "is_staff": "on"}
    response = client.post(_change(reception_officer), form | _inline([row], 1))
    assert response.status_code == 302
    assert list(reception_officer.roles.values_list("center", flat=True)) == [ninhkieu.pk]
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["accounts.role.revoked", "accounts.role.granted"]


def test_administrator_deactivates_officers_with_the_list_action(client, admin_user, reception_officer):
    client.force_login(admin_user)
    data = {"action": "deactivate_selected", "_selected_action": [reception_officer.pk, admin_user.pk]}
    assert client.post(LIST, data).status_code == 302
    assert not User.objects.get(pk=reception_officer.pk).is_active
    assert User.objects.get(pk=admin_user.pk).is_active  # never locks yourself out
    assert AuditLog.objects.filter(action="accounts.officer.deactivated").count() == 1


def test_center_leader_has_no_deactivate_or_delete_action(client, leader):
    client.force_login(leader)
    page = client.get(LIST).content.decode()
    assert "deactivate_selected" not in page
    assert "delete_selected" not in page


def test_password_change_by_the_admin_is_audited(client, admin_user, reception_officer):
    client.force_login(admin_user)
    data = {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"}
    response = client.post(f"/admin/accounts/user/{reception_officer.pk}/password/", data)
    assert response.status_code == 302
    assert AuditLog.objects.get(action="accounts.officer.password_set").object_id == str(reception_officer.pk)


def test_center_leader_add_form_offers_only_reception_in_their_center(client, leader, center, ninhkieu):
    client.force_login(leader)
    form = client.get(ADD).context["inline_admin_formsets"][0].formset.forms[0]
    assert [value for value, _ in form.fields["role"].choices if value] == [Role.RECEPTION_OFFICER]
    assert list(form.fields["center"].queryset) == [center]
    assert not form.fields["agency"].queryset.exists()
