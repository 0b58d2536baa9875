"""Device tokens: created once, stored hashed, found by prefix, refused once revoked."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.core.models import AuditLog
from motcua.devices.models import Device
from motcua.devices.selectors import device_from_token
from motcua.devices.services import device_create, device_revoke, device_touch
from tests.queueing.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_stored(center, admin_user):
    device, token = device_create(center=center, kind=Device.Kind.KIOSK, name=" Kiosk sảnh ", created_by=admin_user)
    device.refresh_from_db()
    assert len(token) >= 43 and device.name == "Kiosk sảnh"
    assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {device.token_hash, device.token_prefix} and token.startswith(device.token_prefix)
    assert device.created_by == admin_user and device.is_active
    assert AuditLog.objects.filter(action="devices.device.created", object_id=str(device.pk)).exists()


def test_every_device_gets_its_own_token(center):
    tokens = {device_create(center=center, kind="board", name=f"Bảng {i}")[1] for i in range(5)}
    assert len(tokens) == 5


def test_the_token_finds_its_device(center):
    device, token = device_create(center=center, kind="kiosk", name="Kiosk")
    assert device_from_token(token) == device
    assert device_from_token(f"  {token} ") == device


@pytest.mark.parametrize("mutate", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t[:8], lambda t: "",
                                    lambda t: t + "x" * 200, lambda t: None, lambda t: "x" * 43])  # fmt: skip
def test_a_wrong_or_malformed_token_finds_nothing(center, mutate):
    _device, token = device_create(center=center, kind="kiosk", name="Kiosk")
    assert device_from_token(mutate(token)) is None


def test_a_revoked_token_stops_working(center, admin_user):
    device, token = device_create(center=center, kind="kiosk", name="Kiosk")
    device_revoke(device=device, actor=admin_user, now=TUESDAY_8AM)
    device.refresh_from_db()
    assert not device.is_active and device.revoked_at == TUESDAY_8AM
    assert device_from_token(token) is None
    assert AuditLog.objects.filter(action="devices.device.revoked", actor=admin_user).count() == 1
    device_revoke(device=device, actor=admin_user)  # twice: nothing more happens
    assert AuditLog.objects.filter(action="devices.device.revoked").count() == 1


def test_last_seen_is_written_at_most_once_a_minute(center):
    from datetime import timedelta

    device, _token = device_create(center=center, kind="board", name="Bảng")
    device_touch(device=device, now=TUESDAY_8AM)
    device_touch(device=device, now=TUESDAY_8AM + timedelta(seconds=30))
    device.refresh_from_db()
    assert device.last_seen_at == TUESDAY_8AM
    device_touch(device=device, now=TUESDAY_8AM + timedelta(minutes=2))
    device.refresh_from_db()
    assert device.last_seen_at == TUESDAY_8AM + timedelta(minutes=2)


def test_the_command_prints_the_token_once(center):
    out = StringIO()
    call_command("device_create", "--center", "cantho", "--kind", "kiosk", "--name", "Kiosk sảnh", stdout=out)
    device = Device.objects.get(name="Kiosk sảnh")
    token = next(line for line in out.getvalue().splitlines() if line.startswith(device.token_prefix))
    assert device_from_token(token) == device and device.kind == "kiosk" and device.center == center


def test_the_command_quiet_prints_only_the_token(center):
    out = StringIO()
    call_command("device_create", "--center", "cantho", "--kind", "board", "--name", "Bảng tầng trệt", "--quiet", stdout=out)
    assert device_from_token(out.getvalue().strip()) == Device.objects.get()


def test_the_command_refuses_an_unknown_center(center):
    with pytest.raises(CommandError, match="khong-co"):
        call_command("device_create", "--center", "khong-co", "--kind", "kiosk", "--name", "K", stdout=StringIO())
