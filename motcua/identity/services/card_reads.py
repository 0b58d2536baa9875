"""What a card reader read from a citizen's ID card chip, held in the cache for five minutes.

ADR 0009 §2: the reader posts the printed details and the chip photo; nothing of it is written
to the database or to disk. The read waits under a random one-time reference in the slot of the
kiosk it sits next to (`center` + the kiosk's label, empty when the center pairs every reader
with every kiosk), and the kiosk that claims it moves it to its own session's key: nobody can
claim it twice. The photo leaves the cache with the face check's match, the kiosk's "cancel", or
the five minutes, whichever comes first.

Rate limits are cache counters in fixed windows: card reads per reader per minute, and card reads
and face checks per ID number per hour (the number itself never sits in a key, only its HMAC).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from motcua.core.models import Center
from motcua.core.services import audit_log_write
from motcua.devices.models import Device
from motcua.identity.national_id import NationalIdError, validate_national_id

READ_SECONDS = 5 * 60
_READ_KEY = "motcua:card-read:ref:"
_SLOT_KEY = "motcua:card-read:slot:"
_SESSION_KEY = "motcua:card-read:session:"
_COUNT_KEY = "motcua:identity:count:"
KIOSK_LABEL = re.compile(r"^[-A-Za-z0-9_]{0,20}$")
_SEXES = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "nữ": "F", "female": "F"}
_PHOTO_FORMATS = frozenset({"JPEG", "PNG"})
_MAX_PHOTO_PIXELS = 4096 * 4096
# A chip photo is some 20 KB; a demo upload from a phone may be larger, but not this large.
PHOTO_MAX_BYTES = 1_000_000


class CardReadError(Exception):
    """A read refused: `code` for programs, `message` (Vietnamese) for people, `status` for HTTP."""

    def __init__(self, code: str, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class CardRead:
    ref: str
    center_id: int
    device_id: int | None
    kiosk_label: str
    national_id: str
    full_name: str
    birth_date: date | None
    sex: str
    address: str
    read_at: datetime
    source: str  # "card_reader" or "demo"
    photo: bytes = field(repr=False)


def setting(name: str, default: int) -> int:
    return int(settings.MOTCUA.get(name, default))


def photo_max_bytes() -> int:
    return setting("FACE_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)


def national_id_hash(number: str) -> str:
    """HMAC-SHA256 of the number with the site's key: a stable handle that reveals nothing."""
    return hmac.new(settings.SECRET_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


# --- rate limits -----------------------------------------------------------------------------


def _window_key(name: str, subject: str, window: int, now: datetime) -> str:
    return f"{_COUNT_KEY}{name}:{subject}:{int(now.timestamp()) // window}"


def limit_reached(name: str, subject: str, *, limit: int, window: int, now: datetime) -> bool:
    return int(cache.get(_window_key(name, subject, window, now), 0)) >= limit


def limit_count(name: str, subject: str, *, window: int, now: datetime) -> None:
    key = _window_key(name, subject, window, now)
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)


def id_limit_reached(number_hash: str, now: datetime) -> bool:
    return limit_reached("id", number_hash, limit=setting("FACE_CHECKS_PER_ID_PER_HOUR", 5), window=3600, now=now)


# --- validation ------------------------------------------------------------------------------


