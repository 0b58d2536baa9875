"""Devices in the admin: the token shown once on creation, revocation, and scope by center."""

from __future__ import annotations

import pytest

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.core.models import Center
from motcua.devices.models import Device
from motcua.devices.selectors import device_from_token
from motcua.devices.services import device_create

pytestmark = pytest.mark.django_db


def _token_in_messages(response) -> str:
    text = next(str(m) for m in response.context["messages"] if "Mã truy cập" in str(m))
    return text.rsplit(": ", 1)[1].strip()


def test_an_administrator_creates_a_device_and_sees_its_token_once(client, admin_user, center):
    client.force_login(admin_user)
    response = client.post(
        "/admin/devices/device/add/", {"center": center.pk, "kind": "kiosk", "name": "Kiosk sảnh"}, follow=True
    )
    assert response.status_code == 200
    device = Device.objects.get(name="Kiosk sảnh")
    assert device_from_token(_token_in_messages(response)) == device
    page = client.get(f"/admin/devices/device/{device.pk}/change/").content.decode()
    assert device.token_prefix in page and device.token_hash not in page


def test_revoking_from_the_list(client, admin_user, center):
    device, token = device_create(center=center, kind="board", name="Bảng")
    client.force_login(admin_user)
    response = client.post(
        "/admin/devices/device/", {"action": "revoke_selected", "_selected_action": [device.pk]}, follow=True
    )
    assert response.status_code == 200
    assert device_from_token(token) is None


def _leader_of(center: Center) -> User:
    user = User.objects.create_user("lanhdao.ninhkieu", password="x", is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.CENTER_LEADER, center=center)
    return user


def test_a_center_leader_sees_and_creates_only_for_their_center(client, center):
    other = Center.objects.get(code="ninhkieu")
    device_create(center=center, kind="kiosk", name="Kiosk Cần Thơ")
    device_create(center=other, kind="kiosk", name="Kiosk Ninh Kiều")
    client.force_login(_leader_of(other))
    listing = client.get("/admin/devices/device/").content.decode()
    assert "Kiosk Ninh Kiều" in listing and "Kiosk Cần Thơ" not in listing
    response = client.post("/admin/devices/device/add/", {"center": center.pk, "kind": "kiosk", "name": "Lạ"})
    assert response.status_code == 200 and not Device.objects.filter(name="Lạ").exists()  # form error: not a choice


def test_a_reception_officer_has_no_device_admin(client, reception_officer):
    reception_officer.is_staff = True
    reception_officer.save()
    client.force_login(reception_officer)
    assert client.get("/admin/devices/device/").status_code == 403
