"""Reads of devices: who is behind a token, and the devices an officer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.accounts.scoping import filter_by_scope

from .models import Device
from .tokens import MAX_TOKEN_LENGTH, PREFIX_LENGTH, token_matches


def device_from_token(raw: str | None) -> Device | None:
    """The active device whose token is `raw`, or None (unknown, revoked, or malformed)."""
    token = (raw or "").strip()
    if len(token) <= PREFIX_LENGTH or len(token) > MAX_TOKEN_LENGTH:
        return None
    device = Device.objects.select_related("center").filter(token_prefix=token[:PREFIX_LENGTH]).first()
    # The hash is compared even for an inactive device so that timing tells nothing either way.
    if device is None or not token_matches(token, device.token_hash) or not device.is_active:
        return None
    return device


def device_list_for_user(*, user: Any) -> QuerySet[Device]:
    return filter_by_scope(Device.objects.select_related("center"), user, center_field="center")
