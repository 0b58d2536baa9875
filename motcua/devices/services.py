"""Writes of devices: create one (its token is returned once, never stored), revoke it, note it was seen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.models import Center
from motcua.core.services import audit_log_write

from .models import Device
from .tokens import PREFIX_LENGTH, hash_token, new_token

# A device calls often (a kiosk per ticket, a board per poll); one write a minute is enough to
# tell staff that it is alive.
SEEN_RESOLUTION = timedelta(minutes=1)
_PREFIX_ATTEMPTS = 5


@transaction.atomic
def device_create(
    *, center: Center, kind: str, name: str, created_by: Any = None, now: datetime | None = None
) -> tuple[Device, str]:
    """A new active device and its token; the token cannot be shown again, only replaced."""
    now = now or timezone.now()
    for _attempt in range(_PREFIX_ATTEMPTS):
        token = new_token()
        try:
            with transaction.atomic():  # a savepoint: a prefix collision must not poison the outer block
                device = Device.objects.create(
                    center=center, kind=kind, name=name.strip(), token_prefix=token[:PREFIX_LENGTH],
                    token_hash=hash_token(token), created_at=now, created_by=_user_or_none(created_by),
                )  # fmt: skip
        except IntegrityError:
            continue
        _audit(device, "devices.device.created", created_by, now, {"kind": kind, "name": device.name})
        return device, token
    raise RuntimeError("could not draw a unique device token prefix")


@transaction.atomic
def device_revoke(*, device: Device, actor: Any = None, now: datetime | None = None) -> Device:
    """The device's token stops working at once (a stolen or retired kiosk)."""
    now = now or timezone.now()
    device = Device.objects.select_for_update().get(pk=device.pk)
    if not device.is_active:
        return device
    device.is_active, device.revoked_at = False, now
    device.save(update_fields=["is_active", "revoked_at"])
    _audit(device, "devices.device.revoked", actor, now, {"name": device.name})
    return device


def device_touch(*, device: Device, now: datetime | None = None) -> None:
    """Record that the device called in; at most one write per `SEEN_RESOLUTION`."""
    now = now or timezone.now()
    if device.last_seen_at is not None and now - device.last_seen_at < SEEN_RESOLUTION:
        return
    Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    device.last_seen_at = now


def _user_or_none(user: Any) -> Any:
    """A management command creates devices with nobody logged in."""
    return user if getattr(user, "pk", None) else None


def _audit(device: Device, action: str, actor: Any, now: datetime, data: dict[str, Any]) -> None:
    audit_log_write(actor=actor, action=action, obj=device, center=device.center, data=data, now=now)