def photo_decode(encoded: str) -> bytes:
    """The chip photo from base64, refused unless it is a JPEG or PNG by content and small enough."""
    limit = photo_max_bytes()
    if len(encoded) > limit * 4 // 3 + 8:
        raise CardReadError("photo_too_large", _("Ảnh lớn hơn %(kb)d KB.") % {"kb": limit // 1000}, status=413)
    try:
        photo = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise CardReadError("invalid_photo", _("Ảnh không đúng định dạng base64.")) from error
    return photo_check(photo)


def photo_check(photo: bytes) -> bytes:
    """A real JPEG or PNG image, whatever the caller named it."""
    if not photo:
        raise CardReadError("invalid_photo", _("Thiếu ảnh chân dung trên thẻ."))
    if len(photo) > photo_max_bytes():
        raise CardReadError("photo_too_large", _("Ảnh chân dung quá lớn."), status=413)
    try:
        with Image.open(io.BytesIO(photo)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        raise CardReadError("invalid_photo", _("Ảnh chân dung không phải ảnh JPEG hoặc PNG hợp lệ.")) from error
    if kind not in _PHOTO_FORMATS or width * height > _MAX_PHOTO_PIXELS:
        raise CardReadError("invalid_photo", _("Ảnh chân dung phải là ảnh JPEG hoặc PNG."))
    return photo


def _sex(value: str) -> str:
    if not value.strip():
        return ""
    sex = _SEXES.get(value.strip().lower())
    if sex is None:
        raise CardReadError("invalid_sex", _("Giới tính phải là Nam hoặc Nữ."))
    return sex


def _national_id(number: str, birth_date: date | None) -> str:
    try:
        return validate_national_id(number, birth_date=birth_date).number
    except NationalIdError as error:
        raise CardReadError("invalid_national_id", error.message) from error


def _text(value: str, *, name: str, limit: int, required: bool = False) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise CardReadError("missing_field", _("Thiếu thông tin: %(name)s.") % {"name": name})
    if len(value) > limit or "\x00" in value:
        raise CardReadError("invalid_field", _("Thông tin quá dài: %(name)s.") % {"name": name})
    return value


# --- writes and reads in the cache --------------------------------------------------------------


def _slot(center_id: int, label: str) -> str:
    return f"{_SLOT_KEY}{center_id}:{label}"


def _guard_device(device: Device | None, center: Center, now: datetime) -> None:
    if device is None:
        return
    if device.kind != Device.Kind.CARD_READER or device.center_id != center.pk:
        raise CardReadError("forbidden", _("Thiết bị này không phải đầu đọc thẻ của trung tâm."), status=403)
    limit = setting("FACE_CHECKS_PER_KIOSK_PER_MINUTE", 10)
    if limit_reached("reader", str(device.pk), limit=limit, window=60, now=now):
        raise CardReadError("too_many_requests", _("Đầu đọc gửi quá nhiều lượt đọc; vui lòng thử lại sau một phút."),
                            status=429)  # fmt: skip
    limit_count("reader", str(device.pk), window=60, now=now)


def card_read_store(
    *, center: Center, device: Device | None, national_id: str, full_name: str, birth_date: date | None,
    sex: str, address: str, photo: bytes | str, kiosk_label: str = "", source: str = "card_reader",
    now: datetime | None = None,
) -> CardRead:  # fmt: skip
    """Check a read and keep it for five minutes in the kiosk's slot; the answer's `ref` is one-time.

    `photo` is the image, or its base64 text as a reader sends it (decoded after the rate limit).
    """
    now = now or timezone.now()
    _guard_device(device, center, now)
    if not KIOSK_LABEL.match(kiosk_label or ""):
        raise CardReadError("invalid_kiosk_ref", _("Mã kiosk chỉ gồm chữ, số, gạch ngang, tối đa 20 ký tự."))
    number = _national_id(national_id, birth_date)
    if id_limit_reached(national_id_hash(number), now):
        raise CardReadError("too_many_requests", _("Số định danh này đã được xác thực quá nhiều lần trong một giờ; "
                                                   "vui lòng làm thủ tục tại quầy."), status=429)  # fmt: skip
    photo = photo_decode(photo) if isinstance(photo, str) else photo_check(photo)
    read = CardRead(
        ref=secrets.token_urlsafe(18), center_id=center.pk, device_id=device.pk if device else None,
        kiosk_label=kiosk_label or "", national_id=number,
        full_name=_text(full_name, name=_("họ và tên"), limit=150, required=True), birth_date=birth_date,
        sex=_sex(sex or ""), address=_text(address, name=_("địa chỉ"), limit=255), read_at=now, source=source,
        photo=photo,
    )  # fmt: skip
    cache.set(_READ_KEY + read.ref, asdict(read), READ_SECONDS)
    cache.set(_slot(center.pk, read.kiosk_label), {"ref": read.ref, "read_at": now.timestamp()}, READ_SECONDS)
    return read


def demo_enrolment_on() -> bool:
    return bool(getattr(settings, "MOTCUA", {}).get("FACE_DEMO_ENROLMENT", False))


def card_read_enrol_demo(
    *, center: Center, officer: Any, ip: str | None, national_id: str, full_name: str, birth_date: date | None,
    sex: str, address: str, photo: bytes, kiosk_label: str = "",
) -> CardRead:  # fmt: skip
    """Demo mode: an officer puts a read in the kiosk's slot (no reader). Audited, because whoever
    may do this may put any photo under any ID number; off in production (FACE_DEMO_ENROLMENT)."""
    if not demo_enrolment_on():
        raise CardReadError("demo_off", _("Chế độ demo nhập ảnh thẻ đang tắt."), status=403)
    read = card_read_store(
        center=center, device=None, national_id=national_id, full_name=full_name, birth_date=birth_date, sex=sex,
        address=address, photo=photo, kiosk_label=kiosk_label, source="demo",
    )  # fmt: skip
    audit_log_write(actor=officer, action="identity.card_read.demo", center=center, ip=ip,
                    data={"national_id_hash": national_id_hash(read.national_id), "kiosk": read.kiosk_label})  # fmt: skip
    return read


def _left(read: CardRead, now: datetime) -> int:
    return int(READ_SECONDS - (now - read.read_at).total_seconds())


def card_read_claim(
    *, center: Center, kiosk_label: str, session_ref: str, since: datetime, now: datetime | None = None
) -> CardRead | None:
    """The latest read of the kiosk's slot made after `since`, moved to the kiosk session's key.

    `cache.delete` answers whether this call removed the reference: of two kiosks (or two tabs)
    polling the same slot, only one gets the read.
    """
    now = now or timezone.now()
    pointer = cache.get(_slot(center.pk, kiosk_label))
    if not isinstance(pointer, dict) or pointer.get("read_at", 0) < since.timestamp():
        return None
    stored = cache.get(_READ_KEY + pointer["ref"])
    if not isinstance(stored, dict) or not cache.delete(_READ_KEY + pointer["ref"]):
        return None
    cache.delete(_slot(center.pk, kiosk_label))
    read = CardRead(**stored)
    if (left := _left(read, now)) <= 0:
        return None
    cache.set(_SESSION_KEY + session_ref, stored, left)
    return read


def card_read_for_session(session_ref: str) -> CardRead | None:
    stored = cache.get(_SESSION_KEY + session_ref) if session_ref else None
    return CardRead(**stored) if isinstance(stored, dict) else None


def card_read_forget(session_ref: str) -> None:
    if session_ref:
        cache.delete(_SESSION_KEY + session_ref)


def card_read_pending(ref: str) -> dict[str, Any] | None:
    """A read still waiting to be claimed (tests and the demo page ask whether it was picked up)."""
    stored = cache.get(_READ_KEY + ref)
    return stored if isinstance(stored, dict) else None
