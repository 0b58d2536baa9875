"""Citizen app tokens (issue 5): what signs a citizen in on the mobile app instead of a session.

A token is `mc_` and 43 random URL-safe characters, shown to the app once when it is issued;
the database keeps only its SHA-256 (`CitizenToken.key_hash`), so a copy of the database signs
nobody in. A token lasts `MOTCUA["CITIZEN_TOKEN_DAYS"]` days (90 by default) from its issue —
a fixed expiry, not a sliding one — until the citizen signs out (revoke) or an administrator
revokes it. Only citizen accounts get and use tokens: an account that is inactive, staff or
holds a role is refused even with a token issued before.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from motcua.core.services import audit_log_write

from ..models import CitizenProfile, CitizenToken

PREFIX = "mc_"
LABEL_MAX = 60
# `last_used_at` is written at most this often per token (not on every request).
TOUCH_EVERY = timedelta(minutes=1)
_RAW_MAX = 100  # a longer "token" is garbage: refused before hashing or any query


def token_days() -> int:
    return int(settings.MOTCUA.get("CITIZEN_TOKEN_DAYS", 90))


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def label_clean(label: str) -> str:
    """The device name the app sent, printable and at most 60 characters."""
    text = "".join(ch for ch in (label or "") if ch.isprintable())
    return " ".join(text.split())[:LABEL_MAX]


def _profile(user: Any) -> CitizenProfile | None:
    try:
        return user.citizen
    except CitizenProfile.DoesNotExist:
        return None


def is_citizen_only(user: Any) -> bool:
    """An active citizen account that is neither staff nor holds a role (ADR 0009 §3)."""
    if user is None or not user.is_active or user.is_staff or user.is_superuser:
        return False
    if _profile(user) is None:
        return False
    return not user.roles.exists()


def citizen_token_issue(*, user: Any, label: str, ip: str | None = None,
                        now: datetime | None = None) -> tuple[CitizenToken, str]:  # fmt: skip
    """A new token for `user`: the row and the raw token (to hand to the app, once)."""
    now = now or timezone.now()
    raw = PREFIX + secrets.token_urlsafe(32)
    token = CitizenToken.objects.create(
        user=user, key_hash=token_hash(raw), label=label_clean(label), created_at=now,
        expires_at=now + timedelta(days=token_days()),
    )  # fmt: skip
    audit_log_write(actor=user, action="identity.citizen_token.issued", obj=token, ip=ip, now=now,
                    data={"label": token.label, "expires_at": token.expires_at.isoformat()})  # fmt: skip
    return token, raw


def citizen_token_revoke(*, token: CitizenToken, ip: str | None = None, actor: Any = None,
                         now: datetime | None = None) -> CitizenToken:  # fmt: skip
    """Sign out one device (by the citizen, or `actor` — an administrator); revoking twice is a no-op."""
    if token.revoked_at is not None:
        return token
    now = now or timezone.now()
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit_log_write(actor=actor or token.user, action="identity.citizen_token.revoked", obj=token, ip=ip, now=now,
                    data={"label": token.label, "by_owner": actor is None or actor.pk == token.user_id})  # fmt: skip
    return token


def citizen_token_find(raw: str, now: datetime | None = None) -> CitizenToken | None:
    """The live token row for `raw` (its user loaded), or None: unknown, expired, revoked, or not a citizen's."""
    if not raw or len(raw) > _RAW_MAX or not raw.startswith(PREFIX):
        return None
    now = now or timezone.now()
    token = (
        CitizenToken.objects.select_related("user", "user__citizen")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not is_citizen_only(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        CitizenToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def citizen_token_user(raw: str, now: datetime | None = None) -> Any:
    """The citizen `raw` signs in, or None."""
    token = citizen_token_find(raw, now)
    return token.user if token is not None else None
