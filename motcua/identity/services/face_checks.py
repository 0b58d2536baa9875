"""The kiosk's face check: consent first, one 1:1 check against the chip photo, the ticket's identity.

ADR 0009 §1: frames and descriptors live in memory for one request; the only row written is the
`FaceCheck` outcome (result, distance, threshold, challenge, kiosk, consent, keyed hash of the
number, duration). On a match the caller keeps a `VerifiedIdentity` (text only, no photo) until
the next ticket issued at that kiosk takes it as its `TicketIdentity`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.models import Center
from motcua.devices.models import Device
from motcua.identity.models import ConsentRecord, FaceCheck, TicketIdentity
from motcua.queueing.models import Ticket

from .card_reads import CardRead, id_limit_reached, limit_count, limit_reached, national_id_hash, setting

# The consent text shown on the kiosk; a new wording gets a new version (ConsentRecord.text_version).
CONSENT_VERSION = "kiosk-face-2026-11"
# Same tuple as the engine's (motcua.identity.face.engine.CHALLENGES); used when it cannot be loaded.
DEFAULT_CHALLENGES = ("blink", "turn_left", "turn_right")
MAX_FRAMES = 30
Result = FaceCheck.Result


class FaceCheckRefused(Exception):
    """No check was run: no consent, or too many checks for this kiosk or this ID number."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who matched their ID card at the kiosk: what the counter would otherwise type in."""

    national_id: str
    full_name: str
    birth_date: date | None
    address: str
    face_check_id: int
    verified_at: datetime


@dataclass(frozen=True)
class FaceCheckOutcome:
    check: FaceCheck
    message: str  # Vietnamese, from the engine
    identity: VerifiedIdentity | None  # only on a match


def _engine() -> Any:
    return importlib.import_module("motcua.identity.face.engine")


def challenges() -> tuple[str, ...]:
    try:
        return tuple(_engine().CHALLENGES)
    except ImportError:
        return DEFAULT_CHALLENGES


def _check_face(*, reference: bytes, frames: list[bytes], challenge: str) -> Any:
    """The engine, imported when first needed: dlib loads its models then, not at start-up."""
    return _engine().check_face(reference=reference, frames=frames, challenge=challenge)


@transaction.atomic
def consent_give(
    *, center: Center, session_ref: str, device: Device | None = None, now: datetime | None = None
) -> ConsentRecord:
    """The citizen tapped "Đồng ý" on the kiosk's consent screen (before any capture)."""
    del center  # the record belongs to the kiosk session; the check that follows names the center
    return ConsentRecord.objects.create(
        kind=ConsentRecord.Kind.FACE_CHECK, text_version=CONSENT_VERSION, session_ref=session_ref, device=device,
        given_at=now or timezone.now(),
    )  # fmt: skip


def consent_of(consent_id: int | None) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(pk=consent_id).first() if consent_id else None


def _guard(consent: ConsentRecord | None, kiosk_key: str, number_hash: str, now: datetime) -> ConsentRecord:
    if consent is None or consent.kind != ConsentRecord.Kind.FACE_CHECK or consent.withdrawn_at is not None:
        raise FaceCheckRefused("consent_required", _("Cần quý khách đồng ý trước khi chụp ảnh khuôn mặt."))
    if limit_reached("kiosk", kiosk_key, limit=setting("FACE_CHECKS_PER_KIOSK_PER_MINUTE", 10), window=60, now=now):
        raise FaceCheckRefused(
            "kiosk_limit", _("Kiosk đang có quá nhiều lượt xác thực; vui lòng thử lại sau một phút.")
        )
    if id_limit_reached(number_hash, now):
        raise FaceCheckRefused("id_limit", _(
            "Số định danh này đã được xác thực quá nhiều lần trong một giờ. Vui lòng làm thủ tục tại quầy."
        ))  # fmt: skip
    return consent


def face_check_run(
    *, center: Center, consent: ConsentRecord | None, read: CardRead, frames: list[bytes], challenge: str,
    kiosk_key: str, now: datetime | None = None,
) -> FaceCheckOutcome:  # fmt: skip
    """Match the camera's frames with the chip photo (in memory) and record the outcome only."""
    now = now or timezone.now()
    number_hash = national_id_hash(read.national_id)
    consent = _guard(consent, kiosk_key, number_hash, now)
    limit_count("kiosk", kiosk_key, window=60, now=now)
    limit_count("id", number_hash, window=3600, now=now)
    outcome = _check_face(reference=read.photo, frames=frames[:MAX_FRAMES], challenge=challenge)
    check = _record(center=center, consent=consent, read=read, outcome=outcome, challenge=challenge,
                    number_hash=number_hash, now=now)  # fmt: skip
    identity = _identity(read, check) if check.result == Result.MATCH else None
    return FaceCheckOutcome(check=check, message=str(outcome.message or ""), identity=identity)


@transaction.atomic
def _record(
    *, center: Center, consent: ConsentRecord, read: CardRead, outcome: Any, challenge: str, number_hash: str,
    now: datetime,
) -> FaceCheck:  # fmt: skip
    result = outcome.result if outcome.result in Result.values else Result.NO_FACE
    return FaceCheck.objects.create(
        result=result, distance=outcome.distance, threshold=float(outcome.threshold), challenge=challenge[:16],
        device_id=read.device_id, center=center, consent=consent, national_id_hash=number_hash,
        duration_ms=max(0, int(outcome.duration_ms or 0)), at=now,
    )  # fmt: skip


def _identity(read: CardRead, check: FaceCheck) -> VerifiedIdentity:
    return VerifiedIdentity(
        national_id=read.national_id, full_name=read.full_name, birth_date=read.birth_date, address=read.address,
        face_check_id=check.pk, verified_at=check.at,
    )  # fmt: skip


def identity_fresh(identity: VerifiedIdentity, now: datetime) -> bool:
    """A match is good for the next few minutes only: the next person at the kiosk is someone else."""
    return now - identity.verified_at <= timedelta(seconds=setting("FACE_IDENTITY_KEEP_SECONDS", 300))


@transaction.atomic
def ticket_identity_attach(
    *, ticket: Ticket, identity: VerifiedIdentity, now: datetime | None = None
) -> TicketIdentity:
    """The ticket just issued belongs to the citizen who matched their ID card (method face)."""
    now = now or timezone.now()
    row, _created = TicketIdentity.objects.update_or_create(
        ticket=ticket,
        defaults={
            "national_id": identity.national_id, "full_name": identity.full_name, "birth_date": identity.birth_date,
            "address": identity.address, "method": TicketIdentity.Method.FACE,
            "face_check": FaceCheck.objects.filter(pk=identity.face_check_id).first(), "verified_at": identity.verified_at,
        },
    )  # fmt: skip
    return row
