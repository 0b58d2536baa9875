"""Face checks driven by a native kiosk app through the API (ADR 0009 §5).

The kiosk's own web screens keep the citizen's way through consent → card → camera in the
browser session; a kiosk app talking JSON has no session, so the same way is a *face session*
kept in the cache under a random reference and bound to the kiosk device that opened it:

  open (the citizen tapped "Đồng ý": consent logged, a challenge drawn)
  → card (claims the card reader's read for this session, exactly as the web kiosk does)
  → check (frames in memory, one `FaceCheck` row; a fresh challenge for a retry)
  → on a match, a one-time `identity_ref` the ticket request hands back to attach the identity.

Nothing here is written to the database except the consent and the check's outcome; the read
(with its photo) and the verified identity live in the cache for minutes and are forgotten on
the match, on close, or when they expire.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from django.core.cache import cache
from django.utils import timezone

from motcua.core.models import Center
from motcua.devices.models import Device

from . import card_reads, face_checks
from .card_reads import READ_SECONDS, CardRead
from .face_checks import FaceCheckOutcome, VerifiedIdentity

SESSION_SECONDS = READ_SECONDS
_SESSION_KEY = "motcua:face-session:"
_IDENTITY_KEY = "motcua:face-identity:"


@dataclass(frozen=True)
class FaceSession:
    ref: str
    center_id: int
    device_id: int
    kiosk_label: str
    consent_id: int
    challenge: str
    opened_at: float  # a POSIX timestamp: reads made before the consent are not this citizen's


@dataclass(frozen=True)
class SessionCheck:
    outcome: FaceCheckOutcome
    identity_ref: str  # empty unless matched
    next_challenge: str  # for a retry


def _keep(session: FaceSession) -> FaceSession:
    cache.set(_SESSION_KEY + session.ref, asdict(session), SESSION_SECONDS)
    return session


def face_session_open(*, kiosk: Device, kiosk_label: str = "", now: datetime | None = None) -> FaceSession:
    """The citizen agreed on the kiosk's consent screen: log the consent, draw a challenge."""
    now = now or timezone.now()
    ref = secrets.token_urlsafe(18)
    consent = face_checks.consent_give(center=kiosk.center, session_ref=ref, device=kiosk, now=now)
    return _keep(FaceSession(
        ref=ref, center_id=kiosk.center_id, device_id=kiosk.pk, kiosk_label=kiosk_label, consent_id=consent.pk,
        challenge=secrets.choice(face_checks.challenges()), opened_at=now.timestamp(),
    ))  # fmt: skip


def face_session_get(ref: str, *, kiosk: Device) -> FaceSession | None:
    """The session, only for the kiosk that opened it: another device learns nothing."""
    stored = cache.get(_SESSION_KEY + ref) if ref else None
    if not isinstance(stored, dict) or stored.get("device_id") != kiosk.pk:
        return None
    return FaceSession(**stored)


def face_session_card(session: FaceSession, *, now: datetime | None = None) -> CardRead | None:
    """The card read of this session: already claimed, or the newest one in the kiosk's slot."""
    if (read := card_reads.card_read_for_session(session.ref)) is not None:
        return read
    return card_reads.card_read_claim(
        center=_center(session), kiosk_label=session.kiosk_label, session_ref=session.ref,
        since=datetime.fromtimestamp(session.opened_at, tz=UTC), now=now,
    )  # fmt: skip


def _center(session: FaceSession) -> Center:
    return Center.objects.get(pk=session.center_id)


def face_session_check(
    session: FaceSession, *, read: CardRead, frames: list[bytes], now: datetime | None = None
) -> SessionCheck:
    """Run the check (refusals raise `FaceCheckRefused`); a retry gets a new challenge."""
    now = now or timezone.now()
    outcome = face_checks.face_check_run(
        center=_center(session), consent=face_checks.consent_of(session.consent_id), read=read, frames=frames,
        challenge=session.challenge, kiosk_key=f"{session.center_id}:{session.kiosk_label}", now=now,
    )  # fmt: skip
    identity_ref = ""
    if outcome.identity is not None:
        card_reads.card_read_forget(session.ref)  # the photo has done its job
        identity_ref = verified_identity_keep(outcome.identity, center_id=session.center_id)
    renewed = _keep(FaceSession(**{**asdict(session), "challenge": secrets.choice(face_checks.challenges())}))
    return SessionCheck(outcome=outcome, identity_ref=identity_ref, next_challenge=renewed.challenge)


def face_session_close(session: FaceSession) -> None:
    """Cancel: the read (with its photo) and the session go now, not in five minutes."""
    card_reads.card_read_forget(session.ref)
    cache.delete(_SESSION_KEY + session.ref)


# --- the verified identity, until the ticket takes it ----------------------------------------


def verified_identity_keep(identity: VerifiedIdentity, *, center_id: int, ref: str = "") -> str:
    """Keep a match (text only) for the next ticket of this center; `ref` puts a taken one back."""
    ref = ref or secrets.token_urlsafe(18)
    stored = {**asdict(identity), "center_id": center_id}
    stored["birth_date"] = identity.birth_date.isoformat() if identity.birth_date else ""
    stored["verified_at"] = identity.verified_at.isoformat()
    cache.set(_IDENTITY_KEY + ref, stored, face_checks.setting("FACE_IDENTITY_KEEP_SECONDS", 300))
    return ref


def verified_identity_take(ref: str, *, center_id: int, now: datetime | None = None) -> VerifiedIdentity | None:
    """The identity behind `ref`, once (of two requests with the same ref only one gets it)."""
    stored = cache.get(_IDENTITY_KEY + ref) if ref else None
    if not isinstance(stored, dict) or stored.pop("center_id", None) != center_id:
        return None
    if not cache.delete(_IDENTITY_KEY + ref):
        return None
    identity = VerifiedIdentity(**{
        **stored, "birth_date": date.fromisoformat(stored["birth_date"]) if stored["birth_date"] else None,
        "verified_at": datetime.fromisoformat(stored["verified_at"]),
    })  # fmt: skip
    return identity if face_checks.identity_fresh(identity, now or timezone.now()) else None
